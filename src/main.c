/*
 * gcwatch - a live view of the Go garbage collector.  main parses the
 * command line and hands over to the mode that was asked for.
 */
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"

/* A descriptor 0-2 closed at start would be taken by the next open (libuv
 * would then hand its own descriptors to the program): fill it. */
static void fill_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(1);
}

int main(int argc, char **argv)
{
	struct options o;

	fill_std_fds();
	int rc = cli_parse(argc, argv, &o, stderr);

	if (rc)
		return rc;
	if (o.help) {
		cli_usage(stdout);
		return 0;
	}
	if (o.version) {
		puts("gcwatch " GCWATCH_VERSION);
		return 0;
	}
	setlocale(LC_ALL, "");
	if (!o.command && !o.path && isatty(STDIN_FILENO)) {
		fputs("gcwatch: nothing to watch: give a PATH, '-- COMMAND', or pipe "
		      "a trace into standard input\nTry 'gcwatch --help'.\n", stderr);
		return CLI_EXIT_USAGE;
	}
	/* The dashboard comes later; until then every run is a batch run. */
	return batch_run(&o);
}
