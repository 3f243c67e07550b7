/*
 * nonss.c - for the static binary only (make static): libuv's
 * uv_os_get_passwd and uv_os_homedir (without HOME) call getpwuid_r, which
 * a static glibc can only answer by loading the node's NSS modules at run
 * time, of the build machine's glibc version.  gcwatch never asks for a
 * user; the link wraps getpwuid_r to this, which says there is none.
 */
#include <errno.h>
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
