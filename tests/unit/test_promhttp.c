/* Unit tests for promhttp: --listen parsing, and a real server on
 * 127.0.0.1 (an ephemeral port) answering real requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "outputs/promhttp.h"

static void test_parse_listen(void **state)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char err[256], buf[64];
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

	assert_int_equal(promhttp_parse_listen("9187", &ss, &sl, err, sizeof err), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_string_equal(inet_ntop(AF_INET, &a4->sin_addr, buf, sizeof buf), "127.0.0.1");
	assert_int_equal(ntohs(a4->sin_port), 9187);
	assert_int_equal(promhttp_parse_listen(":9187", &ss, &sl, err, sizeof err), 0);
	assert_string_equal(inet_ntop(AF_INET, &a4->sin_addr, buf, sizeof buf), "127.0.0.1");
	assert_int_equal(promhttp_parse_listen("0.0.0.0:80", &ss, &sl, err, sizeof err), 0);
	assert_string_equal(inet_ntop(AF_INET, &a4->sin_addr, buf, sizeof buf), "0.0.0.0");
	assert_int_equal(promhttp_parse_listen("localhost:1", &ss, &sl, err, sizeof err), 0);
	assert_string_equal(inet_ntop(AF_INET, &a4->sin_addr, buf, sizeof buf), "127.0.0.1");
	assert_int_equal(promhttp_parse_listen("[::1]:9187", &ss, &sl, err, sizeof err), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_string_equal(inet_ntop(AF_INET6, &a6->sin6_addr, buf, sizeof buf), "::1");
	assert_int_equal(ntohs(a6->sin6_port), 9187);
	assert_int_equal(sl, sizeof *a6);

	const char *bad[] = {"", ":", "x", "65536", "-1", "+5", "1.2.3:80", "host.example:80",
	                     "::1:80", "[::1]", "[::1]80", "[zz]:80", "127.0.0.1:", "12 ",
	                     "127.0.0.1:8o"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		if (promhttp_parse_listen(bad[i], &ss, &sl, err, sizeof err) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(strncmp(err, "--listen: ", 10) == 0);
	}
}

/* One request over a fresh connection; the whole response into out. */
static size_t ask(int port, const char *req, char *out, size_t cap)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	size_t n = 0;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	size_t len = strlen(req);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, req + off, len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	for (;;) {
		ssize_t r = read(fd, out + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	out[n] = 0;
	close(fd);
	return n;
}

static void test_server(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	char err[256], *buf = malloc(1 << 16);
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = 1;
	r.clock_sweep_term_us = 10;
	r.clock_mark_term_us = 20;
	metrics_record(m, NULL, &r, 1000);
	uint64_t v = metrics_publish(m, 1000, true);
	struct promhttp *h = promhttp_start("127.0.0.1:0", m, err, sizeof err);
	assert_non_null(h);
	int port = promhttp_port(h);
	assert_true(port > 0);
	/* Nothing served yet. */
	assert_int_equal(promhttp_wait_served(h, v, 10), 0);

	ask(port, "GET /metrics HTTP/1.0\r\n\r\n", buf, 1 << 16);
	assert_true(strncmp(buf, "HTTP/1.0 200", 12) == 0 || strncmp(buf, "HTTP/1.1 200", 12) == 0);
	assert_non_null(strstr(buf, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	assert_non_null(strstr(buf, "\r\n\r\n# HELP gctrace_cycles_total"));
	assert_non_null(strstr(buf, "gctrace_pause_seconds_sum 0.00003\n"));
	assert_int_equal(promhttp_wait_served(h, v, 5000), 1);

	ask(port, "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
	          "Accept: application/openmetrics-text; version=1.0.0\r\n\r\n", buf, 1 << 16);
	assert_true(strncmp(buf, "HTTP/1.1 200", 12) == 0);
	assert_non_null(strstr(buf, "application/openmetrics-text; version=1.0.0"));
	assert_non_null(strstr(buf, "gctrace_cycles_total 1\n"));
	assert_non_null(strstr(buf, "\n# EOF\n"));

	ask(port, "GET / HTTP/1.0\r\n\r\n", buf, 1 << 16);
	assert_true(strncmp(buf, "HTTP/1.0 200", 12) == 0 || strncmp(buf, "HTTP/1.1 200", 12) == 0);
	assert_non_null(strstr(buf, "/metrics"));

	ask(port, "GET /nope HTTP/1.0\r\n\r\n", buf, 1 << 16);
	assert_non_null(strstr(buf, " 404 "));
	ask(port, "POST /metrics HTTP/1.0\r\nContent-Length: 0\r\n\r\n", buf, 1 << 16);
	assert_non_null(strstr(buf, " 405 "));
	assert_non_null(strstr(buf, "Allow: GET, HEAD\r\n"));
	ask(port, "DELETE / HTTP/1.0\r\n\r\n", buf, 1 << 16);
	assert_non_null(strstr(buf, " 405 "));
	ask(port, "HEAD /metrics HTTP/1.0\r\n\r\n", buf, 1 << 16);
	assert_non_null(strstr(buf, " 200 "));
	assert_null(strstr(buf, "gctrace_cycles_total"));
	ask(port, "garbage\r\n\r\n", buf, 1 << 16);
	assert_non_null(strstr(buf, " 400 "));

	/* Headers over the bound: an HTTP error, not a crash or a hang. */
	size_t big = 100000;
	char *req = malloc(big + 64);
	strcpy(req, "GET /metrics HTTP/1.1\r\nX-Big: ");
	size_t k = strlen(req);
	memset(req + k, 'a', big);
	strcpy(req + k + big, "\r\n\r\n");
	ask(port, req, buf, 1 << 16);
	/* evhttp answers 400 Bad Request to headers over the bound. */
	assert_non_null(strstr(buf, " 400 "));
	free(req);

	promhttp_stop(h);
	metrics_free(m);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_listen),
		cmocka_unit_test(test_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
