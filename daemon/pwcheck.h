/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pwcheck: password hashing off the loop thread (pwcheck.c). yescrypt
 * takes tens of milliseconds by design; one worker thread does it, and
 * tells the loop through an eventfd that the loop reads with io_uring.
 * Jobs come back in the order they went in.
 */
#ifndef CTID_PWCHECK_H
#define CTID_PWCHECK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "loop.h"
#include "users.h"
#include "wire.h"

struct pwcheck_job {
	struct pwcheck_job *next;
	void *owner;			/* the connection; NULL once it went */
	uint64_t req;			/* the LOGIN's request id */
	char user[USERS_NAME_MAX];
	char hash[USERS_HASH_MAX];	/* "": no such user (a dummy is hashed) */
	char password[CTI_WIRE_PASSWORD_MAX + 1];
	bool ok;			/* the worker's verdict */
};

struct pwcheck {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pwcheck_job *todo, **todo_tail;	/* under @mu */
	struct pwcheck_job *done, **done_tail;	/* under @mu */
	unsigned int queued;			/* loop thread only */
	bool stop;				/* under @mu */
	bool started;
	int efd;
	uint64_t efd_val;
	struct loop_op op;
	struct loop *lp;
	void (*complete)(struct pwcheck *pc, struct pwcheck_job *job);
};

/* Starts the worker; @complete runs on the loop thread for each job. */
int pwcheck_start(struct pwcheck *pc, struct loop *lp,
		  void (*complete)(struct pwcheck *pc, struct pwcheck_job *job));
/* Queues @job (the worker owns it until complete()); -EAGAIN: too many. */
int pwcheck_submit(struct pwcheck *pc, struct pwcheck_job *job);
/* Stops the worker; jobs not yet completed are freed. */
void pwcheck_stop(struct pwcheck *pc);

/* The yescrypt hash of @password with a fresh salt (for ctictl too). */
int pwcheck_hash(const char *password, char *out, size_t outlen);

#define PWCHECK_MAX_QUEUED	64

#endif
