#include "ui/termdb.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* dir/c/name for entry i (c: the name's first character, as ncurses'
 * database lays them out). */
static int entry_path(char *buf, size_t cap, const char *dir, size_t i, int with_name)
{
	const char *name = termdb_entries[i].name;
	int n = with_name ? snprintf(buf, cap, "%s/%c/%s", dir, name[0], name)
	                  : snprintf(buf, cap, "%s/%c", dir, name[0]);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

char *termdb_extract(void)
{
	/* A bare node (a chroot, a scratch container) may have no /tmp: the
	 * current directory is the last resort; it is all removed at once. */
	const char *bases[] = {getenv("TMPDIR"), "/tmp", "/dev/shm", "."};
	char path[4096];
	char *dir = malloc(4096);
	size_t b;

	if (!dir)
		return NULL;
	for (b = 0; b < sizeof bases / sizeof bases[0]; b++) {
		if (!bases[b] || !*bases[b])
			continue;
		snprintf(dir, 4096, "%s/.gcwatch-terminfo-XXXXXX", bases[b]);
		if (mkdtemp(dir))
			break;
	}
	if (b == sizeof bases / sizeof bases[0]) {
		free(dir);
		return NULL;
	}
	for (size_t i = 0; i < termdb_count; i++) {
		if (entry_path(path, sizeof path, dir, i, 0) != 0)
			goto fail;
		(void)mkdir(path, 0700); /* may exist: two names, one letter */
		if (entry_path(path, sizeof path, dir, i, 1) != 0)
			goto fail;
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			goto fail;
		int rc = write_all(fd, termdb_entries[i].data, termdb_entries[i].len);
		if (close(fd) != 0 || rc != 0)
			goto fail;
	}
	return dir;
fail:
	termdb_remove(dir);
	return NULL;
}

void termdb_remove(char *dir)
{
	char path[4096];

	if (!dir)
		return;
	for (size_t i = 0; i < termdb_count; i++)
		if (entry_path(path, sizeof path, dir, i, 1) == 0)
			unlink(path);
	for (size_t i = 0; i < termdb_count; i++)
		if (entry_path(path, sizeof path, dir, i, 0) == 0)
			rmdir(path);
	rmdir(dir);
	free(dir);
}
