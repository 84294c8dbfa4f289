// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_fanout: events per second delivered to 1, 100 and 1000 subscribers,
 * ctid against redis-server's pub/sub, measured the same way.
 *
 * ctid: N sessions monitor one sim line; a publisher session owns it and
 * toggles DND, so every change is one LINE_STATUS event frame to each of
 * the N monitors. redis: N connections SUBSCRIBE one channel; a publisher
 * connection PUBLISHes a payload of the same size as ctid's event frame.
 *
 * In both cases the subscribers are read by one receiver process (epoll
 * over all sockets) that counts whole messages (ctid: frames by their
 * length header; redis: the fixed size of a message push) into a counter
 * shared with the publisher. The publisher keeps at most WINDOW messages
 * per subscriber in flight, so no queue grows and nothing is dropped: the
 * rate is what the server sustains. Loopback only: ctid on its unix
 * socket; redis on a loopback TCP port (as asked) and on a unix socket
 * (the like-for-like transport), both printed.
 *
 * The two sides are driven alike: the same payload bytes per event (a
 * redis message carries its RESP framing and channel name on top), 64
 * requests per write and at most MAX_REQS requests awaiting their reply
 * on both publishers (ctid's default max_requests), both publishers copy
 * a prepared request and read their replies with one large recv() and
 * count them without decoding (ctid: frames by header, framecount.c;
 * redis: reply lines), the same receiver, and the same placement: the
 * server on a CPU of its own, the publisher on another, the receiver
 * on a third if there is one, else beside the publisher (sysstat.h).
 * Left to the scheduler, the server shared a CPU with
 * the publisher in some runs and with the receiver in others, and each
 * server's rate swung by a third from run to run. Each server's CPU time
 * in the window is printed: near 100% says the figure is the server's,
 * less says the clients could not drive it harder. What differs is
 * inherent: ctid's publisher owns the line, so it also gets each event,
 * and each event is made by the sim executing the request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "framecount.h"
#include "harness.h"
#include "rawclient.h"
#include "redis.h"
#include "stats.h"
#include "sysstat.h"

#define WARMUP_MS	300
#define DURATION_MS	1500
#define REPEAT		5
#define WINDOW		1024	/* messages in flight per subscriber */
/* requests in flight per publisher: ctid's default max_requests */
#define MAX_REQS	1024
#define CHANNEL		"cti.line.100"

struct shared {
	_Atomic uint64_t delivered;
	_Atomic int ready;
};

static struct shared *sh;
static uint64_t fixed_events;	/* --count: events per run, else timed */
static unsigned int max_reqs = MAX_REQS; /* ctid's; --count ... closed: 1 */

/*
 * What the measured window of the last run saw: messages delivered and,
 * when ctid runs with allocount.so, the allocations ctid made.
 */
static struct {
	_Atomic uint64_t *allocs;	/* ctid's counter, or NULL */
	pid_t server;			/* the server measured */
	uint64_t delivered, n_allocs;
	double server_busy;		/* its CPU time / the window's time */
} win;

/* The server's CPU time at the start of a window, and the time. */
struct busy {
	int64_t cpu_ns;
	uint64_t t_ns;
};

static void busy_start(struct busy *b, uint64_t now)
{
	b->cpu_ns = proc_cpu_ns(win.server);
	b->t_ns = now;
}

static void busy_end(const struct busy *b, uint64_t now)
{
	win.server_busy = (double)(proc_cpu_ns(win.server) - b->cpu_ns) /
			  (double)(now - b->t_ns);
}

static void die(const char *what, int err)
{
	fprintf(stderr, "bench_fanout: %s: %s\n", what, strerror(err));
	exit(1);
}

/* Per-socket parsing state of the receiver. */
struct rx {
	struct framecount frames;	/* ctid */
	uint32_t residue;	/* redis: bytes of a partial message */
};

/*
 * The receiver: count messages on @fds until killed. @msg_size 0 means
 * ctid frames, else redis pushes of that size.
 */
static void receiver(int *fds, size_t n, size_t msg_size)
{
	static uint8_t buf[1 << 16];
	struct epoll_event ev[256];
	struct rx *rx = calloc(n, sizeof(*rx));
	int ep = epoll_create1(0);
	size_t i;

	if (!rx || ep < 0)
		die("receiver", errno);
	for (i = 0; i < n; i++) {
		struct epoll_event e = { .events = EPOLLIN, .data.u64 = i };

		fcntl(fds[i], F_SETFL, O_NONBLOCK);
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e) < 0)
			die("epoll_ctl", errno);
	}
	atomic_store(&sh->ready, 1);
	for (;;) {
		int k, got = epoll_wait(ep, ev, 256, -1);

		for (k = 0; k < got; k++) {
			struct rx *r = &rx[ev[k].data.u64];
			int fd = fds[ev[k].data.u64];
			uint64_t count = 0;
			ssize_t len;

			while ((len = read(fd, buf, sizeof(buf))) > 0) {
				if (!msg_size) {
					count += framecount_feed(&r->frames, buf,
								 (size_t)len,
								 0, NULL);
					continue;
				}
				count += (r->residue + (size_t)len) / msg_size;
				r->residue = (r->residue + (size_t)len) % msg_size;
			}
			if (count)
				atomic_fetch_add(&sh->delivered, count);
		}
	}
}

static pid_t spawn_receiver(int *fds, size_t n, size_t msg_size)
{
	pid_t pid;

	atomic_store(&sh->delivered, 0);
	atomic_store(&sh->ready, 0);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		pin_helper();
		receiver(fds, n, msg_size);
		_exit(0);
	}
	while (!atomic_load(&sh->ready))
		t_sleep_ms(1);
	return pid;
}

/* A publisher: send up to @max messages now, read what it is sent back. */
struct publisher {
	int (*publish)(void *ctx, unsigned int max);
	void (*drain)(void *ctx);
	void *ctx;
};

/*
 * Publish for WARMUP_MS + DURATION_MS, keeping the messages in flight
 * under WINDOW per subscriber; returns messages delivered per second.
 */
static double measure(struct publisher *p, size_t subs)
{
	uint64_t published = 0, d0 = 0, t_start = 0, t0 = t_now_ns(), now;
	uint64_t window = (uint64_t)WINDOW * subs;
	bool measuring = false;
	struct busy busy;

	for (;;) {
		uint64_t delivered = atomic_load(&sh->delivered);
		uint64_t inflight = published * subs - delivered;

		now = t_now_ns();
		if (!measuring && now - t0 >= (uint64_t)WARMUP_MS * 1000000u) {
			measuring = true;
			t_start = now;
			busy_start(&busy, now);
			d0 = delivered;
			win.n_allocs = win.allocs ? atomic_load(win.allocs) : 0;
		}
		if (measuring && now - t_start >= (uint64_t)DURATION_MS * 1000000u) {
			double rate = (double)(delivered - d0) /
				      ((double)(now - t_start) / 1e9);

			busy_end(&busy, now);
			win.delivered = delivered - d0;
			win.n_allocs = win.allocs ?
				       atomic_load(win.allocs) - win.n_allocs : 0;

			/* every message sent must arrive: a fast loser is no
			 * winner */
			while (atomic_load(&sh->delivered) < published * subs &&
			       t_now_ns() - now < 5000000000ull) {
				p->drain(p->ctx);
				t_sleep_ms(1);
			}
			delivered = atomic_load(&sh->delivered);
			if (delivered != published * subs)
				printf("# %llu of %llu messages never arrived\n",
				       (unsigned long long)(published * subs -
							    delivered),
				       (unsigned long long)(published * subs));
			return rate;
		}
		if (inflight + subs <= window) {
			unsigned int room = (unsigned int)((window - inflight) / subs);

			published += (uint64_t)p->publish(p->ctx, room > 64 ? 64 : room);
		} else {
			p->drain(p->ctx);
			sched_yield();
		}
	}
}

/*
 * --count: publish exactly @events changes, then wait until every
 * subscriber got each one. A fixed workload, for counting ctid's
 * instructions (callgrind) or system calls per event, where the timed
 * runs deliver a load-dependent number of events.
 */
static void measure_fixed(struct publisher *p, size_t subs, uint64_t events)
{
	uint64_t published = 0, t0;
	uint64_t window = (uint64_t)WINDOW * subs;
	struct busy busy;

	busy_start(&busy, t_now_ns());
	while (published < events) {
		uint64_t inflight = published * subs -
				    atomic_load(&sh->delivered);
		uint64_t left = events - published;

		if (inflight + subs <= window) {
			uint64_t room = (window - inflight) / subs;

			if (room > left)
				room = left;
			published += (uint64_t)p->publish(p->ctx, room > 64 ?
							  64 : (unsigned int)room);
		} else {
			p->drain(p->ctx);
			sched_yield();
		}
	}
	t0 = t_now_ns();
	while (atomic_load(&sh->delivered) < published * subs &&
	       t_now_ns() - t0 < 60000000000ull) {
		p->drain(p->ctx);
		t_sleep_ms(1);
	}
	busy_end(&busy, t_now_ns());
	win.delivered = atomic_load(&sh->delivered);
	if (win.delivered != published * subs)
		printf("# %llu of %llu messages never arrived\n",
		       (unsigned long long)(published * subs - win.delivered),
		       (unsigned long long)(published * subs));
}

/* ctid */

struct ctid_pub {
	struct rc rc;
	uint32_t line;
	unsigned int on;
	unsigned int outstanding;
	struct framecount frames;	/* what ctid sends the publisher */
	/* COMMAND SET_DND off and on, encoded once: only the id changes */
	uint8_t cmd[2][64];
	size_t cmd_len;
};

/*
 * Reads what ctid sent the publisher (its replies and, as the line's
 * owner, the events) with large reads, and counts the REPLY frames by
 * their header, as the redis publisher counts its reply lines.
 */
static void ctid_drain(void *ctx)
{
	static uint8_t buf[1 << 16];
	struct ctid_pub *p = ctx;
	ssize_t len;

	while ((len = recv(p->rc.fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		uint64_t replies = 0;

		framecount_feed(&p->frames, buf, (size_t)len, CTI_WIRE_REPLY,
				&replies);
		p->outstanding -= replies < p->outstanding ?
				  (unsigned int)replies : p->outstanding;
	}
}

/*
 * The publisher's two requests, COMMAND SET_DND off and on, encoded once:
 * the redis publisher copies one prepared PUBLISH, so this one copies a
 * prepared frame and sets its id.
 */
static void ctid_pub_prepare(struct ctid_pub *p)
{
	struct cti_wire_frame f;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_COMMAND;
	f.hdr.id = 1;
	f.u.command.cmd = CTI_CMD_SET_DND;
	f.u.command.line = p->line;
	for (unsigned int on = 0; on < 2; on++) {
		ssize_t n;

		f.u.command.arg = on;
		n = cti_wire_encode(&f, p->cmd[on], sizeof(p->cmd[on]), NULL);
		if (n < 0)
			die("encode", (int)-n);
		p->cmd_len = (size_t)n;
	}
}

/*
 * Like the redis publisher, batch: up to @max COMMAND frames into one
 * buffer, written with one send.
 */
static int ctid_publish(void *ctx, unsigned int max)
{
	static uint8_t batch[64 * 128];
	struct ctid_pub *p = ctx;
	size_t len = 0;
	unsigned int i;

	ctid_drain(p);
	/* ctid bounds the requests in flight per client: stay under it */
	if (p->outstanding + max > max_reqs)
		max = p->outstanding < max_reqs ? max_reqs - p->outstanding : 0;
	if (max > 64)
		max = 64;
	for (i = 0; i < max; i++) {
		p->on ^= 1;
		memcpy(batch + len, p->cmd[p->on], p->cmd_len);
		cti_wire_frame_set_id(batch + len, p->rc.next_id++);
		len += p->cmd_len;
	}
	if (len && rc_send_raw(&p->rc, batch, len) < 0)
		die("publish", EPIPE);
	p->outstanding += max;
	return (int)max;
}

/* The size of the frame every subscriber gets per change. */
static size_t ctid_event_size(void)
{
	struct cti_wire_frame f;
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_EV_LINE_STATUS;
	f.hdr.id = 1;
	f.u.line_status.dnd = 1;
	n = cti_wire_encode(&f, buf, sizeof(buf), NULL);
	if (n < 0)
		die("encode", (int)-n);
	return (size_t)n;
}

/* allocount.so beside this program, or "" (then --allocs cannot run). */
static const char *allocount_path(void)
{
	static char path[4096];
	ssize_t n;
	char *slash;

	if (path[0])
		return path;
	n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	if (n <= 0)
		return "";
	path[n] = '\0';
	slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, "allocount.so");
	return access(path, R_OK) ? "" : path;
}

/*
 * Start @d; with @count_allocs, under allocount.so with its counter in
 * @d's directory mapped into win.allocs. The preload is set for ctid
 * alone: the environment is restored before anything else is started.
 */
static void start_ctid(struct t_ctid *d, bool count_allocs)
{
	const char *conf = t_conf(4, "log_level = warn\n", NULL, NULL);
	char file[] = "/tmp/cti-allocs.XXXXXX";
	int fd = -1, rc;

	win.allocs = NULL;
	if (count_allocs) {
		fd = mkstemp(file);
		if (fd < 0 || ftruncate(fd, sizeof(uint64_t)))
			die("alloc counter", errno);
		win.allocs = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE,
				  MAP_SHARED, fd, 0);
		if (win.allocs == MAP_FAILED)
			die("mmap", errno);
		setenv("CTI_ALLOC_COUNT", file, 1);
		setenv("LD_PRELOAD", allocount_path(), 1);
	}
	rc = t_ctid_start(d, conf);
	if (count_allocs) {
		unsetenv("LD_PRELOAD");
		unsetenv("CTI_ALLOC_COUNT");
		close(fd);
		unlink(file);
	}
	if (rc)
		exit(1);
}

static void stop_ctid(struct t_ctid *d)
{
	if (win.allocs) {
		munmap((void *)win.allocs, sizeof(uint64_t));
		win.allocs = NULL;
	}
	if (t_ctid_stop(d) != 0)
		die("ctid did not stop cleanly", EIO);
}

/*
 * A fresh ctid per run: sessions the subscribers leave behind stay
 * detached for a resume and keep receiving every event, so a daemon
 * reused across repeats got slower with each (16.8M to 6.2M events per
 * CPU-second at 1,000 subscribers over five repeats). @cpu_rate: events
 * delivered per second of ctid's own CPU time.
 */
static double ctid_run(size_t subs, bool count_allocs, double *cpu_rate)
{
	struct t_ctid dd, *d = &dd;
	struct ctid_pub pub;
	struct publisher p = { ctid_publish, ctid_drain, &pub };
	int *fds = calloc(subs, sizeof(*fds));
	struct rc *c = calloc(1, sizeof(*c));
	struct cti_wire_line l;
	double rate;
	pid_t rx;
	size_t i;

	if (!fds || !c)
		die("calloc", ENOMEM);
	start_ctid(d, count_allocs);
	pin_server(d->pid);
	win.server = d->pid;
	memset(&pub, 0, sizeof(pub));
	if (rc_connect(&pub.rc, d->sock) || rc_hello(&pub.rc, "pub", 0, 0))
		die("publisher", ECONNREFUSED);
	if (rc_list_lines(&pub.rc, &l, 1) < 1)
		die("no line", ENOENT);
	pub.line = l.line;
	ctid_pub_prepare(&pub);
	if (rc_open_line(&pub.rc, pub.line, CTI_WIRE_PRIV_OWNER))
		die("open", EACCES);
	if (pub.rc.in_len || pub.rc.q_len)
		die("publisher got frames early", EPROTO);
	for (i = 0; i < subs; i++) {
		if (rc_connect(c, d->sock) || rc_hello(c, "sub", 0, 0) ||
		    rc_open_line(c, pub.line, CTI_WIRE_PRIV_MONITOR))
			die("subscriber", ECONNREFUSED);
		if (c->in_len || c->q_len)
			die("subscriber got frames early", EPROTO);
		fds[i] = c->fd;
		c->fd = -1;
		rc_close(c);
	}
	rx = spawn_receiver(fds, subs, 0);
	for (i = 0; i < subs; i++)
		close(fds[i]);
	if (fixed_events) {
		measure_fixed(&p, subs, fixed_events);
		rate = (double)win.delivered;
	} else {
		rate = measure(&p, subs);
	}
	*cpu_rate = win.server_busy > 0 ? rate / win.server_busy : 0;
	kill(rx, SIGKILL);
	waitpid(rx, NULL, 0);
	rc_close(&pub.rc);
	free(fds);
	free(c);
	stop_ctid(d);
	return rate;
}

/* redis */

struct redis_pub {
	int fd;
	unsigned int outstanding;
	char cmd[1024];
	size_t cmd_len;
	char batch[64 * 1024];
};

/* Reads the integer replies to PUBLISH (":1\r\n"), one line each. */
static void redis_drain_nb(void *ctx)
{
	static char buf[1 << 16];
	struct redis_pub *p = ctx;
	ssize_t len;

	while ((len = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		for (const char *c = buf; (c = memchr(c, '\n', (size_t)(buf + len - c)));
		     c++)
			if (p->outstanding)
				p->outstanding--;
}

static int redis_publish(void *ctx, unsigned int max)
{
	struct redis_pub *p = ctx;
	size_t len = 0;
	unsigned int i;

	redis_drain_nb(p);
	/* the same bound on requests in flight as ctid's publisher */
	if (p->outstanding + max > MAX_REQS)
		max = p->outstanding < MAX_REQS ? MAX_REQS - p->outstanding : 0;
	for (i = 0; i < max && len + p->cmd_len <= sizeof(p->batch); i++) {
		memcpy(p->batch + len, p->cmd, p->cmd_len);
		len += p->cmd_len;
	}
	if (len && send(p->fd, p->batch, len, 0) != (ssize_t)len)
		die("publish", errno);
	p->outstanding += i;
	return (int)i;
}

static double redis_run(struct redis *r, int unix_sock, size_t subs,
			size_t payload)
{
	struct redis_pub pub;
	struct publisher p = { redis_publish, redis_drain_nb, &pub };
	int *fds = calloc(subs, sizeof(*fds));
	char data[1024];
	double rate;
	pid_t rx;
	size_t i;

	if (!fds)
		die("calloc", ENOMEM);
	memset(data, 'x', sizeof(data));
	for (i = 0; i < subs; i++) {
		fds[i] = redis_connect(r, unix_sock);
		if (fds[i] < 0 || redis_subscribe(fds[i], CHANNEL))
			die("redis subscribe", errno);
	}
	memset(&pub, 0, sizeof(pub));
	pub.fd = redis_connect(r, unix_sock);
	if (pub.fd < 0)
		die("redis connect", errno);
	pub.cmd_len = redis_publish_cmd(pub.cmd, sizeof(pub.cmd), CHANNEL,
					data, payload);
	win.server = r->pid;
	rx = spawn_receiver(fds, subs, redis_message_size(CHANNEL, payload));
	for (i = 0; i < subs; i++)
		close(fds[i]);
	rate = measure(&p, subs);
	kill(rx, SIGKILL);
	waitpid(rx, NULL, 0);
	close(pub.fd);
	free(fds);
	t_sleep_ms(200);
	return rate;
}

/* The payload whose redis message is as long as ctid's event frame. */
static size_t equal_payload(size_t frame)
{
	size_t n = 1;

	while (redis_message_size(CHANNEL, n) < frame)
		n++;
	return n;
}

struct fig {
	struct series ctid, cpu, tcp, unx, eq, r_tcp, r_unx, r_eq;
	/* each server's CPU time in the window, in percent of it */
	struct series busy_ctid, busy_tcp, busy_unx, busy_eq;
};

/* One repeat at @subs: ctid, redis tcp, redis unix, redis unix equal. */
static void repeat_once(struct fig *g, struct redis *r, bool have_redis,
			size_t subs, size_t payload, size_t eq_payload)
{
	double cpu, c = ctid_run(subs, false, &cpu), t, u, e;

	series_add(&g->ctid, c);
	series_add(&g->cpu, cpu);
	series_add(&g->busy_ctid, 100 * win.server_busy);
	if (!have_redis)
		return;
	t = redis_run(r, 0, subs, payload);
	series_add(&g->busy_tcp, 100 * win.server_busy);
	u = redis_run(r, 1, subs, payload);
	series_add(&g->busy_unx, 100 * win.server_busy);
	e = redis_run(r, 1, subs, eq_payload);
	series_add(&g->busy_eq, 100 * win.server_busy);
	series_add(&g->tcp, t);
	series_add(&g->unx, u);
	series_add(&g->eq, e);
	series_add(&g->r_tcp, c / t);
	series_add(&g->r_unx, c / u);
	series_add(&g->r_eq, c / e);
}

static bool print_fig(const struct fig *g, size_t subs)
{
	char b[6][64];
	bool nat = series_med(&g->r_tcp) >= 1.5 && series_med(&g->r_unx) >= 1.5;
	bool eq = series_med(&g->r_eq) >= 1.2;

	printf("%5zu %-22s %-22s %-22s %-22s %-22s\n", subs,
	       series_rate(b[0], sizeof(b[0]), &g->ctid),
	       series_rate(b[1], sizeof(b[1]), &g->cpu),
	       series_rate(b[2], sizeof(b[2]), &g->tcp),
	       series_rate(b[3], sizeof(b[3]), &g->unx),
	       series_rate(b[4], sizeof(b[4]), &g->eq));
	printf("      x redis: tcp %s, unix %s, unix equal bytes %s\n",
	       series_fmt(b[0], sizeof(b[0]), &g->r_tcp, "%.2f"),
	       series_fmt(b[1], sizeof(b[1]), &g->r_unx, "%.2f"),
	       series_fmt(b[2], sizeof(b[2]), &g->r_eq, "%.2f"));
	printf("      server CPU busy %%: ctid %s, redis tcp %s, unix %s, "
	       "equal bytes %s\n",
	       series_fmt(b[0], sizeof(b[0]), &g->busy_ctid, "%.0f"),
	       series_fmt(b[1], sizeof(b[1]), &g->busy_tcp, "%.0f"),
	       series_fmt(b[2], sizeof(b[2]), &g->busy_unx, "%.0f"),
	       series_fmt(b[3], sizeof(b[3]), &g->busy_eq, "%.0f"));
	snprintf(b[5], sizeof(b[5]), "%zu subscribers: %.2fx tcp, %.2fx unix",
		 subs, series_med(&g->r_tcp), series_med(&g->r_unx));
	nat = goal("fan-out >= 1.5x redis, natural encoding", nat, b[5]);
	snprintf(b[5], sizeof(b[5]), "%zu subscribers: %.2fx unix", subs,
		 series_med(&g->r_eq));
	return goal("fan-out >= 1.2x redis, equal bytes on the wire", eq,
		    b[5]) && nat;
}

/*
 * --allocs: ctid's heap allocations per event, counted by allocount.so
 * (a separate pass: the counter's atomic add would tax the rates), and
 * ctid's CPU time per delivered event.
 */
static int allocs_pass(void)
{
	static const size_t counts[] = { 1, 100, 1000 };
	size_t k;

	if (!allocount_path()[0]) {
		printf("bench_fanout --allocs: no allocount.so beside the "
		       "program\n");
		return 1;
	}
	printf("\n(2b) ctid's heap allocations per event (malloc, calloc, "
	       "realloc, posix_memalign, counted by allocount.so)\n");
	printf("%5s %14s %18s %18s %16s\n", "subs", "events", "allocs/event",
	       "allocs/delivery", "CPU ns/delivery");
	for (k = 0; k < 3; k++) {
		double cpu, rate = ctid_run(counts[k], true, &cpu);
		double events = (double)win.delivered / (double)counts[k];

		(void)rate;
		printf("%5zu %14.0f %18.3f %18.4f %16.1f\n", counts[k], events,
		       (double)win.n_allocs / events,
		       (double)win.n_allocs / (double)win.delivered, 1e9 / cpu);
		fflush(stdout);
	}
	return 0;
}

/* --ctid-only N [RUNS]: ctid runs alone at N subscribers, to profile. */
static int ctid_only(size_t subs, unsigned long runs)
{
	double cpu, rate;

	if (subs < 1 || subs > 10000 || runs < 1 || runs > 100) {
		printf("bench_fanout --ctid-only: 1 to 10000 subscribers, "
		       "1 to 100 runs\n");
		return 1;
	}
	while (runs--) {
		rate = ctid_run(subs, false, &cpu);
		printf("ctid, %zu subscribers: %.0f events/s delivered, %.0f "
		       "per second of ctid's CPU\n", subs, rate, cpu);
	}
	return 0;
}

/*
 * --count N EVENTS [closed]: one ctid at N subscribers publishes exactly
 * EVENTS changes (closed: one request in flight, a closed loop like
 * bench_rtt's clients); run it with CTID= pointing at a wrapper that
 * starts ctid under callgrind or strace, twice with different EVENTS,
 * and divide the difference of the counts by the difference of the
 * events (bench/ctid_counts.sh).
 */
static int ctid_count(size_t subs, unsigned long long events)
{
	double cpu;

	if (subs < 1 || subs > 10000 || events < 1 || events > 100000000) {
		printf("bench_fanout --count: 1 to 10000 subscribers, "
		       "1 to 1e8 events\n");
		return 1;
	}
	fixed_events = events;
	ctid_run(subs, false, &cpu);
	printf("ctid, %zu subscribers: %llu events published, %llu "
	       "delivered\n", subs, events,
	       (unsigned long long)win.delivered);
	return win.delivered == events * subs ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const size_t counts[] = { 1, 100, 1000 };
	size_t payload = ctid_event_size(), eq, k;
	char rx_cpu[32] = "the clients' CPU too";
	struct redis r;
	bool have_redis;

	signal(SIGPIPE, SIG_IGN);
	t_raise_nofile(65536);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap", errno);
	t_ctid_verbose = false;
	pin_clients();
	if (argc > 1 && !strcmp(argv[1], "--allocs"))
		return allocs_pass();
	if (argc > 4 && !strcmp(argv[4], "closed"))
		max_reqs = 1;
	if (argc > 3 && !strcmp(argv[1], "--count"))
		return ctid_count(strtoul(argv[2], NULL, 10),
				  strtoull(argv[3], NULL, 10));
	if (argc > 2 && !strcmp(argv[1], "--ctid-only"))
		return ctid_only(strtoul(argv[2], NULL, 10),
				 argc > 3 ? strtoul(argv[3], NULL, 10) : 1);
	eq = equal_payload(payload);
	have_redis = redis_start(&r) == 0;
	if (have_redis)
		pin_server(r.pid);
	if (pin_helper_cpu() >= 0)
		snprintf(rx_cpu, sizeof(rx_cpu), "CPU %d", pin_helper_cpu());
	if (!have_redis)
		printf("SKIP: bench_fanout: redis-server did not start\n");
	printf("\n(2) event fan-out, events/s delivered to all subscribers, "
	       "load average %.2f\n    natural: ctid's %zu-byte LINE_STATUS "
	       "frame against a %zu-byte redis payload (%zu bytes on the "
	       "wire);\n    equal bytes: a %zu-byte payload, %zu bytes on "
	       "the wire; a fresh ctid for every run\n    %s; the "
	       "receiver on %s\n", load_avg(),
	       payload, payload, redis_message_size(CHANNEL, payload), eq,
	       redis_message_size(CHANNEL, eq), pin_describe(), rx_cpu);
	printf("%5s %-22s %-22s %-22s %-22s %-22s\n", "subs", "ctid (unix)",
	       "ctid per CPU-second", "redis (tcp lo)", "redis (unix)",
	       "redis unix =bytes");
	for (k = 0; k < 3; k++) {
		struct fig g;
		int i;

		memset(&g, 0, sizeof(g));
		/* interleaved repeats: 2 shared CPUs are noisy */
		for (i = 0; i < REPEAT; i++)
			repeat_once(&g, &r, have_redis, counts[k], payload, eq);
		if (have_redis)
			print_fig(&g, counts[k]);
		else
			printf("%5zu %.0f events/s\n", counts[k],
			       series_med(&g.ctid));
		fflush(stdout);
	}
	printf("(median (min-max) of %d interleaved runs of %d ms each; "
	       "x redis: the ratio within each run; load average %.2f)\n",
	       REPEAT, DURATION_MS, load_avg());
	if (have_redis)
		redis_stop(&r);
	return 0;
}
