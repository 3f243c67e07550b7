#include "outputs/promhttp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>

/* The listener may accept a few connections in one go before it is
 * paused: room for them. */
#define CONN_SLOTS (PROMHTTP_CONN_MAX + 16)
#define AUDIT_MS 200
#define BACKLOG 16

/* A rendered body, shared by the responses that are still being written
 * (evbuffer references, no copy per scrape).  HTTP thread only. */
struct body {
	unsigned refs;
	size_t len;
	char *data;
};

struct promhttp;

/* A connection evhttp made with our bufferevent (we hold a reference to
 * it, so that we can tell when evhttp has let it go). */
struct conn {
	struct promhttp *h;
	struct bufferevent *bev;
	uint64_t since_ms;       /* opened, or last request completed */
	uint64_t version;        /* snapshot being written, 0 if none */
};

struct promhttp {
	struct metrics *m;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *audit;
	pthread_t thread;
	int port;
	struct conn conns[CONN_SLOTS];
	unsigned nconn;
	bool paused;
	/* The last rendering of each format, for the snapshot it came from. */
	struct body *cache[2];
	uint64_t cache_version[2];
	/* Served versions, for --linger (any thread). */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t served;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int promhttp_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len,
                          char *err, size_t errlen)
{
	char host[64] = "";
	const char *port;

	memset(ss, 0, sizeof *ss);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host) {
			snprintf(err, errlen, "--listen: '%s' is not [IPV6]:PORT", s);
			return -1;
		}
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = 0;
		port = close + 2;
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) {
			snprintf(err, errlen, "--listen: '%s' is not a numeric IPv6 address", host);
			return -1;
		}
		a->sin6_family = AF_INET6;
		*len = sizeof *a;
	} else {
		const char *colon = strrchr(s, ':');
		if (colon && (size_t)(colon - s) >= sizeof host) {
			snprintf(err, errlen, "--listen: '%s' is not [HOST:]PORT", s);
			return -1;
		}
		if (colon) {
			memcpy(host, s, (size_t)(colon - s));
			host[colon - s] = 0;
			if (strchr(host, ':')) {
				snprintf(err, errlen, "--listen: '%s': put an IPv6 address in "
				         "brackets, [::1]:PORT", s);
				return -1;
			}
		}
		port = colon ? colon + 1 : s;
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		const char *h4 = !host[0] || strcmp(host, "localhost") == 0 ? "127.0.0.1" : host;
		if (inet_pton(AF_INET, h4, &a->sin_addr) != 1) {
			snprintf(err, errlen, "--listen: '%s' is not a numeric IPv4 address "
			         "(no name lookup; 0.0.0.0 for every interface)", host);
			return -1;
		}
		a->sin_family = AF_INET;
		*len = sizeof *a;
	}
	char *end;
	errno = 0;
	long p = strtol(port, &end, 10);
	if (!*port || *end || errno || p < 0 || p > 65535 || port[0] == '-' || port[0] == '+') {
		snprintf(err, errlen, "--listen: '%s' is not a port number (0-65535)", port);
		return -1;
	}
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)p);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)p);
	return 0;
}

/* ---- bodies ------------------------------------------------------------------ */

static void body_unref(struct body *b)
{
	if (b && --b->refs == 0) {
		free(b->data);
		free(b);
	}
}

static void body_cleanup(const void *data, size_t len, void *arg)
{
	body_unref(arg);
}

/* The body of snapshot s in format f, rendered once per snapshot. */
static struct body *get_body(struct promhttp *h, struct metrics_snap *s, enum metrics_format f)
{
	uint64_t v = metrics_snap_version(s);

	if (h->cache[f] && h->cache_version[f] == v)
		return h->cache[f];
	struct body *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->data = metrics_render(s, f, &b->len);
	if (!b->data) {
		free(b);
		return NULL;
	}
	b->refs = 1;
	body_unref(h->cache[f]);
	h->cache[f] = b;
	h->cache_version[f] = v;
	return b;
}

/* ---- connections --------------------------------------------------------------- */

static struct conn *conn_of(struct promhttp *h, struct evhttp_request *req)
{
	struct evhttp_connection *c = evhttp_request_get_connection(req);
	struct bufferevent *bev = c ? evhttp_connection_get_bufferevent(c) : NULL;

	for (unsigned i = 0; bev && i < CONN_SLOTS; i++)
		if (h->conns[i].bev == bev)
			return &h->conns[i];
	return NULL;
}

static void audit_arm(struct promhttp *h)
{
	struct timeval tv = {0, AUDIT_MS * 1000};

	if (!evtimer_pending(h->audit, NULL))
		evtimer_add(h->audit, &tv);
}

/* evhttp asks for the bufferevent of each new connection: ours, with a
 * reference kept, and counted. */
static struct bufferevent *on_new_conn(struct event_base *base, void *arg)
{
	struct promhttp *h = arg;
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);

	if (!bev)
		return NULL;
	for (unsigned i = 0; i < CONN_SLOTS; i++) {
		if (h->conns[i].bev)
			continue;
		bufferevent_incref(bev);
		h->conns[i] = (struct conn){h, bev, mono_ms(), 0};
		h->nconn++;
		break;
	}
	if (h->nconn >= PROMHTTP_CONN_MAX && !h->paused) {
		evconnlistener_disable(evhttp_bound_socket_get_listener(h->bound));
		h->paused = true;
	}
	audit_arm(h);
	return bev;
}

/*
 * Every AUDIT_MS while connections are open: reclaim those evhttp has
 * freed (it clears their callbacks), cut those that have taken more than
 * PROMHTTP_CONN_SECONDS to complete a request (a slow reader, a header
 * dribbler: evhttp's own timeout only sees a lack of progress), and
 * accept again below the bound.
 */
static void on_audit(evutil_socket_t fd, short what, void *arg)
{
	struct promhttp *h = arg;
	uint64_t now = mono_ms();

	for (unsigned i = 0; i < CONN_SLOTS; i++) {
		struct conn *c = &h->conns[i];
		bufferevent_event_cb ecb;
		if (!c->bev)
			continue;
		bufferevent_getcb(c->bev, NULL, NULL, &ecb, NULL);
		if (ecb && now - c->since_ms > PROMHTTP_CONN_SECONDS * 1000u) {
			/* evhttp frees a connection that timed out. */
			bufferevent_trigger_event(c->bev, BEV_EVENT_TIMEOUT | BEV_EVENT_READING, 0);
			bufferevent_getcb(c->bev, NULL, NULL, &ecb, NULL);
		}
		if (!ecb) {
			bufferevent_decref(c->bev);
			*c = (struct conn){0};
			h->nconn--;
		}
	}
	if (h->paused && h->nconn < PROMHTTP_CONN_MAX) {
		evconnlistener_enable(evhttp_bound_socket_get_listener(h->bound));
		h->paused = false;
	}
	if (h->nconn)
		audit_arm(h);
}

/* ---- requests ------------------------------------------------------------------- */

static void on_complete(struct evhttp_request *req, void *arg)
{
	struct conn *c = arg;
	struct promhttp *h = c->h;

	c->since_ms = mono_ms();
	if (c->version) {
		pthread_mutex_lock(&h->mu);
		if (c->version > h->served)
			h->served = c->version;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		c->version = 0;
	}
}

static void reply_text(struct evhttp_request *req, int code, const char *reason,
                       const char *text)
{
	struct evkeyvalq *oh = evhttp_request_get_output_headers(req);

	evhttp_add_header(oh, "Content-Type", "text/plain; charset=utf-8");
	evbuffer_add(evhttp_request_get_output_buffer(req), text, strlen(text));
	evhttp_send_reply(req, code, reason, NULL);
}

static void on_request(struct evhttp_request *req, void *arg)
{
	struct promhttp *h = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const char *path = u ? evhttp_uri_get_path(u) : NULL;
	struct conn *c = conn_of(h, req);

	if (c)
		evhttp_request_set_on_complete_cb(req, on_complete, c);
	if (!path) {
		reply_text(req, HTTP_BADREQUEST, "Bad Request", "bad request\n");
		return;
	}
	bool metrics = strcmp(path, "/metrics") == 0;
	if (!metrics && strcmp(path, "/") != 0) {
		reply_text(req, HTTP_NOTFOUND, "Not Found", "not found: the metrics are at /metrics\n");
		return;
	}
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		reply_text(req, 405, "Method Not Allowed", "method not allowed: use GET\n");
		return;
	}
	if (!metrics) {
		reply_text(req, HTTP_OK, "OK", "gcwatch: the metrics are at /metrics\n");
		return;
	}
	struct metrics_snap *s = metrics_acquire(h->m);
	if (!s) {
		reply_text(req, HTTP_SERVUNAVAIL, "Service Unavailable", "no metrics yet\n");
		return;
	}
	const char *accept = evhttp_find_header(evhttp_request_get_input_headers(req), "Accept");
	enum metrics_format f = metrics_negotiate(accept);
	struct body *b = get_body(h, s, f);
	if (!b) {
		metrics_snap_release(s);
		reply_text(req, HTTP_INTERNAL, "Internal Server Error", "out of memory\n");
		return;
	}
	if (c)
		c->version = metrics_snap_version(s);
	metrics_snap_release(s);
	if (cmd == EVHTTP_REQ_HEAD) {
		/* evhttp would send the body with a HEAD: its length alone. */
		char cl[32];
		snprintf(cl, sizeof cl, "%zu", b->len);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length", cl);
	} else {
		b->refs++;
		if (evbuffer_add_reference(evhttp_request_get_output_buffer(req), b->data, b->len,
		                           body_cleanup, b) != 0)
			b->refs--;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	                  metrics_content_type(f));
	evhttp_send_reply(req, HTTP_OK, "OK", NULL);
}

/* ---- the thread -------------------------------------------------------------------- */

static void use_threads(void)
{
	evthread_use_pthreads();
}

static void *serve(void *arg)
{
	struct promhttp *h = arg;

	event_base_dispatch(h->base);
	return NULL;
}

static void destroy(struct promhttp *h)
{
	if (h->http)
		evhttp_free(h->http); /* frees every connection it has */
	for (unsigned i = 0; i < CONN_SLOTS; i++)
		if (h->conns[i].bev)
			bufferevent_decref(h->conns[i].bev);
	if (h->audit)
		event_free(h->audit);
	if (h->base)
		event_base_free(h->base);
	body_unref(h->cache[0]);
	body_unref(h->cache[1]);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->cv);
	free(h);
}

struct promhttp *promhttp_start(const char *addr, struct metrics *m, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = -1;

	if (promhttp_parse_listen(addr, &ss, &sl, err, errlen) != 0)
		return NULL;
	/* The base is stopped from another thread: libevent's locking on. */
	pthread_once(&once, use_threads);
	struct promhttp *h = calloc(1, sizeof *h);
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->m = m;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, BACKLOG) != 0) {
		snprintf(err, errlen, "cannot listen on '%s': %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		destroy(h);
		return NULL;
	}
	struct sockaddr_storage got;
	socklen_t gl = sizeof got;
	getsockname(fd, (struct sockaddr *)&got, &gl);
	h->port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
	                                          : ((struct sockaddr_in *)&got)->sin_port);
	h->base = event_base_new();
	h->http = h->base ? evhttp_new(h->base) : NULL;
	h->audit = h->base ? evtimer_new(h->base, on_audit, h) : NULL;
	if (!h->http || !h->audit || !(h->bound = evhttp_accept_socket_with_handle(h->http, fd))) {
		snprintf(err, errlen, "cannot serve on '%s': out of memory", addr);
		close(fd);
		destroy(h);
		return NULL;
	}
	/* Our methods check gives 405; evhttp would answer 501. */
	evhttp_set_allowed_methods(h->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
	                           EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
	                           EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_max_headers_size(h->http, PROMHTTP_HEADERS_MAX);
	evhttp_set_max_body_size(h->http, 4096);
	evhttp_set_timeout(h->http, PROMHTTP_IO_TIMEOUT_S);
	evhttp_set_bevcb(h->http, on_new_conn, h);
	evhttp_set_gencb(h->http, on_request, h);
	if (pthread_create(&h->thread, NULL, serve, h) != 0) {
		snprintf(err, errlen, "cannot start the HTTP thread");
		destroy(h);
		return NULL;
	}
	return h;
}

int promhttp_port(const struct promhttp *h)
{
	return h->port;
}

int promhttp_wait_served(struct promhttp *h, uint64_t version, uint64_t timeout_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)(timeout_ms / 1000);
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->mu);
	while (h->served < version)
		if (pthread_cond_timedwait(&h->cv, &h->mu, &until) == ETIMEDOUT)
			break;
	int ok = h->served >= version;
	pthread_mutex_unlock(&h->mu);
	return ok;
}

void promhttp_stop(struct promhttp *h)
{
	if (!h)
		return;
	event_base_loopexit(h->base, NULL);
	pthread_join(h->thread, NULL);
	destroy(h);
}
