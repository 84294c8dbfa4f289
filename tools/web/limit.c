// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * limit.c - failed console logins per browser address
 *
 * At most LIMIT_FAILURES failures per address in LIMIT_WINDOW_MS, below
 * ctid's own per-address limit (5 a minute by default), so that one
 * browser runs into this limit before ctiweb's address runs into ctid's.
 * A fixed table: when it is full the oldest entry goes, so a flood of
 * addresses costs memory of its own size only.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "ctiweb.h"

#define LIMIT_FAILURES	3
#define LIMIT_WINDOW_MS	60000u
#define LIMIT_SLOTS	256

static struct {
	pthread_mutex_t lock;
	struct slot {
		char peer[64];
		uint64_t since_ms;	/* the window's start; 0: free */
		unsigned int failures;
	} v[LIMIT_SLOTS];
} lim = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* @peer's slot in the current window, or NULL; caller holds the lock. */
static struct slot *find(const char *peer, uint64_t now)
{
	for (size_t i = 0; i < LIMIT_SLOTS; i++) {
		struct slot *s = &lim.v[i];

		if (s->since_ms && now - s->since_ms > LIMIT_WINDOW_MS)
			s->since_ms = 0;	/* its window is over */
		if (s->since_ms && !strcmp(s->peer, peer))
			return s;
	}
	return NULL;
}

bool limit_may_try(const char *peer)
{
	struct slot *s;
	bool ok;

	pthread_mutex_lock(&lim.lock);
	s = find(peer, web_now_ms());
	ok = !s || s->failures < LIMIT_FAILURES;
	pthread_mutex_unlock(&lim.lock);
	return ok;
}

void limit_failed(const char *peer)
{
	uint64_t now = web_now_ms();
	struct slot *s, *oldest = &lim.v[0];

	pthread_mutex_lock(&lim.lock);
	s = find(peer, now);
	for (size_t i = 0; !s && i < LIMIT_SLOTS; i++) {
		if (!lim.v[i].since_ms) {
			s = &lim.v[i];
			break;
		}
		if (lim.v[i].since_ms < oldest->since_ms)
			oldest = &lim.v[i];
	}
	if (!s) {
		s = oldest;
		s->since_ms = 0;
	}
	if (!s->since_ms) {
		snprintf(s->peer, sizeof(s->peer), "%s", peer);
		s->since_ms = now;
		s->failures = 0;
	}
	s->failures++;
	pthread_mutex_unlock(&lim.lock);
}
