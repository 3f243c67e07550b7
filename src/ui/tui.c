#include "ui/tui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <uv.h>

#include "ui/grid.h"
#include "ui/keys.h"
#include "ui/sanitize.h"
#include "ui/termdb.h"
#include "model/model.h"
#include "text/clock.h"
#include "ui/view.h"

struct tui {
	struct engine *e;
	struct tui_opts o;
	uv_loop_t loop;
	/* Two opens of /dev/tty: ncurses writes through a blocking one (a
	 * frozen terminal then blocks this thread, not spins it), keys come
	 * through the other, which uv_poll makes non-blocking. */
	FILE *tty, *tty_in;
	SCREEN *scr;
	uv_poll_t keys;
	uv_signal_t winch;
	uv_async_t wake;     /* the engine: something changed */
	uv_timer_t frame;    /* the next frame */
	struct model *model; /* the snapshot drawn */
	struct analysis_digest digest; /* its shown feed's diagnosis */
	struct grid *grid;
	struct view_opts vo;
	uint64_t last_frame_ms;
	uint64_t frames;
	uint64_t drawn_version;
	uint64_t snapshot_bytes; /* copied from the engine, all frames */
	uint64_t drawn_second;
	int dirty;           /* something to draw */
	int quitting;        /* q pressed: the engine stops the program; leave when done */
	int done;            /* leave the loop */
	/* From the engine's thread: a signal was passed on to the program,
	 * which decides; leave when the input is done.  Or the terminal
	 * hung up: leave now, and let the program decide without us. */
	volatile int signal_seen, hangup;
	attr_t attrs[ROLE_COUNT];
};

/* Only one dashboard at a time: for the crash handler. */
static struct tui *active;

/* ---- colours -------------------------------------------------------------- */

static void setup_colours(struct tui *t)
{
	/* Monochrome: roles by attribute alone, readable anywhere. */
	static const attr_t mono[ROLE_COUNT] = {
		[ROLE_TITLE] = A_BOLD,
		[ROLE_BAR] = A_REVERSE,
		[ROLE_KEY] = A_BOLD,
		[ROLE_VALUE] = A_BOLD,
		[ROLE_WARN] = A_BOLD,
		[ROLE_ALERT] = A_BOLD | A_REVERSE,
		[ROLE_MARK] = A_BOLD,
		[ROLE_ESCAPED] = A_UNDERLINE,
		[ROLE_DIM] = A_DIM,
		[ROLE_SELECT] = A_REVERSE,
		[ROLE_RATE_ON] = A_REVERSE | A_BOLD,
	};
	/* Colour: foreground per role; -1 is the terminal's default. */
	static const short fg[ROLE_COUNT] = {
		[ROLE_NORMAL] = -1, [ROLE_DIM] = -1, [ROLE_TITLE] = COLOR_CYAN,
		[ROLE_BAR] = COLOR_BLACK, [ROLE_KEY] = COLOR_YELLOW,
		[ROLE_VALUE] = -1, [ROLE_PAUSE] = COLOR_MAGENTA,
		[ROLE_LIVE] = COLOR_GREEN, [ROLE_GOAL] = COLOR_YELLOW,
		[ROLE_START] = COLOR_BLUE, [ROLE_ASSIST] = COLOR_RED,
		[ROLE_BACKGROUND] = COLOR_CYAN, [ROLE_IDLE] = COLOR_BLUE,
		[ROLE_WARN] = COLOR_YELLOW, [ROLE_ALERT] = COLOR_RED,
		[ROLE_OK] = COLOR_GREEN, [ROLE_MARK] = COLOR_YELLOW,
		[ROLE_ESCAPED] = COLOR_MAGENTA, [ROLE_STDERR] = COLOR_YELLOW,
		[ROLE_SELECT] = -1, [ROLE_RATE_ON] = COLOR_WHITE,
		[ROLE_FEED + 0] = COLOR_GREEN, [ROLE_FEED + 1] = COLOR_CYAN,
		[ROLE_FEED + 2] = COLOR_MAGENTA, [ROLE_FEED + 3] = COLOR_YELLOW,
		[ROLE_FEED + 4] = COLOR_BLUE, [ROLE_FEED + 5] = COLOR_RED,
	};

	for (int r = 0; r < ROLE_COUNT; r++)
		t->attrs[r] = mono[r];
	if (!t->o.color || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (int r = 0; r < ROLE_COUNT; r++) {
		short bg = r == ROLE_BAR ? COLOR_CYAN : r == ROLE_RATE_ON ? COLOR_MAGENTA : -1;
		if (COLORS < 8)
			break;
		init_pair((short)(r + 1), fg[r], bg);
		attr_t extra = (r == ROLE_TITLE || r == ROLE_VALUE || r == ROLE_KEY ||
		                r == ROLE_ALERT || r == ROLE_WARN || r == ROLE_RATE_ON) ? A_BOLD : 0;
		if (r == ROLE_DIM)
			extra = A_DIM;
		if (r == ROLE_SELECT)
			extra = A_REVERSE;
		t->attrs[r] = COLOR_PAIR(r + 1) | extra;
	}
}

/* ---- painting ------------------------------------------------------------- */

static void paint(struct tui *t)
{
	struct grid *g = t->grid;
	char run[4096];

	for (int y = 0; y < g->h; y++) {
		int x = 0;
		while (x < g->w) {
			/* A run of cells of one role, drawn with one addstr. */
			int role = grid_at(g, x, y)->role, x0 = x;
			size_t n = 0;
			while (x < g->w && grid_at(g, x, y)->role == role &&
			       n + GRID_GLYPH_MAX < sizeof run) {
				const char *ch = grid_at(g, x, y)->ch;
				size_t l = strlen(ch);
				memcpy(run + n, ch, l);
				n += l;
				x++;
			}
			run[n] = 0;
			attrset(t->attrs[role]);
			/* The last cell of the screen: addstr would scroll. */
			if (y == g->h - 1 && x == g->w) {
				const struct cell *last = grid_at(g, x - 1, y);
				/* A wide character there: leave it out whole. */
				if (last->width == GRID_WIDE_TAIL && x - 2 >= x0)
					last = grid_at(g, x - 2, y);
				run[n - strlen(last->ch)] = 0;
			}
			mvaddstr(y, x0, run);
		}
	}
	attrset(A_NORMAL);
}

static void draw(struct tui *t)
{
	uint64_t now = clock_now_ms();

	if (!t->vo.frozen) {
		t->snapshot_bytes += engine_snapshot(t->e, t->model, t->vo.feed);
		engine_digest(t->e, t->model->focus, &t->digest);
	}
	if (!t->grid || t->grid->w != COLS || t->grid->h != LINES) {
		grid_free(t->grid);
		t->grid = grid_new(COLS, LINES);
		if (!t->grid)
			return;
	}
	view_render(t->grid, t->model, &t->vo, now);
	paint(t);
	wnoutrefresh(stdscr);
	doupdate();
	t->last_frame_ms = now;
	t->drawn_version = t->model->version;
	t->drawn_second = (now - t->model->start_ms) / 1000;
	t->dirty = 0;
	/* --max-frames (tests): and one frame drawn once all the input so
	 * far was read (ended, or a followed file at its end); how far the
	 * ingest thread got by frame N depends on the machine. */
	t->frames++;
	if (t->o.max_frames && t->frames >= t->o.max_frames &&
	    (t->model->end_ms || t->model->input == MODEL_WAITING))
		t->done = 1;
}

static void on_frame(uv_timer_t *timer);

/* Something changed: draw, but no sooner than an interval after the last
 * frame.  One timer, armed once: changes in between cost nothing. */
static void schedule(struct tui *t)
{
	t->dirty = 1;
	if (uv_is_active((uv_handle_t *)&t->frame))
		return;
	uint64_t now = clock_now_ms(), due = t->last_frame_ms + t->o.interval_ms;
	uv_timer_start(&t->frame, on_frame, due > now ? due - now : 0, 0);
}

/* The elapsed clock changes on whole seconds: a frame then, not before. */
static void schedule_clock(struct tui *t)
{
	if (uv_is_active((uv_handle_t *)&t->frame) || t->vo.frozen ||
	    t->model->end_ms)
		return;
	uint64_t now = clock_now_ms();
	uint64_t since = now - t->model->start_ms;
	uint64_t next = (since / 1000 + 1) * 1000 - since;
	uv_timer_start(&t->frame, on_frame, next, 0);
}

static void leave(struct tui *t)
{
	t->done = 1;
	uv_stop(&t->loop);
}

static void on_frame(uv_timer_t *timer)
{
	struct tui *t = timer->data;

	if (t->hangup || ((t->quitting || t->signal_seen) && engine_done(t->e))) {
		leave(t);
		return;
	}
	draw(t);
	if (t->done) {
		leave(t);
		return;
	}
	schedule_clock(t);
}

/* ---- input ---------------------------------------------------------------- */

static void quit(struct tui *t)
{
	t->quitting = 1;
	if (t->model->spawned && !engine_done(t->e) && !t->model->exited) {
		/* The engine stops the program (SIGTERM to its group, SIGKILL
		 * after the grace); the dashboard goes when it has. */
		engine_post_quit(t->e);
		schedule(t);
		return;
	}
	leave(t);
}

static void resize(struct tui *t)
{
	struct winsize ws;

	if (ioctl(fileno(t->tty_in), TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
	/* The painter leaves the bottom-right cell alone: no stale glyph. */
	werase(stdscr);
	clearok(curscr, TRUE);
	schedule(t);
}

static void key(struct tui *t, int c)
{
	const struct key_def *k = keys_find(c);

	if (c == KEY_RESIZE) {
		/* resizeterm() pushes KEY_RESIZE back: calling it here would
		 * loop.  The SIGWINCH watcher has resized already. */
		clearok(curscr, TRUE);
		schedule(t);
		return;
	}
	if (!k)
		return;
	switch (k->action) {
	case KEYS_QUIT:
		quit(t);
		break;
	case KEYS_FREEZE:
		t->vo.frozen = !t->vo.frozen;
		break;
	case KEYS_BIGGER:
	case KEYS_SMALLER:
		/* From the zoom shown: auto zoom ends at the first key. */
		if (!t->vo.per_gc && t->vo.zoom_auto) {
			t->vo.zoom = view_zoom_shown(t->model, &t->vo);
			t->vo.zoom_auto = false;
		}
		if (t->vo.per_gc)
			t->vo.window = k->action == KEYS_BIGGER ? view_window_bigger(t->vo.window)
			                                        : view_window_smaller(t->vo.window);
		else if (k->action == KEYS_BIGGER && t->vo.zoom + 1 < VIEW_ZOOMS)
			t->vo.zoom++;
		else if (k->action == KEYS_SMALLER && t->vo.zoom > 0)
			t->vo.zoom--;
		break;
	case KEYS_TIME:
		t->vo.per_gc = !t->vo.per_gc;
		break;
	case KEYS_OUTPUT:
		t->vo.show_output = !t->vo.show_output;
		break;
	case KEYS_HELP:
		t->vo.help = !t->vo.help;
		break;
	case KEYS_DIAG:
		t->vo.diag = !t->vo.diag;
		break;
	case KEYS_INTERRUPT:
		if (t->model->spawned && !t->model->exited)
			engine_post_signal(t->e, SIGINT);
		else
			quit(t);
		break;
	case KEYS_REDRAW:
		clearok(curscr, TRUE);
		break;
	case KEYS_CLOSE:
		/* Esc closes the help (or the diagnosis) first, then goes back
		 * to the table. */
		if (t->vo.help)
			t->vo.help = false;
		else if (t->vo.diag)
			t->vo.diag = false;
		else
			t->vo.fleet = t->vo.fleet_chosen = true;
		break;
	case KEYS_UP:
	case KEYS_DOWN:
		if (view_is_fleet(t->model, &t->vo, clock_now_ms()))
			t->vo.sel = view_fleet_move(t->model, &t->vo,
			                            k->action == KEYS_UP ? -1 : 1, clock_now_ms());
		break;
	case KEYS_OPEN:
		if (view_is_fleet(t->model, &t->vo, clock_now_ms())) {
			t->vo.feed = view_fleet_move(t->model, &t->vo, 0, clock_now_ms());
			t->vo.fleet = false;
		}
		break;
	case KEYS_SORT:
		if (view_is_fleet(t->model, &t->vo, clock_now_ms()))
			t->vo.sort = (t->vo.sort + 1) % VIEW_SORTS;
		break;
	}
	schedule(t);
}

static void on_keys(uv_poll_t *p, int status, int events)
{
	struct tui *t = p->data;
	int c;

	(void)events;
	if (status < 0) {
		/* The terminal went away (a closed ssh): leave; the program
		 * got the hangup's SIGHUP from us and decides. */
		t->hangup = 1;
		leave(t);
		return;
	}
	while ((c = wgetch(stdscr)) != ERR)
		key(t, c);
}

static void on_winch(uv_signal_t *s, int signum)
{
	(void)signum;
	resize(s->data);
}

static void on_wake(uv_async_t *a)
{
	struct tui *t = a->data;

	if (t->hangup || ((t->quitting || t->signal_seen) && engine_done(t->e))) {
		leave(t);
		return;
	}
	if (!t->vo.frozen)
		schedule(t);
}

/* ---- from the engine's thread ------------------------------------------ */

static void notify(void *ctx)
{
	struct tui *t = ctx;

	uv_async_send(&t->wake);
}

static void on_signal(void *ctx, int signum, int from_kernel)
{
	struct tui *t = ctx;

	/* The engine passed it on to the program, which decides: the
	 * dashboard goes when the program has.  A hangup's (the kernel's
	 * SIGHUP) leaves a terminal that is gone: leave it now. */
	if (signum == SIGHUP && from_kernel)
		t->hangup = 1;
	else
		t->signal_seen = 1;
	uv_async_send(&t->wake);
}

/* ---- crash: the terminal is restored first ------------------------------ */

static void on_crash(int signum)
{
	if (active)
		endwin();
	signal(signum, SIG_DFL);
	raise(signum);
}

/* ---- setup and teardown --------------------------------------------------- */

bool tui_possible(void)
{
	/* A terminal that cannot move its cursor (emacs' shell, TERM=dumb)
	 * gets batch mode: a dashboard there would be blank. */
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return false;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The node has no terminfo entry for TERM (a static binary on a bare
 * node): the built-in ones (termdb.h), TERM's or else vt100's; then the
 * node's vt100.  TERMINFO is ours only for the two newterm calls. */
static SCREEN *newterm_builtin(struct tui *t)
{
	char *dir = termdb_extract();
	char *old = getenv("TERMINFO") ? strdup(getenv("TERMINFO")) : NULL;
	SCREEN *scr = NULL;

	if (dir && setenv("TERMINFO", dir, 1) == 0) {
		scr = newterm(NULL, t->tty, t->tty_in);
		if (!scr)
			scr = newterm("vt100", t->tty, t->tty_in);
		if (old)
			setenv("TERMINFO", old, 1);
		else
			unsetenv("TERMINFO");
	}
	free(old);
	termdb_remove(dir);
	if (!scr) /* An unknown TERM: a plain terminal still works. */
		scr = newterm("vt100", t->tty, t->tty_in);
	return scr;
}

static void close_cb(uv_handle_t *h)
{
	(void)h;
}

static void walk_close(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, close_cb);
}

int tui_run(struct engine *e, const struct tui_opts *o)
{
	struct tui *t = calloc(1, sizeof *t);
	int rc = 0;

	if (!t || !(t->model = engine_model_new(e))) {
		free(t);
		fputs("gcwatch: out of memory\n", stderr);
		return 1;
	}
	t->e = e;
	t->o = *o;
	t->vo.ascii = o->ascii;
	t->vo.show_output = true;
	t->vo.feed = VIEW_FEED_AUTO;
	t->vo.retention_ms = o->feed_retention_ms;
	t->vo.fleet = true;
	t->vo.window = view_window_smaller(view_window_bigger(0));
	t->vo.zoom = o->zoom && o->zoom <= VIEW_ZOOMS ? o->zoom - 1 : VIEW_ZOOM_DEFAULT;
	t->vo.per_gc = o->zoom == VIEW_ZOOMS + 1;
	t->vo.zoom_auto = !o->zoom;
	t->vo.digest = &t->digest;
	t->vo.assist_warn = o->assist_warn;
	/* The engine first: whatever the terminal does from now on (a
	 * frozen terminal blocks newterm's first writes), the program's
	 * pipes are read. */
	uv_loop_init(&t->loop);
	uv_async_init(&t->loop, &t->wake, on_wake);
	t->wake.data = t;
	uv_timer_init(&t->loop, &t->frame);
	t->frame.data = t;
	if (engine_start(e, notify, on_signal, t) != 0) {
		fputs("gcwatch: cannot start a thread\n", stderr);
		rc = 1;
		goto out;
	}
	t->tty = fopen("/dev/tty", "we");
	t->tty_in = fopen("/dev/tty", "re");
	if (!t->tty || !t->tty_in) {
		fprintf(stderr, "gcwatch: cannot open /dev/tty: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	t->scr = newterm(NULL, t->tty, t->tty_in);
	if (!t->scr)
		t->scr = newterm_builtin(t);
	if (!t->scr) {
		char msg[512], safe[1024];
		snprintf(msg, sizeof msg, "gcwatch: cannot use the terminal (TERM=%s)\n",
		         getenv("TERM") ? getenv("TERM") : "");
		fputs(sanitize_for_fd(STDERR_FILENO, msg, safe, sizeof safe), stderr);
		rc = 1;
		goto out;
	}
	set_term(t->scr);
	active = t;
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGABRT, on_crash);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	typeahead(-1);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);
	setup_colours(t);

	uv_poll_init(&t->loop, &t->keys, fileno(t->tty_in));
	t->keys.data = t;
	uv_poll_start(&t->keys, UV_READABLE, on_keys);
	uv_signal_init(&t->loop, &t->winch);
	t->winch.data = t;
	uv_signal_start(&t->winch, on_winch, SIGWINCH);

	draw(t);
	schedule_clock(t);
	if (!t->done)
		uv_run(&t->loop, UV_RUN_DEFAULT);

	/* Leave: the terminal first, then the program, then the handles. */
	if (t->scr) {
		/* Without an alternate screen the dashboard stays on the
		 * terminal, the cursor on its last row: the summary goes on a
		 * new line, not over the footer. */
		const char *rmcup = tigetstr("rmcup");
		int no_alt = !rmcup || rmcup == (char *)-1 || !*rmcup;
		endwin();
		if (no_alt) {
			fputs("\r\n", t->tty);
			fflush(t->tty);
		}
		delscreen(t->scr);
		active = NULL;
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
	}
out:
	if (t->tty)
		fclose(t->tty);
	if (t->tty_in)
		fclose(t->tty_in);
	/* Still running (max frames, a terminal we could not use): the
	 * engine ends the run.  After a hangup the program got SIGHUP and
	 * decides; the engine reads it until it ends. */
	if (!engine_done(e) && !t->hangup)
		engine_post_quit(e);
	engine_join(e);
	uv_walk(&t->loop, walk_close, NULL);
	uv_run(&t->loop, UV_RUN_DEFAULT);
	int lc = uv_loop_close(&t->loop);
	(void)lc;
	grid_free(t->grid);
	/* For bench/feeds.sh: what the frames cost in copies of the model. */
	const char *stats = getenv("GCWATCH_BENCH_STATS");
	FILE *sf = stats && *stats ? fopen(stats, "w") : NULL;
	if (sf) {
		fprintf(sf, "frames %llu snapshot_bytes %llu\n", (unsigned long long)t->frames,
		        (unsigned long long)t->snapshot_bytes);
		fclose(sf);
	}
	model_free(t->model);
	free(t);
	return rc;
}
