// SPDX-License-Identifier: GPL-2.0
/*
 * Providers: loading with dlopen() behind the ABI check of
 * providers/cti_provider.h, the host API they call, their timers, and
 * unload/reload while the daemon runs.
 *
 * Unload order (so that no client is left waiting and no pointer into the
 * unloaded code survives): mark the instance down, let it complete what
 * it holds in shutdown(), complete any request it forgot with ECANCELED
 * (and log the bug), drop its timers, end its calls (IDLE) and remove its
 * lines (EV_LINE_REMOVED; the ids stay reserved for its return), announce
 * EV_PROVIDER_STATE down, and only then dlclose(). Other providers' lines
 * are untouched.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "authz.h"
#include "ctid.h"
#include "host/records.h"
#include "log.h"

#ifndef CTID_PROVIDER_DIR
#define CTID_PROVIDER_DIR "/usr/local/lib/" CTI_PROVIDER_DIR
#endif


/* The loop timer of one instance; outlives it until the ring lets go. */
struct ptimer {
	struct loop_timer t;	/* first: loop_timer_release() frees us */
	struct provider *p;
	uint64_t armed_for;	/* deadline the loop timer is set to */
};


int ctid_provider_abi(void)
{
	return CTI_PROVIDER_ABI_VERSION;
}

struct provider *provider_find(const char *name)
{
	for (struct provider *p = g.providers; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static struct provider *host_p(struct cti_host *h)
{
	return h ? h->p : NULL;
}

/* ---- host API ---- */

static void h_log(struct cti_host *h, int level, const char *fmt, ...)
{
	struct provider *p = host_p(h);
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
	if (l > log_get_level())
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (g.check_mode)
		fprintf(stderr, "%s\n", msg);
	else
		log_msg(l, "provider %s: %s", p ? p->name : "?", msg);
}

static uint64_t h_now_ns(struct cti_host *h)
{
	(void)h;
	return loop_time_ns();
}

static int h_line_add(struct cti_host *h, uint32_t line,
		      const struct cti_provider_line_desc *desc,
		      uint32_t *host_id)
{
	struct provider *p = host_p(h);

	if (!p || g.check_mode || p->in_shutdown)
		return -EINVAL;
	return line_add(p, line, desc, host_id);
}

/* Ends what the provider left on a line that goes away. */
static void line_end_all(struct provider *p, struct line *l, int error)
{
	requests_complete_provider(&g.requests, p, l->id, error);
	while (l->calls && !g.stopping) {
		struct cti_ev_call_state ev = {
			.hdr.type = CTI_EV_CALL_STATE,
			.hdr.size = sizeof(ev),
			.hdr.line = l->local,
			.call = l->calls->call,
			.state = CTI_CALL_IDLE,
			.reason = CTI_DISC_OUT_OF_ORDER,
		};

		if (records_post(p, &ev.hdr))
			break;
	}
}

static int h_line_remove(struct cti_host *h, uint32_t line)
{
	struct provider *p = host_p(h);
	struct line *l;

	if (!p || g.check_mode)
		return -EINVAL;
	l = line_by_local(p, line);
	if (!l)
		return -ENOENT;
	line_end_all(p, l, -ENODEV);
	return line_remove(l);
}

static int h_post_event(struct cti_host *h, const struct cti_event *ev)
{
	struct provider *p = host_p(h);

	int ret;

	if (!p || g.check_mode)
		return -EINVAL;
	ret = records_post(p, ev);
	if (ret)
		log_rl(LOG_LVL_DEBUG, "provider %s: event type %u refused: %s",
		       p->name, ev ? ev->type : 0, strerror(-ret));
	return ret;
}

static void h_complete(struct cti_host *h, uint64_t handle, int error,
		       uint32_t call)
{
	struct provider *p = host_p(h);
	struct request *r = request_find(&g.requests, handle);

	if (!p || !r || r->prov != p) {
		log_rl(LOG_LVL_WARN, "provider %s completed request %llx, which is unknown or timed out",
		       p ? p->name : "?", (unsigned long long)handle);
		return;
	}
	if (error > 0 || error < -4095)
		error = -EIO;
	request_complete(&g.requests, handle, error, call);
}

/* Timers: a binary heap ordered by (deadline, order of arming). */
static bool t_less(const struct host_timer *a, const struct host_timer *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->order < b->order);
}

static void heap_up(struct provider *p, uint32_t i)
{
	while (i) {
		uint32_t parent = (i - 1) / 2;
		struct host_timer t;

		if (!t_less(&p->timers[i], &p->timers[parent]))
			break;
		t = p->timers[i];
		p->timers[i] = p->timers[parent];
		p->timers[parent] = t;
		i = parent;
	}
}

static void heap_down(struct provider *p, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		struct host_timer t;

		if (l < p->ntimers && t_less(&p->timers[l], &p->timers[m]))
			m = l;
		if (r < p->ntimers && t_less(&p->timers[r], &p->timers[m]))
			m = r;
		if (m == i)
			break;
		t = p->timers[i];
		p->timers[i] = p->timers[m];
		p->timers[m] = t;
		i = m;
	}
}

static void heap_del(struct provider *p, uint32_t i)
{
	p->timers[i] = p->timers[--p->ntimers];
	if (i < p->ntimers) {
		heap_up(p, i);
		heap_down(p, i);
	}
}

static struct ptimer *ptimer_of(struct provider *p);

/*
 * Arms the instance's loop timer for its earliest timer. A timer already
 * due is left to providers_run_due(), which runs before the loop waits,
 * unless @force (the last word before waiting): waking the ring for it
 * would cost a system call and a loop iteration per batch of events.
 */
static void ptimer_rearm(struct provider *p, bool force)
{
	struct ptimer *pt = ptimer_of(p);
	uint64_t now, when;

	if (!pt || !p->ntimers)
		return;
	when = p->timers[0].deadline;
	now = loop_time_ns();
	if (!force && when <= now)
		return;
	if (pt->t.armed && pt->armed_for <= when)
		return;
	pt->armed_for = when;
	loop_timer_arm(&pt->t, when > now ? when - now : 0);
}

/* Runs @p's timers that are due; false if @p went away meanwhile. */
static bool run_due(struct provider *p, struct ptimer *pt)
{
	uint64_t now = loop_time_ns();
	unsigned int budget = 1024;	/* bounded work per pass */

	while (p->ntimers && p->timers[0].deadline <= now && budget--) {
		struct host_timer ht = p->timers[0];

		heap_del(p, 0);
		if (p->ops->timer && !p->in_shutdown)
			p->ops->timer(p->state, ht.id, ht.cookie);
		if (pt->p != p)
			return false;	/* unloaded meanwhile */
	}
	return true;
}

static void ptimer_fire(struct loop_timer *t)
{
	struct ptimer *pt = (struct ptimer *)t;
	struct provider *p = pt->p;

	if (!p)
		return;
	pt->armed_for = 0;
	if (run_due(p, pt))
		ptimer_rearm(p, false);
}

/*
 * Called before the loop waits: timers that are already due (the "next
 * iteration" timers a provider arms to post its events) run now, so that
 * their events leave in the same batch as the replies that caused them
 * instead of one ring round trip later.
 */
void providers_run_due(void)
{
	struct provider *p, *next;

	/* A few passes: a timer callback may arm "next iteration" timers. */
	for (int pass = 0; pass < 4; pass++) {
		bool ran = false;

		for (p = g.providers; p; p = next) {
			next = p->next;
			if (p->ntimers && p->ptimer && !p->in_shutdown &&
			    p->timers[0].deadline <= loop_time_ns()) {
				run_due(p, p->ptimer);
				ran = true;
			}
		}
		if (!ran)
			break;
	}
	/* what is still due (or due later) must wake the ring */
	for (p = g.providers; p; p = p->next)
		ptimer_rearm(p, true);
}

static struct ptimer *ptimer_of(struct provider *p)
{
	return p->ptimer;
}

static int64_t h_timer_start(struct cti_host *h, uint64_t ms, uint64_t cookie)
{
	struct provider *p = host_p(h);
	struct host_timer *t;

	if (!p || g.check_mode || p->in_shutdown)
		return -EINVAL;
	if (ms > 365ull * 24 * 3600 * 1000)
		return -EINVAL;
	if (p->ntimers == p->captimers) {
		uint32_t ncap = p->captimers ? p->captimers * 2 : 64;
		struct host_timer *n = realloc(p->timers, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->timers = n;
		p->captimers = ncap;
	}
	t = &p->timers[p->ntimers++];
	t->id = ++p->next_timer_id;
	t->deadline = loop_time_ns() + ms * 1000000ull;
	t->order = ++p->timer_order;
	t->cookie = cookie;
	heap_up(p, p->ntimers - 1);
	ptimer_rearm(p, false);
	return p->next_timer_id;
}

static int h_timer_cancel(struct cti_host *h, int64_t id)
{
	struct provider *p = host_p(h);

	if (!p)
		return -EINVAL;
	for (uint32_t i = 0; i < p->ntimers; i++)
		if (p->timers[i].id == id) {
			heap_del(p, i);
			return 0;
		}
	log_debug("provider %s: timer %lld cancelled after it fired",
		  p->name, (long long)id);
	return -ENOENT;
}

/* Transports: see transport.c. Only during an op, never in check mode. */
static int64_t h_open_tcp(struct cti_host *h, const char *name, uint16_t port,
			  uint64_t cookie)
{
	struct provider *p = host_p(h);

	if (!p || g.check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_tcp(p, name, port, cookie);
}

static int64_t h_open_unix(struct cti_host *h, const char *path, uint64_t cookie)
{
	struct provider *p = host_p(h);

	if (!p || g.check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_unix(p, path, cookie);
}

static int64_t h_open_serial(struct cti_host *h, const char *tty, uint32_t baud,
			     uint64_t cookie)
{
	struct provider *p = host_p(h);

	if (!p || g.check_mode || p->in_shutdown)
		return -EINVAL;
	return transport_open_serial(p, tty, baud, cookie);
}

static int h_send(struct cti_host *h, int64_t tid, const void *buf, size_t len)
{
	struct provider *p = host_p(h);

	if (!p || g.check_mode)
		return -ENOTCONN;
	return transport_send(p, tid, buf, len);
}

static int h_close(struct cti_host *h, int64_t tid)
{
	struct provider *p = host_p(h);

	if (!p || g.check_mode)
		return -ENOENT;
	return transport_close(p, tid);
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
	struct request *r = request_find(&g.requests, handle);
	struct line *l = NULL;

	if (!p || !r || r->prov != p || reach >= CTI_REACH_MAX)
		return -EINVAL;
	if (reach == CTI_REACH_SWITCH) {
		if (line != CTI_LINE_NONE)
			return -EINVAL;
	} else {
		l = line_by_local(p, line);
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
};

/* ---- loading ---- */

static int find_module(const struct config *cfg, const struct cfg_provider *cp,
		       const char *exe_dir, char *path, size_t len)
{
	const char *dirs[3];
	char build_dir[PATH_MAX];
	size_t n = 0;

	if (cp->so[0] == '/') {
		snprintf(path, len, "%s", cp->so);
		return access(path, R_OK) ? -errno : 0;
	}
	if (cfg->provider_dir)
		dirs[n++] = cfg->provider_dir;
	/* build/daemon/ctid -> build/providers */
	if (snprintf(build_dir, sizeof(build_dir), "%s/../providers",
		     exe_dir) >= (int)sizeof(build_dir))
		return -ENAMETOOLONG;
	dirs[n++] = build_dir;
	dirs[n++] = CTID_PROVIDER_DIR;
	for (size_t i = 0; i < n; i++) {
		if (snprintf(path, len, "%s/%s.so", dirs[i], cp->so) >= (int)len)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	if (snprintf(path, len, "%s.so (searched %s%s%s, %s)", cp->so,
		     cfg->provider_dir ? cfg->provider_dir : "",
		     cfg->provider_dir ? ", " : "", build_dir,
		     CTID_PROVIDER_DIR) >= (int)len)
		path[len - 1] = '\0';
	return -ENOENT;
}

/* dlopen() and the ABI check; fills p->dl, p->ops, p->path. */
static int open_module(const struct config *cfg, int idx, const char *exe_dir,
		       struct provider *p)
{
	const struct cfg_provider *cp = &cfg->providers[idx];
	const struct cti_provider_ops *ops;
	int ret;

	ret = find_module(cfg, cp, exe_dir, p->path, sizeof(p->path));
	if (ret) {
		log_err("%s:%d: provider %s: module %s not found", cfg->file,
			cp->lineno, cp->name, p->path);
		return ret;
	}
	p->dl = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
	if (!p->dl) {
		log_err("%s:%d: provider %s: %s", cfg->file, cp->lineno,
			cp->name, dlerror());
		return -ENOEXEC;
	}
	ops = dlsym(p->dl, CTI_PROVIDER_SYMBOL);
	if (!ops) {
		log_err("%s:%d: provider %s: %s exports no %s: not a cti provider",
			cfg->file, cp->lineno, cp->name, p->path,
			CTI_PROVIDER_SYMBOL);
		ret = -ENOEXEC;
		goto err;
	}
	if (ops->abi_version != CTI_PROVIDER_ABI_VERSION) {
		log_err("%s:%d: provider %s: %s was built for provider ABI %u, this ctid speaks %u: rebuild it against this ctid's cti_provider.h",
			cfg->file, cp->lineno, cp->name, p->path,
			ops->abi_version, CTI_PROVIDER_ABI_VERSION);
		ret = -EPROTO;
		goto err;
	}
	if (ops->size < CTI_PROVIDER_OPS_SIZE_V1 || !ops->init ||
	    !ops->shutdown || !ops->submit) {
		log_err("%s:%d: provider %s: %s has a truncated ops table (size %u) or lacks init/shutdown/submit",
			cfg->file, cp->lineno, cp->name, p->path, ops->size);
		ret = -EPROTO;
		goto err;
	}
	p->ops = ops;
	return 0;
err:
	dlclose(p->dl);
	p->dl = NULL;
	return ret;
}

static struct cti_provider_kv *make_kv(const struct cfg_provider *cp)
{
	struct cti_provider_kv *kv = calloc(cp->nparams + 1, sizeof(*kv));

	if (!kv)
		return NULL;
	for (size_t i = 0; i < cp->nparams; i++) {
		kv[i].key = cp->params[i].key;
		kv[i].value = cp->params[i].value;
		kv[i].lineno = cp->params[i].lineno;
	}
	return kv;
}

static void provider_announce(struct provider *p, bool up, int error)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_EV_PROVIDER_STATE };

	if (g.stopping)
		return;
	f.u.provider_state.provider = p->id;
	f.u.provider_state.state = up ? CTI_WIRE_PROVIDER_UP : CTI_WIRE_PROVIDER_DOWN;
	f.u.provider_state.error = error;
	f.u.provider_state.timestamp_ns = loop_realtime_ns();
	snprintf(f.u.provider_state.name, sizeof(f.u.provider_state.name), "%s",
		 p->name);
	registry_provider_event(p, &f);
}

static void remove_lines(struct provider *p)
{
	for (uint32_t i = 1; i <= g.max_line_id; i++) {
		struct line *l = line_get(i);

		if (l && !l->removed && l->prov == p) {
			line_end_all(p, l, -ENODEV);
			line_remove(l);
		}
	}
}

static void provider_free(struct provider *p)
{
	struct ptimer *pt = ptimer_of(p);

	if (pt) {
		pt->p = NULL;
		loop_timer_release(&pt->t);
	}
	transports_close_all(p);
	if (p->dl)
		dlclose(p->dl);
	free(p->timers);
	free(p->map_keys);
	free(p->map_vals);
	free(p);
}

int provider_load(int idx)
{
	const struct cfg_provider *cp = &g.cfg->providers[idx];
	struct cti_provider_config pcfg;
	struct cti_provider_kv *kv;
	struct provider *p;
	struct ptimer *pt;
	int ret;

	if (provider_find(cp->name))
		return -EEXIST;
	p = calloc(1, sizeof(*p));
	pt = calloc(1, sizeof(*pt));
	if (!p || !pt) {
		free(p);
		free(pt);
		return -ENOMEM;
	}
	p->host.p = p;
	p->cfg_index = idx;
	snprintf(p->name, sizeof(p->name), "%s", cp->name);
	loop_timer_init(&pt->t, ptimer_fire);
	pt->p = p;
	p->ptimer = pt;
	ret = open_module(g.cfg, idx, g.opts->exe_dir, p);
	if (ret) {
		provider_free(p);
		return ret;
	}
	kv = make_kv(cp);
	if (!kv) {
		provider_free(p);
		return -ENOMEM;
	}
	p->id = ++g.next_provider_id;
	p->next = g.providers;
	g.providers = p;
	pcfg.name = cp->name;
	pcfg.file = g.cfg->file;
	pcfg.count = cp->nparams;
	pcfg.kv = kv;
	p->in_init = true;
	p->up = true;
	registry_batch(true);	/* its lines are told in one batch */
	ret = p->ops->init(&host_api, &p->host, &pcfg, &p->state);
	p->in_init = false;
	free(kv);
	if (ret) {
		log_err("provider %s: init failed: %s", p->name, strerror(-ret));
		p->up = false;
		requests_complete_provider(&g.requests, p, CTI_LINE_NONE, -ECANCELED);
		remove_lines(p);
		registry_batch(false);
		g.providers = p->next;
		provider_free(p);
		return ret < 0 ? ret : -EINVAL;
	}
	registry_batch(false);
	log_info("provider %s (%s, %s) up with %u lines", p->name,
		 p->ops->name ? p->ops->name : "?", p->path, p->nlines);
	provider_announce(p, true, 0);
	return 0;
}

int provider_unload(struct provider *p, int error)
{
	struct provider **pp;

	log_info("provider %s: unloading", p->name);
	registry_batch(true);
	p->in_shutdown = true;
	p->up = false;
	p->ops->shutdown(p->state);
	requests_complete_provider(&g.requests, p, CTI_LINE_NONE, -ECANCELED);
	p->ntimers = 0;
	transports_close_all(p);
	remove_lines(p);
	registry_batch(false);
	provider_announce(p, false, error);
	for (pp = &g.providers; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	provider_free(p);
	return 0;
}

int provider_submit(struct provider *p, struct request *r, struct line *l,
		    const struct cti_wire_command *cmd, uid_t uid)
{
	struct cti_provider_request req = {
		.handle = r->handle,
		.cmd = cmd->cmd,
		.line = l->local,
		.call = cmd->call,
		.call2 = cmd->call2,
		.arg = cmd->arg,
		.arg2 = cmd->arg2,
		.data_len = cmd->data_len,
		.uid = uid,
		.data = (const char *)cmd->data,	/* NUL at data_len */
	};

	return p->ops->submit(p->state, &req);
}

/*
 * A provider that does not load at start fails the start (said above),
 * unless its section says "optional = yes": then ctid serves without it
 * and an admin can load it later.
 */
int providers_start(void)
{
	int failed = 0;

	for (size_t i = 0; i < g.cfg->nproviders; i++) {
		if (!provider_load((int)i))
			continue;
		if (g.cfg->providers[i].optional)
			log_warn("provider %s is optional: starting without it",
				 g.cfg->providers[i].name);
		else
			failed++;
	}
	return failed;
}

void providers_stop(void)
{
	while (g.providers)
		provider_unload(g.providers, -ESHUTDOWN);
}

/* --check-config: load each module, check its ABI and its keys. */
int ctid_check_providers(struct config *cfg, const struct ctid_options *o)
{
	int bad = 0;

	g.check_mode = true;
	g.cfg = cfg;
	for (size_t i = 0; i < cfg->nproviders; i++) {
		const struct cfg_provider *cp = &cfg->providers[i];
		struct provider p = { 0 };
		struct cti_provider_config pcfg;
		struct cti_provider_kv *kv;

		p.host.p = &p;
		snprintf(p.name, sizeof(p.name), "%s", cp->name);
		if (open_module(cfg, (int)i, o->exe_dir, &p)) {
			bad++;
			continue;
		}
		kv = make_kv(cp);
		pcfg.name = cp->name;
		pcfg.file = cfg->file;
		pcfg.count = cp->nparams;
		pcfg.kv = kv;
		if (kv && p.ops->check_config &&
		    p.ops->check_config(&host_api, &p.host, &pcfg)) {
			fprintf(stderr, "%s:%d: provider %s: configuration refused\n",
				cfg->file, cp->lineno, cp->name);
			bad++;
		}
		free(kv);
		dlclose(p.dl);
	}
	g.check_mode = false;
	return bad ? -EINVAL : 0;
}
