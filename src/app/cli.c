#include "app/cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/promhttp.h"

void cli_usage(FILE *out)
{
	fputs("usage: gcwatch [OPTIONS] -- COMMAND [ARG...]   run COMMAND with gctrace on, and watch it\n"
	      "       gcwatch [OPTIONS] PATH                  watch a file or fifo (\"-\" is standard input)\n"
	      "       gcwatch [OPTIONS]                       watch standard input when it is not a terminal\n"
	      "\n"
	      "Reads the Go runtime's GODEBUG=gctrace=1 output and shows the garbage\n"
	      "collector's pauses, heap and mark workers.\n"
	      "\n"
	      "options:\n"
	      "  -j, --json FILE   also write one JSON object per collection to FILE (- = stdout)\n"
	      "      --csv FILE    the same records as CSV with a header row\n"
	      "  -b, --batch       no dashboard: pass the program's own output through, runtime\n"
	      "                    trace lines taken out, and print a summary at the end;\n"
	      "                    implied when standard output is not a terminal\n"
	      "      --tui         the dashboard on /dev/tty even when output is redirected\n"
	      "  -f, --follow      a file: keep reading what is appended, across truncation\n"
	      "                    and rotation; a fifo: wait for the next writer\n"
	      "  -r, --record FILE save every byte read to FILE, for --replay\n"
	      "      --replay[=SPEED]  read PATH at the pace of its own @ times (x SPEED)\n"
	      "      --gctrace N   the gctrace value given to COMMAND (default 1)\n"
	      "  -i, --interval MS least time between screen updates (default 250)\n"
	      "      --ascii       plain ASCII charts (automatic without a UTF-8 locale)\n"
	      "      --no-color    no colours (automatic with NO_COLOR or a terminal without)\n"
	      "      --assist-warn PCT  highlight mark assist above PCT%% of mark CPU (25)\n"
	      "      --listen [HOST:]PORT  serve Prometheus metrics at /metrics (HOST\n"
	      "                    127.0.0.1 unless given; another HOST exposes them)\n"
	      "      --linger SECONDS  after the input ends, keep serving until one more\n"
	      "                    scrape has read the final values, at most SECONDS\n"
	      "      --fail-if EXPR     at the end, exit 99 when EXPR holds, e.g.\n"
	      "                    'pause.p99 > 5ms', 'gc.cpu > 10%%', 'heap.live.max > 512MB'\n"
	      "  -s, --summary     print the end-of-run summary (the default in batch mode)\n"
	      "  -q, --quiet       do not print the summary\n"
	      "  -h, --help        this text\n"
	      "  -V, --version     the version\n"
	      "\n"
	      "exit status: with COMMAND, its own (128+N after signal N; 127 not found,\n"
	      "126 cannot run); otherwise 0 when the input was read to its end, 1 when it\n"
	      "could not be read (the message names it); 2 for a usage error; 99 when a\n"
	      "--fail-if condition holds (and COMMAND, if any, exited 0).\n",
	      out);
}

int cli_parse(int argc, char **argv, struct options *o, FILE *err)
{
	static const struct option longopts[] = {
		{"json", required_argument, NULL, 'j'},
		{"csv", required_argument, NULL, 'C'},
		{"batch", no_argument, NULL, 'b'},
		{"tui", no_argument, NULL, 'T'},
		{"summary", no_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"follow", no_argument, NULL, 'f'},
		{"record", required_argument, NULL, 'r'},
		{"replay", optional_argument, NULL, 'R'},
		{"gctrace", required_argument, NULL, 'G'},
		{"interval", required_argument, NULL, 'i'},
		{"ascii", no_argument, NULL, 'A'},
		{"no-color", no_argument, NULL, 'N'},
		{"no-colour", no_argument, NULL, 'N'},
		{"assist-warn", required_argument, NULL, 'W'},
		{"max-frames", required_argument, NULL, 'M'},
		{"fail-if", required_argument, NULL, 'F'},
		{"listen", required_argument, NULL, 'P'},
		{"linger", required_argument, NULL, 'Y'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof *o);
	o->summary = -1;
	o->gctrace = 1;
	o->interval_ms = 250;
	o->assist_warn = 0.25;
	/* '+': stop at the first operand, so COMMAND's own options stay
	 * its own; ':' first: report a missing argument ourselves. */
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:j:bsqfr:i:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json_path = optarg;
			break;
		case 'C':
			o->csv_path = optarg;
			break;
		case 'b':
			o->batch = true;
			break;
		case 'T':
			o->tui = true;
			break;
		case 's':
			o->summary = 1;
			break;
		case 'q':
			o->summary = 0;
			break;
		case 'f':
			o->follow = true;
			break;
		case 'r':
			o->record = optarg;
			break;
		case 'R': {
			char *end;
			errno = 0;
			o->replay = optarg ? strtod(optarg, &end) : 1.0;
			if (optarg && (errno || end == optarg || *end || !(o->replay > 0) ||
			               isinf(o->replay))) {
				fprintf(err, "gcwatch: --replay: '%s' is not a speed (a number above 0)\n",
				        optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		}
		case 'G': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 1000) {
				fprintf(err, "gcwatch: --gctrace: '%s' is not a number from 1 to 1000\n",
				        optarg);
				return CLI_EXIT_USAGE;
			}
			o->gctrace = (int)v;
			break;
		}
		case 'i':
		case 'M': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < (c == 'i' ? 10 : 1) || v > 3600000) {
				fprintf(err, "gcwatch: %s: '%s' is not %s\n",
				        c == 'i' ? "--interval" : "--max-frames", optarg,
				        c == 'i' ? "a number of milliseconds from 10 to 3600000"
				                 : "a number of frames");
				return CLI_EXIT_USAGE;
			}
			if (c == 'i')
				o->interval_ms = (unsigned)v;
			else
				o->max_frames = (unsigned)v;
			break;
		}
		case 'F': {
			char msg[1024];
			if (o->ngates == CLI_GATES_MAX) {
				fprintf(err, "gcwatch: at most %d --fail-if\n", CLI_GATES_MAX);
				return CLI_EXIT_USAGE;
			}
			if (gate_parse(optarg, &o->gates[o->ngates], msg, sizeof msg) != 0) {
				fprintf(err, "gcwatch: %s\n", msg);
				return CLI_EXIT_USAGE;
			}
			o->ngates++;
			break;
		}
		case 'P': {
			struct sockaddr_storage ss;
			socklen_t sl;
			char msg[256];
			if (promhttp_parse_listen(optarg, &ss, &sl, msg, sizeof msg) != 0) {
				fprintf(err, "gcwatch: %s\n", msg);
				return CLI_EXIT_USAGE;
			}
			o->listen = optarg;
			break;
		}
		case 'Y': {
			char *end;
			errno = 0;
			o->linger_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->linger_s >= 0 && o->linger_s <= 86400)) {
				fprintf(err, "gcwatch: --linger: '%s' is not a number of seconds "
				        "from 0 to 86400\n", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		}
		case 'A':
			o->ascii = true;
			break;
		case 'N':
			o->no_color = true;
			break;
		case 'W': {
			char *end;
			errno = 0;
			double v = strtod(optarg, &end);
			if (end != optarg && *end == '%')
				end++;
			if (errno || end == optarg || *end || !(v > 0 && v <= 100)) {
				fprintf(err, "gcwatch: --assist-warn: '%s' is not a percentage "
				        "above 0 and at most 100\n", optarg);
				return CLI_EXIT_USAGE;
			}
			o->assist_warn = v / 100;
			break;
		}
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		case ':':
			fprintf(err, "gcwatch: option '%s' needs an argument\n",
			        argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			if (optopt)
				fprintf(err, "gcwatch: unknown option '-%c'\n", optopt);
			else
				fprintf(err, "gcwatch: unknown option '%s'\n",
				        argv[optind - 1]);
			fputs("Try 'gcwatch --help'.\n", err);
			return CLI_EXIT_USAGE;
		}
	}
	if (o->help || o->version)
		return 0;
	if (optind < argc && strcmp(argv[optind - 1], "--") == 0) {
		o->command = argv + optind;
	} else if (optind < argc) {
		o->path = argv[optind++];
		if (optind < argc) {
			fprintf(err, "gcwatch: unexpected argument '%s' (one PATH; "
			        "put a command after '--')\n", argv[optind]);
			return CLI_EXIT_USAGE;
		}
	} else if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
		fputs("gcwatch: '--' must be followed by a command\n", err);
		return CLI_EXIT_USAGE;
	}
	if (o->command && (o->follow || o->replay > 0)) {
		fprintf(err, "gcwatch: %s does not go with a command\n",
		        o->follow ? "--follow" : "--replay");
		return CLI_EXIT_USAGE;
	}
	if (o->replay > 0 && (!o->path || strcmp(o->path, "-") == 0)) {
		fputs("gcwatch: --replay needs the PATH of a recording\n", err);
		return CLI_EXIT_USAGE;
	}
	if (o->linger_s > 0 && !o->listen) {
		fputs("gcwatch: --linger goes with --listen\n", err);
		return CLI_EXIT_USAGE;
	}
	if (o->json_path && o->csv_path && strcmp(o->json_path, "-") == 0 &&
	    strcmp(o->csv_path, "-") == 0) {
		fputs("gcwatch: --json - and --csv - cannot both use standard output\n", err);
		return CLI_EXIT_USAGE;
	}
	return 0;
}
