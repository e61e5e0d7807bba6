/*
 * number_fmt.c — numeric templates of to_char and to_number, after
 * PostgreSQL's formatting.c: digit positions 9 and 0, decimal point, group
 * separators, the sign forms (S, MI, PL, SG, PR), V, EEEE, RN, TH, FM, and
 * '#' in every digit position when the integer part does not fit. The value
 * arrives as decimal digits; this file never sees vectors. Templates are
 * user input: reads stay within the given lengths.
 */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/datetime_fmt.h"

typedef enum ntok {
	T_9, T_0, T_DEC, T_COMMA, T_S, T_MI, T_PL, T_SG, T_PR, T_L, T_V, T_EEEE, T_TH, T_RN, T_B,
	T_CHAR,
} ntok;

typedef struct nnode {
	ntok t;
	char ch;
	bool upper; /* TH/RN case */
} nnode;

typedef struct ndesc {
	int pre, post, multi;
	int zero_start; /* 1-based digit position of the first '0' before the point, 0 none */
	int zero_end;   /* 1-based digit position of the last '0' */
	bool zero, decimal, fm, bracket, minus, plus, lsign, eeee, roman;
	bool lsign_post;
	int pre_lsign;
} ndesc;

static ferr *syntax(const char *msg)
{
	return ferr_new(SQLSTATE_SYNTAX_ERROR, "%s", msg);
}

static bool at(const char *f, size_t n, size_t i, const char *kw)
{
	size_t l = strlen(kw);
	return i + l <= n && strncasecmp(f + i, kw, l) == 0;
}

/* Split and check a numeric template (PostgreSQL's NUMDesc_prepare rules). */
static ferr *num_parse(const char *f, size_t flen, nnode *nodes, int *nn, ndesc *d)
{
	memset(d, 0, sizeof *d);
	int n = 0;
	size_t i = 0;
	while (i < flen) {
		nnode nd = {.t = T_CHAR, .ch = f[i]};
		size_t adv = 1;
		char c = f[i];
		if (d->eeee && c != '"' && !isspace((unsigned char)c) && !at(f, flen, i, "FM"))
			if (c == '9' || c == '0' || c == '.' || c == ',' || isalpha((unsigned char)c))
				return syntax("\"EEEE\" must be the last pattern used");
		if (c == '9' || c == '0') {
			nd.t = c == '9' ? T_9 : T_0;
			if (d->bracket) return syntax("\"9\" must be ahead of \"PR\"");
			/* only a 0 before the point fills the integer part with zeros */
			if (c == '0' && !d->zero && !d->decimal) {
				d->zero_start = d->pre + 1;
				d->zero = true;
			}
			if (d->decimal) d->post++;
			else d->pre++;
			if (c == '0') d->zero_end = d->pre + d->post;
			if (d->multi || (n && nodes[n - 1].t == T_V)) d->multi++;
		} else if (c == '.' || c == 'D' || c == 'd') {
			nd.t = T_DEC;
			if (d->decimal) return syntax("multiple decimal points");
			if (d->multi || (n && nodes[n - 1].t == T_V)) return syntax("cannot use \"V\" and decimal point together");
			d->decimal = true;
		} else if (c == ',' || c == 'G' || c == 'g') {
			nd.t = T_COMMA;
		} else if (at(f, flen, i, "FM")) {
			d->fm = true;
			adv = 2;
			i += adv;
			continue;
		} else if (at(f, flen, i, "PR")) {
			if (d->lsign || d->plus || d->minus) return syntax("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
			nd.t = T_PR;
			d->bracket = true;
			adv = 2;
		} else if (at(f, flen, i, "PL") || at(f, flen, i, "MI") || at(f, flen, i, "SG")) {
			if (d->lsign) return syntax("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
			if (d->bracket) return syntax("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
			char u = (char)toupper((unsigned char)c);
			nd.t = u == 'P' ? T_PL : u == 'M' ? T_MI : T_SG;
			if (u != 'M') d->plus = true;
			if (u != 'P') d->minus = true;
			adv = 2;
		} else if (at(f, flen, i, "SP")) {
			adv = 2;
			i += adv;
			continue;
		} else if (c == 'S' || c == 's') {
			if (d->lsign) return syntax("cannot use \"S\" twice");
			if (d->plus || d->minus || d->bracket) return syntax("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together");
			nd.t = T_S;
			d->lsign = true;
			if (!d->decimal) {
				d->pre_lsign = d->pre;
				d->lsign_post = false;
			} else {
				d->lsign_post = true;
			}
		} else if (at(f, flen, i, "EEEE")) {
			if (d->eeee) return syntax("cannot use \"EEEE\" twice");
			if (d->bracket || d->minus || d->plus || d->lsign || d->roman || d->multi || d->fm)
				return ferr_detail(syntax("\"EEEE\" is incompatible with other formats"),
				                   "\"EEEE\" may only be used together with digit and decimal point patterns.");
			nd.t = T_EEEE;
			d->eeee = true;
			adv = 4;
		} else if (at(f, flen, i, "TH")) {
			nd.t = T_TH;
			nd.upper = c == 'T';
			adv = 2;
		} else if (at(f, flen, i, "RN")) {
			if (d->roman) return syntax("cannot use \"RN\" twice");
			nd.t = T_RN;
			nd.upper = c == 'R';
			d->roman = true;
			adv = 2;
		} else if (c == 'V' || c == 'v') {
			if (d->decimal) return syntax("cannot use \"V\" and decimal point together");
			nd.t = T_V;
		} else if (c == 'L' || c == 'l') {
			nd.t = T_L;
		} else if (c == 'B' || c == 'b') {
			nd.t = T_B;
		} else if (c == '"') {
			i++;
			while (i < flen && f[i] != '"') {
				if (f[i] == '\\' && i + 1 < flen) i++;
				nodes[n++] = (nnode){.t = T_CHAR, .ch = f[i]};
				i++;
			}
			if (i < flen) i++;
			continue;
		} else if (c == '\\' && i + 1 < flen && f[i + 1] == '"') {
			nd.ch = '"';
			adv = 2;
		}
		nodes[n++] = nd;
		i += adv;
	}
	if (d->lsign && !d->lsign_post && d->pre == d->pre_lsign) d->lsign_post = true;
	*nn = n;
	return NULL;
}

static void to_roman(int64_t v, char *buf)
{
	static const struct { int v; const char *s; } r[] = {
		{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
		{40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
	};
	buf[0] = 0;
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		while (v >= r[i].v) {
			strcat(buf, r[i].s);
			v -= r[i].v;
		}
}

/*
 * Lay the number out: numstr is the digits with '.' (when post > 0), no
 * sign; exp the exponent text for EEEE. PostgreSQL's NUM_processor rules.
 */
static void num_emit(const nnode *nodes, int nn, ndesc *d, bool neg, const char *numstr, const char *exp,
                     int64_t roman_val, strbuf *out)
{
	if (d->roman) {
		char rb[32];
		if (roman_val < 1 || roman_val > 3999) {
			sb_puts(out, "###############");
			return;
		}
		to_roman(roman_val, rb);
		bool lower = false;
		for (int k = 0; k < nn; k++)
			if (nodes[k].t == T_RN) lower = !nodes[k].upper;
		if (lower)
			for (char *p = rb; *p; p++) *p = (char)tolower((unsigned char)*p);
		if (d->fm) sb_puts(out, rb);
		else sb_printf(out, "%15s", rb);
		return;
	}
	char sign = neg ? '-' : '+';
	if (d->eeee) {
		/* scientific notation ignores digit positions: sign, mantissa, exponent */
		sb_puts(out, neg ? "-" : " ");
		sb_puts(out, numstr);
		sb_puts(out, exp);
		return;
	}
	const char *dot = strchr(numstr, '.');
	int pre_len = dot ? (int)(dot - numstr) : (int)strlen(numstr);
	int out_pre_spaces = 0;
	char *hashes = NULL;
	if (pre_len < d->pre) {
		out_pre_spaces = d->pre - pre_len;
	} else if (pre_len > d->pre) {
		hashes = malloc((size_t)(d->pre + d->post + 2));
		memset(hashes, '#', (size_t)(d->pre + d->post + 1));
		hashes[d->pre] = '.';
		hashes[d->pre + d->post + 1] = 0;
		numstr = hashes;
	}
	bool sign_wrote;
	bool bracket = d->bracket;
	if (d->plus || d->minus) {
		sign_wrote = !(d->plus && !d->minus);
	} else {
		if (sign != '-' && d->fm) bracket = false;
		sign_wrote = sign == '+' && d->fm && !d->lsign;
	}
	const char *last_rel = NULL;
	if (d->fm && d->decimal) {
		const char *p = strchr(numstr, '.');
		if (p) {
			last_rel = p;
			for (const char *q = p + 1; *q; q++)
				if (*q != '0') last_rel = q;
			if (d->zero_end > out_pre_spaces) {
				const char *last_zero = numstr + (d->zero_end - out_pre_spaces);
				if (last_zero <= numstr + strlen(numstr) && last_rel < last_zero) last_rel = last_zero;
			}
		}
	}
	int zero_start = d->zero_start ? d->zero_start - 1 : 0;
	int end = d->pre + d->post + (d->decimal ? 1 : 0);
	int num_curr = 0;
	bool num_in = false;
	const char *np = numstr;
	for (int k = 0; k < nn; k++) {
		const nnode *n = &nodes[k];
		switch (n->t) {
		case T_9: case T_0: case T_DEC: {
			bool predec = !d->zero && np == numstr && numstr[0] == '0' && d->post != 0;
			if (!sign_wrote && (num_curr >= out_pre_spaces || (d->zero && zero_start == num_curr)) &&
			    (!predec || (last_rel && *last_rel == '.'))) {
				if (d->lsign) {
					if (!d->lsign_post) {
						sb_append(out, &sign, 1);
						sign_wrote = true;
					}
				} else if (bracket) {
					sb_puts(out, sign == '+' ? " " : "<");
					sign_wrote = true;
				} else if (sign == '+') {
					if (!d->fm) sb_puts(out, " ");
					sign_wrote = true;
				} else {
					sb_puts(out, "-");
					sign_wrote = true;
				}
			}
			if (num_curr < out_pre_spaces && (zero_start > num_curr || !d->zero)) {
				if (!d->fm) sb_puts(out, " ");
			} else if (d->zero && num_curr < out_pre_spaces && zero_start <= num_curr) {
				sb_puts(out, "0");
				num_in = true;
			} else {
				if (*np == '.') {
					sb_puts(out, ".");
				} else if (*np) {
					if (last_rel && np > last_rel && n->t != T_0) {
						/* FM drops trailing fraction zeros */
					} else if (predec) {
						if (!d->fm) sb_puts(out, " ");
						else if (last_rel && *last_rel == '.') sb_puts(out, "0");
					} else {
						sb_append(out, np, 1);
						num_in = true;
					}
				} else if (n->t == T_DEC) {
					/* no fraction digits at all: nothing after this point prints */
					goto done;
				}
				if (*np) np++;
			}
			if (num_curr + 1 == end) {
				if (sign_wrote && bracket) sb_puts(out, sign == '+' ? " " : ">");
				else if (d->lsign && d->lsign_post) sb_append(out, &sign, 1);
			}
			num_curr++;
			break;
		}
		case T_COMMA:
			if (!num_in) {
				if (!d->fm) sb_puts(out, " ");
			} else {
				sb_puts(out, ",");
			}
			break;
		case T_MI:
			if (sign == '-') sb_puts(out, "-");
			else if (!d->fm) sb_puts(out, " ");
			break;
		case T_PL:
			if (sign == '+') sb_puts(out, "+");
			else if (!d->fm) sb_puts(out, " ");
			break;
		case T_SG: sb_append(out, &sign, 1); break;
		case T_L: sb_puts(out, " "); break;
		case T_EEEE: sb_puts(out, exp); break;
		case T_TH:
			if (numstr[0] == '#' || sign == '-' || d->decimal) break;
			{
				size_t l = strlen(numstr);
				char last = l ? numstr[l - 1] : 0;
				bool teen = l >= 2 && numstr[l - 2] == '1';
				const char *s = teen || last < '1' || last > '3' ? "th" : last == '1' ? "st" : last == '2' ? "nd" : "rd";
				for (const char *p = s; *p; p++) {
					char ch = n->upper ? (char)toupper((unsigned char)*p) : *p;
					sb_append(out, &ch, 1);
				}
			}
			break;
		case T_CHAR: sb_append(out, &n->ch, 1); break;
		default: break;
		}
	}
done:
	free(hashes);
}

/* Split fmt into a fresh node array that the caller frees (nothing to free on error). */
static ferr *num_prepare(const char *fmt, size_t flen, nnode **nodes, int *nn, ndesc *d)
{
	*nodes = malloc(sizeof(nnode) * (flen + 1));
	if (!*nodes) return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "out of memory");
	ferr *err = num_parse(fmt, flen, *nodes, nn, d);
	if (err) {
		free(*nodes);
		*nodes = NULL;
	}
	return err;
}

/* Digits of |v| / 10^scale rounded to post decimals (half away from zero). */
static void fixed_digits(i128 v, int scale, int post, char *buf, size_t bufsz)
{
	i128 a = v < 0 ? -v : v, r;
	if (post >= scale) {
		r = a;
		for (int k = scale; k < post; k++) r *= 10;
	} else {
		num_rescale(a, scale, post, &r);
	}
	strbuf sb = STRBUF_INIT;
	num_to_text(r, post, &sb);
	snprintf(buf, bufsz, "%s", sb.data ? sb.data : "0");
	sb_free(&sb);
}

ferr *dtfmt_num_to_char(const char *fmt, size_t flen, i128 v, int scale, strbuf *out)
{
	nnode *nodes;
	ndesc d;
	int nn = 0;
	TRY(num_prepare(fmt, flen, &nodes, &nn, &d));
	if (d.multi) {
		/* V: shift the point multi places right */
		int m = d.multi;
		if (scale >= m) scale -= m;
		else {
			for (int k = 0; k < m - scale; k++) v *= 10;
			scale = 0;
		}
		d.pre += 0;
	}
	char buf[128], expb[16] = "";
	bool neg = v < 0;
	int64_t roman = 0;
	if (d.roman) {
		i128 r;
		num_rescale(v, scale, 0, &r);
		roman = r > 4000 || r < -4000 ? -1 : (int64_t)r;
	} else if (d.eeee) {
		i128 a = neg ? -v : v;
		int exp10 = 0;
		if (a != 0) {
			int nd = num_digits(a);
			exp10 = nd - 1 - scale;
			/* mantissa: a / 10^(nd-1) at post decimals; the exponent is chosen
			 * before rounding, so 9.995 shows as 10.00e+00 as in PostgreSQL */
			fixed_digits(a, nd - 1, d.post, buf, sizeof buf);
		} else {
			fixed_digits(0, 0, d.post, buf, sizeof buf);
		}
		snprintf(expb, sizeof expb, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
	} else {
		fixed_digits(v, scale, d.post, buf, sizeof buf);
		/* a value that rounds to zero keeps no sign */
		bool allzero = true;
		for (const char *p = buf; *p; p++)
			if (*p >= '1' && *p <= '9') allzero = false;
		if (allzero) neg = false;
	}
	num_emit(nodes, nn, &d, neg, buf, expb, roman, out);
	free(nodes);
	return NULL;
}

ferr *dtfmt_float_to_char(const char *fmt, size_t flen, double val, strbuf *out)
{
	nnode *nodes;
	ndesc d;
	int nn = 0;
	TRY(num_prepare(fmt, flen, &nodes, &nn, &d));
	char buf[512], expb[16] = "";
	int64_t roman = 0;
	bool neg = false;
	if (d.roman) {
		double r = rint(val);
		roman = fabs(r) > 4000 || isnan(r) ? -1 : (int64_t)r;
	} else if (isnan(val) || isinf(val)) {
		/* PostgreSQL fills every position with '#' */
		int l = 0;
		for (int k = 0; k < d.pre && l < 500; k++) buf[l++] = '#';
		for (int k = d.pre; k < 1000; k++) (void)0;
		buf[l] = 0;
		if (d.eeee) snprintf(expb, sizeof expb, "e+##");
		neg = val < 0;
		char *p = buf;
		while (*p) p++;
		if (d.post) {
			*p++ = '.';
			for (int k = 0; k < d.post && p < buf + 500; k++) *p++ = '#';
			*p = 0;
		}
		/* digits beyond the template's positions would read as overflow: pad to fit */
		if (d.pre == 0 && !d.post) snprintf(buf, sizeof buf, "#");
	} else {
		if (d.multi) val *= pow(10, d.multi);
		if (d.eeee) {
			int post = d.post > 100 ? 100 : d.post;
			char tmp[160];
			snprintf(tmp, sizeof tmp, "%+.*e", post, val);
			neg = tmp[0] == '-';
			char *e = strchr(tmp, 'e');
			snprintf(expb, sizeof expb, "%s", e ? e : "");
			if (e) *e = 0;
			snprintf(buf, sizeof buf, "%s", tmp + 1);
		} else {
			char tmp[512];
			snprintf(tmp, sizeof tmp, "%.0f", fabs(val));
			int pre_len = (int)strlen(tmp), post = d.post;
			if (pre_len >= DBL_DIG) post = 0;
			else if (pre_len + post > DBL_DIG) post = DBL_DIG - pre_len;
			snprintf(tmp, sizeof tmp, "%.*f", post, val);
			neg = tmp[0] == '-';
			snprintf(buf, sizeof buf, "%s", tmp + (neg ? 1 : 0));
			d.post = post;
		}
	}
	num_emit(nodes, nn, &d, neg, buf, expb, roman, out);
	free(nodes);
	return NULL;
}

ferr *dtfmt_to_number(const char *s, size_t slen, const char *fmt, size_t flen, i128 *v, int *scale)
{
	nnode *nodes;
	ndesc d;
	int nn = 0;
	TRY(num_prepare(fmt, flen, &nodes, &nn, &d));
	if (d.eeee || d.roman) {
		free(nodes);
		return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "\"%s\" not supported for input", d.eeee ? "EEEE" : "RN");
	}
	char sign = ' ';
	int read_pre = 0, read_post = 0;
	bool read_dec = false, num_in = false, overflow = false;
	i128 m = 0;
	size_t p = 0;
	for (int k = 0; k < nn && p < slen; k++) {
		const nnode *n = &nodes[k];
		switch (n->t) {
		case T_9: case T_0: case T_DEC:
			if (s[p] == ' ') p++;
			if (p >= slen) break;
			if ((n->t == T_9 || n->t == T_0) && sign == ' ' && read_pre + read_post == 0) {
				if (s[p] == '-' || (d.bracket && s[p] == '<')) {
					sign = '-';
					p++;
				} else if (s[p] == '+') {
					sign = '+';
					p++;
				}
			}
			if (p >= slen) break;
			if (isdigit((unsigned char)s[p])) {
				if (m >= (i128)1 << 120) overflow = true;
				else m = m * 10 + (s[p] - '0');
				if (read_dec) read_post++;
				else read_pre++;
				num_in = true;
			} else if (d.decimal && !read_dec && s[p] == '.') {
				read_dec = true;
			} else {
				/* not ours: the position still takes one character */
			}
			p++;
			break;
		case T_COMMA:
			if (!num_in && d.fm) break;
			p++;
			break;
		case T_S: case T_MI: case T_SG: case T_PL:
			if (s[p] == '-') sign = '-';
			else if (s[p] == '+') sign = '+';
			p++;
			break;
		case T_PR:
			if (s[p] == '>' || s[p] == '<') sign = '-';
			p++;
			break;
		case T_TH:
			p += slen - p >= 2 ? 2 : slen - p;
			break;
		case T_V: case T_B: break;
		default: p++; break;
		}
	}
	free(nodes);
	if (!num_in)
		return ferr_new(SQLSTATE_INVALID_TEXT_REPRESENTATION, "invalid input syntax for type numeric: \"%c%s\"",
		                sign, read_dec ? "." : "");
	if (overflow || num_digits(m) > NUMERIC_MAX_PRECISION)
		return ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
	int maxint = d.pre + d.multi;
	if (read_pre > maxint) {
		int prec = d.pre + read_post, sc = read_post;
		return ferr_detail(ferr_new(SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow"),
		                   "A field with precision %d, scale %d must round to an absolute value less than %s%d.",
		                   prec, sc, prec - sc ? "10^" : "", prec - sc ? prec - sc : 1);
	}
	*v = sign == '-' ? -m : m;
	*scale = read_post + d.multi;
	if (read_post + d.multi > NUMERIC_MAX_PRECISION) *scale = NUMERIC_MAX_PRECISION;
	return NULL;
}
