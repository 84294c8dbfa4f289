/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cticlients.h - libcti sessions as bench_rtt's clients
 *
 * Each session owns a sim line of its own. Two ways of taking replies,
 * both as the header documents them: poll + cti_session_next_msg() until
 * it answers 0, and epoll + cti_session_dispatch() with a callback.
 */
#ifndef BENCH_CTICLIENTS_H
#define BENCH_CTICLIENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "rtt.h"

struct cti_clients;

/* Open @n sessions to CTI_URI, client i owning line i; exits on failure. */
struct cti_clients *cti_clients_open(size_t n);
void cti_clients_close(struct cti_clients *c);
/* What each request is: PING (ctid alone) or SET_DND (ctid and the sim). */
void cti_clients_set_ping(struct cti_clients *c, bool ping);

extern const struct rtt_ops cti_next_msg_ops;
extern const struct rtt_ops cti_dispatch_ops;

#endif /* BENCH_CTICLIENTS_H */
