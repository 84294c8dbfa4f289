/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memevents.h - bench_mem's clients that receive events
 */
#ifndef BENCH_MEMEVENTS_H
#define BENCH_MEMEVENTS_H

/*
 * Every one of @fds (sessions after HELLO) opens the first line of the
 * daemon on @sock as a monitor; a publisher owns it and toggles DND
 * @events times, each waited for. @queued is called (with @arg) once all
 * events are sent and none is read yet, then every fd reads its @events
 * LINE_STATUS frames. Returns 0, or -1 after printing why.
 */
int mem_events(const char *sock, const int *fds, int n, unsigned int events,
	       void (*queued)(void *arg), void *arg);

#endif /* BENCH_MEMEVENTS_H */
