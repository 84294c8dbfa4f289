// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * soak - mixed load through a private ctid that is killed with SIGKILL
 * and restarted every few seconds, with provider reloads, for a given
 * time; then the accounts of every session (acct.c) and ctid's RSS.
 *
 *   soak [-d SECONDS] [-s SEED] [-k KILL_EVERY_S] [-r RELOAD_EVERY_S]
 *        [-c CALLERS] [-x EXIT_EVERY_S] [-q QUEUE_LIMIT]
 *        [-K [-u UNPLUG_EVERY_S]]
 *
 * -K: the kernel variant (kcard.c): the lines are a cti_sim card's, made
 * here through configfs, under ctid's kcard provider; the card is
 * unplugged and plugged again every UNPLUG_EVERY_S seconds (default 4).
 * Needs cti.ko and cti_sim.ko: `make vmsoak` runs it in the guest.
 *
 * Exits 0 when every rule held: no event lost outside a GAP or RESYNC,
 * none twice, every request answered exactly once, ctid never died but by
 * our hand and always came back, its RSS did not keep growing, and the
 * exiting programs failed only with the errnos of a restart.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "soak.h"

#define MAX_CLIENTS	64
/* Sessions besides the callers: two monitors, the slow one, the admin. */
#define EXTRA_CLIENTS	4
/* Lines for the exiting programs, after the callers' lines. */
#define EXITER_LINES	2
#define MAX_EXITERS	32

struct opts {
	unsigned int duration_s, kill_every_s, reload_every_s, exit_every_s;
	unsigned int callers, queue_limit;
	unsigned int seed;
	bool kernel;
	unsigned int unplug_every_s;
};

struct rss {
	long first, min, max, last;
	long early_max, late_max;	/* second and last quarter of the run */
	unsigned int samples;
};

struct soak {
	struct opts o;
	struct t_ctid d;
	struct client c[MAX_CLIENTS + EXTRA_CLIENTS];
	size_t nc;
	struct client *admin;
	struct soak_load load;
	struct rss rss;
	struct soak_card card;		/* -K: the card under kcard */
	unsigned int kills, restarts, reloads, crashes, restart_fail;
	unsigned int exiters, exiter_ok, exiter_restart, exiter_fail;
	pid_t live[MAX_EXITERS];	/* exiting programs not yet reaped */
	size_t nlive;
	int64_t t0;
};

static int64_t start_ms;

void soak_log(const char *fmt, ...)
{
	va_list ap;

	printf("[%7.2f] ", (double)(t_now_ms() - start_ms) / 1000.0);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int parse_opts(struct opts *o, int argc, char **argv)
{
	int ch;

	*o = (struct opts){ 60, 5, 7, 3, 8, 8192, (unsigned int)time(NULL),
			    false, 4 };
	while ((ch = getopt(argc, argv, "d:s:k:r:c:x:q:Ku:")) != -1) {
		unsigned long v = optarg ? strtoul(optarg, NULL, 0) : 0;

		switch (ch) {
		case 'd': o->duration_s = (unsigned int)v; break;
		case 's': o->seed = (unsigned int)v; break;
		case 'k': o->kill_every_s = (unsigned int)v; break;
		case 'r': o->reload_every_s = (unsigned int)v; break;
		case 'x': o->exit_every_s = (unsigned int)v; break;
		case 'c': o->callers = (unsigned int)v; break;
		case 'q': o->queue_limit = (unsigned int)v; break;
		case 'K': o->kernel = true; break;
		case 'u': o->unplug_every_s = (unsigned int)v; break;
		default: return -1;
		}
	}
	if (o->callers < 2 || o->callers > MAX_CLIENTS || !o->duration_s ||
	    o->callers + EXITER_LINES > SOAK_LINES) {
		fprintf(stderr, "soak: -c 2..%d callers, -d > 0 seconds\n",
			MAX_CLIENTS);
		return -1;
	}
	return 0;
}

/*
 * ctid's configuration: the callers' lines and the exiters', and a small
 * queue_limit (default 8 KiB), so that a reader that falls behind is
 * declared slow soon (GAP, RESYNC) and that accounting runs too.
 */
static int start_ctid(struct soak *k)
{
	char keys[64];

	if (k->o.kernel) {
		if (soak_card_make(&k->card, k->o.callers + EXITER_LINES) < 0)
			return -1;
		return t_ctid_start(&k->d, soak_card_conf(&k->card,
							  k->o.queue_limit));
	}
	snprintf(keys, sizeof(keys), "queue_limit = %u\n", k->o.queue_limit);
	return t_ctid_start(&k->d, t_conf(k->o.callers + EXITER_LINES, keys,
					  NULL, NULL));
}

static int open_clients(struct soak *k)
{
	static const char *const extra[] = {
		"monitor-1", "monitor-2", "slow-reader", "admin",
	};
	char name[32];

	for (size_t i = 0; i < k->o.callers; i++) {
		snprintf(name, sizeof(name), "caller-%zu", i);
		if (client_open(&k->c[k->nc], k->d.uri, name, i, false) < 0)
			return -1;
		k->nc++;
	}
	for (size_t i = 0; i < EXTRA_CLIENTS; i++) {
		if (client_open(&k->c[k->nc], k->d.uri, extra[i], 0, true) < 0)
			return -1;
		k->nc++;
	}
	/* the slow reader dispatches every 3 s; the admin monitors too */
	k->c[k->nc - 2].read_every_ms = 3000;
	k->admin = &k->c[k->nc - 1];
	k->load.clients = k->c;
	k->load.n = k->o.callers;
	return 0;
}

static void sample_rss(struct soak *k, int64_t now)
{
	long kb = t_ctid_rss_kb(&k->d);
	int64_t span = (int64_t)k->o.duration_s * 1000, t = now - k->t0;

	if (kb <= 0)
		return;
	if (!k->rss.samples++) {
		k->rss.first = k->rss.min = kb;
	}
	if (kb < k->rss.min)
		k->rss.min = kb;
	if (kb > k->rss.max)
		k->rss.max = kb;
	k->rss.last = kb;
	if (t >= span / 4 && t < span / 2 && kb > k->rss.early_max)
		k->rss.early_max = kb;
	if (t >= span * 3 / 4 && kb > k->rss.late_max)
		k->rss.late_max = kb;
}

/* SIGKILL and start again; a ctid that died by itself is a crash. */
static void kill_restart(struct soak *k)
{
	if (!t_ctid_alive(&k->d)) {
		k->crashes++;
		soak_log("RULE: ctid died by itself (pid %d); its log:",
			 (int)k->d.pid);
		t_ctid_dump_log(&k->d);
	} else {
		t_ctid_kill9(&k->d);
		k->kills++;
	}
	if (t_ctid_restart(&k->d) < 0) {
		k->restart_fail++;
		soak_log("RULE: ctid did not start again");
		return;
	}
	k->restarts++;
}

static void reload(struct soak *k)
{
	uint64_t req = 0;

	acct_sent(&k->admin->acct,
		  cti_session_reload_provider(k->admin->s, k->o.kernel ?
					      SOAK_KCARD_PROVIDER : "sim",
					      &req), &req);
	k->reloads++;
}

static void spawn_exiter(struct soak *k)
{
	size_t line = k->o.callers + k->exiters % EXITER_LINES;
	struct cti_line *to = cti_session_get_line(k->admin->s, 0);
	const char *number = to && cti_line_get_num_addresses(to) ?
			     cti_line_get_address(to, 0) : "100";
	char num[CTI_NUMBER_MAX];
	pid_t pid;

	if (k->nlive == MAX_EXITERS)
		return;
	snprintf(num, sizeof(num), "%s", number);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(exiter_run(k->d.uri, line, num));
	if (pid > 0) {
		k->live[k->nlive++] = pid;
		k->exiters++;
	}
}

static void reap_exiters(struct soak *k, bool block)
{
	size_t keep = 0;
	int st;

	for (size_t i = 0; i < k->nlive; i++) {
		pid_t pid = waitpid(k->live[i], &st, block ? 0 : WNOHANG);

		if (pid == 0) {
			k->live[keep++] = k->live[i];
			continue;
		}
		if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) == 1) {
			k->exiter_fail++;
			soak_log("RULE: an exiting program failed (status %#x)",
				 pid < 0 ? -1 : st);
		} else if (WEXITSTATUS(st) == 2) {
			k->exiter_restart++;
		} else {
			k->exiter_ok++;
		}
	}
	k->nlive = keep;
}

static void poll_clients(struct soak *k, int64_t now)
{
	struct pollfd p[MAX_CLIENTS + EXTRA_CLIENTS];
	size_t n = 0;

	for (size_t i = 0; i < k->nc; i++)
		if (client_wants_poll(&k->c[i], now))
			p[n++] = (struct pollfd){
				.fd = cti_session_get_fd(k->c[i].s),
				.events = POLLIN,
			};
	poll(p, n, 20);
	/* dispatch never blocks, and runs libcti's reconnect timer */
	for (size_t i = 0; i < k->nc; i++)
		client_service(&k->c[i], &k->load, t_now_ms());
}

static struct acct sum_all(const struct soak *k)
{
	struct acct sum;

	memset(&sum, 0, sizeof(sum));
	for (size_t i = 0; i < k->nc; i++)
		acct_add(&sum, &k->c[i].acct);
	return sum;
}

static void progress(struct soak *k)
{
	struct acct s = sum_all(k);

	soak_log("progress: %" PRIu64 " events, %" PRIu64 " requests, %u kills,"
		 " %u reloads, %u exiters; ctid RSS %ld KiB (min %ld, max %ld)",
		 s.delivered, s.sent, k->kills, k->reloads, k->exiters,
		 k->rss.last, k->rss.min, k->rss.max);
}

/* Every timer of the run, in seconds after the start (0: never). */
struct timers {
	int64_t kill, reload, exiter, rss, report, unplug;
};

static int64_t next_at(int64_t now, unsigned int every_s)
{
	return every_s ? now + (int64_t)every_s * 1000 : INT64_MAX;
}

static void run_load(struct soak *k, int64_t end)
{
	unsigned int report_s = k->o.duration_s / 20;
	int64_t now = t_now_ms();
	struct timers t = {
		next_at(now, k->o.kill_every_s),
		next_at(now + (int64_t)k->o.kill_every_s * 500,
			k->o.reload_every_s),
		next_at(now, k->o.exit_every_s), now,
		next_at(now, report_s < 10 ? 10 : report_s),
		next_at(now + 1500, k->o.kernel ? k->o.unplug_every_s : 0),
	};

	while ((now = t_now_ms()) < end && !k->restart_fail) {
		poll_clients(k, now);
		reap_exiters(k, false);
		if (now >= t.kill) {
			kill_restart(k);
			t.kill = next_at(t_now_ms(), k->o.kill_every_s);
		}
		if (now >= t.reload) {
			reload(k);
			t.reload = next_at(now, k->o.reload_every_s);
		}
		if (now >= t.exiter) {
			spawn_exiter(k);
			t.exiter = next_at(now, k->o.exit_every_s);
		}
		if (k->o.kernel) {
			soak_card_tick(&k->card, now, now >= t.unplug);
			if (now >= t.unplug)
				t.unplug = next_at(now, k->o.unplug_every_s);
		}
		if (now >= t.rss) {
			sample_rss(k, now);
			t.rss = now + 1000;
		}
		if (now >= t.report) {
			progress(k);
			t.report = next_at(now, report_s < 10 ? 10 : report_s);
		}
	}
}

/* Stop the load and wait until every request has its answer. */
static void drain(struct soak *k)
{
	int64_t end = t_now_ms() + 15000;
	size_t pending;

	k->load.stopping = true;
	for (size_t i = 0; i < k->nc; i++)
		k->c[i].read_every_ms = 0;
	if (k->o.kernel && !k->card.live)
		soak_card_set_live(&k->card, true);
	do {
		poll_clients(k, t_now_ms());
		pending = 0;
		for (size_t i = 0; i < k->nc; i++)
			pending += acct_pending(&k->c[i].acct);
	} while (pending && t_now_ms() < end);
	for (size_t i = 0; i < k->nc; i++)
		if (acct_pending(&k->c[i].acct))
			soak_log("RULE: %s: %zu requests never answered",
				 k->c[i].name, acct_pending(&k->c[i].acct));
	reap_exiters(k, true);
}

static int report(struct soak *k, int stop_status)
{
	struct acct s = sum_all(k);
	int broken = acct_report(&s, true);
	bool grew = k->o.duration_s >= 120 && k->rss.early_max &&
		    k->rss.late_max > k->rss.early_max * 3 / 2 + 4096;

	for (size_t i = k->o.callers; i < k->nc; i++)
		printf("soak: %s: %" PRIu64 " events, %" PRIu64 " GAPs (%"
		       PRIu64 " events), %" PRIu64 " RESYNCs\n", k->c[i].name,
		       k->c[i].acct.delivered, k->c[i].acct.gaps,
		       k->c[i].acct.announced, k->c[i].acct.resyncs);
	printf("soak: ctid killed %u, restarted %u, failed to restart %u, "
	       "crashed %u; provider reloads %u; ctid exit at the end %#x\n",
	       k->kills, k->restarts, k->restart_fail, k->crashes, k->reloads,
	       stop_status);
	printf("soak: exiting programs %u: placed a call %u, failed across a "
	       "restart %u, failed otherwise %u\n", k->exiters, k->exiter_ok,
	       k->exiter_restart, k->exiter_fail);
	printf("soak: ctid RSS KiB over %u samples: first %ld, min %ld, max %ld,"
	       " last %ld; max in the second quarter %ld, in the last %ld%s\n",
	       k->rss.samples, k->rss.first, k->rss.min, k->rss.max,
	       k->rss.last, k->rss.early_max, k->rss.late_max,
	       grew ? " (GREW)" : "");
	if (k->o.kernel)
		printf("soak: card %s: unplugged %u, plugged again %u, failed "
		       "%u\n", k->card.name, k->card.unplugs, k->card.plugs,
		       k->card.fail);
	broken += k->crashes + k->restart_fail + k->exiter_fail + grew;
	broken += k->card.fail;
	broken += stop_status != 0;
	printf("soak: seed %u: %s\n", k->o.seed,
	       broken ? "RULES BROKEN" : "all rules held");
	return broken ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct soak k;
	int stop;

	if (parse_opts(&k.o, argc, argv) < 0)
		return 2;
	start_ms = t_now_ms();
	srand(k.o.seed);
	signal(SIGPIPE, SIG_IGN);
	t_ctid_verbose = false;
	t_raise_nofile(4096);
	printf("soak: seed %u, %u s, %u callers, kill every %u s, reload every"
	       " %u s, an exiting program every %u s, queue_limit %u\n",
	       k.o.seed, k.o.duration_s, k.o.callers, k.o.kill_every_s,
	       k.o.reload_every_s, k.o.exit_every_s, k.o.queue_limit);
	if (k.o.kernel)
		printf("soak: kernel variant: kcard over a cti_sim card, "
		       "unplugged every %u s\n", k.o.unplug_every_s);
	if (start_ctid(&k) < 0 || open_clients(&k) < 0) {
		t_ctid_stop(&k.d);
		soak_card_remove(&k.card);
		return 1;
	}
	k.t0 = t_now_ms();
	run_load(&k, k.t0 + (int64_t)k.o.duration_s * 1000);
	drain(&k);
	sample_rss(&k, t_now_ms());
	for (size_t i = 0; i < k.nc; i++)
		cti_session_close(k.c[i].s);
	stop = t_ctid_stop(&k.d);
	soak_card_remove(&k.card);
	return report(&k, stop);
}
