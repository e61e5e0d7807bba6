/*
 * tpch.c — TPC-H data generator behind the connector SPI. Rows are computed
 * from the row index alone (Lehmer RNG streams with skip-ahead), so any
 * split can start anywhere. It must never keep global mutable state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/sqlstate.h"
#include "common/strbuf.h"
#include "connectors/tpch/tpch.h"

#define RNG_M 2147483647LL
#define RNG_A 16807LL

enum { T_NATION, T_REGION, T_PART, T_SUPPLIER, T_PARTSUPP, T_CUSTOMER, T_ORDERS, T_LINEITEM, T__N };
enum { K_I8, K_I4, K_MONEY, K_DATE, K_STR };

typedef struct tcol {
	const char *name; /* simplified name */
	int kind;
	int width; /* varchar length for K_STR */
} tcol;

typedef struct tdef {
	const char *name;
	const char *prefix; /* STANDARD naming prefix */
	int ncols;
	tcol cols[16];
} tdef;

static const tdef tpch_tables[T__N] = {
	[T_NATION] = {"nation", "n_", 4, {{"nationkey", K_I8, 0}, {"name", K_STR, 25}, {"regionkey", K_I8, 0}, {"comment", K_STR, 152}}},
	[T_REGION] = {"region", "r_", 3, {{"regionkey", K_I8, 0}, {"name", K_STR, 25}, {"comment", K_STR, 152}}},
	[T_PART] = {"part", "p_", 9, {{"partkey", K_I8, 0}, {"name", K_STR, 55}, {"mfgr", K_STR, 25}, {"brand", K_STR, 10}, {"type", K_STR, 25}, {"size", K_I4, 0}, {"container", K_STR, 10}, {"retailprice", K_MONEY, 0}, {"comment", K_STR, 23}}},
	[T_SUPPLIER] = {"supplier", "s_", 7, {{"suppkey", K_I8, 0}, {"name", K_STR, 25}, {"address", K_STR, 40}, {"nationkey", K_I8, 0}, {"phone", K_STR, 15}, {"acctbal", K_MONEY, 0}, {"comment", K_STR, 101}}},
	[T_PARTSUPP] = {"partsupp", "ps_", 5, {{"partkey", K_I8, 0}, {"suppkey", K_I8, 0}, {"availqty", K_I4, 0}, {"supplycost", K_MONEY, 0}, {"comment", K_STR, 199}}},
	[T_CUSTOMER] = {"customer", "c_", 8, {{"custkey", K_I8, 0}, {"name", K_STR, 25}, {"address", K_STR, 40}, {"nationkey", K_I8, 0}, {"phone", K_STR, 15}, {"acctbal", K_MONEY, 0}, {"mktsegment", K_STR, 10}, {"comment", K_STR, 117}}},
	[T_ORDERS] = {"orders", "o_", 9, {{"orderkey", K_I8, 0}, {"custkey", K_I8, 0}, {"orderstatus", K_STR, 1}, {"totalprice", K_MONEY, 0}, {"orderdate", K_DATE, 0}, {"orderpriority", K_STR, 15}, {"clerk", K_STR, 15}, {"shippriority", K_I4, 0}, {"comment", K_STR, 79}}},
	[T_LINEITEM] = {"lineitem", "l_", 16, {{"orderkey", K_I8, 0}, {"partkey", K_I8, 0}, {"suppkey", K_I8, 0}, {"linenumber", K_I4, 0}, {"quantity", K_MONEY, 0}, {"extendedprice", K_MONEY, 0}, {"discount", K_MONEY, 0}, {"tax", K_MONEY, 0}, {"returnflag", K_STR, 1}, {"linestatus", K_STR, 1}, {"shipdate", K_DATE, 0}, {"commitdate", K_DATE, 0}, {"receiptdate", K_DATE, 0}, {"shipinstruct", K_STR, 25}, {"shipmode", K_STR, 10}, {"comment", K_STR, 44}}},
};

static const struct { const char *name; double sf; } tpch_schemas[] = {
	{"tiny", 0.01}, {"sf1", 1}, {"sf10", 10}, {"sf100", 100}, {"sf300", 300}, {"sf1000", 1000},
};
#define NSCHEMAS ((int)(sizeof tpch_schemas / sizeof tpch_schemas[0]))

static const char *const nations[25] = {"ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT", "ETHIOPIA", "FRANCE", "GERMANY", "INDIA", "INDONESIA", "IRAN", "IRAQ", "JAPAN", "JORDAN", "KENYA", "MOROCCO", "MOZAMBIQUE", "PERU", "CHINA", "ROMANIA", "SAUDI ARABIA", "VIETNAM", "RUSSIA", "UNITED KINGDOM", "UNITED STATES"};
static const int nation_region[25] = {0, 1, 1, 1, 4, 0, 3, 3, 2, 2, 4, 4, 2, 4, 0, 0, 0, 1, 2, 3, 4, 2, 3, 3, 1};
static const char *const regions[5] = {"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"};
static const char *const colors[] = {"almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched", "blue", "blush", "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate", "coral", "cornflower", "cornsilk", "cream", "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral", "forest", "frosted", "gainsboro", "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki", "lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium", "metallic", "midnight", "mint", "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid", "pale", "papaya", "peach", "peru", "pink", "plum", "powder", "puff", "purple", "red", "rose", "rosy", "royal", "saddle", "salmon", "sandy", "seashell", "sienna", "sky", "slate", "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise", "violet", "wheat", "white", "yellow"};
#define NCOLORS ((int)(sizeof colors / sizeof colors[0]))
static const char *const type1[] = {"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"};
static const char *const type2[] = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"};
static const char *const type3[] = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
static const char *const cont1[] = {"SM", "LG", "MED", "JUMBO", "WRAP"};
static const char *const cont2[] = {"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"};
static const char *const segments[] = {"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"};
static const char *const priorities[] = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"};
static const char *const instructs[] = {"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"};
static const char *const modes[] = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};
static const char *const words[] = {"furiously", "sly", "careful", "blithe", "quick", "fluffy", "slow", "quiet", "ruthless", "thin", "close", "dogged", "daring", "brave", "stealthy", "permanent", "enticing", "idle", "busy", "regular", "final", "ironic", "even", "bold", "silent", "foxes", "ideas", "theodolites", "pinto beans", "instructions", "dependencies", "excuses", "platelets", "asymptotes", "courts", "dolphins", "multipliers", "sauternes", "warthogs", "frets", "dinos", "attainments", "somas", "Tiresias'", "patterns", "forges", "braids", "hockey players", "frays", "warhorses", "requests", "accounts", "packages", "deposits", "sleep", "wake", "are", "cajole", "haggle", "nag", "use", "boost", "affix", "detect", "integrate", "maintain", "nod", "was", "lose", "sublate", "solve", "thrash", "promise", "engage", "hinder", "print", "x-ray", "breach", "eat", "grow", "impress", "mold", "poach", "serve", "run", "dazzle", "snooze", "doze", "unwind", "kindle", "play", "hang", "believe", "doubt", "about", "above", "according to", "across", "after", "against", "along", "among", "around", "at", "atop", "before", "behind", "beneath", "beside", "besides", "between", "beyond", "by", "despite", "during", "except", "for", "from", "inside", "instead of", "into", "near", "of", "on", "outside", "over", "past", "since", "through", "throughout", "to", "toward", "under", "until", "up", "upon", "without", "with", "within", "quickly", "carefully", "fluffily", "slyly", "blithely", "furiously", "silently", "ironically", "finally", "evenly", "boldly", "express", "special", "pending", "unusual"};
#define NWORDS ((int)(sizeof words / sizeof words[0]))
#define NELEM(x) ((int)(sizeof(x) / sizeof((x)[0])))

/* ---- RNG: Park-Miller minimal standard, with O(log n) skip-ahead ---- */

static int64_t rng_mulpow(int64_t seed, int64_t n)
{
	int64_t mult = RNG_A, s = seed;
	while (n > 0) {
		if (n & 1) s = (s * mult) % RNG_M;
		mult = (mult * mult) % RNG_M;
		n >>= 1;
	}
	return s;
}

/* Draw uniformly in [lo, hi] advancing *s (dbgen's RANDOM()). */
static inline int64_t rng_range(int64_t *s, int64_t lo, int64_t hi)
{
	*s = (*s * RNG_A) % RNG_M;
	return lo + (int64_t)(((double)*s / (double)RNG_M) * (double)(hi - lo + 1));
}

/*
 * Each column owns a stream; row r starts at seed0 * A^(r * BUDGET), so the
 * draws one row makes never overlap the next row's and skipping a column
 * costs nothing. BUDGET bounds draws per row (per order for lineitem).
 */
#define BUDGET 512
#define NSTREAMS 20

typedef struct tpch_catalog {
	conn_catalog base;
	bool standard;
} tpch_catalog;

typedef struct tpch_table {
	conn_table base;
	int tid;
	int schema;
} tpch_table;

typedef struct tpch_split {
	conn_split base;
	int tid, schema;
	int64_t start, end; /* row index range (orders index for lineitem) */
} tpch_split;

typedef struct tline {
	int64_t partkey, suppkey, qty, price, disc, tax;
	int32_t ship, commit, receipt;
	char rflag, lstatus;
	int instruct, mode;
} tline;

typedef struct tpch_source {
	conn_page_source base;
	int tid;
	double sf;
	int64_t row, end;
	int ncols;
	int cols[16];
	int64_t seeds[NSTREAMS];
	int64_t step; /* A^BUDGET mod M */
	/* lineitem: current order and the next line to emit */
	int nlines, nextline;
	tline lines[7];
	int64_t okey;
	int32_t odate;
	int64_t bytes;
} tpch_source;

static int64_t tpch_rows(int tid, double sf)
{
	switch (tid) {
	case T_NATION: return 25;
	case T_REGION: return 5;
	case T_PART: return (int64_t)(200000 * sf);
	case T_SUPPLIER: return (int64_t)(10000 * sf);
	case T_PARTSUPP: return (int64_t)(200000 * sf) * 4;
	case T_CUSTOMER: return (int64_t)(150000 * sf);
	default: return (int64_t)(1500000 * sf); /* orders; lineitem splits are order ranges */
	}
}

static int32_t tpch_date(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* Retail price in cents, the spec's formula (4.2.3). */
static int64_t tpch_retail(int64_t p)
{
	return 90000 + ((p / 10) % 20001) + 100 * (p % 1000);
}

static int64_t tpch_sparse_key(int64_t i)
{
	int64_t low = i & 7;
	return ((i >> 3) << 5) | low;
}

/* Supplier of part p's i-th partsupp row (spec 4.2.3). */
static int64_t tpch_ps_supp(int64_t p, int i, int64_t S)
{
	return (p + (i * ((S / 4) + (p - 1) / S))) % S + 1;
}

static int tpch_text(int64_t *s, char *buf, int maxlen)
{
	int target = (int)rng_range(s, maxlen * 4 / 10 > 0 ? maxlen * 4 / 10 : 1, maxlen);
	int len = 0;
	for (int i = 0; i < 40; i++) {
		const char *w = words[rng_range(s, 0, NWORDS - 1)];
		int wl = (int)strlen(w);
		if (len + wl + (len > 0) > target) break;
		if (len > 0) buf[len++] = ' ';
		memcpy(buf + len, w, (size_t)wl);
		len += wl;
	}
	if (len == 0) buf[len++] = 'x';
	return len;
}

static int tpch_alnum(int64_t *s, char *buf, int lo, int hi)
{
	static const char al[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,";
	int n = (int)rng_range(s, lo, hi);
	for (int i = 0; i < n; i++) buf[i] = al[rng_range(s, 0, (int)sizeof al - 2)];
	return n;
}

static int tpch_phone(int64_t *s, char *buf, int64_t nation)
{
	int a = (int)rng_range(s, 100, 999), b = (int)rng_range(s, 100, 999), c = (int)rng_range(s, 1000, 9999);
	return snprintf(buf, 32, "%02d-%03d-%03d-%04d", (int)nation + 10, a, b, c);
}

/* Generate order-level values and all its lines (totalprice needs them). */
static void tpch_gen_order(tpch_source *s, int64_t *custkey, int64_t *total, char *status)
{
	int64_t C = tpch_rows(T_CUSTOMER, s->sf), P = tpch_rows(T_PART, s->sf), S = tpch_rows(T_SUPPLIER, s->sf);
	int64_t st = s->seeds[0];
	int32_t lo = tpch_date(1992, 1, 1), hi = tpch_date(1998, 12, 31) - 151;
	int32_t cur = tpch_date(1995, 6, 17);
	s->odate = (int32_t)rng_range(&st, lo, hi);
	int64_t ck = rng_range(&st, 1, C > 1 ? C : 1);
	/* the spec leaves every third customer without orders */
	if (ck % 3 == 0) ck = ck > 1 ? ck - 1 : 1;
	*custkey = ck;
	s->nlines = (int)rng_range(&st, 1, 7);
	int64_t sum = 0;
	int nf = 0, no = 0;
	for (int i = 0; i < s->nlines; i++) {
		tline *l = &s->lines[i];
		l->partkey = rng_range(&st, 1, P);
		l->suppkey = tpch_ps_supp(l->partkey, (int)rng_range(&st, 0, 3), S);
		l->qty = rng_range(&st, 1, 50);
		l->price = l->qty * tpch_retail(l->partkey);
		l->disc = rng_range(&st, 0, 10);
		l->tax = rng_range(&st, 0, 8);
		l->ship = s->odate + (int32_t)rng_range(&st, 1, 121);
		l->commit = s->odate + (int32_t)rng_range(&st, 30, 90);
		l->receipt = l->ship + (int32_t)rng_range(&st, 1, 30);
		int64_t rf = rng_range(&st, 0, 1);
		l->rflag = l->receipt <= cur ? (rf ? 'R' : 'A') : 'N';
		l->lstatus = l->ship > cur ? 'O' : 'F';
		l->instruct = (int)rng_range(&st, 0, NELEM(instructs) - 1);
		l->mode = (int)rng_range(&st, 0, NELEM(modes) - 1);
		if (l->lstatus == 'F') nf++; else no++;
		/* price*(100-disc)*(100+tax) is in cents*10^4; round to cents */
		__int128 v = (__int128)l->price * (100 - l->disc) * (100 + l->tax);
		sum += (int64_t)((v + 5000) / 10000);
	}
	*total = sum;
	*status = nf == s->nlines ? 'F' : no == s->nlines ? 'O' : 'P';
}

static void put_i(vector *v, int row, int kind, int64_t x)
{
	if (kind == K_I4 || kind == K_DATE) ((int32_t *)v->data)[row] = (int32_t)x;
	else ((int64_t *)v->data)[row] = x;
}

static void put_s(tpch_source *s, vector *v, arena *a, int row, const char *p, int len)
{
	vector_set_string(v, a, row, p, (uint32_t)len);
	s->bytes += len;
}

/* Emit column c of the current row into vector v at row. */
static void tpch_emit(tpch_source *s, arena *a, vector *v, int row, int c, int64_t r)
{
	const tcol *col = &tpch_tables[s->tid].cols[c];
	int64_t st = s->seeds[c];
	char buf[256];
	int n;
	int64_t key = r + 1;
	switch (s->tid) {
	case T_NATION:
		if (c == 0) put_i(v, row, col->kind, r);
		else if (c == 1) put_s(s, v, a, row, nations[r], (int)strlen(nations[r]));
		else if (c == 2) put_i(v, row, col->kind, nation_region[r]);
		else n = tpch_text(&st, buf, 114), put_s(s, v, a, row, buf, n);
		return;
	case T_REGION:
		if (c == 0) put_i(v, row, col->kind, r);
		else if (c == 1) put_s(s, v, a, row, regions[r], (int)strlen(regions[r]));
		else n = tpch_text(&st, buf, 115), put_s(s, v, a, row, buf, n);
		return;
	case T_PART:
		switch (c) {
		case 0: put_i(v, row, col->kind, key); return;
		case 1: {
			int idx[5], len = 0;
			for (int i = 0; i < 5; i++) {
				/* five distinct colours, as the spec asks */
				int k, dup;
				do {
					k = (int)rng_range(&st, 0, NCOLORS - 1);
					dup = 0;
					for (int j = 0; j < i; j++) dup |= idx[j] == k;
				} while (dup);
				idx[i] = k;
				len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s", i ? " " : "", colors[k]);
			}
			put_s(s, v, a, row, buf, len);
			return;
		}
		case 2: case 3: {
			/* brand's first digit is the manufacturer: both read stream 2 */
			int64_t sm = s->seeds[2], st3 = s->seeds[3];
			int m = (int)rng_range(&sm, 1, 5);
			if (c == 2) n = snprintf(buf, sizeof buf, "Manufacturer#%d", m);
			else n = snprintf(buf, sizeof buf, "Brand#%d%d", m, (int)rng_range(&st3, 1, 5));
			put_s(s, v, a, row, buf, n);
			return;
		}
		case 4:
			n = snprintf(buf, sizeof buf, "%s %s %s", type1[rng_range(&st, 0, 5)], type2[rng_range(&st, 0, 4)], type3[rng_range(&st, 0, 4)]);
			put_s(s, v, a, row, buf, n);
			return;
		case 5: put_i(v, row, col->kind, rng_range(&st, 1, 50)); return;
		case 6:
			n = snprintf(buf, sizeof buf, "%s %s", cont1[rng_range(&st, 0, 4)], cont2[rng_range(&st, 0, 7)]);
			put_s(s, v, a, row, buf, n);
			return;
		case 7: put_i(v, row, col->kind, tpch_retail(key)); return;
		default: n = tpch_text(&st, buf, 22); put_s(s, v, a, row, buf, n); return;
		}
	case T_SUPPLIER:
	case T_CUSTOMER: {
		bool sup = s->tid == T_SUPPLIER;
		int64_t sn = s->seeds[3];
		int64_t nation = rng_range(&sn, 0, 24);
		switch (c) {
		case 0: put_i(v, row, col->kind, key); return;
		case 1: n = snprintf(buf, sizeof buf, "%s#%09lld", sup ? "Supplier" : "Customer", (long long)key); put_s(s, v, a, row, buf, n); return;
		case 2: n = tpch_alnum(&st, buf, 10, 40); put_s(s, v, a, row, buf, n); return;
		case 3: put_i(v, row, col->kind, nation); return;
		case 4: n = tpch_phone(&st, buf, nation); put_s(s, v, a, row, buf, n); return;
		case 5: put_i(v, row, col->kind, rng_range(&st, -99999, 999999)); return;
		case 6:
			if (!sup) { const char *g = segments[rng_range(&st, 0, 4)]; put_s(s, v, a, row, g, (int)strlen(g)); return; }
			/* supplier column 6 is the comment */
			__attribute__((fallthrough));
		default: n = tpch_text(&st, buf, sup ? 100 : 116); put_s(s, v, a, row, buf, n); return;
		}
	}
	case T_PARTSUPP: {
		int64_t p = r / 4 + 1;
		switch (c) {
		case 0: put_i(v, row, col->kind, p); return;
		case 1: put_i(v, row, col->kind, tpch_ps_supp(p, (int)(r % 4), tpch_rows(T_SUPPLIER, s->sf))); return;
		case 2: put_i(v, row, col->kind, rng_range(&st, 1, 9999)); return;
		case 3: put_i(v, row, col->kind, rng_range(&st, 100, 100000)); return;
		default: n = tpch_text(&st, buf, 198); put_s(s, v, a, row, buf, n); return;
		}
	}
	default: return;
	}
}

static void tpch_advance(tpch_source *s)
{
	for (int i = 0; i < NSTREAMS; i++) s->seeds[i] = (s->seeds[i] * s->step) % RNG_M;
}

static void tpch_position(tpch_source *s, int64_t row)
{
	for (int i = 0; i < NSTREAMS; i++) {
		/* distinct, nonzero base seed per (table, column) stream */
		int64_t base = (int64_t)((uint64_t)(s->tid * 131 + i * 7919 + 1) * 2654435761u % (RNG_M - 1)) + 1;
		s->seeds[i] = rng_mulpow(base, row * BUDGET);
	}
}

static ferr *tpch_next(conn_page_source *src, arena *a, batch **out)
{
	tpch_source *s = (tpch_source *)src;
	*out = NULL;
	if (s->row >= s->end && (s->tid != T_LINEITEM || s->nextline >= s->nlines)) return NULL;
	ftype types[16];
	for (int i = 0; i < s->ncols; i++) {
		const tcol *col = &tpch_tables[s->tid].cols[s->cols[i]];
		types[i] = col->kind == K_I8 ? ftype_make(TYPE_INT8) : col->kind == K_I4 ? ftype_make(TYPE_INT4)
		         : col->kind == K_DATE ? ftype_make(TYPE_DATE) : col->kind == K_MONEY ? ftype_numeric(12, 2)
		         : ftype_varchar(col->width);
	}
	batch *b = batch_create(a, s->ncols, types, BATCH_CAPACITY);
	int n = 0;
	if (s->tid == T_ORDERS || s->tid == T_LINEITEM) {
		char buf[128];
		while (n < BATCH_CAPACITY) {
			if (s->tid == T_LINEITEM && s->nextline < s->nlines) {
				tline *l = &s->lines[s->nextline];
				int64_t cs = s->seeds[15];
				cs = rng_mulpow(cs, s->nextline * 64);
				for (int i = 0; i < s->ncols; i++) {
					vector *v = &b->cols[i];
					int c = s->cols[i], k = tpch_tables[T_LINEITEM].cols[c].kind;
					int64_t x = 0;
					switch (c) {
					case 0: x = s->okey; break;
					case 1: x = l->partkey; break;
					case 2: x = l->suppkey; break;
					case 3: x = s->nextline + 1; break;
					case 4: x = l->qty * 100; break;
					case 5: x = l->price; break;
					case 6: x = l->disc; break;
					case 7: x = l->tax; break;
					case 8: put_s(s, v, a, n, &l->rflag, 1); continue;
					case 9: put_s(s, v, a, n, &l->lstatus, 1); continue;
					case 10: x = l->ship; break;
					case 11: x = l->commit; break;
					case 12: x = l->receipt; break;
					case 13: put_s(s, v, a, n, instructs[l->instruct], (int)strlen(instructs[l->instruct])); continue;
					case 14: put_s(s, v, a, n, modes[l->mode], (int)strlen(modes[l->mode])); continue;
					default: { int m = tpch_text(&cs, buf, 43); put_s(s, v, a, n, buf, m); continue; }
					}
					put_i(v, n, k, x);
				}
				s->nextline++;
				n++;
				continue;
			}
			if (s->row >= s->end) break;
			int64_t ck, total;
			char status;
			tpch_gen_order(s, &ck, &total, &status);
			s->okey = tpch_sparse_key(s->row + 1);
			if (s->tid == T_ORDERS) {
				int64_t st;
				for (int i = 0; i < s->ncols; i++) {
					vector *v = &b->cols[i];
					int c = s->cols[i], k = tpch_tables[T_ORDERS].cols[c].kind, m;
					switch (c) {
					case 0: put_i(v, n, k, s->okey); break;
					case 1: put_i(v, n, k, ck); break;
					case 2: put_s(s, v, a, n, &status, 1); break;
					case 3: put_i(v, n, k, total); break;
					case 4: put_i(v, n, k, s->odate); break;
					case 5: st = s->seeds[5]; { const char *p = priorities[rng_range(&st, 0, 4)]; put_s(s, v, a, n, p, (int)strlen(p)); } break;
					case 6: {
						st = s->seeds[6];
						int64_t clerks = (int64_t)(1000 * s->sf);
						m = snprintf(buf, sizeof buf, "Clerk#%09lld", (long long)rng_range(&st, 1, clerks > 1 ? clerks : 1));
						put_s(s, v, a, n, buf, m);
						break;
					}
					case 7: put_i(v, n, k, 0); break;
					default: st = s->seeds[8]; m = tpch_text(&st, buf, 78); put_s(s, v, a, n, buf, m); break;
					}
				}
				n++;
			} else {
				s->nextline = 0;
			}
			s->row++;
			tpch_advance(s);
		}
	} else {
		while (n < BATCH_CAPACITY && s->row < s->end) {
			for (int i = 0; i < s->ncols; i++) tpch_emit(s, a, &b->cols[i], n, s->cols[i], s->row);
			n++;
			s->row++;
			tpch_advance(s);
		}
	}
	b->count = n;
	s->bytes += (int64_t)n * 8 * s->ncols;
	*out = b;
	return NULL;
}

static void tpch_close(conn_page_source *src) { (void)src; }
static int64_t tpch_bytes(conn_page_source *src) { return ((tpch_source *)src)->bytes; }
static const conn_page_source_ops tpch_source_ops = {tpch_next, tpch_close, tpch_bytes};

/* ---- catalog ---- */

static ferr *tpch_list_schemas(conn_catalog *c, arena *a, int *n, const char ***names)
{
	(void)c;
	const char **v = arena_alloc(a, sizeof *v * NSCHEMAS);
	for (int i = 0; i < NSCHEMAS; i++) v[i] = tpch_schemas[i].name;
	*n = NSCHEMAS;
	*names = v;
	return NULL;
}

static int tpch_find_schema(const char *schema)
{
	for (int i = 0; i < NSCHEMAS; i++)
		if (!strcmp(schema, tpch_schemas[i].name)) return i;
	return -1;
}

static ferr *tpch_list_tables(conn_catalog *c, const char *schema, arena *a, int *n, const char ***names)
{
	(void)c;
	if (tpch_find_schema(schema) < 0) return ferr_new(SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
	const char **v = arena_alloc(a, sizeof *v * T__N);
	for (int i = 0; i < T__N; i++) v[i] = tpch_tables[i].name;
	*n = T__N;
	*names = v;
	return NULL;
}

static ferr *tpch_get_table(conn_catalog *cat, const char *schema, const char *table, arena *a, conn_table **out)
{
	tpch_catalog *c = (tpch_catalog *)cat;
	*out = NULL;
	int si = tpch_find_schema(schema);
	if (si < 0) return NULL;
	for (int t = 0; t < T__N; t++) {
		if (strcmp(table, tpch_tables[t].name)) continue;
		const tdef *d = &tpch_tables[t];
		tpch_table *h = arena_zalloc(a, sizeof *h);
		h->tid = t;
		h->schema = si;
		h->base.schema = tpch_schemas[si].name;
		h->base.table = d->name;
		h->base.ncols = d->ncols;
		h->base.cols = arena_zalloc(a, sizeof(conn_column) * (size_t)d->ncols);
		for (int i = 0; i < d->ncols; i++) {
			const tcol *col = &d->cols[i];
			conn_column *cc = &h->base.cols[i];
			cc->name = c->standard ? arena_sprintf(a, "%s%s", d->prefix, col->name) : col->name;
			cc->type = col->kind == K_I8 ? ftype_make(TYPE_INT8) : col->kind == K_I4 ? ftype_make(TYPE_INT4)
			         : col->kind == K_DATE ? ftype_make(TYPE_DATE) : col->kind == K_MONEY ? ftype_numeric(12, 2)
			         : ftype_varchar(col->width);
		}
		*out = &h->base;
		return NULL;
	}
	return NULL;
}

static ferr *tpch_get_statistics(conn_catalog *cat, const conn_table *t, arena *a, conn_table_stats *out)
{
	(void)cat;
	const tpch_table *h = (const tpch_table *)t;
	double sf = tpch_schemas[h->schema].sf;
	int64_t rows = tpch_rows(h->tid, sf);
	if (h->tid == T_LINEITEM) rows = (int64_t)(rows * 4.0); /* about 4 lines per order */
	out->row_count = (double)rows;
	out->ncols = t->ncols;
	out->cols = arena_zalloc(a, sizeof(conn_column_stats) * (size_t)t->ncols);
	for (int i = 0; i < t->ncols; i++) {
		conn_column_stats *cs = &out->cols[i];
		cs->distinct_count = -1;
		cs->null_fraction = 0;
		cs->avg_width = -1;
		if (i == 0 && tpch_tables[h->tid].cols[0].kind == K_I8) {
			int64_t keys = tpch_rows(h->tid == T_PARTSUPP ? T_PART : h->tid == T_LINEITEM ? T_ORDERS : h->tid, sf);
			bool zero = h->tid == T_NATION || h->tid == T_REGION;
			cs->distinct_count = (double)keys;
			cs->has_range = true;
			cs->min.u.i = zero ? 0 : 1;
			cs->max.u.i = h->tid == T_ORDERS || h->tid == T_LINEITEM ? tpch_sparse_key(keys) : zero ? keys - 1 : keys;
		}
	}
	return NULL;
}

static ferr *tpch_get_splits(conn_catalog *cat, const conn_table *t, int desired, arena *a, int *n, conn_split ***splits)
{
	(void)cat;
	const tpch_table *h = (const tpch_table *)t;
	int64_t rows = tpch_rows(h->tid, tpch_schemas[h->schema].sf);
	int k = desired < 1 ? 1 : desired;
	if (rows < 10000) k = 1;
	if (k > rows) k = rows > 0 ? (int)rows : 1;
	conn_split **v = arena_alloc(a, sizeof *v * (size_t)k);
	for (int i = 0; i < k; i++) {
		tpch_split *s = arena_zalloc(a, sizeof *s);
		s->tid = h->tid;
		s->schema = h->schema;
		s->start = rows * i / k;
		s->end = rows * (i + 1) / k;
		s->base.estimated_rows = (s->end - s->start) * (h->tid == T_LINEITEM ? 4 : 1);
		s->base.description = arena_sprintf(a, "tpch %s.%s rows [%lld, %lld)", t->schema, t->table, (long long)s->start, (long long)s->end);
		v[i] = &s->base;
	}
	*n = k;
	*splits = v;
	return NULL;
}

static ferr *tpch_open(conn_catalog *cat, const conn_table *t, const conn_split *split, int ncols, const int *cols, arena *a, conn_page_source **out)
{
	(void)cat;
	const tpch_table *h = (const tpch_table *)t;
	const tpch_split *sp = (const tpch_split *)split;
	if (ncols > 16) return ferr_new(SQLSTATE_INTERNAL_ERROR, "tpch: too many columns requested");
	tpch_source *s = arena_zalloc(a, sizeof *s);
	s->base.ops = &tpch_source_ops;
	s->tid = h->tid;
	s->sf = tpch_schemas[h->schema].sf;
	s->row = sp->start;
	s->end = sp->end;
	s->ncols = ncols;
	for (int i = 0; i < ncols; i++) {
		if (cols[i] < 0 || cols[i] >= tpch_tables[h->tid].ncols) return ferr_new(SQLSTATE_INTERNAL_ERROR, "tpch: bad column index %d", cols[i]);
		s->cols[i] = cols[i];
	}
	s->step = rng_mulpow(1, BUDGET);
	tpch_position(s, s->row);
	*out = &s->base;
	return NULL;
}

static void tpch_explain(conn_catalog *cat, const conn_table *t, strbuf *out)
{
	(void)cat;
	sb_printf(out, "tpch %s.%s (generated)", t->schema, t->table);
}

static json_t *tpch_table_json(conn_catalog *cat, const conn_table *t)
{
	(void)cat;
	return json_pack("{s:s,s:s}", "schema", t->schema, "table", t->table);
}

static json_t *tpch_split_json(conn_catalog *cat, const conn_split *s)
{
	(void)cat;
	const tpch_split *sp = (const tpch_split *)s;
	return json_pack("{s:s,s:s,s:I,s:I}", "schema", tpch_schemas[sp->schema].name, "table", tpch_tables[sp->tid].name,
	                 "start", (json_int_t)sp->start, "end", (json_int_t)sp->end);
}

static void tpch_destroy(conn_catalog *c) { free(c); }

static const conn_catalog_ops tpch_ops = {
	.list_schemas = tpch_list_schemas,
	.list_tables = tpch_list_tables,
	.get_table = tpch_get_table,
	.get_statistics = tpch_get_statistics,
	.get_splits = tpch_get_splits,
	.open_page_source = tpch_open,
	.explain = tpch_explain,
	.table_to_json = tpch_table_json,
	.split_to_json = tpch_split_json,
	.destroy = tpch_destroy,
};

static ferr *tpch_create(const char *name, const props *p, conn_catalog **out)
{
	const char *naming = p ? props_get_default(p, "tpch.column-naming", "SIMPLIFIED") : "SIMPLIFIED";
	bool standard;
	if (!strcasecmp(naming, "SIMPLIFIED")) standard = false;
	else if (!strcasecmp(naming, "STANDARD")) standard = true;
	else return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "tpch.column-naming must be SIMPLIFIED or STANDARD, not \"%s\"", naming);
	tpch_catalog *c = xcalloc(1, sizeof *c);
	c->base.ops = &tpch_ops;
	c->base.name = name;
	c->base.connector = "tpch";
	c->standard = standard;
	*out = &c->base;
	return NULL;
}

const conn_factory tpch_connector_factory = {"tpch", tpch_create};
