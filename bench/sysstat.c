// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sysstat.c - system-call counts, CPU time and load for the benchmarks
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysstat.h"

/* The tracepoint's id, from whichever tracefs mount exists. */
static long tracepoint_id(void)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
		"/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "r");
		long id = -1;

		if (!f)
			continue;
		if (fscanf(f, "%ld", &id) != 1)
			id = -1;
		fclose(f);
		if (id >= 0)
			return id;
	}
	return -ENOENT;
}

int sys_counter_open(void)
{
	struct perf_event_attr a;
	long id = tracepoint_id();
	int fd;

	if (id < 0)
		return (int)id;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (uint64_t)id;
	a.exclude_hv = 1;
	/* this thread only, on whichever CPU it runs */
	fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int64_t sys_counter_read(int fd)
{
	uint64_t v;

	if (fd < 0 || read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return -1;
	return (int64_t)v;
}

const char *sys_counter_why(int err)
{
	if (err == -ENOENT)
		return "no raw_syscalls tracepoint (tracefs not mounted?)";
	if (err == -EACCES || err == -EPERM)
		return "perf_event_open not permitted "
		       "(kernel.perf_event_paranoid; run as root)";
	return strerror(-err);
}

int64_t proc_cpu_ns(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* the command may hold spaces and parentheses: skip past the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%lu %lu", &ut, &st) != 2)
		return -1;
	return (int64_t)(ut + st) * (1000000000 / sysconf(_SC_CLK_TCK));
}

int64_t self_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000 +
	       ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

double load_avg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static int cpu_client = -1, cpu_server = -1;
static int cpu_helper = -1;	/* a CPU between the two, if there is one */

static int pin_to(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set);
}

bool pin_clients(void)
{
	cpu_set_t set;
	int i;

	if (sched_getaffinity(0, sizeof(set), &set) || CPU_COUNT(&set) < 2)
		return false;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (cpu_client < 0)
			cpu_client = i;
		else if (cpu_helper < 0)
			cpu_helper = i;
		cpu_server = i;
	}
	if (cpu_helper == cpu_server)
		cpu_helper = -1;	/* only two CPUs */
	if (pin_to(0, cpu_client)) {
		cpu_client = cpu_server = cpu_helper = -1;
		return false;
	}
	return true;
}

/* Every thread of @pid, so that a worker started before counts too. */
void pin_server(pid_t pid)
{
	char path[64];
	struct dirent *e;
	DIR *d;

	if (cpu_server < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d) {
		pin_to(pid, cpu_server);
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			pin_to((pid_t)atoi(e->d_name), cpu_server);
	closedir(d);
}

void pin_helper(void)
{
	if (cpu_helper >= 0)
		pin_to(0, cpu_helper);
}

int pin_helper_cpu(void)
{
	return cpu_helper;
}

const char *pin_describe(void)
{
	static char buf[64];

	if (cpu_server < 0)
		return "not pinned (fewer than 2 CPUs)";
	snprintf(buf, sizeof(buf), "clients on CPU %d, servers on CPU %d",
		 cpu_client, cpu_server);
	return buf;
}
