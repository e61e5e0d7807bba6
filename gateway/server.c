/*
 * server.c — the pgwire listener. An accept thread hands each connection to
 * a thread of its own, which reads the startup packet (answering SSL and
 * GSSENC requests with 'N'), serves CancelRequests from the table of live
 * sessions, and otherwise runs the session to its end. Nothing a client
 * sends can stop the listener: bad startup packets only close that socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/log.h"
#include "gateway/server.h"
#include "gateway/session.h"
#include "pgwire/proto.h"

/* A client has this long to send its startup packet (authentication_timeout). */
#define STARTUP_TIMEOUT_SECS 60

typedef struct conn {
	struct conn *next;
	pthread_t thread;
	int fd;
	int32_t pid;
	int32_t secret;
	session *sess; /* set while the session runs; guarded by srv.mu */
	bool done;     /* thread finished; joined by the reaper */
} conn;

static struct {
	server_config cfg;
	int listen_fd;
	int wake_pipe[2];
	int port;
	pthread_t accept_thread;
	bool running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	conn *conns;
	int nconns;
	atomic_int next_pid;
} srv = {.listen_fd = -1, .wake_pipe = {-1, -1}, .mu = PTHREAD_MUTEX_INITIALIZER,
         .cv = PTHREAD_COND_INITIALIZER};

void server_config_default(server_config *c)
{
	memset(c, 0, sizeof *c);
	c->host = "127.0.0.1";
	c->port = 5433;
	c->max_connections = 100;
	c->max_memory_per_node = 0;
	c->version = "15.0";
}

int server_port(void) { return srv.port; }

/* Read exactly n bytes; false on EOF, error or timeout. */
static bool read_exact(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = recv(fd, (char *)buf + got, n - got, 0);
		if (r > 0) got += (size_t)r;
		else if (r < 0 && errno == EINTR) continue;
		else return false;
	}
	return true;
}

static void write_all(int fd, const void *buf, size_t n)
{
	size_t off = 0;
	while (off < n) {
		ssize_t w = send(fd, (const char *)buf + off, n - off, MSG_NOSIGNAL);
		if (w > 0) off += (size_t)w;
		else if (w < 0 && errno == EINTR) continue;
		else return;
	}
}

/* A FATAL ErrorResponse before a session exists (too many clients, bad packet). */
static void send_fatal(int fd, ferr *e)
{
	strbuf sb = STRBUF_INIT;
	free(e->severity);
	e->severity = strdup("FATAL");
	pgw_write_error(&sb, e, 0);
	write_all(fd, sb.data, sb.len);
	sb_free(&sb);
	ferr_free(e);
}

static void cancel_backend(int32_t pid, int32_t secret)
{
	pthread_mutex_lock(&srv.mu);
	for (conn *c = srv.conns; c; c = c->next) {
		/* Both must match: the key is what proves the right to cancel. */
		if (c->pid == pid && c->secret == secret && c->sess) {
			session_cancel(c->sess);
			break;
		}
	}
	pthread_mutex_unlock(&srv.mu);
}

/*
 * Read startup packets until a 3.0 StartupMessage (after at most one SSL
 * and one GSSENC request), a CancelRequest, or a failure. Returns the
 * startup in *st (arena a) or false when the connection is to be closed.
 */
static bool read_startup(conn *c, arena *a, pgw_startup *st)
{
	for (int round = 0; round < 3; round++) {
		uint8_t lenb[4];
		if (!read_exact(c->fd, lenb, 4)) return false;
		int32_t len = (int32_t)((uint32_t)lenb[0] << 24 | (uint32_t)lenb[1] << 16 |
		                        (uint32_t)lenb[2] << 8 | lenb[3]);
		size_t body_len;
		ferr *e = pgw_check_startup_len(len, &body_len);
		if (e) {
			log_msg(LOG_DEBUG, "pgwire: %s", e->message);
			ferr_free(e);
			return false;
		}
		void *body = arena_alloc(a, body_len ? body_len : 1);
		if (!read_exact(c->fd, body, body_len)) return false;
		if ((e = pgw_parse_startup(a, body, body_len, st))) {
			send_fatal(c->fd, e);
			return false;
		}
		if (st->kind == PGW_STARTUP_SSL || st->kind == PGW_STARTUP_GSSENC) {
			char no = PGW_NEGOTIATE_NO;
			write_all(c->fd, &no, 1);
			continue;
		}
		return true;
	}
	return false;
}

static void *conn_main(void *arg)
{
	conn *c = arg;
	arena *a = arena_create(NULL, "startup");
	pgw_startup st;
	struct timeval tv = {.tv_sec = STARTUP_TIMEOUT_SECS};
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (read_startup(c, a, &st)) {
		if (st.kind == PGW_STARTUP_CANCEL) {
			cancel_backend(st.cancel_pid, st.cancel_key);
		} else {
			struct timeval none = {0};
			setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
			session *s = session_create(c->fd, &srv.cfg, c->pid, c->secret);
			pthread_mutex_lock(&srv.mu);
			c->sess = s;
			bool stopping = !srv.running;
			pthread_mutex_unlock(&srv.mu);
			if (!stopping) session_main(s, &st);
			pthread_mutex_lock(&srv.mu);
			c->sess = NULL;
			pthread_mutex_unlock(&srv.mu);
			session_destroy(s);
		}
	}
	arena_destroy(a);
	/* Close under the lock: server_stop must never shut down a reused descriptor. */
	pthread_mutex_lock(&srv.mu);
	close(c->fd);
	c->done = true;
	c->fd = -1;
	pthread_cond_broadcast(&srv.cv);
	pthread_mutex_unlock(&srv.mu);
	return NULL;
}

/* Join and free the connections whose threads have finished. Caller holds srv.mu. */
static void reap_locked(void)
{
	conn **pp = &srv.conns;
	while (*pp) {
		conn *c = *pp;
		if (c->done) {
			*pp = c->next;
			pthread_join(c->thread, NULL);
			srv.nconns--;
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

static void accept_one(void)
{
	int fd = accept4(srv.listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			log_msg(LOG_WARN, "pgwire: accept: %s", strerror(errno));
		if (errno == EMFILE || errno == ENFILE) usleep(100 * 1000);
		return;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);

	pthread_mutex_lock(&srv.mu);
	reap_locked();
	/* Cancel requests also take a connection slot briefly; PostgreSQL counts them too. */
	if (srv.nconns >= srv.cfg.max_connections) {
		pthread_mutex_unlock(&srv.mu);
		send_fatal(fd, ferr_new(SQLSTATE_TOO_MANY_CONNECTIONS, "sorry, too many clients already"));
		close(fd);
		return;
	}
	conn *c = calloc(1, sizeof *c);
	if (!c) {
		pthread_mutex_unlock(&srv.mu);
		close(fd);
		return;
	}
	c->fd = fd;
	c->pid = atomic_fetch_add(&srv.next_pid, 1);
	if (RAND_bytes((unsigned char *)&c->secret, sizeof c->secret) != 1)
		c->secret = (int32_t)random();
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 2u << 20);
	if (pthread_create(&c->thread, &attr, conn_main, c) != 0) {
		pthread_attr_destroy(&attr);
		pthread_mutex_unlock(&srv.mu);
		send_fatal(fd, ferr_new(SQLSTATE_INSUFFICIENT_RESOURCES, "could not start a session thread"));
		close(fd);
		free(c);
		return;
	}
	pthread_attr_destroy(&attr);
	c->next = srv.conns;
	srv.conns = c;
	srv.nconns++;
	pthread_mutex_unlock(&srv.mu);
}

static void *accept_main(void *arg)
{
	struct pollfd pf[2] = {{.fd = srv.listen_fd, .events = POLLIN},
	                       {.fd = srv.wake_pipe[0], .events = POLLIN}};
	for (;;) {
		int r = poll(pf, 2, 1000);
		if (r < 0 && errno != EINTR) break;
		if (pf[1].revents) break;
		if (r > 0 && (pf[0].revents & POLLIN)) accept_one();
		if (r == 0) {
			pthread_mutex_lock(&srv.mu);
			reap_locked();
			pthread_mutex_unlock(&srv.mu);
		}
	}
	return NULL;
}

ferr *server_start(const server_config *c)
{
	srv.cfg = *c;
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", c->port);
	const char *host = (c->host && *c->host && strcmp(c->host, "*") != 0) ? c->host : NULL;
	int rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0)
		return ferr_new(SQLSTATE_CONFIG_FILE_ERROR, "pgwire.host '%s': %s", c->host ? c->host : "",
		                gai_strerror(rc));
	int fd = -1;
	int err = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0) break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return ferr_new(SQLSTATE_SYSTEM_ERROR, "could not listen on %s:%d: %s", c->host, c->port,
		                strerror(err));
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	srv.port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                          : ((struct sockaddr_in *)&ss)->sin_port);
	if (pipe2(srv.wake_pipe, O_CLOEXEC) != 0) {
		close(fd);
		return ferr_new(SQLSTATE_SYSTEM_ERROR, "pipe: %s", strerror(errno));
	}
	srv.listen_fd = fd;
	/* Backend "pids" only need to be unique per server; start away from 0. */
	int32_t base;
	if (RAND_bytes((unsigned char *)&base, sizeof base) != 1) base = (int32_t)getpid();
	atomic_store(&srv.next_pid, 1000 + (int)((uint32_t)base % 1000000u));
	srv.running = true;
	if (pthread_create(&srv.accept_thread, NULL, accept_main, NULL) != 0) {
		srv.running = false;
		close(fd);
		return ferr_new(SQLSTATE_SYSTEM_ERROR, "could not start the accept thread");
	}
	return NULL;
}

void server_stop(void)
{
	if (srv.listen_fd < 0) return;
	ssize_t ignored = write(srv.wake_pipe[1], "x", 1);
	(void)ignored;
	pthread_join(srv.accept_thread, NULL);
	close(srv.listen_fd);
	srv.listen_fd = -1;

	pthread_mutex_lock(&srv.mu);
	srv.running = false;
	for (conn *c = srv.conns; c; c = c->next) {
		if (c->sess) session_shutdown(c->sess);
		else if (c->fd >= 0) shutdown(c->fd, SHUT_RDWR);
	}
	while (srv.conns) {
		reap_locked();
		if (srv.conns) pthread_cond_wait(&srv.cv, &srv.mu);
	}
	pthread_mutex_unlock(&srv.mu);
	close(srv.wake_pipe[0]);
	close(srv.wake_pipe[1]);
}
