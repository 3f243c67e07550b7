/*
 * gcwatch - a live view of the Go garbage collector.  main parses the
 * command line and hands over to the mode that was asked for (run.h): the
 * dashboard on a terminal, or batch (a filter and a time-like wrapper).
 */
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/run.h"
#include "app/cli.h"
#include "ui/tui.h"

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
	/* The character set first: messages about the command line are
	 * sanitised for the terminal in it (the rest of the locale after
	 * parsing, so that numbers in options always take a '.'). */
	setlocale(LC_CTYPE, "");
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
	if (!o.command && !o.ninputs && isatty(STDIN_FILENO)) {
		fputs("gcwatch: nothing to watch: give a PATH, -c 'COMMAND', '-- COMMAND', "
		      "or pipe a trace into standard input\nTry 'gcwatch --help'.\n", stderr);
		return CLI_EXIT_USAGE;
	}
	/* The dashboard when asked for, or when standard output is a
	 * terminal; batch otherwise (a filter, a script, CI). */
	if (!o.batch && (o.tui || isatty(STDOUT_FILENO)) && tui_possible())
		return run_dashboard(&o);
	return run_batch(&o);
}
