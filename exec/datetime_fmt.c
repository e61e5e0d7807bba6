/*
 * datetime_fmt.c — the template engine behind to_char, to_timestamp,
 * to_date and to_number, after PostgreSQL's formatting.c: the same
 * keywords, the same padding and FM/TH rules, the same leniency when
 * reading, the same errors (22007, 22008, 42601, 0A000). It works on
 * broken-down values and digit strings only; the functions that feed it
 * vectors live in functions_datetime.c. Templates come from users: every
 * read is bounded by the given length, nothing is NUL-terminated by trust.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exec/datetime_fmt.h"

/* ---------------------------------------------------------------- calendar */

/* Julian day number of y-m-d; any month and day (intervals pass month 0).
 * Interval years beyond int range are clamped: their ISO fields are nonsense
 * in PostgreSQL too. */
static int64_t jday(int64_t y, int64_t m, int64_t d)
{
	if (y > 5000000) y = 5000000;
	if (y < -5000000) y = -5000000;
	return (int64_t)date_from_ymd((int)y, (int)m, (int)(d > 1000000000 ? 1000000000 : d < -1000000000 ? -1000000000 : d)) + 2451545;
}

/* Day of week of a Julian day, 0 = Sunday. */
static int jday_dow(int64_t j)
{
	int64_t w = (j + 1) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* First day (Julian) of ISO week 1 of year y. */
static int64_t iso_year_start(int64_t y)
{
	int64_t d4 = jday(y, 1, 4);
	return d4 - (jday_dow(d4 - 1));
}

static void iso_week(int64_t y, int64_t m, int64_t d, int64_t *iyear, int *week, int *iyday)
{
	int64_t j = jday(y, m, d), start = iso_year_start(y);
	if (j < start) {
		y--;
		start = iso_year_start(y);
	} else if (j >= iso_year_start(y + 1)) {
		y++;
		start = iso_year_start(y);
	}
	*iyear = y;
	*week = (int)((j - start) / 7 + 1);
	*iyday = (int)(j - start + 1);
}

void dtfmt_tm_from_ts(int64_t local, dtfmt_tm *tm)
{
	memset(tm, 0, sizeof *tm);
	int32_t days;
	int64_t tod;
	ts_split(local, &days, &tod);
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	tm->year = y;
	tm->mon = m;
	tm->mday = d;
	tm->hour = tod / 3600000000LL;
	tm->min = (int)(tod / 60000000LL % 60);
	tm->sec = (int)(tod / 1000000 % 60);
	tm->usec = (int)(tod % 1000000);
	tm->days = days;
	tm->wday = jday_dow(jday(y, m, d));
	tm->yday = days - date_from_ymd(y, 1, 1) + 1;
}

void dtfmt_tm_from_interval(const finterval *iv, dtfmt_tm *tm)
{
	memset(tm, 0, sizeof *tm);
	tm->is_interval = true;
	tm->year = iv->months / 12;
	tm->mon = iv->months % 12;
	tm->mday = iv->days;
	int64_t t = iv->micros;
	tm->hour = t / 3600000000LL;
	t -= tm->hour * 3600000000LL;
	tm->min = (int)(t / 60000000LL);
	t -= (int64_t)tm->min * 60000000LL;
	tm->sec = (int)(t / 1000000);
	tm->usec = (int)(t - (int64_t)tm->sec * 1000000);
	tm->yday = (int)((tm->year * 12 + tm->mon) * 30 + tm->mday);
}

/* ---------------------------------------------------------------- templates */

typedef enum dkey {
	K_AD_DOT, K_AM_DOT, K_AD, K_AM, K_BC_DOT, K_BC, K_CC, K_DAY, K_DDD, K_DD, K_DY, K_D,
	K_FF1, K_FF2, K_FF3, K_FF4, K_FF5, K_FF6, K_FX, K_HH24, K_HH12, K_HH, K_IDDD, K_ID, K_IW,
	K_IYYY, K_IYY, K_IY, K_I, K_J, K_MI, K_MM, K_MONTH, K_MON, K_MS, K_OF, K_PM_DOT, K_PM, K_Q,
	K_RM, K_SSSSS, K_SSSS, K_SS, K_TZH, K_TZM, K_TZ, K_US, K_WW, K_W, K_Y_YYY, K_YYYY, K_YYY,
	K_YY, K_Y,
} dkey;

/* Letter case of a keyword's text output: MONTH, Month, month. */
enum { C_UPPER, C_CAP, C_LOWER };

typedef struct keyword {
	const char *name;
	dkey id;
	int ccase;
	bool digit; /* reads a number (decides whether a neighbour reads a fixed width) */
} keyword;

/* Longest first within each leading letter: matching takes the first hit. */
static const keyword keywords[] = {
	{"A.D.", K_AD_DOT, C_UPPER, 0}, {"A.M.", K_AM_DOT, C_UPPER, 0}, {"AD", K_AD, C_UPPER, 0},
	{"AM", K_AM, C_UPPER, 0}, {"B.C.", K_BC_DOT, C_UPPER, 0}, {"BC", K_BC, C_UPPER, 0},
	{"CC", K_CC, C_UPPER, 1}, {"DAY", K_DAY, C_UPPER, 0}, {"DDD", K_DDD, C_UPPER, 1},
	{"DD", K_DD, C_UPPER, 1}, {"DY", K_DY, C_UPPER, 0}, {"Day", K_DAY, C_CAP, 0},
	{"Dy", K_DY, C_CAP, 0}, {"D", K_D, C_UPPER, 1}, {"FF1", K_FF1, C_UPPER, 1},
	{"FF2", K_FF2, C_UPPER, 1}, {"FF3", K_FF3, C_UPPER, 1}, {"FF4", K_FF4, C_UPPER, 1},
	{"FF5", K_FF5, C_UPPER, 1}, {"FF6", K_FF6, C_UPPER, 1}, {"FX", K_FX, C_UPPER, 0},
	{"HH24", K_HH24, C_UPPER, 1}, {"HH12", K_HH12, C_UPPER, 1}, {"HH", K_HH, C_UPPER, 1},
	{"IDDD", K_IDDD, C_UPPER, 1}, {"ID", K_ID, C_UPPER, 1}, {"IW", K_IW, C_UPPER, 1},
	{"IYYY", K_IYYY, C_UPPER, 1}, {"IYY", K_IYY, C_UPPER, 1}, {"IY", K_IY, C_UPPER, 1},
	{"I", K_I, C_UPPER, 1}, {"J", K_J, C_UPPER, 1}, {"MI", K_MI, C_UPPER, 1},
	{"MM", K_MM, C_UPPER, 1}, {"MONTH", K_MONTH, C_UPPER, 0}, {"MON", K_MON, C_UPPER, 0},
	{"MS", K_MS, C_UPPER, 1}, {"Month", K_MONTH, C_CAP, 0}, {"Mon", K_MON, C_CAP, 0},
	{"OF", K_OF, C_UPPER, 0}, {"P.M.", K_PM_DOT, C_UPPER, 0}, {"PM", K_PM, C_UPPER, 0},
	{"Q", K_Q, C_UPPER, 1}, {"RM", K_RM, C_UPPER, 0}, {"SSSSS", K_SSSSS, C_UPPER, 1},
	{"SSSS", K_SSSS, C_UPPER, 1}, {"SS", K_SS, C_UPPER, 1}, {"TZH", K_TZH, C_UPPER, 0},
	{"TZM", K_TZM, C_UPPER, 1}, {"TZ", K_TZ, C_UPPER, 0}, {"US", K_US, C_UPPER, 1},
	{"WW", K_WW, C_UPPER, 1}, {"W", K_W, C_UPPER, 1}, {"Y,YYY", K_Y_YYY, C_UPPER, 1},
	{"YYYY", K_YYYY, C_UPPER, 1}, {"YYY", K_YYY, C_UPPER, 1}, {"YY", K_YY, C_UPPER, 1},
	{"Y", K_Y, C_UPPER, 1},
	{"a.d.", K_AD_DOT, C_LOWER, 0}, {"a.m.", K_AM_DOT, C_LOWER, 0}, {"ad", K_AD, C_LOWER, 0},
	{"am", K_AM, C_LOWER, 0}, {"b.c.", K_BC_DOT, C_LOWER, 0}, {"bc", K_BC, C_LOWER, 0},
	{"cc", K_CC, C_LOWER, 1}, {"day", K_DAY, C_LOWER, 0}, {"ddd", K_DDD, C_LOWER, 1},
	{"dd", K_DD, C_LOWER, 1}, {"dy", K_DY, C_LOWER, 0}, {"d", K_D, C_LOWER, 1},
	{"ff1", K_FF1, C_LOWER, 1}, {"ff2", K_FF2, C_LOWER, 1}, {"ff3", K_FF3, C_LOWER, 1},
	{"ff4", K_FF4, C_LOWER, 1}, {"ff5", K_FF5, C_LOWER, 1}, {"ff6", K_FF6, C_LOWER, 1},
	{"fx", K_FX, C_LOWER, 0}, {"hh24", K_HH24, C_LOWER, 1}, {"hh12", K_HH12, C_LOWER, 1},
	{"hh", K_HH, C_LOWER, 1}, {"iddd", K_IDDD, C_LOWER, 1}, {"id", K_ID, C_LOWER, 1},
	{"iw", K_IW, C_LOWER, 1}, {"iyyy", K_IYYY, C_LOWER, 1}, {"iyy", K_IYY, C_LOWER, 1},
	{"iy", K_IY, C_LOWER, 1}, {"i", K_I, C_LOWER, 1}, {"j", K_J, C_LOWER, 1},
	{"mi", K_MI, C_LOWER, 1}, {"mm", K_MM, C_LOWER, 1}, {"month", K_MONTH, C_LOWER, 0},
	{"mon", K_MON, C_LOWER, 0}, {"ms", K_MS, C_LOWER, 1}, {"of", K_OF, C_LOWER, 0},
	{"p.m.", K_PM_DOT, C_LOWER, 0}, {"pm", K_PM, C_LOWER, 0}, {"q", K_Q, C_LOWER, 1},
	{"rm", K_RM, C_LOWER, 0}, {"sssss", K_SSSSS, C_LOWER, 1}, {"ssss", K_SSSS, C_LOWER, 1},
	{"ss", K_SS, C_LOWER, 1}, {"tzh", K_TZH, C_LOWER, 0}, {"tzm", K_TZM, C_LOWER, 1},
	{"tz", K_TZ, C_LOWER, 0}, {"us", K_US, C_LOWER, 1}, {"ww", K_WW, C_LOWER, 1},
	{"w", K_W, C_LOWER, 1}, {"y,yyy", K_Y_YYY, C_LOWER, 1}, {"yyyy", K_YYYY, C_LOWER, 1},
	{"yyy", K_YYY, C_LOWER, 1}, {"yy", K_YY, C_LOWER, 1}, {"y", K_Y, C_LOWER, 1},
};

enum { N_KEY, N_SPACE, N_SEP, N_CHAR };

typedef struct fnode {
	int type;
	const keyword *key; /* N_KEY */
	char ch;            /* others */
	bool fm, tm, th, th_upper;
} fnode;

static bool starts(const char *p, size_t n, const char *s)
{
	size_t l = strlen(s);
	return l <= n && memcmp(p, s, l) == 0;
}

static const keyword *match_keyword(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (starts(p, n, keywords[i].name)) return &keywords[i];
	return NULL;
}

static bool is_sep_char(char c)
{
	return c > 0x20 && c < 0x7f && !isalnum((unsigned char)c);
}

/* Split a template into nodes (arena-free: a caller-sized array, at most flen + 1). */
static int parse_template(const char *f, size_t flen, fnode *nodes)
{
	int n = 0;
	size_t i = 0;
	while (i < flen) {
		fnode nd = {0};
		/* prefixes: FM and TM (TM: translation, a no-op in the C locale) */
		bool fm = false, tmode = false;
		for (;;) {
			if (starts(f + i, flen - i, "FM") || starts(f + i, flen - i, "fm")) {
				fm = true;
				i += 2;
			} else if (starts(f + i, flen - i, "TM") || starts(f + i, flen - i, "tm")) {
				tmode = true;
				i += 2;
			} else {
				break;
			}
		}
		const keyword *k = i < flen ? match_keyword(f + i, flen - i) : NULL;
		if (k) {
			nd.type = N_KEY;
			nd.key = k;
			nd.fm = fm;
			nd.tm = tmode;
			i += strlen(k->name);
			if (starts(f + i, flen - i, "TH") || starts(f + i, flen - i, "th")) {
				nd.th = true;
				nd.th_upper = f[i] == 'T';
				i += 2;
			} else if (starts(f + i, flen - i, "SP") || starts(f + i, flen - i, "sp")) {
				i += 2;
			}
			nodes[n++] = nd;
			continue;
		}
		if (i >= flen) break;
		if (f[i] == '"') {
			i++;
			while (i < flen && f[i] != '"') {
				if (f[i] == '\\' && i + 1 < flen) i++;
				nodes[n++] = (fnode){.type = N_CHAR, .ch = f[i]};
				i++;
			}
			if (i < flen) i++;
			continue;
		}
		if (f[i] == '\\' && i + 1 < flen && f[i + 1] == '"') i++;
		char c = f[i++];
		nodes[n++] = (fnode){.type = c == ' ' ? N_SPACE : is_sep_char(c) ? N_SEP : N_CHAR, .ch = c};
	}
	return n;
}

/* ---------------------------------------------------------------- to_char */

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
/* Roman months, December first (PostgreSQL indexes them that way for intervals). */
static const char *const rm_upper[] = {"XII", "XI", "X", "IX", "VIII", "VII",
                                       "VI",  "V",  "IV", "III", "II", "I"};

/* st, nd, rd, th for the number whose text ends at end. */
static const char *ordinal(const char *txt, size_t len, bool upper)
{
	char last = len ? txt[len - 1] : 0;
	bool teen = len >= 2 && txt[len - 2] == '1';
	const char *s = teen || last < '1' || last > '3' ? "th" : last == '1' ? "st" : last == '2' ? "nd" : "rd";
	if (!upper) return s;
	return s[0] == 't' ? "TH" : s[0] == 's' ? "ST" : s[0] == 'n' ? "ND" : "RD";
}

static void put_cased(strbuf *out, const char *word, int ccase, bool pad, int width)
{
	size_t start = out->len;
	for (const char *p = word; *p; p++) {
		char c = *p;
		if (ccase == C_UPPER) c = (char)toupper((unsigned char)c);
		else if (ccase == C_LOWER || p != word) c = (char)tolower((unsigned char)c);
		sb_append(out, &c, 1);
	}
	if (pad)
		while (out->len - start < (size_t)width) sb_append(out, " ", 1);
}

static ferr *interval_invalid(void)
{
	return ferr_hint(ferr_new(SQLSTATE_INVALID_DATETIME_FORMAT,
	                          "invalid format specification for an interval value"),
	                 "Intervals are not tied to specific calendar dates.");
}

/* Year as printed: BC years count up from 1 (intervals keep their sign). */
static int64_t shown_year(const dtfmt_tm *tm, int64_t y)
{
	return tm->is_interval ? y : y <= 0 ? -(y - 1) : y;
}

ferr *dtfmt_to_char(const char *fmt, size_t flen, const dtfmt_tm *tm, strbuf *out)
{
	fnode *nodes = malloc(sizeof(fnode) * (flen + 1));
	if (!nodes) return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "out of memory");
	int nn = parse_template(fmt, flen, nodes);
	ferr *err = NULL;
	char buf[64];
	int64_t iyear;
	int iweek, iyday;
	iso_week(tm->year, tm->mon, tm->mday, &iyear, &iweek, &iyday);
	for (int k = 0; k < nn && !err; k++) {
		const fnode *n = &nodes[k];
		if (n->type != N_KEY) {
			sb_append(out, &n->ch, 1);
			continue;
		}
		bool fm = n->fm, lower = n->key->ccase == C_LOWER;
		int cc = n->key->ccase;
		buf[0] = 0;
		bool numeric = true;
		switch (n->key->id) {
		case K_AM: case K_PM: case K_AM_DOT: case K_PM_DOT: {
			bool pm = tm->hour % 24 >= 12;
			bool dots = n->key->id == K_AM_DOT || n->key->id == K_PM_DOT;
			snprintf(buf, sizeof buf, "%s", dots ? (pm ? "P.M." : "A.M.") : (pm ? "PM" : "AM"));
			if (lower)
				for (char *p = buf; *p; p++) *p = (char)tolower((unsigned char)*p);
			numeric = false;
			break;
		}
		case K_AD: case K_BC: case K_AD_DOT: case K_BC_DOT: {
			if (tm->is_interval) { err = interval_invalid(); break; }
			bool bc = tm->year <= 0;
			bool dots = n->key->id == K_AD_DOT || n->key->id == K_BC_DOT;
			snprintf(buf, sizeof buf, "%s", dots ? (bc ? "B.C." : "A.D.") : (bc ? "BC" : "AD"));
			if (lower)
				for (char *p = buf; *p; p++) *p = (char)tolower((unsigned char)*p);
			numeric = false;
			break;
		}
		case K_HH: case K_HH12: {
			int64_t h = tm->hour % 12 == 0 ? 12 : tm->hour % 12;
			snprintf(buf, sizeof buf, "%0*lld", fm ? 0 : 2 + (h < 0), (long long)h);
			break;
		}
		case K_HH24:
			snprintf(buf, sizeof buf, "%0*lld", fm ? 0 : 2 + (tm->hour < 0), (long long)tm->hour);
			break;
		case K_MI: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 2 + (tm->min < 0), tm->min); break;
		case K_SS: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 2 + (tm->sec < 0), tm->sec); break;
		case K_FF1: case K_FF2: case K_FF3: case K_FF4: case K_FF5: case K_FF6: {
			int digits = (int)(n->key->id - K_FF1) + 1, div = 1;
			for (int d = digits; d < 6; d++) div *= 10;
			snprintf(buf, sizeof buf, "%0*d", fm ? 0 : digits + (tm->usec < 0), tm->usec / div);
			break;
		}
		case K_MS: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 3 + (tm->usec < 0), tm->usec / 1000); break;
		case K_US: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 6 + (tm->usec < 0), tm->usec); break;
		case K_SSSS: case K_SSSSS:
			snprintf(buf, sizeof buf, "%lld", (long long)(tm->hour * 3600 + tm->min * 60 + tm->sec));
			break;
		case K_TZ:
			if (tm->is_interval) { err = interval_invalid(); break; }
			if (tm->tzn) snprintf(buf, sizeof buf, "%s", tm->tzn);
			if (lower)
				for (char *p = buf; *p; p++) *p = (char)tolower((unsigned char)*p);
			numeric = false;
			break;
		case K_TZH:
			if (tm->is_interval) { err = interval_invalid(); break; }
			snprintf(buf, sizeof buf, "%c%02ld", tm->gmtoff >= 0 ? '+' : '-', labs(tm->gmtoff) / 3600);
			break;
		case K_TZM:
			if (tm->is_interval) { err = interval_invalid(); break; }
			snprintf(buf, sizeof buf, "%02ld", labs(tm->gmtoff) % 3600 / 60);
			break;
		case K_OF: {
			if (tm->is_interval) { err = interval_invalid(); break; }
			long a = labs(tm->gmtoff);
			int l = snprintf(buf, sizeof buf, "%c%0*ld", tm->gmtoff >= 0 ? '+' : '-', fm ? 0 : 2, a / 3600);
			if (a % 3600 / 60) snprintf(buf + l, sizeof buf - (size_t)l, ":%02ld", a % 3600 / 60);
			numeric = false;
			break;
		}
		case K_MONTH: case K_MON:
			if (tm->is_interval) { err = interval_invalid(); break; }
			if (tm->mon < 1 || tm->mon > 12) break;
			if (n->key->id == K_MON) {
				char ab[4];
				snprintf(ab, sizeof ab, "%.3s", month_names[tm->mon - 1]);
				put_cased(out, ab, cc, false, 0);
			} else {
				put_cased(out, month_names[tm->mon - 1], cc, !fm && !n->tm, 9);
			}
			continue;
		case K_DAY: case K_DY:
			if (tm->is_interval) { err = interval_invalid(); break; }
			if (n->key->id == K_DY) {
				char ab[4];
				snprintf(ab, sizeof ab, "%.3s", day_names[tm->wday]);
				put_cased(out, ab, cc, false, 0);
			} else {
				put_cased(out, day_names[tm->wday], cc, !fm && !n->tm, 9);
			}
			continue;
		case K_DDD: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 3, tm->yday); break;
		case K_IDDD: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 3, iyday); break;
		case K_DD: snprintf(buf, sizeof buf, "%0*lld", fm ? 0 : 2, (long long)tm->mday); break;
		case K_D:
			if (tm->is_interval) { err = interval_invalid(); break; }
			snprintf(buf, sizeof buf, "%d", tm->wday + 1);
			break;
		case K_ID:
			if (tm->is_interval) { err = interval_invalid(); break; }
			snprintf(buf, sizeof buf, "%d", tm->wday == 0 ? 7 : tm->wday);
			break;
		case K_WW: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 2, (tm->yday - 1) / 7 + 1); break;
		case K_IW: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 2, iweek); break;
		case K_Q:
			if (tm->is_interval && tm->mon == 0) break;
			snprintf(buf, sizeof buf, "%d", (tm->mon - 1) / 3 + 1);
			break;
		case K_W: snprintf(buf, sizeof buf, "%d", (int)((tm->mday - 1) / 7 + 1)); break;
		case K_J: snprintf(buf, sizeof buf, "%lld", (long long)jday(tm->year, tm->mon, tm->mday)); break;
		case K_MM: snprintf(buf, sizeof buf, "%0*d", fm ? 0 : 2 + (tm->mon < 0), tm->mon); break;
		case K_CC: {
			int64_t c = tm->is_interval ? tm->year / 100 : tm->year > 0 ? (tm->year + 99) / 100 : tm->year / 100 - 1;
			snprintf(buf, sizeof buf, "%0*lld", fm ? 0 : c >= 0 ? 2 : 3, (long long)c);
			break;
		}
		case K_Y_YYY: {
			int64_t y = shown_year(tm, tm->year), t = y / 1000;
			snprintf(buf, sizeof buf, "%lld,%03lld", (long long)t, (long long)(y - t * 1000));
			break;
		}
		case K_YYYY: case K_IYYY: {
			int64_t y = shown_year(tm, n->key->id == K_YYYY ? tm->year : iyear);
			snprintf(buf, sizeof buf, "%0*lld", fm ? 0 : y >= 0 ? 4 : 5, (long long)y);
			break;
		}
		case K_YYY: case K_IYY: case K_YY: case K_IY: case K_Y: case K_I: {
			dkey id = n->key->id;
			int64_t y = shown_year(tm, id == K_YYY || id == K_YY || id == K_Y ? tm->year : iyear);
			int w = id == K_YYY || id == K_IYY ? 3 : id == K_YY || id == K_IY ? 2 : 1;
			int64_t mod = w == 3 ? 1000 : w == 2 ? 100 : 10;
			snprintf(buf, sizeof buf, "%0*lld", fm ? 0 : y >= 0 ? w : w + 1, (long long)(y % mod));
			break;
		}
		case K_RM: {
			numeric = false;
			if (!tm->mon && !tm->year) break;
			int idx;
			if (tm->mon == 0) idx = tm->year >= 0 ? 0 : 11;
			else if (tm->mon < 0) idx = -(tm->mon + 1);
			else idx = 12 - tm->mon;
			if (idx < 0 || idx > 11) break;
			char rm[8];
			snprintf(rm, sizeof rm, "%s", rm_upper[idx]);
			if (lower)
				for (char *p = rm; *p; p++) *p = (char)tolower((unsigned char)*p);
			snprintf(buf, sizeof buf, "%-*s", fm ? 0 : 4, rm);
			break;
		}
		case K_FX: numeric = false; break;
		}
		if (err) break;
		size_t bl = strlen(buf);
		sb_append(out, buf, bl);
		if (n->th && numeric && bl) sb_puts(out, ordinal(buf, bl, n->th_upper));
	}
	free(nodes);
	return err;
}

/* ---------------------------------------------------------------- to_timestamp */

typedef struct parse_state {
	int year, mon, mday, hh, mi, ss, usec, ddd, j, ww, w, cc, iyear, iw, id, iddd, ssss;
	int tzh, tzm, tzsign;
	bool pm, clock12, bc, has_tz, iso, has_year;
	const char *in; /* whole input, for messages */
	size_t inlen;
} parse_state;

static ferr *field_out_of_range(const parse_state *st)
{
	return ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "date/time field value out of range: \"%.*s\"",
	                (int)st->inlen, st->in);
}

static ferr *bad_value(const char *s, size_t n, const char *key, const char *detail)
{
	size_t l = 0;
	while (l < n && !isspace((unsigned char)s[l])) l++;
	return ferr_detail(ferr_new(SQLSTATE_INVALID_DATETIME_FORMAT, "invalid value \"%.*s\" for \"%s\"",
	                            (int)l, s, key),
	                   "%s", detail);
}

static ferr *set_field(int *dest, int v, const char *key)
{
	if (*dest != 0 && *dest != v)
		return ferr_detail(ferr_new(SQLSTATE_INVALID_DATETIME_FORMAT,
		                            "conflicting values for \"%s\" field in formatting string", key),
		                   "This value contradicts a previous setting for the same field type.");
	*dest = v;
	return NULL;
}

/* Does the node after k read a non-digit (so that node k may read any length)? */
static bool next_is_separator(const fnode *nodes, int nn, int k)
{
	if (nodes[k].th) return true;
	if (k + 1 >= nn) return true;
	const fnode *n = &nodes[k + 1];
	if (n->type == N_KEY) return !n->key->digit;
	return !isdigit((unsigned char)n->ch);
}

/* Read an integer field of nominal width len at *pos. */
static ferr *read_int(const char *s, size_t slen, size_t *pos, int len, const fnode *nodes, int nn, int k,
                      int *res, int *ndigits)
{
	const char *key = nodes[k].key->name;
	while (*pos < slen && isspace((unsigned char)s[*pos])) (*pos)++;
	size_t start = *pos, avail = slen - start;
	char tmp[32];
	size_t take;
	if (nodes[k].fm || next_is_separator(nodes, nn, k)) {
		take = avail < sizeof tmp - 1 ? avail : sizeof tmp - 1;
	} else {
		if (avail < (size_t)len)
			return ferr_hint(
				ferr_detail(ferr_new(SQLSTATE_INVALID_DATETIME_FORMAT,
				                     "source string too short for \"%s\" formatting field", key),
				            "Field requires %d characters, but only %d remain.", len, (int)avail),
				"If your source string is not fixed-width, try using the \"FM\" modifier.");
		take = (size_t)len;
	}
	memcpy(tmp, s + start, take);
	tmp[take] = 0;
	char *end;
	errno = 0;
	long long v = strtoll(tmp, &end, 10);
	size_t used = (size_t)(end - tmp);
	if (used == 0) return bad_value(s + start, avail, key, "Value must be an integer.");
	if (!nodes[k].fm && !next_is_separator(nodes, nn, k) && used < (size_t)len)
		return ferr_hint(ferr_detail(bad_value(s + start, take, key, ""), "Field requires %d characters, but only %d could be parsed.", len, (int)used),
		                 "If your source string is not fixed-width, try using the \"FM\" modifier.");
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return ferr_detail(ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW,
		                            "value for \"%s\" in source string is out of range", key),
		                   "Value must be in the range %d to %d.", INT_MIN, INT_MAX);
	*pos = start + used;
	if (ndigits) {
		int d = 0;
		for (size_t i = 0; i < used; i++) d += isdigit((unsigned char)tmp[i]) != 0;
		*ndigits = d;
	}
	*res = (int)v;
	return NULL;
}

/* Match one of words (case-insensitive) at *pos; index or error. */
static ferr *read_word(const char *s, size_t slen, size_t *pos, const char *const *words, int nwords,
                       int abbrev, const char *key, int *idx)
{
	size_t best = 0;
	int hit = -1;
	for (int i = 0; i < nwords; i++) {
		size_t l = strlen(words[i]);
		if (abbrev && l > (size_t)abbrev) l = (size_t)abbrev;
		if (l <= slen - *pos && !strncasecmp(s + *pos, words[i], l) && l > best) {
			best = l;
			hit = i;
		}
	}
	if (hit < 0)
		return bad_value(s + *pos, slen - *pos, key,
		                 "The given value did not match any of the allowed values for this field.");
	*pos += best;
	*idx = hit;
	return NULL;
}

/* A year given with fewer than 4 digits, the nearest to 2020 (PostgreSQL's rule). */
static int adjust_year(int year)
{
	if (year < 0) return year;
	if (year < 70) return year + 2000;
	if (year < 100) return year + 1900;
	if (year < 520) return year + 2000;
	if (year < 1000) return year + 1000;
	return year;
}

static ferr *parse_fields(const char *s, size_t slen, const fnode *nodes, int nn, parse_state *st)
{
	static const char *const ampm[] = {"am", "pm", "a.m.", "p.m."}, *const adbc[] = {"ad", "bc", "a.d.", "b.c."};
	static const char *const rm_names[] = {"XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I"};
	bool fx = false;
	int extra_skip = 0;
	size_t pos = 0;
	for (int k = 0; k < nn && pos < slen; k++) {
		const fnode *n = &nodes[k];
		bool is_fx = n->type == N_KEY && n->key->id == K_FX;
		if (!fx && !is_fx && (n->type == N_KEY || k == 0))
			while (pos < slen && isspace((unsigned char)s[pos])) {
				pos++;
				extra_skip++;
			}
		if (pos >= slen) break;
		if (n->type == N_SPACE || n->type == N_SEP) {
			if (!fx) {
				extra_skip--;
				if (isspace((unsigned char)s[pos]) || is_sep_char(s[pos])) {
					pos++;
					extra_skip++;
				}
			} else {
				pos++;
			}
			continue;
		}
		if (n->type == N_CHAR) {
			if (!fx && extra_skip > 0) extra_skip--;
			else pos++;
			continue;
		}
		const char *key = n->key->name;
		int v = 0, idx = 0, nd = 0;
		switch (n->key->id) {
		case K_FX: fx = true; break;
		case K_AM: case K_PM: case K_AM_DOT: case K_PM_DOT:
			TRY(read_word(s, slen, &pos, ampm, 4, 0, key, &idx));
			TRY(set_field(&v, idx % 2 + 1, key));
			st->pm = idx % 2 == 1;
			st->clock12 = true;
			break;
		case K_AD: case K_BC: case K_AD_DOT: case K_BC_DOT:
			TRY(read_word(s, slen, &pos, adbc, 4, 0, key, &idx));
			st->bc = idx % 2 == 1;
			break;
		case K_HH: case K_HH12:
			TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->hh, v, key));
			st->clock12 = true;
			break;
		case K_HH24:
			TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->hh, v, key));
			break;
		case K_MI: TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL)); TRY(set_field(&st->mi, v, key)); break;
		case K_SS: TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL)); TRY(set_field(&st->ss, v, key)); break;
		case K_MS: case K_US: case K_FF1: case K_FF2: case K_FF3: case K_FF4: case K_FF5: case K_FF6: {
			int w = n->key->id == K_MS ? 3 : n->key->id == K_US ? 6 : (int)(n->key->id - K_FF1) + 1;
			TRY(read_int(s, slen, &pos, w, nodes, nn, k, &v, &nd));
			/* the digits are a fraction: "12" as MS is 120 ms */
			int scale = n->key->id == K_MS ? 3 : 6;
			if (nd > scale || v < 0) return field_out_of_range(st);
			int64_t us = v;
			for (int d = nd; d < scale; d++) us *= 10;
			if (n->key->id == K_MS) us *= 1000;
			TRY(set_field(&st->usec, (int)us, key));
			break;
		}
		case K_SSSS: case K_SSSSS:
			TRY(read_int(s, slen, &pos, (int)strlen(key), nodes, nn, k, &v, NULL));
			TRY(set_field(&st->ssss, v, key));
			break;
		case K_TZ: case K_OF:
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "formatting field \"%s\" is only supported in to_char", key);
		case K_TZH:
			if (s[pos] == '+' || s[pos] == '-' || s[pos] == ' ') {
				st->tzsign = s[pos] == '-' ? -1 : 1;
				pos++;
			} else {
				if (extra_skip > 0 && pos > 0 && s[pos - 1] == '-') st->tzsign = -1;
				else st->tzsign = 1;
			}
			TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->tzh, v, key));
			st->has_tz = true;
			break;
		case K_TZM:
			if (!st->tzsign) st->tzsign = 1;
			TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->tzm, v, key));
			st->has_tz = true;
			break;
		case K_MONTH: case K_MON:
			TRY(read_word(s, slen, &pos, month_names, 12, n->key->id == K_MON ? 3 : 0, key, &idx));
			TRY(set_field(&st->mon, idx + 1, key));
			break;
		case K_DAY: case K_DY:
			TRY(read_word(s, slen, &pos, day_names, 7, n->key->id == K_DY ? 3 : 0, key, &idx));
			break; /* weekday names are read and ignored, as in PostgreSQL */
		case K_RM:
			TRY(read_word(s, slen, &pos, rm_names, 12, 0, key, &idx));
			TRY(set_field(&st->mon, 12 - idx, key));
			break;
		case K_DDD: TRY(read_int(s, slen, &pos, 3, nodes, nn, k, &v, NULL)); TRY(set_field(&st->ddd, v, key)); break;
		case K_IDDD:
			TRY(read_int(s, slen, &pos, 3, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->iddd, v, key));
			st->iso = true;
			break;
		case K_DD: TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL)); TRY(set_field(&st->mday, v, key)); break;
		case K_D: TRY(read_int(s, slen, &pos, 1, nodes, nn, k, &v, NULL)); break;
		case K_ID:
			TRY(read_int(s, slen, &pos, 1, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->id, v, key));
			st->iso = true;
			break;
		case K_WW: TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL)); TRY(set_field(&st->ww, v, key)); break;
		case K_IW:
			TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL));
			TRY(set_field(&st->iw, v, key));
			st->iso = true;
			break;
		case K_Q: TRY(read_int(s, slen, &pos, 1, nodes, nn, k, &v, NULL)); break;
		case K_W: TRY(read_int(s, slen, &pos, 1, nodes, nn, k, &v, NULL)); TRY(set_field(&st->w, v, key)); break;
		case K_CC: TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL)); TRY(set_field(&st->cc, v, key)); break;
		case K_J: TRY(read_int(s, slen, &pos, 1, nodes, nn, k, &v, NULL)); TRY(set_field(&st->j, v, key)); break;
		case K_MM: TRY(read_int(s, slen, &pos, 2, nodes, nn, k, &v, NULL)); TRY(set_field(&st->mon, v, key)); break;
		case K_Y_YYY: {
			int th, rest, used = 0;
			char tmp[32];
			size_t take = slen - pos < sizeof tmp - 1 ? slen - pos : sizeof tmp - 1;
			memcpy(tmp, s + pos, take);
			tmp[take] = 0;
			if (sscanf(tmp, "%d,%03d%n", &th, &rest, &used) != 2 || used <= 0)
				return bad_value(s + pos, slen - pos, key, "Value must be in the form \"N,NNN\".");
			pos += (size_t)used;
			TRY(set_field(&st->year, th * 1000 + rest, key));
			st->has_year = true;
			break;
		}
		case K_YYYY: case K_YYY: case K_YY: case K_Y:
		case K_IYYY: case K_IYY: case K_IY: case K_I: {
			dkey id = n->key->id;
			int w = id == K_YYYY || id == K_IYYY ? 4 : id == K_YYY || id == K_IYY ? 3 : id == K_YY || id == K_IY ? 2 : 1;
			TRY(read_int(s, slen, &pos, w, nodes, nn, k, &v, &nd));
			if (id >= K_IYYY && id <= K_I) {
				TRY(set_field(&st->iyear, v, key));
				st->iso = true;
			} else {
				TRY(set_field(&st->year, v, key));
			}
			/* YY, YYY and Y read with fewer than 4 digits land near 2020 */
			if (w < 4 && nd < 4) v = adjust_year(v);
			if (id >= K_IYYY && id <= K_I) st->iyear = v;
			else st->year = v;
			st->has_year = true;
			break;
		}
		}
	}
	return NULL;
}

ferr *dtfmt_parse(const char *s, size_t slen, const char *fmt, size_t flen, bool date_only,
                  dtfmt_parsed *out)
{
	fnode *nodes = malloc(sizeof(fnode) * (flen + 1));
	if (!nodes) return ferr_new(SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "out of memory");
	int nn = parse_template(fmt, flen, nodes);
	parse_state st = {0};
	st.in = s;
	st.inlen = slen;
	ferr *err = parse_fields(s, slen, nodes, nn, &st);
	free(nodes);
	if (err) return err;
	(void)date_only;

	/* assemble the date */
	int64_t year = 0; /* astronomical; no year means 1 BC as in PostgreSQL */
	int mon = 1, mday = 1;
	if (st.has_year) {
		int y = st.iso && st.iyear ? st.iyear : st.year;
		year = st.bc ? -(int64_t)y + 1 : y;
	} else if (st.cc) {
		year = st.cc >= 0 ? (int64_t)(st.cc - 1) * 100 + 1 : (int64_t)st.cc * 100 + 1;
		if (st.bc) year = -year + 1;
	}
	int64_t days;
	if (st.j) {
		days = (int64_t)st.j - 2451545;
	} else if (st.iso && (st.iw || st.iddd || st.iyear)) {
		int64_t base = iso_year_start(year) - jday(2000, 1, 1);
		if (st.iddd) days = base + st.iddd - 1;
		else days = base + (int64_t)((st.iw ? st.iw : 1) - 1) * 7 + (st.id ? st.id - 1 : 0);
	} else {
		if (st.mon) mon = st.mon;
		if (st.mday) mday = st.mday;
		if (st.ddd && !st.mon && !st.mday) {
			days = date_from_ymd((int)year, 1, 1) + st.ddd - 1;
			goto time;
		}
		if (st.ww && !st.mon && !st.mday) {
			days = date_from_ymd((int)year, 1, 1) + (int64_t)(st.ww - 1) * 7;
			goto time;
		}
		if (st.w && st.mon && !st.mday) mday = (st.w - 1) * 7 + 1;
		if (mon < 1 || mon > 12 || mday < 1 || year < -4712 || year > 294276 ||
		    mday > date_days_in_month((int)year, mon))
			return field_out_of_range(&st);
		days = date_from_ymd((int)year, mon, mday);
	}
time:;
	int hh = st.hh;
	if (st.clock12) {
		if (hh < 1 || hh > 12)
			return ferr_hint(ferr_new(SQLSTATE_DATETIME_FIELD_OVERFLOW, "hour \"%d\" is invalid for the 12-hour clock", hh),
			                 "Use the 24-hour clock, or give an hour between 1 and 12.");
		if (st.pm && hh < 12) hh += 12;
		else if (!st.pm && hh == 12) hh = 0;
	}
	int64_t tod;
	if (st.ssss) {
		tod = (int64_t)st.ssss * USECS_PER_SEC;
	} else {
		if (hh < 0 || hh > 24 || st.mi < 0 || st.mi > 59 || st.ss < 0 || st.ss > 60 ||
		    (hh == 24 && (st.mi || st.ss || st.usec)))
			return field_out_of_range(&st);
		tod = ((int64_t)hh * 3600 + st.mi * 60 + st.ss) * USECS_PER_SEC;
	}
	if (st.usec < 0 || st.usec >= 1000000) return field_out_of_range(&st);
	tod += st.usec;
	if (days < -2451545 || days > 106741034) return field_out_of_range(&st);
	out->local = days * USECS_PER_DAY + tod;
	out->has_tz = st.has_tz;
	if (st.has_tz) {
		if (st.tzh < -15 || st.tzh > 15 || st.tzm < 0 || st.tzm > 59)
			return ferr_new(SQLSTATE_INVALID_TIME_ZONE_DISPLACEMENT, "time zone displacement out of range");
		out->tzoff = st.tzsign * ((long)abs(st.tzh) * 3600 + st.tzm * 60);
	}
	return NULL;
}
