#include "sources/source_impl.h"

#include <stdarg.h>
#include <stdio.h>

void src_init(struct src *s, const struct src_ops *ops, uv_loop_t *loop,
              const struct src_sink *sink, void *ctx)
{
	s->ops = ops;
	s->loop = loop;
	s->sink = *sink;
	s->ctx = ctx;
	s->pid = 0;
	s->state = SRC_STARTING;
	s->read_err = 0;
}

void src_set_state(struct src *s, enum src_state state)
{
	if (s->state == state)
		return;
	s->state = state;
	if (s->sink.state)
		s->sink.state(s->ctx, state);
}

void src_emit_data(struct src *s, unsigned stream, const char *buf, size_t len)
{
	if (len && s->sink.data)
		s->sink.data(s->ctx, stream, buf, len);
}

void src_emit_exit(struct src *s, int64_t status, int term_signal)
{
	if (s->sink.exit)
		s->sink.exit(s->ctx, status, term_signal);
}

void src_emit_closed(struct src *s)
{
	if (s->sink.closed)
		s->sink.closed(s->ctx);
}

void src_fail(struct src_error *err, int status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

void src_stop(struct src *s)
{
	s->ops->stop(s);
}

void src_pause(struct src *s)
{
	s->ops->pause(s);
}

void src_resume(struct src *s)
{
	s->ops->resume(s);
}

void src_close_stream(struct src *s, unsigned stream)
{
	if (s->ops->close_stream)
		s->ops->close_stream(s, stream);
	else
		s->ops->stop(s);
}

int src_kill(struct src *s, int signum)
{
	return s->ops->kill ? s->ops->kill(s, signum) : UV_ENOSYS;
}

pid_t src_pid(const struct src *s)
{
	return s->pid;
}

int src_read_error(const struct src *s)
{
	return s->read_err;
}

void src_free(struct src *s)
{
	if (s)
		s->ops->free(s);
}
