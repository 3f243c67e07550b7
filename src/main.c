/*
 * gcwatch - a live view of the Go garbage collector.  main parses the
 * command line and hands over to the mode that was asked for.
 */
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"

int main(int argc, char **argv)
{
	struct options o;
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
	if (o.command) {
		fputs("gcwatch: running a command is not supported yet; pipe its "
		      "output instead:\n  GODEBUG=gctrace=1 COMMAND 2>&1 | gcwatch -b -\n",
		      stderr);
		return CLI_EXIT_USAGE;
	}
	if (!o.path && isatty(STDIN_FILENO)) {
		fputs("gcwatch: nothing to watch: give a PATH, '-- COMMAND', or pipe "
		      "a trace into standard input\nTry 'gcwatch --help'.\n", stderr);
		return CLI_EXIT_USAGE;
	}
	/* The dashboard comes later; until then every run is a batch run. */
	return batch_run(&o);
}
