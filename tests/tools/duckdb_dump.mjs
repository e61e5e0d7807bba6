// duckdb_dump.mjs FILE — a Parquet file's rows as DuckDB's read_parquet reads them, in the
// canonical text form of tests/tools/parquet_dump.c (see its header comment), so that
// tests/suites/parquet_duckdb.sh can compare DuckDB and Ferry byte for byte.
//
// Exit status 0 on success; on any DuckDB error: the message on stderr and exit 1.
//
// Normalisations (each one makes two prints of the SAME value agree; none merges two
// different values):
//  - DuckDB is asked for the file as it is (binary_as_string=false, the default, like Ferry's
//    default bytea for un-annotated BYTE_ARRAY); values are formatted here in JS from their
//    raw numbers (days, micros, bigint, bytes), never from DuckDB's or Ferry's text output, so
//    date styles, BC suffixes or trailing-zero rules cannot differ.
//  - Floats: both sides print the shortest digits that read back to the same double
//    (toExponential() / the shortest "%.Ne" in C), then drop trailing zeros of mantissa and
//    exponent. (17 fixed digits do not work: for an exact tie such as 1.17877960205078125,
//    glibc's %.16e rounds to even and V8's toExponential(16) rounds up.) A FLOAT column is
//    widened to double exactly on both sides. -0 keeps its sign. NaN prints as "NaN" whatever
//    its sign or payload bits (C's printf shows "-nan" for some; not a value difference in SQL).
//  - Timestamps: UTC microseconds since 1970. TIMESTAMP_NS (nanosecond files) are floored to
//    microseconds, because Ferry's timestamp has microsecond precision and floors nanos by
//    design (formats/README.md); TIMESTAMP_MS/_S are scaled up exactly. TIMESTAMP WITH TIME
//    ZONE (isAdjustedToUTC) gets the suffix "+00" on both sides, so a tz-mapping difference
//    shows. TIME_NS likewise floors to microseconds.
//  - Nested values (LIST/STRUCT/MAP; Ferry renders them as json): compact JSON. Ferry writes a
//    nested float with PostgreSQL's shortest text (float4: shortest float32 digits); here a
//    FLOAT is printed with its shortest float32 digits too and a DOUBLE with JS's shortest
//    digits, then both sides parse every non-integer JSON number as a double and print it as an
//    integer when it is integral and below 2^53, else as a canonical float: JSON has one number
//    type, so 1.0 and 1 are the same JSON value. Map keys are JSON strings of the key's text.
//    Non-JSON scalars inside json (dates, timestamps, bytea, non-finite floats) are the
//    PostgreSQL text Ferry puts in a JSON string.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: duckdb_dump.mjs FILE\n');
  process.exit(2);
}

function escapeText(s) {
  return s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
}

// The canonical double (canon_double in parquet_dump.c).
function canonDouble(d) {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  let s = d.toExponential(); // shortest round-trip digits
  if (Object.is(d, -0)) s = '-' + s;
  let [mant, ex] = s.split('e');
  if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
  const e = parseInt(ex, 10);
  return `${mant}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

// canon_json_number in parquet_dump.c, on the text of a JSON number.
function canonJsonNumber(t) {
  if (!/[.eE]/.test(t)) return t;
  const d = parseFloat(t);
  if (d === Math.floor(d) && Math.abs(d) < 9007199254740992 && !Object.is(d, -0)) return d.toFixed(0);
  return canonDouble(d);
}

// Shortest decimal digits that read back to the same float32 (what PostgreSQL prints for real).
function shortestFloat32(x) {
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(parseFloat(s)) === x) return String(parseFloat(s));
  }
  return String(x);
}

function pad(n, w) {
  const neg = n < 0n;
  let s = (neg ? -n : n).toString();
  while (s.length < w) s = '0' + s;
  return (neg ? '-' : '') + s;
}

function civilFromDays(z) {
  // days since 1970-01-01 -> proleptic Gregorian (same algorithm as parquet_dump.c)
  z = BigInt(z) + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const yy = yoe + era * 400n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  return [yy + (m <= 2n ? 1n : 0n), m, d];
}

function fmtDate(days) {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function fmtTime(us) {
  us = BigInt(us);
  return `${pad(us / 3600000000n, 2)}:${pad((us / 60000000n) % 60n, 2)}:${pad((us / 1000000n) % 60n, 2)}.${pad(us % 1000000n, 6)}`;
}

function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

function fmtTimestamp(us) {
  const days = floorDiv(us, 86400000000n);
  return `${fmtDate(days)} ${fmtTime(us - days * 86400000000n)}`;
}

function fmtDecimal(v, scale) {
  const neg = v < 0n;
  let s = (neg ? -v : v).toString();
  if (scale > 0) {
    while (s.length <= scale) s = '0' + s;
    s = s.slice(0, s.length - scale) + '.' + s.slice(s.length - scale);
  }
  return (neg ? '-' : '') + s;
}

function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

// Timestamp micros since 1970 (bigint) of any DuckDB timestamp value, and whether it is tz.
function tsMicros(v) {
  const name = v.constructor.name;
  if (name === 'DuckDBTimestampNanosecondsValue') return [floorDiv(v.nanos, 1000n), false];
  if (name === 'DuckDBTimestampMillisecondsValue') return [v.millis * 1000n, false];
  if (name === 'DuckDBTimestampSecondsValue') return [v.seconds * 1000000n, false];
  if (name === 'DuckDBTimestampTZValue') return [v.micros, true];
  return [v.micros, false];
}

const isTimestamp = (v) => v && v.constructor && v.constructor.name.startsWith('DuckDBTimestamp');

// A top-level value in the canonical form.
function fmtTop(v, type) {
  if (v === null || v === undefined) return '\\N';
  const tid = type.typeId;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (tid === 10 /* FLOAT */ || tid === 11 /* DOUBLE */) return canonDouble(v);
    return String(v);
  }
  if (typeof v === 'string') return escapeText(v);
  const name = v.constructor.name;
  switch (name) {
    case 'DuckDBDecimalValue': return fmtDecimal(v.value, v.scale);
    case 'DuckDBDateValue': return fmtDate(v.days);
    case 'DuckDBTimeValue': return fmtTime(v.micros);
    case 'DuckDBTimeNSValue': return fmtTime(v.nanos / 1000n);
    case 'DuckDBBlobValue': return hex(v.bytes);
    // GEOMETRY (GeoParquet / Parquet GEOMETRY, GEOGRAPHY logical types): its WKB bytes, which
    // Ferry reads as bytea; a re-encoding by DuckDB would show as a difference.
    case 'DuckDBGeometryValue': return hex(v.bytes);
    case 'DuckDBUUIDValue': return v.toString().toLowerCase();
    case 'DuckDBListValue':
    case 'DuckDBStructValue':
    case 'DuckDBMapValue':
    case 'DuckDBArrayValue':
      return escapeText(canonJson(nested(v, type)));
    default:
      if (isTimestamp(v)) {
        const [us, tz] = tsMicros(v);
        return fmtTimestamp(us) + (tz ? '+00' : '');
      }
      return escapeText(String(v));
  }
}

// Ferry's json_string (formats/parquet/nested.c).
function jsonString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += '\\u00' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

// PostgreSQL's text of a timestamp (as Ferry puts it inside json): fraction only when non-zero.
function pgTimestamp(us, tz) {
  const days = floorDiv(us, 86400000000n);
  const rem = us - days * 86400000000n;
  let t = fmtTime(rem).replace(/\.?0+$/, '');
  return `${fmtDate(days)} ${t}${tz ? '+00' : ''}`;
}

// A nested value as JSON text in Ferry's rendering (numbers canonicalised afterwards).
function nested(v, type) {
  if (v === null || v === undefined) return 'null';
  const tid = type.typeId;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return jsonString(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
    if (tid === 10 /* FLOAT */) return shortestFloat32(v);
    return String(v);
  }
  if (typeof v === 'string') return jsonString(v);
  const name = v.constructor.name;
  switch (name) {
    case 'DuckDBDecimalValue': return fmtDecimal(v.value, v.scale);
    case 'DuckDBListValue':
    case 'DuckDBArrayValue':
      return '[' + v.items.map((x) => nested(x, type.valueType)).join(',') + ']';
    case 'DuckDBStructValue':
      return '{' + type.entryNames.map((n, i) => jsonString(n) + ':' + nested(v.entries[n], type.entryTypes[i])).join(',') + '}';
    case 'DuckDBMapValue':
      return '{' + v.entries.map((e) => {
        let k = nested(e.key, type.keyType);
        if (!k.startsWith('"')) k = jsonString(k);
        return k + ':' + nested(e.value, type.valueType);
      }).join(',') + '}';
    case 'DuckDBDateValue': return jsonString(fmtDate(v.days));
    case 'DuckDBTimeValue': return jsonString(fmtTime(v.micros).replace(/\.?0+$/, ''));
    case 'DuckDBBlobValue': return jsonString('\\x' + hex(v.bytes));
    case 'DuckDBUUIDValue': return jsonString(v.toString().toLowerCase());
    default:
      if (isTimestamp(v)) {
        const [us, tz] = tsMicros(v);
        return jsonString(pgTimestamp(us, tz));
      }
      return jsonString(String(v));
  }
}

// The same compaction and number rule as put_json in parquet_dump.c.
function canonJson(t) {
  let out = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i];
    if (c === '"') {
      let j = i + 1;
      while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      out += t.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < t.length && /[0-9.eE+-]/.test(t[j])) j++;
      out += canonJsonNumber(t.slice(i, j));
      i = j;
    } else if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

try {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  const lit = "'" + file.replace(/'/g, "''") + "'";
  const reader = await con.runAndReadAll(`SELECT * FROM read_parquet(${lit})`);
  const types = reader.columnTypes();
  const out = [reader.columnNames().map(escapeText).join('\t')];
  for (const row of reader.getRows()) out.push(row.map((v, i) => fmtTop(v, types[i])).join('\t'));
  process.stdout.write(out.join('\n') + '\n');
  process.stderr.write(`${out.length - 1} rows\n`);
} catch (e) {
  process.stderr.write(`ERROR: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}
