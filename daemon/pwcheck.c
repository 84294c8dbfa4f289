// SPDX-License-Identifier: GPL-2.0
/*
 * pwcheck: the password worker. The loop thread never hashes: it queues a
 * job, the worker runs crypt_r() (yescrypt costs tens of milliseconds and
 * tens of MiB on purpose) and posts the job back; an eventfd read through
 * io_uring wakes the loop, which answers the LOGIN.
 *
 * A user that does not exist is hashed too, against a dummy hash of the
 * same method, so that the answer takes as long as a wrong password does
 * and says nothing about which names exist.
 */
#include <crypt.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "pwcheck.h"

int pwcheck_hash(const char *password, char *out, size_t outlen)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *cd;
	const char *h;
	int ret = 0;

	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)))
		return -errno ?: -EINVAL;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return -ENOMEM;
	h = crypt_r(password, salt, cd);
	if (!h || h[0] == '*' || strlen(h) >= outlen)
		ret = -EINVAL;
	else
		strcpy(out, h);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ret;
}

/* Constant time in the length of the strings: no early exit on a byte. */
static bool same(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;

	for (size_t i = 0; i < na && i < nb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return !d;
}

static void check(struct pwcheck_job *j, const char *dummy, struct crypt_data *cd)
{
	bool known = j->hash[0] == '$';
	const char *h = crypt_r(j->password, known ? j->hash : dummy, cd);

	j->ok = known && h && h[0] != '*' && same(h, j->hash);
	explicit_bzero(j->password, sizeof(j->password));
}

static void *worker(void *arg)
{
	struct pwcheck *pc = arg;
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	char dummy[USERS_HASH_MAX] = "";
	uint64_t one = 1;

	/* the dummy costs what a real yescrypt hash costs */
	if (pwcheck_hash("no such user", dummy, sizeof(dummy)))
		strcpy(dummy, "*");
	pthread_mutex_lock(&pc->mu);
	for (;;) {
		struct pwcheck_job *j;

		while (!pc->todo && !pc->stop)
			pthread_cond_wait(&pc->cv, &pc->mu);
		if (pc->stop)
			break;
		j = pc->todo;
		pc->todo = j->next;
		if (!pc->todo)
			pc->todo_tail = &pc->todo;
		pthread_mutex_unlock(&pc->mu);
		if (cd)
			check(j, dummy, cd);
		else
			j->ok = false;
		pthread_mutex_lock(&pc->mu);
		j->next = NULL;
		*pc->done_tail = j;
		pc->done_tail = &j->next;
		if (write(pc->efd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow at our rate: nothing to do */
		}
	}
	pthread_mutex_unlock(&pc->mu);
	if (cd)
		explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return NULL;
}

static void arm(struct pwcheck *pc)
{
	struct io_uring_sqe *sqe = loop_sqe(pc->lp, &pc->op);

	io_uring_prep_read(sqe, pc->efd, &pc->efd_val, sizeof(pc->efd_val), 0);
}

static void efd_done(struct loop *lp, struct loop_op *op, struct io_uring_cqe *cqe)
{
	struct pwcheck *pc = (struct pwcheck *)((char *)op - offsetof(struct pwcheck, op));
	struct pwcheck_job *list;

	(void)lp;
	pthread_mutex_lock(&pc->mu);
	list = pc->done;
	pc->done = NULL;
	pc->done_tail = &pc->done;
	pthread_mutex_unlock(&pc->mu);
	while (list) {
		struct pwcheck_job *j = list;

		list = j->next;
		pc->queued--;
		pc->complete(pc, j);
	}
	if (cqe->res != -ECANCELED && !pc->stop)
		arm(pc);
}

int pwcheck_start(struct pwcheck *pc, struct loop *lp,
		  void (*complete)(struct pwcheck *pc, struct pwcheck_job *job))
{
	sigset_t all, old;
	int ret;

	memset(pc, 0, sizeof(*pc));
	pc->todo_tail = &pc->todo;
	pc->done_tail = &pc->done;
	pc->lp = lp;
	pc->complete = complete;
	pc->op.done = efd_done;
	pc->efd = eventfd(0, EFD_CLOEXEC);
	if (pc->efd < 0)
		return -errno;
	pthread_mutex_init(&pc->mu, NULL);
	pthread_cond_init(&pc->cv, NULL);
	/* signals are the loop's (signalfd): the worker takes none of them */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&pc->thread, NULL, worker, pc);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		close(pc->efd);
		return -ret;
	}
	pc->started = true;
	arm(pc);
	return 0;
}

int pwcheck_submit(struct pwcheck *pc, struct pwcheck_job *job)
{
	if (pc->queued >= PWCHECK_MAX_QUEUED)
		return -EAGAIN;
	job->next = NULL;
	pthread_mutex_lock(&pc->mu);
	*pc->todo_tail = job;
	pc->todo_tail = &job->next;
	pthread_cond_signal(&pc->cv);
	pthread_mutex_unlock(&pc->mu);
	pc->queued++;
	return 0;
}

static void free_list(struct pwcheck_job *j)
{
	while (j) {
		struct pwcheck_job *n = j->next;

		explicit_bzero(j, sizeof(*j));
		free(j);
		j = n;
	}
}

/* After the ring is gone (nothing refers to @pc->op any more). */
void pwcheck_stop(struct pwcheck *pc)
{
	if (!pc->started)
		return;
	pthread_mutex_lock(&pc->mu);
	pc->stop = true;
	pthread_cond_signal(&pc->cv);
	pthread_mutex_unlock(&pc->mu);
	pthread_join(pc->thread, NULL);
	free_list(pc->todo);
	free_list(pc->done);
	close(pc->efd);
	pthread_mutex_destroy(&pc->mu);
	pthread_cond_destroy(&pc->cv);
	pc->started = false;
}
