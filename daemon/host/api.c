// SPDX-License-Identifier: GPL-2.0
/*
 * host API: what a provider instance may ask of ctid (struct cti_host_api
 * of providers/cti_provider.h): log, lines, events (host/records.c),
 * request completion (requests.c), timers (host/timers.c), transports
 * (host/transport.c) and authorize() (authz.c). Each entry checks that the
 * instance may call it now (not in --check-config, not while it shuts
 * down).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "authz.h"
#include "ctid.h"
#include "host/api.h"
#include "host/records.h"
#include "host/timers.h"
#include "log.h"

static struct provider *host_p(struct cti_host *h)
{
	return h ? h->p : NULL;
}

/* The context of the instance: every entry reaches it through its handle. */
static struct ctid *host_ctx(struct cti_host *h)
{
	return h ? h->p->ctx : NULL;
}

static int64_t h_timer_start(struct cti_host *h, uint64_t ms, uint64_t cookie)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	return timers_start(ctx, p, ms, cookie);
}

static int h_timer_cancel(struct cti_host *h, int64_t id)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	return p ? timers_cancel(ctx, p, id) : -EINVAL;
}

/* ---- host API ---- */

static void h_log(struct cti_host *h, int level, const char *fmt, ...)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);
	enum log_level l;
	char msg[512];
	va_list ap;

	if (level <= CTI_LOG_ERR)
		l = LOG_LVL_ERR;
	else if (level == CTI_LOG_WARNING)
		l = LOG_LVL_WARN;
	else if (level < CTI_LOG_DEBUG)
		l = LOG_LVL_INFO;
	else
		l = LOG_LVL_DEBUG;
	if (!p || l > log_get_level(&ctx->log))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ctx->check_mode)
		fprintf(stderr, "%s\n", msg);
	else
		log_msg(&ctx->log, l, "provider %s: %s", p ? p->name : "?", msg);
}

static uint64_t h_now_ns(struct cti_host *h)
{
	struct ctid *ctx = host_ctx(h);

	return loop_time_ns(&ctx->loop);
}

static int h_line_add(struct cti_host *h, uint32_t line,
		      const struct cti_provider_line_desc *desc,
		      uint32_t *host_id)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	return line_add(ctx, p, line, desc, host_id);
}

/* Ends what the provider left on a line that goes away. */
void host_end_line(struct ctid *ctx, struct provider *p, struct line *l, int error)
{
	requests_complete_provider(&ctx->requests, p, l->id, error);
	while (l->calls && !ctx->stopping) {
		struct cti_ev_call_state ev = {
			.hdr.type = CTI_EV_CALL_STATE,
			.hdr.size = sizeof(ev),
			.hdr.line = l->local,
			.call = l->calls->call,
			.state = CTI_CALL_IDLE,
			.reason = CTI_DISC_OUT_OF_ORDER,
		};

		if (records_post(ctx, p, &ev.hdr))
			break;
	}
}

static int h_line_remove(struct cti_host *h, uint32_t line)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);
	struct line *l;

	if (!p || ctx->check_mode)
		return -EINVAL;
	l = line_by_local(ctx, p, line);
	if (!l)
		return -ENOENT;
	host_end_line(ctx, p, l, -ENODEV);
	return line_remove(ctx, l);
}

static int h_post_event(struct cti_host *h, const struct cti_event *ev)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	int ret;

	if (!p || ctx->check_mode)
		return -EINVAL;
	ret = records_post(ctx, p, ev);
	if (ret)
		log_rl(&ctx->log, LOG_LVL_DEBUG, "provider %s: event type %u refused: %s",
		       p->name, ev ? ev->type : 0, strerror(-ret));
	return ret;
}

static void h_complete(struct cti_host *h, uint64_t handle, int error,
		       uint32_t call)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);
	struct request *r;

	if (!p)
		return;
	r = request_find(&ctx->requests, handle);
	if (!r || r->prov != p) {
		log_rl(&ctx->log, LOG_LVL_WARN, "provider %s completed request %llx, which is unknown or timed out",
		       p ? p->name : "?", (unsigned long long)handle);
		return;
	}
	if (error > 0 || error < -4095)
		error = -EIO;
	request_complete(&ctx->requests, handle, error, call);
}

/* Transports: see transport.c. Only during an op, never in check mode. */
static int64_t h_open_tcp(struct cti_host *h, const char *name, uint16_t port,
			  uint64_t cookie)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_tcp(ctx, p, name, port, cookie);
}

static int64_t h_open_unix(struct cti_host *h, const char *path, uint64_t cookie)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_unix(ctx, p, path, cookie);
}

static int64_t h_open_serial(struct cti_host *h, const char *tty, uint32_t baud,
			     uint64_t cookie)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_serial(ctx, p, tty, baud, cookie);
}

static int64_t h_open_tls(struct cti_host *h, const char *name, uint16_t port,
			  const struct cti_transport_tls *tls, uint64_t cookie)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_tls(ctx, p, name, port, tls, cookie);
}

static int h_send(struct cti_host *h, int64_t tid, const void *buf, size_t len)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode)
		return -ENOTCONN;
	return transport_send(ctx, p, tid, buf, len);
}

static int h_close(struct cti_host *h, int64_t tid)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);

	if (!p || ctx->check_mode)
		return -ENOENT;
	return transport_close(ctx, p, tid);
}

/*
 * The provider asks before it acts on another line than the one the
 * request names: the rule is authz's, with the principal of whoever sent
 * the request (kept in the request, so a client that disconnected in the
 * meantime is still judged as itself).
 */
static int h_authorize(struct cti_host *h, uint64_t handle, uint32_t line,
		       uint32_t reach)
{
	struct provider *p = host_p(h);
	struct ctid *ctx = host_ctx(h);
	struct request *r = p ? request_find(&ctx->requests, handle) : NULL;
	struct line *l = NULL;

	if (!p || !r || r->prov != p || reach >= CTI_REACH_MAX)
		return -EINVAL;
	if (reach == CTI_REACH_SWITCH) {
		if (line != CTI_LINE_NONE)
			return -EINVAL;
	} else {
		l = line_by_local(ctx, p, line);
	}
	return authz_reach(&r->pr, l, reach);
}

static const struct cti_host_api host_api = {
	.size = sizeof(struct cti_host_api),
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.log = h_log,
	.now_ns = h_now_ns,
	.line_add = h_line_add,
	.line_remove = h_line_remove,
	.post_event = h_post_event,
	.complete = h_complete,
	.timer_start = h_timer_start,
	.timer_cancel = h_timer_cancel,
	.transport_open_tcp = h_open_tcp,
	.transport_open_unix = h_open_unix,
	.transport_open_serial = h_open_serial,
	.transport_send = h_send,
	.transport_close = h_close,
	.authorize = h_authorize,
	.transport_open_tls = h_open_tls,
};

const struct cti_host_api *host_api_table(void)
{
	return &host_api;
}
