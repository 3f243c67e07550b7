/*
 * nonss.c - for the static binary only (make static): libuv's
 * uv_os_get_passwd and uv_os_homedir (without HOME) call getpwuid_r, which
 * a static glibc can only answer by loading the node's NSS modules at run
 * time, of the build machine's glibc version.  gcwatch never asks for a
 * user; the link wraps getpwuid_r to this, which says there is none.
 * libevent (the metrics endpoint) has name lookups too (getaddrinfo,
 * getservbyname, getprotobynumber) that gcwatch never reaches: it parses
 * --listen with inet_pton and binds the socket itself.  They are wrapped
 * to fail, so the binary never loads NSS modules of another glibc.
 */
#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stddef.h>
#include <sys/types.h>

int __wrap_getpwuid_r(uid_t uid, struct passwd *pwd, char *buf, size_t len,
                      struct passwd **result);

int __wrap_getpwuid_r(uid_t uid, struct passwd *pwd, char *buf, size_t len,
                      struct passwd **result)
{
	(void)uid;
	(void)pwd;
	(void)buf;
	(void)len;
	*result = NULL;
	return ENOENT;
}

int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res);
struct servent *__wrap_getservbyname(const char *name, const char *proto);
struct protoent *__wrap_getprotobynumber(int proto);

int __wrap_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                       struct addrinfo **res)
{
	(void)node;
	(void)service;
	(void)hints;
	*res = NULL;
	return EAI_FAIL;
}

struct servent *__wrap_getservbyname(const char *name, const char *proto)
{
	(void)name;
	(void)proto;
	return NULL;
}

struct protoent *__wrap_getprotobynumber(int proto)
{
	(void)proto;
	return NULL;
}
