// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fake host of the provider unit tests (see fake_host.h). It is strict
 * where ctid is lenient: everything ctid would log as a provider bug is a
 * violation that fails the test.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "call_names.h"

/* Weak: test_dlopen takes the table from the shared object instead. */
extern const struct cti_provider_ops cti_provider_ops __attribute__((weak));

#define TH_GROW(arr, n, cap) do {					\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 64;				\
		(arr) = realloc((arr), (cap) * sizeof(*(arr)));		\
		if (!(arr))						\
			abort();					\
	}								\
} while (0)

static struct th *th_of(struct cti_host *host)
{
	return (struct th *)host;
}

static void th_violation(struct th *th, const char *fmt, ...)
{
	va_list ap;

	th->violations++;
	fprintf(stderr, "  VIOLATION: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void th_log(struct cti_host *host, int level, const char *fmt, ...)
{
	struct th *th = th_of(host);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(th->last_log, sizeof(th->last_log), fmt, ap);
	va_end(ap);
	if (level <= CTI_LOG_ERR)
		th->log_errors++;
	if (getenv("TH_VERBOSE"))
		fprintf(stderr, "  log<%d>: %s\n", level, th->last_log);
}

static uint64_t th_now_ns(struct cti_host *host)
{
	return th_of(host)->now_ms * 1000000ULL;
}

/*
 * Whether the requests since the last th_run() may have changed @line
 * as @reach: their own lines, what authorize() granted them, anything
 * after a granted CTI_REACH_SWITCH. Outside requests (start-up, the
 * switch's own timers after th_run()) nothing is checked, nor with a
 * provider that talks to a switch (th_start_tr()): it only relays what
 * the switch did.
 */
static bool th_reach_ok(const struct th *th, uint32_t line, uint32_t reach)
{
	size_t i;

	if (!th->nreq_lines || th->reach_overflow ||
	    !th->check_reach)
		return true;
	for (i = 0; i < th->nreq_lines; i++)
		if (th->req_lines[i] == line)
			return true;
	for (i = 0; i < th->ngranted; i++)
		if ((th->granted[i].line == line &&
		     th->granted[i].reach == reach) ||
		    th->granted[i].reach == CTI_REACH_SWITCH)
			return true;
	return false;
}

static void th_check_reach(struct th *th, uint32_t line, uint32_t reach,
			   const char *what)
{
	if (!th_reach_ok(th, line, reach))
		th_violation(th, "%s on line %u without authorize(reach %u)",
			     what, line, reach);
}

static int th_line_add(struct cti_host *host, uint32_t line,
		       const struct cti_provider_line_desc *desc,
		       uint32_t *host_id)
{
	struct th *th = th_of(host);

	if (line == CTI_LINE_NONE || desc->size != sizeof(*desc) ||
	    !desc->max_calls || !desc->num_addresses ||
	    desc->num_addresses > CTI_MAX_ADDRESSES ||
	    !memchr(desc->name, 0, sizeof(desc->name))) {
		th_violation(th, "line_add(%u): bad descriptor", line);
		return -EINVAL;
	}
	if (line >= th->nlines) {
		size_t n = line + 1 > th->nlines * 2 ? line + 1 : th->nlines * 2;

		th->lines = realloc(th->lines, n * sizeof(*th->lines));
		if (!th->lines)
			abort();
		memset(th->lines + th->nlines, 0, n - th->nlines);
		th->nlines = n;
	}
	if (th->lines[line])
		return -EEXIST;
	th_check_reach(th, line, CTI_REACH_CONTROL, "line_add");
	th->lines[line] = 1;
	th->nadded++;
	/* Keep only a few descriptors: the scale test adds 100,000 lines. */
	if (line < TH_DESCS)
		th->descs[line] = *desc;
	if (host_id)
		*host_id = line + 1;
	return 0;
}

static int th_line_remove(struct cti_host *host, uint32_t line)
{
	struct th *th = th_of(host);

	size_t i;

	if (line >= th->nlines || !th->lines[line])
		return -ENOENT;
	th_check_reach(th, line, CTI_REACH_CONTROL, "line_remove");
	for (i = 0; i < th->nlive; i++)
		if (th->live_calls[i] >> 32 == line)
			th_violation(th, "line_remove(%u) with call %u alive",
				     line, (uint32_t)th->live_calls[i]);
	th->lines[line] = 0;
	th->nadded--;
	return 0;
}

static bool th_live_find(struct th *th, uint64_t key, size_t *idx)
{
	size_t i;

	for (i = 0; i < th->nlive; i++) {
		if (th->live_calls[i] == key) {
			*idx = i;
			return true;
		}
	}
	return false;
}

/* Track calls: CALL_INFO comes first, IDLE is last. */
static void th_track(struct th *th, const struct cti_event *ev)
{
	const struct cti_ev_call_state *cs = (const void *)ev;
	uint64_t key = (uint64_t)ev->line << 32 | cs->call;
	size_t i;

	if (ev->type == CTI_EV_CALL_INFO) {
		const struct cti_ev_call_info *ci = (const void *)ev;

		/*
		 * A new call rings on a line because a request dialled it
		 * (CALL); one that arrives by forwarding was vetted when the
		 * forward was set, an inbound one comes from outside.
		 */
		if (!th_live_find(th, key, &i) &&
		    ci->origin != CTI_ORIGIN_INBOUND &&
		    ci->reason != CTI_REASON_FORWARD)
			th_check_reach(th, ev->line, CTI_REACH_CALL,
				       "a new call");
		if (!th_live_find(th, key, &i)) {
			TH_GROW(th->live_calls, th->nlive, th->live_cap);
			th->live_calls[th->nlive++] = key;
		}
		return;
	}
	if (ev->type != CTI_EV_CALL_STATE)
		return;
	if (cs->call == CTI_CALL_NONE || cs->state >= CTI_CALL_STATE_MAX)
		th_violation(th, "CALL_STATE with call %u state %u", cs->call,
			     cs->state);
	if (!th_live_find(th, key, &i)) {
		th_violation(th, "CALL_STATE of call %u on line %u before its CALL_INFO",
			     cs->call, ev->line);
		return;
	}
	if (cs->state == CTI_CALL_IDLE && cs->reason == CTI_DISC_PICKUP)
		th_check_reach(th, ev->line, CTI_REACH_PICKUP, "a pickup");
	if (cs->state == CTI_CALL_IDLE)
		th->live_calls[i] = th->live_calls[--th->nlive];
}

static int th_post_event(struct cti_host *host, const struct cti_event *ev)
{
	struct th *th = th_of(host);
	struct th_event *e;

	if (th->in_submit)
		th_violation(th, "post_event(type %u) inside submit", ev->type);
	if (ev->size < sizeof(*ev) || ev->size % 8 || ev->size > TH_REC_MAX ||
	    ev->seq || ev->timestamp_ns) {
		th_violation(th, "post_event: bad header (type %u size %u)",
			     ev->type, ev->size);
		return -EINVAL;
	}
	if (ev->type == CTI_EV_REPLY || ev->type == CTI_EV_PAD ||
	    ev->type == CTI_EV_OVERFLOW || ev->type == CTI_EV_CARD_REMOVED ||
	    ev->type >= CTI_UEV_LINE_CREATED) {
		th_violation(th, "post_event: type %u is the host's", ev->type);
		return -EINVAL;
	}
	if (ev->line != CTI_LINE_NONE &&
	    (ev->line >= th->nlines || !th->lines[ev->line])) {
		th_violation(th, "post_event: no line %u", ev->line);
		return -ENOENT;
	}
	if (ev->type == CTI_EV_LINE_STATUS)
		th_check_reach(th, ev->line, CTI_REACH_CONTROL, "LINE_STATUS");
	th_track(th, ev);
	TH_GROW(th->events, th->nevents, th->events_cap);
	e = &th->events[th->nevents++];
	e->time_ms = th->now_ms;
	memset(e->rec, 0, sizeof(e->rec));
	memcpy(e->rec, ev, ev->size);
	return 0;
}

static struct th_req *th_req_find(struct th *th, uint64_t handle)
{
	size_t i;

	for (i = 0; i < th->nreqs; i++)
		if (th->reqs[i].handle == handle)
			return &th->reqs[i];
	return NULL;
}

static void th_complete(struct cti_host *host, uint64_t handle, int error,
			uint32_t call)
{
	struct th *th = th_of(host);
	struct th_req *r = th_req_find(th, handle);

	if (!r) {
		th_violation(th, "complete(%llu): unknown handle",
			     (unsigned long long)handle);
		return;
	}
	if (r->completions++)
		th_violation(th, "complete(%llu): completed twice",
			     (unsigned long long)handle);
	if (error > 0)
		th_violation(th, "complete(%llu): positive error %d",
			     (unsigned long long)handle, error);
	r->error = error;
	r->call = call;
}

static int th_authorize(struct cti_host *host, uint64_t handle,
			uint32_t line, uint32_t reach)
{
	struct th *th = th_of(host);
	struct th_req *r = th_req_find(th, handle);
	struct th_authz_ask *a;
	int i, answer = 0;

	if (!r || r->completions) {
		th_violation(th, "authorize(%llu): unknown or completed request",
			     (unsigned long long)handle);
		return -EINVAL;
	}
	if (reach >= CTI_REACH_MAX ||
	    (reach == CTI_REACH_SWITCH) != (line == CTI_LINE_NONE)) {
		th_violation(th, "authorize(line %u, reach %u): bad arguments",
			     line, reach);
		return -EINVAL;
	}
	for (i = 0; i < th->nauthz; i++) {
		const struct th_authz_rule *p = &th->authz[i];

		if ((p->line == TH_ANY || p->line == line) &&
		    (p->reach == TH_ANY || p->reach == reach)) {
			answer = p->answer;
			break;
		}
	}
	if (th->nasked < TH_AUTHZ_LOG) {
		a = &th->asked[th->nasked++];
		a->handle = handle;
		a->line = line;
		a->reach = reach;
		a->answer = answer;
	}
	if (!answer && th->ngranted == TH_AUTHZ_LOG)
		th->reach_overflow = true;	/* too many to tell: trust */
	if (!answer && th->ngranted < TH_AUTHZ_LOG) {
		a = &th->granted[th->ngranted++];
		a->handle = handle;
		a->line = line;
		a->reach = reach;
		a->answer = 0;
	}
	return answer;
}

void th_authz_set(struct th *th, uint32_t line, uint32_t reach, int answer)
{
	struct th_authz_rule *p;

	if (th->nauthz == TH_AUTHZ_RULES)
		abort();
	p = &th->authz[th->nauthz++];
	p->line = line;
	p->reach = reach;
	p->answer = answer;
}

void th_authz_reset(struct th *th)
{
	th->nauthz = 0;
}

int th_asked(const struct th *th, uint32_t line, uint32_t reach)
{
	size_t i;
	int n = 0;

	for (i = 0; i < th->nasked; i++)
		if (th->asked[i].line == line && th->asked[i].reach == reach)
			n++;
	return n;
}

static int64_t th_timer_start(struct cti_host *host, uint64_t ms,
			      uint64_t cookie)
{
	struct th *th = th_of(host);
	struct th_timer *t;

	TH_GROW(th->timers, th->ntimers, th->timers_cap);
	t = &th->timers[th->ntimers++];
	t->id = ++th->next_timer;
	t->due_ms = th->now_ms + ms;
	t->cookie = cookie;
	t->active = true;
	return t->id;
}

static int th_timer_cancel(struct cti_host *host, int64_t id)
{
	struct th *th = th_of(host);
	size_t i;

	for (i = 0; i < th->ntimers; i++) {
		if (th->timers[i].id == id && th->timers[i].active) {
			th->timers[i] = th->timers[--th->ntimers];
			return 0;
		}
	}
	th_violation(th, "timer_cancel(%lld): not armed", (long long)id);
	return -ENOENT;
}

static int64_t th_open(struct cti_host *host, char kind, const char *target,
		       uint32_t port, uint64_t cookie)
{
	struct th *th = th_of(host);
	struct th_transport *t;

	if (!th->allow_transports) {
		th_violation(th, "the provider opened a transport");
		return -EOPNOTSUPP;
	}
	if (th->ntr == TH_TRANSPORTS)
		return -EMFILE;
	t = &th->tr[th->ntr++];
	memset(t, 0, sizeof(*t));
	t->id = 1000 + th->ntr;
	t->cookie = cookie;
	t->kind = kind;
	snprintf(t->target, sizeof(t->target), "%s", target);
	t->port = port;
	t->open = true;
	return t->id;
}

static struct th_transport *th_tr_find(struct th *th, int64_t tid)
{
	int i;

	for (i = 0; i < th->ntr; i++)
		if (th->tr[i].id == tid && th->tr[i].open)
			return &th->tr[i];
	return NULL;
}

static int64_t th_open_tcp(struct cti_host *host, const char *name,
			   uint16_t port, uint64_t cookie)
{
	return th_open(host, 't', name, port, cookie);
}

static int64_t th_open_unix(struct cti_host *host, const char *path,
			    uint64_t cookie)
{
	return th_open(host, 'u', path, 0, cookie);
}

static int64_t th_open_serial(struct cti_host *host, const char *tty,
			      uint32_t baud, uint64_t cookie)
{
	return th_open(host, 's', tty, baud, cookie);
}

/* A link card: each send is one frame of at most CTI_LINK_FRAME_MAX. */
static int64_t th_open_card(struct cti_host *host, const char *card,
			    uint64_t cookie)
{
	return th_open(host, 'c', card, 0, cookie);
}

static int th_send(struct cti_host *host, int64_t tid, const void *buf,
		   size_t len)
{
	struct th *th = th_of(host);
	struct th_transport *t = th_tr_find(th, tid);

	if (!t || !t->connected)
		return -ENOTCONN;
	if (t->kind == 'c' && (!len || len > CTI_LINK_FRAME_MAX)) {
		th_violation(th, "transport_send: a %zu-byte link frame", len);
		return -EINVAL;
	}
	if (len > CTI_TRANSPORT_CHUNK_MAX)
		return -EINVAL;
	t->nsends++;
	if (t->nsent + len >= sizeof(t->sent))
		return -ENOBUFS;
	memcpy(t->sent + t->nsent, buf, len);
	t->nsent += len;
	t->sent[t->nsent] = '\0';
	return 0;
}

static int th_close(struct cti_host *host, int64_t tid)
{
	struct th *th = th_of(host);
	struct th_transport *t = th_tr_find(th, tid);

	if (!t) {
		th_violation(th, "transport_close(%lld): not open",
			     (long long)tid);
		return -ENOENT;
	}
	t->open = false;
	t->connected = false;
	return 0;
}

struct th_transport *th_tr_last(struct th *th)
{
	return th->ntr ? &th->tr[th->ntr - 1] : NULL;
}

void th_tr_connect(struct th *th, struct th_transport *t, int error)
{
	if (error)
		t->open = false;
	else
		t->connected = true;
	th->ops->transport_connected(th->state, t->id, t->cookie, error);
}

void th_tr_data(struct th *th, struct th_transport *t, const char *text)
{
	th->ops->transport_data(th->state, t->id, t->cookie, text,
				strlen(text));
}

void th_tr_close(struct th *th, struct th_transport *t, int error)
{
	t->open = false;
	t->connected = false;
	th->ops->transport_closed(th->state, t->id, t->cookie, error);
}

const char *th_tr_sent(struct th *th, struct th_transport *t)
{
	static char out[sizeof(t->sent)];

	(void)th;
	memcpy(out, t->sent, t->nsent + 1);
	t->nsent = 0;
	t->sent[0] = '\0';
	return out;
}

uint32_t th_api_size;

static const struct cti_host_api th_api = {
	.size = sizeof(struct cti_host_api),
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.log = th_log,
	.now_ns = th_now_ns,
	.line_add = th_line_add,
	.line_remove = th_line_remove,
	.post_event = th_post_event,
	.complete = th_complete,
	.timer_start = th_timer_start,
	.timer_cancel = th_timer_cancel,
	.transport_open_tcp = th_open_tcp,
	.transport_open_unix = th_open_unix,
	.transport_open_serial = th_open_serial,
	.transport_send = th_send,
	.transport_close = th_close,
	.authorize = th_authorize,
	.transport_open_card = th_open_card,
};

/* "key=value" strings become the provider's key/value list. */
static struct cti_provider_kv *th_kv(const char *const *kv, size_t *count)
{
	struct cti_provider_kv *v;
	size_t n = 0, i;

	while (kv && kv[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		abort();
	for (i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		char *k = strndup(kv[i], eq ? (size_t)(eq - kv[i]) : strlen(kv[i]));

		if (!k)
			abort();
		v[i].key = k;
		v[i].value = eq ? eq + 1 : "";
		v[i].lineno = i + 2;	/* as if after a section header */
	}
	*count = n;
	return v;
}

static void th_kv_free(struct cti_provider_kv *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)v[i].key);
	free(v);
}

static int th_start_common(struct th *th, const struct cti_provider_ops *ops,
			   const char *const *kv, bool allow_transports);

int th_start(struct th *th, const char *const *kv)
{
	return th_start_common(th, &cti_provider_ops, kv, false);
}

int th_start_ops(struct th *th, const struct cti_provider_ops *ops,
		 const char *const *kv)
{
	return th_start_common(th, ops, kv, false);
}

int th_start_tr(struct th *th, const char *const *kv)
{
	return th_start_common(th, &cti_provider_ops, kv, true);
}

static int th_start_common(struct th *th, const struct cti_provider_ops *ops,
			   const char *const *kv, bool allow_transports)
{
	struct cti_provider_config cfg;
	struct cti_provider_kv *v;
	size_t n;
	int ret;

	memset(th, 0, sizeof(*th));
	th->allow_transports = allow_transports;
	th->check_reach = !allow_transports;
	th->ops = ops;
	th->api = th_api;
	if (th_api_size)
		th->api.size = th_api_size;
	v = th_kv(kv, &n);
	cfg.name = "sim0";
	cfg.file = "test.conf";
	cfg.count = n;
	cfg.kv = v;
	if (th->ops->abi_version != CTI_PROVIDER_ABI_VERSION ||
	    th->ops->size < CTI_PROVIDER_OPS_SIZE_V1)
		th_violation(th, "ops table: version %u size %u",
			     th->ops->abi_version, th->ops->size);
	ret = th->ops->init(&th->api, (struct cti_host *)th, &cfg, &th->state);
	th_kv_free(v, n);
	return ret;
}

int th_check_config(const char *const *kv, char *msg, size_t size)
{
	struct cti_provider_config cfg;
	struct cti_provider_kv *v;
	struct th th;
	size_t n;
	int ret;

	memset(&th, 0, sizeof(th));
	th.api = th_api;
	if (th_api_size)
		th.api.size = th_api_size;
	v = th_kv(kv, &n);
	cfg.name = "sim0";
	cfg.file = "test.conf";
	cfg.count = n;
	cfg.kv = v;
	ret = cti_provider_ops.check_config(&th.api, (struct cti_host *)&th,
					    &cfg);
	th_kv_free(v, n);
	snprintf(msg, size, "%s", th.last_log);
	if (th.ntimers || th.nlines)
		ret = -EPROTO;	/* checking must not create anything */
	free(th.timers);
	free(th.lines);
	return ret;
}

void th_stop(struct th *th)
{
	size_t i;

	if (th->state)
		th->ops->shutdown(th->state);
	th->state = NULL;
	if (th->ntimers)
		th_violation(th, "%zu timers still armed after shutdown",
			     th->ntimers);
	for (i = 0; i < (size_t)th->ntr; i++)
		if (th->tr[i].open)
			th_violation(th, "transport %lld still open after shutdown",
				     (long long)th->tr[i].id);
	for (i = 0; i < th->nreqs; i++)
		if (th->reqs[i].completions != 1)
			th_violation(th, "request %llu (cmd %u) completed %d times",
				     (unsigned long long)th->reqs[i].handle,
				     th->reqs[i].cmd, th->reqs[i].completions);
	free(th->timers);
	free(th->events);
	free(th->reqs);
	free(th->lines);
	free(th->live_calls);
	th->timers = NULL;
	th->events = NULL;
	th->reqs = NULL;
	th->lines = NULL;
	th->live_calls = NULL;
	th->ntimers = th->nevents = th->nreqs = th->nlines = th->nlive = 0;
}

uint64_t th_submit(struct th *th, uint32_t cmd, uint32_t line, uint32_t call,
		   uint32_t call2, uint32_t arg, uint32_t arg2,
		   const char *data)
{
	struct cti_provider_request req;
	struct th_req *r;
	char buf[CTI_DATA_MAX + 1];
	int ret;

	memset(&req, 0, sizeof(req));
	req.handle = ++th->next_handle;
	req.cmd = cmd;
	req.line = line;
	req.call = call;
	req.call2 = call2;
	req.arg = arg;
	req.arg2 = arg2;
	req.uid = 1000;
	snprintf(buf, sizeof(buf), "%s", data ? data : "");
	req.data = buf;
	req.data_len = strlen(buf);

	TH_GROW(th->reqs, th->nreqs, th->reqs_cap);
	r = &th->reqs[th->nreqs++];
	memset(r, 0, sizeof(*r));
	r->handle = req.handle;
	r->cmd = cmd;
	if (th->nreq_lines == TH_AUTHZ_LOG)
		th->reach_overflow = true;
	else
		th->req_lines[th->nreq_lines++] = line;

	th->in_submit = true;
	ret = th->ops->submit(th->state, &req);
	th->in_submit = false;
	r = th_req_find(th, req.handle);
	if (ret > 0)
		th_violation(th, "submit returned %d", ret);
	if (ret < 0) {
		/* The host completes a refused request itself. */
		if (r->completions)
			th_violation(th, "request %llu refused and completed",
				     (unsigned long long)req.handle);
		r->completions++;
		r->error = ret;
	}
	return req.handle;
}

int th_result(struct th *th, uint64_t handle, uint32_t *call)
{
	struct th_req *r = th_req_find(th, handle);

	if (!r || r->completions != 1)
		return -1000;
	if (call)
		*call = r->call;
	return r->error;
}

int th_completions(struct th *th, uint64_t handle)
{
	struct th_req *r = th_req_find(th, handle);

	return r ? r->completions : -1;
}

void th_run(struct th *th, uint64_t ms)
{
	uint64_t end = th->now_ms + ms;

	for (;;) {
		struct th_timer t;
		size_t i, best = SIZE_MAX;

		/* Earliest due first; among equals, the first armed. */
		for (i = 0; i < th->ntimers; i++) {
			if (th->timers[i].due_ms > end)
				continue;
			if (best == SIZE_MAX ||
			    th->timers[i].due_ms < th->timers[best].due_ms ||
			    (th->timers[i].due_ms == th->timers[best].due_ms &&
			     th->timers[i].id < th->timers[best].id))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		t = th->timers[best];
		th->timers[best] = th->timers[--th->ntimers];
		th->now_ms = t.due_ms;
		th->ops->timer(th->state, t.id, t.cookie);
	}
	th->now_ms = end;
	/* The records of the requests so far are out: forget their grants. */
	th->ngranted = 0;
	th->nreq_lines = 0;
	th->reach_overflow = false;
}

size_t th_active_timers(const struct th *th)
{
	return th->ntimers;
}

static char th_text[8192];

static const char *th_states_of(struct th *th, uint32_t line, bool all)
{
	size_t i, off = 0;

	th_text[0] = '\0';
	for (i = 0; i < th->nevents; i++) {
		const struct cti_ev_call_state *cs = (const void *)th->events[i].rec;
		char reason[24] = "";

		if (cs->hdr.type != CTI_EV_CALL_STATE ||
		    (!all && cs->hdr.line != line))
			continue;
		if (all)
			off += snprintf(th_text + off, sizeof(th_text) - off,
					"%sL%u.", off ? " " : "", cs->hdr.line);
		if ((cs->state == CTI_CALL_IDLE ||
		     cs->state == CTI_CALL_DISCONNECTED) &&
		    cs->reason < sizeof(cti_disc_names) / sizeof(cti_disc_names[0]))
			snprintf(reason, sizeof(reason), "/%s",
				 cti_disc_names[cs->reason]);
		else if (cs->reason &&
			 cs->reason < sizeof(cti_offer_names) / sizeof(cti_offer_names[0]))
			snprintf(reason, sizeof(reason), "/%s",
				 cti_offer_names[cs->reason]);
		else if (cs->reason)
			snprintf(reason, sizeof(reason), "/%u", cs->reason);
		off += snprintf(th_text + off, sizeof(th_text) - off, "%s%u:%s%s",
				off && !all ? " " : "", cs->call,
				cs->state < CTI_CALL_STATE_MAX ?
				cti_state_names[cs->state] : "?", reason);
		if (off >= sizeof(th_text))
			break;
	}
	return th_text;
}

const char *th_states(struct th *th, uint32_t line)
{
	return th_states_of(th, line, false);
}

const char *th_states_all(struct th *th)
{
	return th_states_of(th, 0, true);
}

const char *th_info(struct th *th, uint32_t line, uint32_t call)
{
	size_t i;

	snprintf(th_text, sizeof(th_text), "(none)");
	for (i = 0; i < th->nevents; i++) {
		const struct cti_ev_call_info *ci = (const void *)th->events[i].rec;

		if (ci->hdr.type != CTI_EV_CALL_INFO || ci->hdr.line != line ||
		    ci->call != call)
			continue;
		snprintf(th_text, sizeof(th_text), "%s>%s o=%u r=%s rel=%u",
			 ci->caller, ci->called, ci->origin,
			 ci->reason < CTI_NAMES_COUNT(cti_offer_names) ? cti_offer_names[ci->reason] : "?",
			 ci->related_call);
	}
	return th_text;
}

int th_count(struct th *th, uint16_t type, uint32_t line)
{
	size_t i;
	int n = 0;

	for (i = 0; i < th->nevents; i++) {
		const struct cti_event *ev = (const void *)th->events[i].rec;

		if (ev->type == type &&
		    (line == CTI_LINE_NONE || ev->line == line))
			n++;
	}
	return n;
}

const void *th_last(struct th *th, uint16_t type, uint32_t line)
{
	size_t i;

	for (i = th->nevents; i-- > 0;) {
		const struct cti_event *ev = (const void *)th->events[i].rec;

		if (ev->type == type &&
		    (line == CTI_LINE_NONE || ev->line == line))
			return ev;
	}
	return NULL;
}

void th_clear(struct th *th)
{
	th->nevents = 0;
	th->nasked = 0;
}
