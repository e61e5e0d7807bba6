/*
 * session.c — one client connection: the protocol loop after startup.
 *
 * Simple query: the message is cut into statements, each is prepared,
 * bound and run in turn; after an error the rest is skipped. Extended
 * query: named and unnamed statements and portals, Execute with row limits
 * (PortalSuspended and resumption), skip-until-Sync after an error. Rows
 * stream from the executor straight into DataRow messages; the output
 * buffer is flushed whenever it passes PGW_FLUSH_THRESHOLD, so a result
 * of any size takes bounded memory. While a query runs the session watches
 * its socket: a client that goes away gets its query cancelled.
 *
 * The session never trusts client bytes, never ends the process, and
 * survives any error in a statement.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/props.h"
#include "connectors/catalogs.h"
#include "connectors/pgcatalog/pgcatalog.h"
#include "exec/query.h"
#include "gateway/query_manager.h"
#include "gateway/session.h"
#include "gateway/settings.h"
#include "pgwire/proto.h"
#include "planner/planner.h"

/* How often a running query's session looks at the clock and its socket. */
#define POLL_INTERVAL_MS 100

/* Ferry's own session properties (SET SESSION name = value), as Trino's. */
typedef struct session_prop_def {
	const char *name;
	const char *dflt;           /* NULL = the server's configuration decides */
	const char *const *choices; /* NULL = any value */
	bool data_size;             /* a size such as 64MB that may only lower the server's */
} session_prop_def;

static const char *const bool_choices[] = {"true", "false", NULL};
static const char *const join_distribution_types[] = {"AUTOMATIC", "BROADCAST", "PARTITIONED", NULL};
static const session_prop_def session_props[] = {
	{"join_distribution_type", "AUTOMATIC", join_distribution_types},
	/* offer joins within one catalog to its connector (planner/pushdown.c) */
	{"join_pushdown_enabled", "true", bool_choices},
	{"spill_enabled", NULL, bool_choices},
	{"query_max_memory_per_node", NULL, NULL, true},
	{"query_max_memory", NULL, NULL, true},
};
#define NSESSION_PROPS ((int)(sizeof session_props / sizeof session_props[0]))

/* A prepared statement; portals keep it alive after Close or DEALLOCATE. */
typedef struct stmt_entry {
	struct stmt_entry *next;
	char *name;
	char *sql;
	prepared_stmt *p;
	int refs;
} stmt_entry;

/* Materialized text rows of a utility statement (SHOW, EXPLAIN). */
typedef struct text_rows {
	int ncols;
	int nrows;
	int cap;
	char **cells; /* nrows * ncols, NULL = SQL NULL; malloc'd */
} text_rows;

typedef enum portal_state { PORTAL_NEW, PORTAL_RUNNING, PORTAL_DONE } portal_state;

typedef struct portal {
	struct portal *next;
	char *name;
	stmt_entry *stmt;
	prepared_stmt *p;  /* stmt->p, a DECLARE's cursor query, or its own re-plan */
	bool owns_p;       /* p was planned again at Bind (replan_for_bind): freed with the portal */
	arena *arena;      /* parameters and the physical plan */
	arena *batch_arena;
	fvalue *params;
	int ncols;
	result_column *cols;
	int16_t *formats;  /* per result column */
	phys_plan *plan;
	exec_query *q;
	int64_t qm_id;
	batch *pending;    /* current batch and the next live row to send */
	int pending_pos;
	text_rows rows;    /* utility statements with rows */
	int rows_pos;
	portal_state state;
	bool is_cursor;
	bool holdable;
} portal;

struct session {
	int fd;
	const server_config *cfg;
	int32_t pid;
	int32_t secret;

	/* input buffer: [in_pos, in_len) unread */
	uint8_t *in;
	size_t in_len, in_pos, in_cap;
	strbuf out;
	bool dead; /* socket failed or client gone */

	char *user;
	char *database;
	settings *settings;
	/* Inside a transaction block: the settings at BEGIN (restored by ROLLBACK) and the
	 * session-level values without SET LOCAL (kept by COMMIT). NULL outside a block. */
	settings *txn_start;
	bool txn_wrote; /* a write committed inside the open transaction block */
	settings *session_level;
	settings *reset_base; /* values after startup: what RESET returns to */
	fmt_settings fmt;
	char *timezone;   /* owned copy of TimeZone for fmt */
	char *search_path;
	char *props[NSESSION_PROPS]; /* NULL = default */
	char prop_shown[32];         /* session_prop_shown's answer for a computed default */
	plan_session ps;

	char txn; /* PGW_TXN_* */
	bool skip_until_sync;
	stmt_entry *stmts;
	portal *portals;

	int64_t stmt_deadline_ms; /* 0 = no statement_timeout */
	int since_check;          /* batches since the clock and socket were checked */

	/* Guarded by mu: what another thread may cancel. */
	pthread_mutex_t mu;
	exec_query *running;
	bool active;
	bool cancel_pending;
	bool shutdown;
	session_info info;
	struct session *live_next; /* the live sessions, for pg_stat_activity */
	char **shown; /* pg_settings' copy of the settings (publish_settings), nshown rows */
	int nshown;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A client message that starts statements: statement_timestamp() is its
 * arrival, and outside a transaction block it also starts the transaction
 * that now() reports (one message of several statements is one implicit
 * transaction, as in PostgreSQL).
 */
static void stamp_statement(session *s)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	s->ps.stmt_start_us = ((int64_t)ts.tv_sec - INT64_C(946684800)) * 1000000 + ts.tv_nsec / 1000;
	if (s->txn == PGW_TXN_IDLE) s->ps.xact_start_us = s->ps.stmt_start_us;
}

/* ---- socket I/O ---- */

static void flush_out(session *s)
{
	size_t off = 0;
	while (!s->dead && off < s->out.len) {
		ssize_t w = send(s->fd, s->out.data + off, s->out.len - off, MSG_NOSIGNAL);
		if (w > 0) off += (size_t)w;
		else if (w < 0 && errno == EINTR) continue;
		else s->dead = true;
	}
	sb_reset(&s->out);
}

static void maybe_flush(session *s)
{
	if (s->out.len >= PGW_FLUSH_THRESHOLD) flush_out(s);
}

/* Make at least n unread bytes available; false on EOF or error. */
static bool fill(session *s, size_t n)
{
	if (s->in_len - s->in_pos >= n) return true;
	if (s->in_pos > 0) {
		memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
		s->in_len -= s->in_pos;
		s->in_pos = 0;
	}
	while (s->in_len < n) {
		if (s->in_cap < n) {
			/* Grow to what is needed but at most 1 MiB past what has arrived, so a
			 * lying length word costs memory only as fast as bytes really come. */
			size_t want = n;
			if (want > s->in_len + (1u << 20)) want = s->in_len + (1u << 20);
			if (want < 8192) want = 8192;
			if (want > s->in_cap) {
				s->in = xrealloc(s->in, want);
				s->in_cap = want;
			}
		}
		ssize_t r = recv(s->fd, s->in + s->in_len, s->in_cap - s->in_len, 0);
		if (r > 0) s->in_len += (size_t)r;
		else if (r < 0 && errno == EINTR) continue;
		else return false;
	}
	return true;
}

/* Reads one message; body points into the input buffer until the next read. */
static ferr *read_message(session *s, char *type, const uint8_t **body, size_t *len, bool *eof)
{
	*eof = false;
	if (!fill(s, 5)) {
		*eof = true;
		return NULL;
	}
	const uint8_t *h = s->in + s->in_pos;
	*type = (char)h[0];
	int32_t l = (int32_t)((uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4]);
	TRY(pgw_check_header(*type, l, len));
	if (!fill(s, 5 + *len)) {
		*eof = true;
		return NULL;
	}
	*body = s->in + s->in_pos + 5;
	s->in_pos += 5 + *len;
	return NULL;
}

/* True when the client has closed its end (checked while a query runs). */
static bool client_gone(session *s)
{
	if (s->dead) return true;
	struct pollfd pf = {.fd = s->fd, .events = POLLRDHUP};
	if (poll(&pf, 1, 0) > 0 && (pf.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) {
		s->dead = true;
		return true;
	}
	return false;
}

/* ---- messages ---- */

static void send_error(session *s, const ferr *e)
{
	pgw_write_error(&s->out, e, 0);
}

static void send_notice(session *s, const char *sqlstate, const char *severity, const char *msg)
{
	ferr *e = ferr_new(sqlstate, "%s", msg);
	e->severity = xstrdup(severity);
	pgw_write_error(&s->out, e, 1);
	ferr_free(e);
}

static void send_ready(session *s)
{
	pgw_write_ready_for_query(&s->out, s->txn);
	flush_out(s);
}

static void set_info_state(session *s, const char *state, const char *query)
{
	pthread_mutex_lock(&s->mu);
	snprintf(s->info.state, sizeof s->info.state, "%s", state);
	if (query) {
		snprintf(s->info.query, sizeof s->info.query, "%s", query);
		s->info.query_start_ms = wall_ms();
	}
	pthread_mutex_unlock(&s->mu);
}

/* ---- settings ---- */

/*
 * Property i's default: its fixed one, else the server's configuration
 * (spill-enabled, query.max-memory-per-node), written into buf when it is a
 * number; "" when there is no configuration to ask.
 */
static const char *session_prop_default(const server_config *cfg, int i, char *buf, size_t bufsz)
{
	if (session_props[i].dflt) return session_props[i].dflt;
	if (!cfg) return "";
	if (!strcmp(session_props[i].name, "spill_enabled")) return cfg->spill_enabled ? "true" : "false";
	snprintf(buf, bufsz, "%lldB", (long long)cfg->max_memory_per_node);
	return buf;
}

/*
 * The settings as rows of name, setting, boot value, reset value and
 * description (SHOW ALL's rows and the session properties), malloc'd. reset
 * NULL: the values are their own reset values.
 */
#define SHOWN_COLS 5
static char **shown_table(const server_config *cfg, const settings *cur, const settings *reset,
                          char *const *props, int *n)
{
	settings *boot = settings_create();
	*n = settings_count() + NSESSION_PROPS;
	char **rows = xcalloc((size_t)*n * SHOWN_COLS, sizeof(char *));
	for (int i = 0; i < settings_count(); i++) {
		char **r = rows + i * SHOWN_COLS;
		r[0] = xstrdup(settings_name(i));
		r[1] = xstrdup(settings_value_at(cur, i));
		r[2] = xstrdup(settings_value_at(boot, i));
		r[3] = xstrdup(settings_value_at(reset ? reset : cur, i));
		r[4] = xstrdup(settings_description(i));
	}
	for (int i = 0; i < NSESSION_PROPS; i++) {
		char **r = rows + (settings_count() + i) * SHOWN_COLS;
		r[0] = xstrdup(session_props[i].name);
		char buf[32];
		const char *dflt = session_prop_default(cfg, i, buf, sizeof buf);
		r[1] = xstrdup(props && props[i] ? props[i] : dflt);
		r[2] = xstrdup(dflt);
		r[3] = xstrdup(dflt);
		r[4] = xstrdup("Ferry session property");
	}
	settings_destroy(boot);
	return rows;
}

static void free_rows(char **rows, int n)
{
	for (int i = 0; rows && i < n * SHOWN_COLS; i++) free(rows[i]);
	free(rows);
}

/* pg_settings and current_setting() run on executor threads: they read a copy made
 * here, under mu, after every change. */
static void publish_settings(session *s)
{
	int n;
	char **rows = shown_table(s->cfg, s->settings, s->reset_base, s->props, &n);
	pthread_mutex_lock(&s->mu);
	char **old = s->shown;
	int nold = s->nshown;
	s->shown = rows;
	s->nshown = n;
	pthread_mutex_unlock(&s->mu);
	free_rows(old, nold);
}

/* Refresh what the planner and the encoder read from settings. */
static void apply_settings(session *s)
{
	const char *v;
	if (!settings_get(s->settings, "extra_float_digits", &v)) s->fmt.extra_float_digits = atoi(v);
	if (!settings_get(s->settings, "TimeZone", &v)) {
		free(s->timezone);
		s->timezone = xstrdup(v);
		s->fmt.timezone = s->timezone;
	}
	if (!settings_get(s->settings, "bytea_output", &v)) s->fmt.bytea_hex = strcasecmp(v, "hex") == 0;
	if (!settings_get(s->settings, "DateStyle", &v)) {
		/* the stored value is canonical ("Postgres, MDY"): parsing cannot fail */
		const char *detail;
		int style = DATESTYLE_ISO, order = DATEORDER_MDY;
		if (fmt_datestyle_parse(v, &style, &order, &detail)) {
			s->fmt.datestyle = style;
			s->fmt.dateorder = order;
		}
	}
	if (!settings_get(s->settings, "IntervalStyle", &v)) {
		int style = fmt_intervalstyle_parse(v);
		s->fmt.intervalstyle = style >= 0 ? style : INTERVALSTYLE_POSTGRES;
	}
	if (!settings_get(s->settings, "search_path", &v)) {
		free(s->search_path);
		s->search_path = xstrdup(v);
		s->ps.search_path = s->search_path;
		s->fmt.reg_search_path = s->search_path;
	}
	publish_settings(s);
}

static void report_setting(session *s, const char *name)
{
	int i = settings_index(name);
	if (i < 0 || !settings_is_reported(i)) return;
	pgw_write_parameter_status(&s->out, settings_name(i), settings_value_at(s->settings, i));
}

static int session_prop_index(const char *name)
{
	for (int i = 0; i < NSESSION_PROPS; i++)
		if (strcasecmp(session_props[i].name, name) == 0) return i;
	return -1;
}

/* A data size as the configuration writes them (512MB, 2GB); 22023 otherwise. */
static ferr *parse_data_size(const char *name, const char *value, int64_t *out)
{
	props *p = props_create();
	ferr *e = props_set(p, name, value);
	if (!e) e = props_get_bytes(p, name, 0, out);
	props_destroy(p);
	if (!e && *out > 0) return NULL;
	ferr_free(e);
	return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
	                "invalid value for session property %s: '%s'", name, value);
}

static const char *get_property(void *opaque, const char *name)
{
	session *s = opaque;
	int i = session_prop_index(name);
	return i >= 0 ? s->props[i] : NULL;
}

static ferr *set_session_prop(session *s, int i, const char *value)
{
	const session_prop_def *d = &session_props[i];
	if (!value) {
		free(s->props[i]);
		s->props[i] = NULL;
		return NULL;
	}
	if (d->choices) {
		for (int k = 0; d->choices[k]; k++) {
			if (strcasecmp(d->choices[k], value) == 0) {
				free(s->props[i]);
				s->props[i] = xstrdup(d->choices[k]);
				return NULL;
			}
		}
		return ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE,
		                "invalid value for session property %s: '%s'", d->name, value);
	}
	if (d->data_size) {
		int64_t v;
		TRY(parse_data_size(d->name, value, &v));
	}
	free(s->props[i]);
	s->props[i] = xstrdup(value);
	return NULL;
}

/* What SHOW reports for property i: the session's value, else the default. */
static const char *session_prop_shown(session *s, int i)
{
	if (s->props[i]) return s->props[i];
	return session_prop_default(s->cfg, i, s->prop_shown, sizeof s->prop_shown);
}

/* Session property value or NULL. */
static const char *session_prop_value(session *s, const char *name)
{
	int i = session_prop_index(name);
	return i >= 0 ? s->props[i] : NULL;
}

/*
 * The executor's options for one query: the server's limits, lowered by
 * query_max_memory(_per_node) (never raised, as in Trino), and spilling as
 * spill_enabled says.
 */
static exec_options query_options(session *s, bool collect_stats)
{
	exec_options opt = {.max_memory_bytes = s->cfg->max_memory_per_node,
	                    .desired_splits = exec_pool_threads(),
	                    .fmt = &s->fmt,
	                    .collect_stats = collect_stats,
	                    .spill_enabled = s->cfg->spill_enabled,
	                    .spill_path = s->cfg->spill_path,
	                    .query_max_spill_bytes = s->cfg->query_max_spill_per_node,
	                    .node_max_spill_bytes = s->cfg->max_spill_per_node};
	const char *names[2] = {"query_max_memory_per_node", "query_max_memory"};
	for (int k = 0; k < 2; k++) {
		const char *v = session_prop_value(s, names[k]);
		int64_t lim;
		if (v && !parse_data_size(names[k], v, &lim) && lim > 0 &&
		    (opt.max_memory_bytes <= 0 || lim < opt.max_memory_bytes))
			opt.max_memory_bytes = lim;
	}
	const char *sp = session_prop_value(s, "spill_enabled");
	if (sp) opt.spill_enabled = !strcasecmp(sp, "true");
	return opt;
}

/* ---- result description ---- */

static const char *const show_all_names[] = {"name", "setting", "description"};

/*
 * Columns of a statement's result, or none. Utility statements with rows
 * (SHOW, EXPLAIN) get their text columns here; cursors describe through
 * their portal.
 */
static int stmt_columns(session *s, prepared_stmt *p, arena *a, result_column **cols)
{
	*cols = NULL;
	switch (p->kind) {
	case STMT_QUERY:
		*cols = p->cols;
		return p->ncols;
	case STMT_EXPLAIN:
		if (p->ncols > 0) {
			*cols = p->cols;
			return p->ncols;
		}
		*cols = arena_zalloc(a, sizeof(result_column));
		(*cols)[0].name = "QUERY PLAN";
		(*cols)[0].type = ftype_make(TYPE_TEXT);
		return 1;
	case STMT_SHOW: {
		bool all = p->set_name && strcasecmp(p->set_name, "all") == 0;
		int n = all ? 3 : 1;
		*cols = arena_zalloc(a, sizeof(result_column) * n);
		for (int i = 0; i < n; i++) {
			(*cols)[i].type = ftype_make(TYPE_TEXT);
			if (all) {
				(*cols)[i].name = show_all_names[i];
			} else {
				/* PostgreSQL names the column after the setting's canonical spelling. */
				int k = settings_index(p->set_name ? p->set_name : "");
				(*cols)[i].name = k >= 0 ? settings_name(k) : p->set_name ? p->set_name : "";
			}
		}
		return n;
	}
	case STMT_FETCH: {
		for (portal *pt = s->portals; pt; pt = pt->next) {
			if (pt->is_cursor && p->cursor_name && strcmp(pt->name, p->cursor_name) == 0) {
				*cols = pt->cols;
				return pt->ncols;
			}
		}
		return 0;
	}
	default:
		return 0;
	}
}

static void send_row_description(session *s, int ncols, const result_column *cols,
                                 const int16_t *formats)
{
	pgw_field *f = xcalloc(ncols > 0 ? ncols : 1, sizeof *f);
	for (int i = 0; i < ncols; i++) {
		const type_info *ti = type_info_of(cols[i].type.id);
		f[i].name = cols[i].name ? cols[i].name : "?column?";
		f[i].table_oid = cols[i].table_oid;
		f[i].column_attnum = cols[i].attnum;
		f[i].type_oid = ftype_oid(cols[i].type);
		f[i].type_len = ti ? ti->typlen : -1;
		f[i].typmod = ftype_typmod(cols[i].type);
		f[i].format = formats ? formats[i] : PGW_FORMAT_TEXT;
	}
	pgw_write_row_description(&s->out, f, ncols);
	free(f);
}

/* ---- statements and portals ---- */

static void stmt_unref(stmt_entry *e)
{
	if (!e || --e->refs > 0) return;
	plan_free(e->p);
	free(e->name);
	free(e->sql);
	free(e);
}

static stmt_entry *stmt_find(session *s, const char *name)
{
	for (stmt_entry *e = s->stmts; e; e = e->next)
		if (strcmp(e->name, name) == 0) return e;
	return NULL;
}

static void stmt_remove(session *s, stmt_entry *target)
{
	for (stmt_entry **pp = &s->stmts; *pp; pp = &(*pp)->next) {
		if (*pp == target) {
			*pp = target->next;
			stmt_unref(target);
			return;
		}
	}
}

static void text_rows_free(text_rows *r)
{
	for (int i = 0; i < r->nrows * r->ncols; i++) free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

static void text_rows_add(text_rows *r, const char *const *vals)
{
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->cells = xrealloc(r->cells, sizeof(char *) * (size_t)r->cap * r->ncols);
	}
	for (int i = 0; i < r->ncols; i++)
		r->cells[r->nrows * r->ncols + i] = vals[i] ? xstrdup(vals[i]) : NULL;
	r->nrows++;
}

/* Stop a portal's query, if any; never races session_cancel (both hold mu). */
static void portal_stop_query(session *s, portal *pt, const ferr *err)
{
	if (!pt->q) return;
	pthread_mutex_lock(&s->mu);
	if (s->running == pt->q) s->running = NULL;
	pthread_mutex_unlock(&s->mu);
	if (pt->state != PORTAL_DONE)
		exec_query_cancel(pt->q, SQLSTATE_QUERY_CANCELED, "portal closed");
	exec_query_destroy(pt->q);
	pt->q = NULL;
	qm_finish(pt->qm_id, err);
	pt->pending = NULL;
}

static void portal_free(session *s, portal *pt)
{
	portal_stop_query(s, pt, NULL);
	text_rows_free(&pt->rows);
	if (pt->batch_arena) arena_destroy(pt->batch_arena);
	if (pt->arena) arena_destroy(pt->arena);
	if (pt->owns_p) plan_free(pt->p);
	stmt_unref(pt->stmt);
	free(pt->name);
	free(pt);
}

static portal *portal_find(session *s, const char *name)
{
	for (portal *pt = s->portals; pt; pt = pt->next)
		if (strcmp(pt->name, name) == 0) return pt;
	return NULL;
}

static void portal_drop(session *s, portal *target)
{
	for (portal **pp = &s->portals; *pp; pp = &(*pp)->next) {
		if (*pp == target) {
			*pp = target->next;
			portal_free(s, target);
			return;
		}
	}
}

/* At the end of a transaction: portals and cursors not WITH HOLD go away. */
static void drop_txn_portals(session *s)
{
	portal **pp = &s->portals;
	while (*pp) {
		portal *pt = *pp;
		if (!pt->holdable) {
			*pp = pt->next;
			portal_free(s, pt);
		} else {
			pp = &pt->next;
		}
	}
}

static portal *portal_new(session *s, const char *name, stmt_entry *e, prepared_stmt *p)
{
	portal *pt = xcalloc(1, sizeof *pt);
	pt->name = xstrdup(name);
	pt->stmt = e;
	e->refs++;
	pt->p = p;
	pt->arena = arena_create(NULL, "portal");
	pt->batch_arena = arena_create(NULL, "portal batches");
	pt->ncols = stmt_columns(s, p, pt->arena, &pt->cols);
	pt->formats = arena_zalloc(pt->arena, sizeof(int16_t) * (pt->ncols ? pt->ncols : 1));
	pt->next = s->portals;
	s->portals = pt;
	return pt;
}

/* ---- running ---- */

/* statement_timeout counts from the start of each statement (PostgreSQL 13+). */
static void arm_statement_timeout(session *s)
{
	const char *v;
	int64_t timeout = 0;
	if (!settings_get(s->settings, "statement_timeout", &v) && !settings_parse_ms(v, &timeout)) timeout = 0;
	s->stmt_deadline_ms = timeout > 0 ? now_ms() + timeout : 0;
}

static void statement_begin(session *s, const char *sql)
{
	pthread_mutex_lock(&s->mu);
	s->active = true;
	s->cancel_pending = false;
	pthread_mutex_unlock(&s->mu);
	set_info_state(s, "active", sql);
	arm_statement_timeout(s);
}

static void statement_end(session *s)
{
	pthread_mutex_lock(&s->mu);
	s->active = false;
	s->cancel_pending = false;
	pthread_mutex_unlock(&s->mu);
	set_info_state(s, s->txn == PGW_TXN_IDLE ? "idle"
	                  : s->txn == PGW_TXN_BLOCK ? "idle in transaction"
	                                            : "idle in transaction (aborted)",
	               NULL);
}

static ferr *cancel_error(session *s)
{
	pthread_mutex_lock(&s->mu);
	bool c = s->cancel_pending;
	pthread_mutex_unlock(&s->mu);
	if (c) return ferr_new(SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
	if (s->stmt_deadline_ms && now_ms() >= s->stmt_deadline_ms)
		return ferr_new(SQLSTATE_QUERY_CANCELED, "canceling statement due to statement timeout");
	return NULL;
}

/* Encode one live row of b as a DataRow. */
static void send_data_row(session *s, const batch *b, int row, const int16_t *formats)
{
	size_t start = pgw_datarow_begin(&s->out, (int16_t)b->ncols);
	for (int c = 0; c < b->ncols; c++) {
		const vector *v = &b->cols[c];
		if (vector_is_null(v, row)) {
			pgw_datarow_put_null(&s->out);
			continue;
		}
		/* Length word first, patched once the value is encoded in place. */
		size_t lenpos = s->out.len;
		sb_put_u32(&s->out, 0);
		size_t vstart = s->out.len;
		if (formats && formats[c] == PGW_FORMAT_BINARY) value_out_binary(v->type, vector_at(v, row), &s->out);
		else value_out_text(v->type, vector_at(v, row), &s->fmt, &s->out);
		uint32_t n = (uint32_t)(s->out.len - vstart);
		uint8_t *lp = (uint8_t *)s->out.data + lenpos;
		lp[0] = (uint8_t)(n >> 24), lp[1] = (uint8_t)(n >> 16), lp[2] = (uint8_t)(n >> 8), lp[3] = (uint8_t)n;
	}
	pgw_datarow_end(&s->out, start);
}

/* Bind and start a portal's plan; a write is begun first (and aborted if the start fails). */
static ferr *start_query(session *s, portal *pt, const char *sql)
{
	TRY(plan_bind(&s->ps, pt->p, pt->params, pt->arena, &pt->plan));
	bool write = pt->p->kind == STMT_WRITE;
	if (write) TRY(plan_write_begin(pt->plan));
	exec_options opt = query_options(s, pt->p->kind == STMT_EXPLAIN && pt->p->explain_analyze);
	pt->qm_id = qm_begin(s->user, s->info.application_name, sql ? sql : "");
	exec_query *q;
	ferr *e = exec_query_start(pt->plan, pt->params, pt->p->nparams, pt->p->param_types, &opt, &q);
	if (e) {
		if (write) plan_write_abort(pt->plan);
		qm_finish(pt->qm_id, e);
		return e;
	}
	qm_set_state(pt->qm_id, QM_RUNNING);
	pt->q = q;
	pthread_mutex_lock(&s->mu);
	s->running = q;
	bool cancelled = s->cancel_pending;
	pthread_mutex_unlock(&s->mu);
	if (cancelled) exec_query_cancel(q, SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
	pt->state = PORTAL_RUNNING;
	return NULL;
}

/*
 * Next batch of a running query, watching the clock and the client.
 * *b = NULL at the end.
 */
static ferr *next_batch(session *s, portal *pt, batch **b)
{
	for (;;) {
		bool timed_out = false;
		arena_reset(pt->batch_arena);
		ferr *e = exec_query_next(pt->q, pt->batch_arena, POLL_INTERVAL_MS, b, &timed_out);
		if (e) return e;
		if (!timed_out && ++s->since_check < 16) return NULL;
		s->since_check = 0;
		if (s->stmt_deadline_ms && now_ms() >= s->stmt_deadline_ms)
			exec_query_cancel(pt->q, SQLSTATE_QUERY_CANCELED,
			                  "canceling statement due to statement timeout");
		if (client_gone(s))
			exec_query_cancel(pt->q, SQLSTATE_QUERY_CANCELED,
			                  "canceling statement due to client disconnect");
		if (!timed_out) return NULL;
	}
}

/*
 * Send up to max_rows rows (0 = all) of a portal. *more is set when the
 * limit stopped it before the end (PortalSuspended for Execute).
 */
static ferr *portal_fetch(session *s, portal *pt, int64_t max_rows, const char *sql, int64_t *sent,
                          bool *more)
{
	*sent = 0;
	*more = false;
	if (pt->state == PORTAL_DONE) return NULL;
	bool has_query = pt->p->kind == STMT_QUERY;
	if (has_query) {
		if (pt->state == PORTAL_NEW) TRY(start_query(s, pt, sql));
		for (;;) {
			if (pt->pending && pt->pending_pos < pt->pending->count) {
				batch *b = pt->pending;
				while (pt->pending_pos < b->count) {
					if (max_rows > 0 && *sent >= max_rows) {
						*more = true;
						return NULL;
					}
					send_data_row(s, b, batch_row(b, pt->pending_pos), pt->formats);
					pt->pending_pos++;
					(*sent)++;
					maybe_flush(s);
				}
				if (s->dead) exec_query_cancel(pt->q, SQLSTATE_QUERY_CANCELED,
				                               "canceling statement due to client disconnect");
			}
			if (max_rows > 0 && *sent >= max_rows) {
				*more = true;
				return NULL;
			}
			batch *b = NULL;
			pt->pending = NULL;
			ferr *e = next_batch(s, pt, &b);
			if (e) {
				pt->state = PORTAL_DONE;
				portal_stop_query(s, pt, e);
				return e;
			}
			if (!b) {
				pt->state = PORTAL_DONE;
				portal_stop_query(s, pt, NULL);
				return NULL;
			}
			pt->pending = b;
			pt->pending_pos = 0;
		}
	}
	/* Materialized utility rows. */
	while (pt->rows_pos < pt->rows.nrows) {
		if (max_rows > 0 && *sent >= max_rows) {
			*more = true;
			return NULL;
		}
		size_t start = pgw_datarow_begin(&s->out, (int16_t)pt->rows.ncols);
		for (int c = 0; c < pt->rows.ncols; c++) {
			const char *v = pt->rows.cells[pt->rows_pos * pt->rows.ncols + c];
			if (v) pgw_datarow_put(&s->out, v, (int32_t)strlen(v));
			else pgw_datarow_put_null(&s->out);
		}
		pgw_datarow_end(&s->out, start);
		pt->rows_pos++;
		(*sent)++;
		maybe_flush(s);
	}
	pt->state = PORTAL_DONE;
	return NULL;
}

/*
 * A write statement: begin the write, run its plan to the end summing the
 * writers' counts, and commit only once every driver has stopped; any
 * error (or cancel) aborts, so nothing of the statement is visible.
 * Inside a transaction block the write still commits here: connectors
 * have no transactions spanning statements.
 */
static ferr *run_write(session *s, portal *pt, const char *sql, int64_t *count)
{
	*count = 0;
	pt->state = PORTAL_DONE; /* a write runs to its end in this call, or not at all */
	TRY(start_query(s, pt, sql));
	ferr *e = NULL;
	for (;;) {
		batch *b = NULL;
		if ((e = next_batch(s, pt, &b)) || !b) break;
		for (int i = 0; i < b->count; i++)
			*count += *(const int64_t *)vector_at(&b->cols[0], batch_row(b, i));
	}
	pt->state = PORTAL_DONE;
	portal_stop_query(s, pt, e); /* every driver has stopped: sinks are closed */
	if (e) {
		plan_write_abort(pt->plan);
		return e;
	}
	TRY(plan_write_finish(pt->plan));
	if (s->txn == PGW_TXN_BLOCK) s->txn_wrote = true;
	return NULL;
}

static ferr *run_explain(session *s, portal *pt, const char *sql)
{
	prepared_stmt *p = pt->p;
	TRY(plan_bind(&s->ps, p, pt->params, pt->arena, &pt->plan));
	strbuf sb = STRBUF_INIT;
	exec_query *q = NULL;
	if (p->explain_analyze) {
		exec_options opt = query_options(s, true);
		pt->qm_id = qm_begin(s->user, s->info.application_name, sql ? sql : "");
		ferr *e = exec_query_start(pt->plan, pt->params, p->nparams, p->param_types, &opt, &q);
		if (e) {
			qm_finish(pt->qm_id, e);
			return e;
		}
		pt->q = q;
		pthread_mutex_lock(&s->mu);
		s->running = q;
		pthread_mutex_unlock(&s->mu);
		pt->state = PORTAL_RUNNING;
		for (;;) {
			batch *b = NULL;
			if ((e = next_batch(s, pt, &b))) {
				pt->state = PORTAL_DONE;
				portal_stop_query(s, pt, e);
				return e;
			}
			if (!b) break;
		}
		pt->state = PORTAL_DONE;
		plan_explain(pt->plan, q, &sb);
		portal_stop_query(s, pt, NULL);
	} else {
		plan_explain(pt->plan, NULL, &sb);
	}
	pt->rows.ncols = 1;
	char *line = sb.data ? sb.data : "";
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl) *nl = '\0';
		const char *vals[1] = {line};
		text_rows_add(&pt->rows, vals);
		if (!nl) break;
		line = nl + 1;
	}
	sb_free(&sb);
	pt->state = PORTAL_RUNNING;
	return NULL;
}

static ferr *run_show(session *s, portal *pt)
{
	prepared_stmt *p = pt->p;
	if (p->set_name && strcasecmp(p->set_name, "all") == 0) {
		pt->rows.ncols = 3;
		for (int i = 0; i < settings_count(); i++) {
			const char *vals[3] = {settings_name(i), settings_value_at(s->settings, i),
			                       settings_description(i)};
			text_rows_add(&pt->rows, vals);
		}
		for (int i = 0; i < NSESSION_PROPS; i++) {
			const char *vals[3] = {session_props[i].name,
			                       session_prop_shown(s, i),
			                       "Ferry session property"};
			text_rows_add(&pt->rows, vals);
		}
		return NULL;
	}
	const char *v = NULL;
	int k = session_prop_index(p->set_name ? p->set_name : "");
	if (k >= 0) v = session_prop_shown(s, k);
	else TRY(settings_get(s->settings, p->set_name ? p->set_name : "", &v));
	pt->rows.ncols = 1;
	const char *vals[1] = {v};
	text_rows_add(&pt->rows, vals);
	return NULL;
}

static ferr *run_set_one(session *s, prepared_stmt *p);

/*
 * SET applies to the session; inside a block it is also recorded at session
 * level so that COMMIT keeps it and ROLLBACK undoes it. SET LOCAL applies
 * only until the block ends.
 */
static ferr *run_set(session *s, prepared_stmt *p)
{
	if (p->set_local && !s->txn_start) {
		send_notice(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "WARNING",
		            "SET LOCAL can only be used in transaction blocks");
		return NULL;
	}
	TRY(run_set_one(s, p));
	if (s->session_level && !p->set_local) {
		/* Replay on the session-level copy; it was validated just now. */
		settings *cur = s->settings;
		s->settings = s->session_level;
		strbuf saved = s->out;
		sb_init(&s->out);
		ferr *e = run_set_one(s, p);
		ferr_free(e);
		sb_free(&s->out);
		s->out = saved;
		s->settings = cur;
		apply_settings(s);
	}
	return NULL;
}

/* At the end of a block: back to the session-level (COMMIT) or BEGIN (ROLLBACK) values. */
static void txn_end_settings(session *s, bool commit)
{
	if (!s->txn_start) return;
	settings *target = commit ? s->session_level : s->txn_start;
	for (int i = 0; i < settings_count(); i++) {
		if (settings_is_reported(i) &&
		    strcmp(settings_value_at(s->settings, i), settings_value_at(target, i)) != 0)
			pgw_write_parameter_status(&s->out, settings_name(i), settings_value_at(target, i));
	}
	settings_assign(s->settings, target);
	settings_destroy(s->txn_start);
	settings_destroy(s->session_level);
	s->txn_start = s->session_level = NULL;
	apply_settings(s);
}

/*
 * RESET goes back to the value the session started with (startup packet and
 * options), not the built-in default, as PostgreSQL's reset value does.
 */
static ferr *reset_setting(session *s, const char *name, int *reported)
{
	int i = settings_index(name);
	if (i < 0 || settings_is_readonly(i) || !s->reset_base) return settings_reset(s->settings, name, reported);
	settings_set_internal(s->settings, settings_name(i), settings_value_at(s->reset_base, i));
	*reported = settings_is_reported(i);
	return NULL;
}

static ferr *run_set_one(session *s, prepared_stmt *p)
{
	if (!p->set_name) { /* RESET ALL */
		for (int i = 0; i < settings_count(); i++) {
			if (settings_is_readonly(i)) continue;
			char *before = xstrdup(settings_value_at(s->settings, i));
			int reported = 0;
			ferr *e = reset_setting(s, settings_name(i), &reported);
			ferr_free(e);
			if (reported && strcmp(before, settings_value_at(s->settings, i)) != 0)
				report_setting(s, settings_name(i));
			free(before);
		}
		for (int i = 0; i < NSESSION_PROPS; i++) set_session_prop(s, i, NULL);
		apply_settings(s);
		return NULL;
	}
	int k = session_prop_index(p->set_name);
	if (k >= 0 && settings_index(p->set_name) < 0) {
		TRY(set_session_prop(s, k, p->set_value));
		publish_settings(s);
		return NULL;
	}
	int reported = 0;
	ferr *e = p->set_value ? settings_set(s->settings, p->set_name, p->set_value, &reported)
	                       : reset_setting(s, p->set_name, &reported);
	if (e) {
		/* Custom placeholder settings (a.b) are accepted as PostgreSQL does. */
		if (strcmp(e->sqlstate, SQLSTATE_UNDEFINED_OBJECT) == 0 && strchr(p->set_name, '.')) {
			ferr_free(e);
			return NULL;
		}
		return e;
	}
	if (reported) report_setting(s, p->set_name);
	apply_settings(s);
	return NULL;
}

static void drop_all_statements(session *s)
{
	while (s->stmts) stmt_remove(s, s->stmts);
}

static void drop_all_portals(session *s)
{
	while (s->portals) portal_drop(s, s->portals);
}

/*
 * Execute a portal: rows (up to max_rows, 0 = all) and the command tag into
 * *tag. *suspended when the row limit stopped a query before its end.
 */
static ferr *portal_execute(session *s, portal *pt, int64_t max_rows, const char *sql, char *tag,
                            size_t tagsz, bool *suspended, bool simple)
{
	prepared_stmt *p = pt->p;
	*suspended = false;
	snprintf(tag, tagsz, "%s", p->command_tag ? p->command_tag : "");
	int64_t sent = 0;
	bool more = false;

	/* In a failed transaction only its end is allowed. */
	if (s->txn == PGW_TXN_FAILED && p->kind != STMT_COMMIT && p->kind != STMT_ROLLBACK)
		return ferr_new(SQLSTATE_IN_FAILED_SQL_TRANSACTION,
		                "current transaction is aborted, commands ignored until end of transaction block");

	switch (p->kind) {
	case STMT_EMPTY:
		tag[0] = '\0';
		return NULL;
	case STMT_QUERY:
		TRY(portal_fetch(s, pt, max_rows, sql, &sent, &more));
		if (more) *suspended = true;
		else snprintf(tag, tagsz, "SELECT %lld", (long long)sent);
		return NULL;
	case STMT_EXPLAIN:
	case STMT_SHOW:
		if (pt->state == PORTAL_NEW) {
			TRY(p->kind == STMT_EXPLAIN ? run_explain(s, pt, sql) : run_show(s, pt));
			pt->state = PORTAL_RUNNING;
		}
		TRY(portal_fetch(s, pt, max_rows, sql, &sent, &more));
		if (more) *suspended = true;
		return NULL;
	case STMT_SET:
		if (pt->state == PORTAL_DONE) return NULL;
		pt->state = PORTAL_DONE;
		return run_set(s, p);
	case STMT_DDL:
		if (pt->state == PORTAL_DONE) return NULL;
		pt->state = PORTAL_DONE;
		return plan_execute_ddl(&s->ps, p);
	case STMT_WRITE: {
		if (pt->state == PORTAL_DONE) return NULL;
		int64_t n = 0;
		TRY(run_write(s, pt, sql, &n));
		if (!p->write_no_count) snprintf(tag, tagsz, "%s %lld", p->command_tag, (long long)n);
		return NULL;
	}
	case STMT_BEGIN:
		if (pt->state == PORTAL_DONE) return NULL;
		pt->state = PORTAL_DONE;
		if (s->txn != PGW_TXN_IDLE)
			send_notice(s, SQLSTATE_ACTIVE_SQL_TRANSACTION, "WARNING",
			            "there is already a transaction in progress");
		else {
			s->txn = PGW_TXN_BLOCK;
			s->txn_start = settings_clone(s->settings);
			s->session_level = settings_clone(s->settings);
		}
		return NULL;
	case STMT_COMMIT:
	case STMT_ROLLBACK:
		if (pt->state == PORTAL_DONE) return NULL;
		pt->state = PORTAL_DONE;
		if (s->txn == PGW_TXN_IDLE)
			send_notice(s, SQLSTATE_NO_ACTIVE_SQL_TRANSACTION, "WARNING",
			            "there is no transaction in progress");
		else if (s->txn == PGW_TXN_FAILED && p->kind == STMT_COMMIT)
			snprintf(tag, tagsz, "ROLLBACK");
		if (s->txn != PGW_TXN_IDLE && s->txn_wrote && (p->kind == STMT_ROLLBACK || s->txn == PGW_TXN_FAILED))
			send_notice(s, SQLSTATE_WARNING, "WARNING",
			            "the writes of this transaction block were committed by their own "
			            "statements; ROLLBACK did not undo them");
		s->txn_wrote = false;
		txn_end_settings(s, p->kind == STMT_COMMIT && s->txn == PGW_TXN_BLOCK);
		s->txn = PGW_TXN_IDLE;
		/* The portal running this statement ends with the transaction too. */
		pt->holdable = true;
		drop_txn_portals(s);
		pt->holdable = false;
		return NULL;
	case STMT_DISCARD:
		if (s->txn != PGW_TXN_IDLE)
			return ferr_new(SQLSTATE_ACTIVE_SQL_TRANSACTION,
			                "DISCARD ALL cannot run inside a transaction block");
		pt->state = PORTAL_DONE;
		drop_all_statements(s);
		/* Other portals go; the one running DISCARD is freed by its caller. */
		for (portal **pp = &s->portals; *pp;) {
			portal *o = *pp;
			if (o != pt) {
				*pp = o->next;
				portal_free(s, o);
			} else {
				pp = &o->next;
			}
		}
		{
			prepared_stmt reset = {.kind = STMT_SET};
			run_set(s, &reset);
		}
		return NULL;
	case STMT_DEALLOCATE:
		pt->state = PORTAL_DONE;
		if (!p->set_name) {
			drop_all_statements(s);
			snprintf(tag, tagsz, "DEALLOCATE ALL");
			return NULL;
		}
		{
			stmt_entry *e = stmt_find(s, p->set_name);
			if (!e)
				return ferr_new(SQLSTATE_INVALID_SQL_STATEMENT_NAME,
				                "prepared statement \"%s\" does not exist", p->set_name);
			stmt_remove(s, e);
		}
		return NULL;
	case STMT_DECLARE: {
		pt->state = PORTAL_DONE;
		if (!p->cursor_hold && s->txn == PGW_TXN_IDLE)
			return ferr_new(SQLSTATE_NO_ACTIVE_SQL_TRANSACTION,
			                "DECLARE CURSOR can only be used in transaction blocks");
		if (!p->cursor_query || !p->cursor_name)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "this DECLARE CURSOR is not supported");
		if (portal_find(s, p->cursor_name))
			return ferr_new(SQLSTATE_DUPLICATE_CURSOR, "cursor \"%s\" already exists", p->cursor_name);
		portal *c = portal_new(s, p->cursor_name, pt->stmt, p->cursor_query);
		c->is_cursor = true;
		c->holdable = p->cursor_hold;
		if (p->cursor_query->nparams > 0 && pt->params) {
			c->params = arena_alloc(c->arena, sizeof(fvalue) * p->cursor_query->nparams);
			memcpy(c->params, pt->params, sizeof(fvalue) * p->cursor_query->nparams);
		}
		return NULL;
	}
	case STMT_FETCH: {
		pt->state = PORTAL_DONE;
		portal *c = p->cursor_name ? portal_find(s, p->cursor_name) : NULL;
		if (!c || !c->is_cursor)
			return ferr_new(SQLSTATE_INVALID_CURSOR_NAME, "cursor \"%s\" does not exist",
			                p->cursor_name ? p->cursor_name : "");
		if (simple) send_row_description(s, c->ncols, c->cols, c->formats);
		int64_t want = p->fetch_count < 0 ? 0 : p->fetch_count;
		if (p->fetch_count == 0) want = -1; /* FETCH 0: nothing */
		if (want >= 0) {
			ferr *e = portal_fetch(s, c, want, sql, &sent, &more);
			if (e) return e;
		}
		snprintf(tag, tagsz, "FETCH %lld", (long long)sent);
		return NULL;
	}
	case STMT_CLOSE:
		pt->state = PORTAL_DONE;
		if (!p->cursor_name) {
			for (portal **pp = &s->portals; *pp;) {
				portal *o = *pp;
				if (o->is_cursor) {
					*pp = o->next;
					portal_free(s, o);
				} else {
					pp = &o->next;
				}
			}
			return NULL;
		}
		{
			portal *c = portal_find(s, p->cursor_name);
			if (!c || !c->is_cursor)
				return ferr_new(SQLSTATE_INVALID_CURSOR_NAME, "cursor \"%s\" does not exist",
				                p->cursor_name);
			portal_drop(s, c);
		}
		return NULL;
	case STMT_NOOP:
		pt->state = PORTAL_DONE;
		return NULL;
	case STMT_ANALYZE: {
		if (pt->state == PORTAL_DONE) return NULL;
		pt->state = PORTAL_DONE;
		int64_t n;
		TRY(plan_execute_analyze(&s->ps, p, &n));
		/* Trino's update count: the rows read, when the connector counted them */
		if (n >= 0) snprintf(tag, tagsz, "%s %lld", p->command_tag, (long long)n);
		return NULL;
	}
	}
	return NULL;
}

/* After an error: inside a transaction block it is now failed. */
static void statement_failed(session *s)
{
	if (s->txn == PGW_TXN_BLOCK) s->txn = PGW_TXN_FAILED;
}

/* Position of byte offset off in text as a 1-based character count (UTF-8). */
static int char_position(const char *text, int off)
{
	int chars = 0;
	for (int i = 0; i < off && text[i]; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80) chars++;
	return chars;
}

/* ---- simple query ---- */

static void handle_query(session *s, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	const char *sql = pgw_get_str(&r);
	pgw_expect_end(&r);
	ferr *e = pgw_reader_error(&r);
	if (e) {
		send_error(s, e);
		ferr_free(e);
		send_ready(s);
		return;
	}
	arena *a = arena_create(NULL, "simple query");
	int n = 0;
	stmt_span *spans = NULL;
	statement_begin(s, sql);
	stamp_statement(s);
	if ((e = plan_split(sql, a, &n, &spans))) {
		send_error(s, e);
		ferr_free(e);
		statement_failed(s);
		n = -1;
	}
	if (n == 0) pgw_write_empty_query(&s->out);
	for (int i = 0; i < n; i++) {
		char *text = arena_strndup(a, sql + spans[i].offset, (size_t)spans[i].length);
		arm_statement_timeout(s);
		stmt_entry *se = xcalloc(1, sizeof *se);
		se->name = xstrdup("");
		se->sql = xstrdup(text);
		se->refs = 1;
		e = plan_prepare(&s->ps, text, 0, NULL, &se->p);
		if (e) {
			if (e->position > 0)
				e->position += char_position(sql, spans[i].offset);
			se->p = NULL;
		} else {
			/* In an aborted transaction, only its end is run. */
			portal *pt = portal_new(s, "\x01simple", se, se->p);
			if (se->p->kind == STMT_QUERY || se->p->kind == STMT_EXPLAIN || se->p->kind == STMT_SHOW) {
				if (s->txn != PGW_TXN_FAILED)
					send_row_description(s, pt->ncols, pt->cols, pt->formats);
			}
			char tag[64];
			bool suspended;
			e = portal_execute(s, pt, 0, text, tag, sizeof tag, &suspended, true);
			if (!e) {
				if (se->p->kind == STMT_EMPTY) pgw_write_empty_query(&s->out);
				else pgw_write_command_complete(&s->out, tag);
			}
			portal_drop(s, pt);
		}
		stmt_unref(se);
		if (e) {
			send_error(s, e);
			ferr_free(e);
			statement_failed(s);
			break;
		}
		if (cancel_error(s) && i + 1 < n) {
			/* A cancel that arrived between statements stops the rest. */
			e = cancel_error(s);
			send_error(s, e);
			ferr_free(e);
			statement_failed(s);
			break;
		}
	}
	arena_destroy(a);
	statement_end(s);
	send_ready(s);
}

/* ---- extended query ---- */

static ferr *handle_parse(session *s, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	const char *name = pgw_get_str(&r);
	const char *sql = pgw_get_str(&r);
	int16_t np = pgw_get_int16(&r);
	if (np < 0) np = 0;
	uint32_t *oids = xcalloc(np ? np : 1, sizeof *oids);
	for (int i = 0; i < np; i++) oids[i] = (uint32_t)pgw_get_int32(&r);
	pgw_expect_end(&r);
	ferr *e = pgw_reader_error(&r);
	if (e) {
		free(oids);
		return e;
	}
	if (*name && stmt_find(s, name)) {
		free(oids);
		return ferr_new(SQLSTATE_DUPLICATE_PREPARED_STATEMENT, "prepared statement \"%s\" already exists",
		                name);
	}
	arena *a = arena_create(NULL, "parse");
	stamp_statement(s);
	int n = 0;
	stmt_span *spans = NULL;
	e = plan_split(sql, a, &n, &spans);
	if (!e && n > 1)
		e = ferr_new(SQLSTATE_SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
	prepared_stmt *p = NULL;
	if (!e) {
		const char *text = n == 1 ? arena_strndup(a, sql + spans[0].offset, (size_t)spans[0].length) : "";
		e = plan_prepare(&s->ps, text, np, oids, &p);
		if (e && e->position > 0 && n == 1) e->position += char_position(sql, spans[0].offset);
	}
	arena_destroy(a);
	free(oids);
	if (e) return e;
	if (s->txn == PGW_TXN_FAILED && p->kind != STMT_COMMIT && p->kind != STMT_ROLLBACK) {
		plan_free(p);
		return ferr_new(SQLSTATE_IN_FAILED_SQL_TRANSACTION,
		                "current transaction is aborted, commands ignored until end of transaction block");
	}
	if (!*name) {
		stmt_entry *old = stmt_find(s, "");
		if (old) stmt_remove(s, old);
	}
	stmt_entry *se = xcalloc(1, sizeof *se);
	se->name = xstrdup(name);
	se->sql = xstrdup(sql);
	se->p = p;
	se->refs = 1;
	se->next = s->stmts;
	s->stmts = se;
	pgw_write_parse_complete(&s->out);
	return NULL;
}

static ferr *decode_param(const fmt_settings *fs, portal *pt, int i, int16_t format, const char *data,
                          int32_t len)
{
	fvalue *v = &pt->params[i];
	ftype t = pt->p->param_types[i];
	memset(v, 0, sizeof *v);
	if (len < 0) {
		v->isnull = true;
		return NULL;
	}
	void *dst = (void *)fvalue_ptr(t, v);
	ferr *e = format == PGW_FORMAT_BINARY ? value_in_binary(t, data, (size_t)len, pt->arena, dst)
	                                      : value_in_text_fs(t, data, (size_t)len, pt->arena, dst, fs);
	if (e && format == PGW_FORMAT_BINARY) {
		ferr *w = ferr_new(SQLSTATE_INVALID_BINARY_REPRESENTATION,
		                   "incorrect binary data format in bind parameter %d", i + 1);
		ferr_free(e);
		return w;
	}
	return e;
}

/*
 * A prepared statement that folded now(), current_date, ... is planned again
 * at each Bind, from its text and its parameter types, with this message's
 * start times: a named statement reused across transactions (pgjdbc's after
 * prepareThreshold) sees each transaction's now(), as in PostgreSQL, and
 * filters on those values still reach the connectors at plan time. The
 * portal owns the new plan.
 */
static ferr *replan_for_bind(session *s, const stmt_entry *se, prepared_stmt **p)
{
	arena *a = arena_create(NULL, "replan");
	int n = 0;
	stmt_span *spans = NULL;
	ferr *e = plan_split(se->sql, a, &n, &spans);
	if (!e && n != 1) e = ferr_new(SQLSTATE_INTERNAL_ERROR, "prepared statement text changed");
	uint32_t *oids = NULL;
	if (!e) {
		oids = xcalloc((*p)->nparams ? (size_t)(*p)->nparams : 1, sizeof *oids);
		for (int i = 0; i < (*p)->nparams; i++) oids[i] = ftype_oid((*p)->param_types[i]);
		const char *text = arena_strndup(a, se->sql + spans[0].offset, (size_t)spans[0].length);
		prepared_stmt *np = NULL;
		e = plan_prepare(&s->ps, text, (*p)->nparams, oids, &np);
		if (!e) *p = np;
	}
	free(oids);
	arena_destroy(a);
	return e;
}

static ferr *handle_bind(session *s, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	const char *pname = pgw_get_str(&r);
	const char *sname = pgw_get_str(&r);
	int16_t nfmt = pgw_get_int16(&r);
	if (nfmt < 0) return ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid message format");
	int16_t *pfmt = xcalloc(nfmt ? nfmt : 1, sizeof *pfmt);
	for (int i = 0; i < nfmt; i++) pfmt[i] = pgw_get_int16(&r);
	int16_t nparams = pgw_get_int16(&r);
	ferr *e = pgw_reader_error(&r);
	if (e) {
		free(pfmt);
		return e;
	}
	stmt_entry *se = stmt_find(s, sname);
	if (!se) {
		free(pfmt);
		return ferr_new(SQLSTATE_INVALID_SQL_STATEMENT_NAME, "prepared statement \"%s\" does not exist",
		                sname);
	}
	prepared_stmt *p = se->p;
	if (nparams != p->nparams) {
		free(pfmt);
		return ferr_new(SQLSTATE_PROTOCOL_VIOLATION,
		                "bind message supplies %d parameters, but prepared statement \"%s\" requires %d",
		                nparams, sname, p->nparams);
	}
	if (nfmt > 1 && nfmt != nparams) {
		free(pfmt);
		return ferr_new(SQLSTATE_PROTOCOL_VIOLATION,
		                "bind message has %d parameter formats but %d parameters", nfmt, nparams);
	}
	if (s->txn == PGW_TXN_FAILED && p->kind != STMT_COMMIT && p->kind != STMT_ROLLBACK) {
		free(pfmt);
		return ferr_new(SQLSTATE_IN_FAILED_SQL_TRANSACTION,
		                "current transaction is aborted, commands ignored until end of transaction block");
	}
	if (*pname && portal_find(s, pname)) {
		free(pfmt);
		return ferr_new(SQLSTATE_DUPLICATE_CURSOR, "portal \"%s\" already exists", pname);
	}
	if (!*pname) {
		portal *old = portal_find(s, "");
		if (old) portal_drop(s, old);
	}
	bool replanned = false;
	if (p->time_dependent && (p->kind == STMT_QUERY || p->kind == STMT_EXPLAIN || p->kind == STMT_WRITE)) {
		stamp_statement(s);
		if ((e = replan_for_bind(s, se, &p))) {
			free(pfmt);
			return e;
		}
		replanned = true;
	}
	portal *pt = portal_new(s, pname, se, p);
	pt->owns_p = replanned;
	pt->params = arena_zalloc(pt->arena, sizeof(fvalue) * (nparams ? nparams : 1));
	for (int i = 0; i < nparams && !e; i++) {
		int32_t plen = pgw_get_int32(&r);
		const char *data = plen > 0 ? pgw_get_bytes(&r, (size_t)plen) : "";
		if ((e = pgw_reader_error(&r))) break;
		int16_t f = nfmt == 0 ? PGW_FORMAT_TEXT : nfmt == 1 ? pfmt[0] : pfmt[i];
		if (f != PGW_FORMAT_TEXT && f != PGW_FORMAT_BINARY)
			e = ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "unsupported format code: %d", f);
		else
			e = decode_param(&s->fmt, pt, i, f, data, plen);
	}
	free(pfmt);
	if (!e) {
		int16_t nrf = pgw_get_int16(&r);
		if (nrf < 0) nrf = 0;
		int16_t *rf = xcalloc(nrf ? nrf : 1, sizeof *rf);
		for (int i = 0; i < nrf; i++) rf[i] = pgw_get_int16(&r);
		pgw_expect_end(&r);
		e = pgw_reader_error(&r);
		if (!e && nrf > 1 && nrf != pt->ncols)
			e = ferr_new(SQLSTATE_PROTOCOL_VIOLATION,
			             "bind message has %d result formats but query has %d columns", nrf, pt->ncols);
		for (int i = 0; !e && i < nrf; i++)
			if (rf[i] != PGW_FORMAT_TEXT && rf[i] != PGW_FORMAT_BINARY)
				e = ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "unsupported format code: %d", rf[i]);
		for (int i = 0; !e && i < pt->ncols; i++)
			pt->formats[i] = nrf == 0 ? PGW_FORMAT_TEXT : nrf == 1 ? rf[0] : rf[i];
		free(rf);
	}
	if (e) {
		portal_drop(s, pt);
		return e;
	}
	pgw_write_bind_complete(&s->out);
	return NULL;
}

static ferr *handle_describe(session *s, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	char target = (char)pgw_get_int8(&r);
	const char *name = pgw_get_str(&r);
	pgw_expect_end(&r);
	TRY(pgw_reader_error(&r));
	if (target == PGW_TARGET_STATEMENT) {
		stmt_entry *se = stmt_find(s, name);
		if (!se)
			return ferr_new(SQLSTATE_INVALID_SQL_STATEMENT_NAME,
			                "prepared statement \"%s\" does not exist", name);
		uint32_t *oids = xcalloc(se->p->nparams ? se->p->nparams : 1, sizeof *oids);
		for (int i = 0; i < se->p->nparams; i++) oids[i] = ftype_oid(se->p->param_types[i]);
		pgw_write_parameter_description(&s->out, oids, se->p->nparams);
		free(oids);
		arena *a = arena_create(NULL, "describe");
		result_column *cols;
		int n = stmt_columns(s, se->p, a, &cols);
		bool rows = se->p->kind == STMT_QUERY || se->p->kind == STMT_EXPLAIN ||
		            se->p->kind == STMT_SHOW || se->p->kind == STMT_FETCH;
		if (rows) send_row_description(s, n, cols, NULL);
		else pgw_write_no_data(&s->out);
		arena_destroy(a);
		return NULL;
	}
	if (target == PGW_TARGET_PORTAL) {
		portal *pt = portal_find(s, name);
		if (!pt) return ferr_new(SQLSTATE_INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
		bool rows = pt->p->kind == STMT_QUERY || pt->p->kind == STMT_EXPLAIN ||
		            pt->p->kind == STMT_SHOW || pt->p->kind == STMT_FETCH;
		if (rows) send_row_description(s, pt->ncols, pt->cols, pt->formats);
		else pgw_write_no_data(&s->out);
		return NULL;
	}
	return ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid DESCRIBE message subtype %d", target);
}

static ferr *handle_execute(session *s, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	const char *name = pgw_get_str(&r);
	int32_t max_rows = pgw_get_int32(&r);
	pgw_expect_end(&r);
	TRY(pgw_reader_error(&r));
	portal *pt = portal_find(s, name);
	if (!pt) return ferr_new(SQLSTATE_INVALID_CURSOR_NAME, "portal \"%s\" does not exist", name);
	statement_begin(s, pt->stmt->sql);
	char tag[64];
	bool suspended = false;
	ferr *e = portal_execute(s, pt, max_rows > 0 ? max_rows : 0, pt->stmt->sql, tag, sizeof tag,
	                         &suspended, false);
	statement_end(s);
	if (e) return e;
	if (suspended) pgw_write_portal_suspended(&s->out);
	else if (pt->p->kind == STMT_EMPTY) pgw_write_empty_query(&s->out);
	else pgw_write_command_complete(&s->out, tag);
	return NULL;
}

static ferr *handle_close(session *s, const uint8_t *body, size_t len)
{
	pgw_reader r;
	pgw_reader_init(&r, body, len);
	char target = (char)pgw_get_int8(&r);
	const char *name = pgw_get_str(&r);
	pgw_expect_end(&r);
	TRY(pgw_reader_error(&r));
	if (target == PGW_TARGET_STATEMENT) {
		stmt_entry *se = stmt_find(s, name);
		if (se) stmt_remove(s, se);
	} else if (target == PGW_TARGET_PORTAL) {
		portal *pt = portal_find(s, name);
		if (pt) portal_drop(s, pt);
	} else {
		return ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid CLOSE message subtype %d", target);
	}
	pgw_write_close_complete(&s->out);
	return NULL;
}

/* ---- startup ---- */

/* Applies "-c name=value" / "--name=value" words of the options parameter. */
static ferr *apply_options(session *s, const char *opts)
{
	char *copy = xstrdup(opts);
	char *words[64];
	int nw = 0;
	char *p = copy;
	while (*p && nw < 64) {
		while (*p == ' ' || *p == '\t') p++;
		if (!*p) break;
		char *w = p, *o = p;
		/* Backslash escapes a space inside a word, as PostgreSQL's pg_split_opts. */
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\\' && p[1]) p++;
			*o++ = *p++;
		}
		if (*p) p++;
		*o = '\0';
		words[nw++] = w;
	}
	ferr *e = NULL;
	for (int i = 0; i < nw && !e; i++) {
		const char *kv = NULL;
		if (strcmp(words[i], "-c") == 0 && i + 1 < nw) kv = words[++i];
		else if (strncmp(words[i], "-c", 2) == 0) kv = words[i] + 2;
		else if (strncmp(words[i], "--", 2) == 0) kv = words[i] + 2;
		else {
			e = ferr_new(SQLSTATE_INVALID_PARAMETER_VALUE, "invalid command-line argument: %s", words[i]);
			break;
		}
		char *eq = strchr(kv, '=');
		if (!eq) {
			e = ferr_new(SQLSTATE_SYNTAX_ERROR, "-c %s requires a value", kv);
			break;
		}
		*eq = '\0';
		for (char *q = (char *)kv; *q; q++)
			if (*q == '-') *q = '_';
		int reported;
		e = settings_set(s->settings, kv, eq + 1, &reported);
	}
	free(copy);
	return e;
}

static ferr *startup(session *s, const pgw_startup *st)
{
	const char *user = pgw_startup_get(st, "user");
	if (!user || !*user)
		return ferr_new(SQLSTATE_INVALID_AUTHORIZATION_SPECIFICATION,
		                "no PostgreSQL user name specified in startup packet");
	const char *db = pgw_startup_get(st, "database");
	if (!db || !*db) db = user;
	s->user = xstrdup(user);
	s->database = xstrdup(db);
	settings_set_internal(s->settings, "session_authorization", user);
	settings_set_internal(s->settings, "server_version", s->cfg->version);
	for (int i = 0; i < st->nparams; i++) {
		const char *n = st->params[i].name, *v = st->params[i].value;
		if (strcmp(n, "user") == 0 || strcmp(n, "database") == 0) continue;
		if (strcmp(n, "options") == 0) {
			TRY(apply_options(s, v));
			continue;
		}
		if (strcmp(n, "replication") == 0)
			return ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "replication connections are not supported");
		int reported;
		ferr *e = settings_set(s->settings, n, v, &reported);
		if (e && strchr(n, '.') && strcmp(e->sqlstate, SQLSTATE_UNDEFINED_OBJECT) == 0) {
			ferr_free(e);
			continue;
		}
		if (e) return e;
	}
	apply_settings(s);
	s->reset_base = settings_clone(s->settings);
	publish_settings(s);

	conn_catalog *c = catalogs_acquire(s->database);
	if (!c) return ferr_new(SQLSTATE_INVALID_CATALOG_NAME, "database \"%s\" does not exist", s->database);
	catalogs_release(c);
	s->ps.user = s->user;
	s->ps.catalog = s->database;
	s->fmt.reg_catalog = s->database;
	s->fmt.reg_user = s->user;
	s->ps.backend_pid = s->pid;
	s->ps.server_version = s->cfg->version;

	const char *app = NULL;
	settings_get(s->settings, "application_name", &app);
	pthread_mutex_lock(&s->mu);
	snprintf(s->info.user, sizeof s->info.user, "%s", s->user);
	snprintf(s->info.database, sizeof s->info.database, "%s", s->database);
	snprintf(s->info.application_name, sizeof s->info.application_name, "%s", app ? app : "");
	pthread_mutex_unlock(&s->mu);

	pgw_write_auth_ok(&s->out);
	for (int i = 0; i < settings_count(); i++)
		if (settings_is_reported(i))
			pgw_write_parameter_status(&s->out, settings_name(i), settings_value_at(s->settings, i));
	pgw_write_backend_key_data(&s->out, s->pid, s->secret);
	return NULL;
}

/* ---- the loop ---- */

/* ---- pg_stat_activity: the live sessions, listed by the catalog emulation ---- */

static session *live_sessions;
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t activity_once = PTHREAD_ONCE_INIT;

static const char *ms_stamp(arena *a, int64_t ms)
{
	if (ms <= 0) return NULL;
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	return arena_sprintf(a, "%04d-%02d-%02d %02d:%02d:%02d.%03d+00", tm.tm_year + 1900,
	                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	                     (int)(ms % 1000));
}

/* datname, pid, usename, application_name, state, query, backend_start, query_start */
static ferr *activity_rows(arena *a, system_rows *out)
{
	pthread_mutex_lock(&live_lock);
	int n = 0;
	for (session *s = live_sessions; s; s = s->live_next) n++;
	out->ncols = 8;
	out->values = arena_zalloc(a, sizeof(char *) * (size_t)(n * 8 + 1));
	int r = 0;
	for (session *s = live_sessions; s; s = s->live_next) {
		session_info in;
		session_get_info(s, &in);
		if (!in.user[0]) continue; /* still starting */
		const char **row = out->values + r * 8;
		row[0] = arena_strdup(a, in.database);
		row[1] = arena_sprintf(a, "%d", (int)in.pid);
		row[2] = arena_strdup(a, in.user);
		row[3] = arena_strdup(a, in.application_name);
		row[4] = arena_strdup(a, in.state);
		row[5] = arena_strdup(a, in.query);
		row[6] = ms_stamp(a, in.backend_start_ms);
		row[7] = ms_stamp(a, in.query_start_ms);
		r++;
	}
	pthread_mutex_unlock(&live_lock);
	out->nrows = r;
	return NULL;
}

/* pg_settings: the published settings of session pid, or the defaults when it is gone. */
static ferr *shown_rows(int32_t pid, arena *a, system_rows *out)
{
	out->ncols = SHOWN_COLS;
	pthread_mutex_lock(&live_lock);
	session *s = live_sessions;
	while (s && (s->pid != pid || !s->shown)) s = s->live_next;
	int n = 0;
	char **rows = NULL;
	if (s) {
		pthread_mutex_lock(&s->mu);
		n = s->nshown;
		rows = s->shown;
	}
	char **dflt = NULL;
	if (!rows) {
		settings *d = settings_create();
		dflt = rows = shown_table(NULL, d, NULL, NULL, &n);
		settings_destroy(d);
	}
	out->nrows = n;
	out->values = arena_alloc(a, sizeof(char *) * (size_t)(n * SHOWN_COLS + 1));
	for (int i = 0; i < n * SHOWN_COLS; i++) out->values[i] = arena_strdup(a, rows[i]);
	if (s) pthread_mutex_unlock(&s->mu);
	pthread_mutex_unlock(&live_lock);
	free_rows(dflt, n);
	return NULL;
}

static void activity_register(void)
{
	pgcatalog_set_activity_provider(activity_rows);
	pgcatalog_set_settings_provider(shown_rows);
	pgcatalog_init();
}

session *session_create(int fd, const server_config *cfg, int32_t pid, int32_t secret)
{
	session *s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->cfg = cfg;
	s->pid = pid;
	s->secret = secret;
	sb_init(&s->out);
	s->settings = settings_create();
	fmt_settings_default(&s->fmt);
	s->ps.fmt = &s->fmt;
	s->ps.get_property = get_property;
	s->ps.opaque = s;
	s->txn = PGW_TXN_IDLE;
	pthread_mutex_init(&s->mu, NULL);
	s->info.pid = pid;
	s->info.backend_start_ms = wall_ms();
	snprintf(s->info.state, sizeof s->info.state, "starting");
	pthread_once(&activity_once, activity_register);
	pthread_mutex_lock(&live_lock);
	s->live_next = live_sessions;
	live_sessions = s;
	pthread_mutex_unlock(&live_lock);
	return s;
}

void session_main(session *s, const pgw_startup *st)
{
	pgcatalog_set_thread_session(s->pid); /* pg_settings planned here are this session's */
	ferr *e = startup(s, st);
	if (e) {
		free(e->severity);
		e->severity = xstrdup("FATAL");
		send_error(s, e);
		ferr_free(e);
		flush_out(s);
		return;
	}
	log_msg(LOG_DEBUG, "session %d: user %s database %s", s->pid, s->user, s->database);
	set_info_state(s, "idle", NULL);
	send_ready(s);

	while (!s->dead) {
		char type;
		const uint8_t *body;
		size_t len;
		bool eof;
		e = read_message(s, &type, &body, &len, &eof);
		if (eof) break;
		if (e) {
			/* A bad length word: the stream is lost, as PostgreSQL says. */
			free(e->severity);
			e->severity = xstrdup("FATAL");
			send_error(s, e);
			ferr_free(e);
			flush_out(s);
			break;
		}
		pthread_mutex_lock(&s->mu);
		bool stop = s->shutdown;
		pthread_mutex_unlock(&s->mu);
		if (stop) {
			e = ferr_new(SQLSTATE_ADMIN_SHUTDOWN, "terminating connection due to administrator command");
			free(e->severity);
			e->severity = xstrdup("FATAL");
			send_error(s, e);
			ferr_free(e);
			flush_out(s);
			break;
		}
		if (type == PGW_FE_TERMINATE) break;
		if (s->skip_until_sync && type != PGW_FE_SYNC) continue;
		switch (type) {
		case PGW_FE_QUERY:
			handle_query(s, body, len);
			continue;
		case PGW_FE_SYNC:
			s->skip_until_sync = false;
			/* Sync ends the implicit transaction: its portals go. */
			if (s->txn == PGW_TXN_IDLE) drop_txn_portals(s);
			send_ready(s);
			continue;
		case PGW_FE_FLUSH:
			flush_out(s);
			continue;
		case PGW_FE_PARSE: e = handle_parse(s, body, len); break;
		case PGW_FE_BIND: e = handle_bind(s, body, len); break;
		case PGW_FE_DESCRIBE: e = handle_describe(s, body, len); break;
		case PGW_FE_EXECUTE: e = handle_execute(s, body, len); break;
		case PGW_FE_CLOSE: e = handle_close(s, body, len); break;
		case PGW_FE_COPY_DATA:
		case PGW_FE_COPY_DONE:
		case PGW_FE_COPY_FAIL:
			/* Outside COPY these are ignored, as PostgreSQL does. */
			continue;
		case PGW_FE_FUNCTION_CALL:
			e = ferr_new(SQLSTATE_FEATURE_NOT_SUPPORTED, "the function call protocol is not supported");
			break;
		default:
			e = ferr_new(SQLSTATE_PROTOCOL_VIOLATION, "invalid frontend message type %d", (unsigned char)type);
			free(e->severity);
			e->severity = xstrdup("FATAL");
			send_error(s, e);
			ferr_free(e);
			flush_out(s);
			s->dead = true;
			continue;
		}
		if (e) {
			send_error(s, e);
			ferr_free(e);
			statement_failed(s);
			s->skip_until_sync = true;
			/* The client may be waiting for the error without having sent Sync yet. */
			flush_out(s);
		} else {
			maybe_flush(s);
		}
	}
	set_info_state(s, "closed", NULL);
}

void session_cancel(session *s)
{
	pthread_mutex_lock(&s->mu);
	if (s->running)
		exec_query_cancel(s->running, SQLSTATE_QUERY_CANCELED, "canceling statement due to user request");
	else if (s->active)
		s->cancel_pending = true;
	pthread_mutex_unlock(&s->mu);
}

void session_shutdown(session *s)
{
	pthread_mutex_lock(&s->mu);
	s->shutdown = true;
	if (s->running)
		exec_query_cancel(s->running, SQLSTATE_ADMIN_SHUTDOWN,
		                  "terminating connection due to administrator command");
	pthread_mutex_unlock(&s->mu);
	shutdown(s->fd, SHUT_RD);
}

void session_get_info(session *s, session_info *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->info;
	pthread_mutex_unlock(&s->mu);
}

void session_destroy(session *s)
{
	if (!s) return;
	pthread_mutex_lock(&live_lock);
	for (session **pp = &live_sessions; *pp; pp = &(*pp)->live_next)
		if (*pp == s) {
			*pp = s->live_next;
			break;
		}
	pthread_mutex_unlock(&live_lock);
	drop_all_portals(s);
	drop_all_statements(s);
	settings_destroy(s->settings);
	settings_destroy(s->txn_start);
	settings_destroy(s->session_level);
	settings_destroy(s->reset_base);
	free_rows(s->shown, s->nshown);
	for (int i = 0; i < NSESSION_PROPS; i++) free(s->props[i]);
	free(s->timezone);
	free(s->search_path);
	free(s->user);
	free(s->database);
	free(s->in);
	sb_free(&s->out);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
