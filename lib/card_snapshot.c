// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * card_snapshot.c - the state of every line and call of a card
 *
 * CTI_IOC_SNAPSHOT fills arrays the caller provides and answers -ENOSPC
 * with the counts it needs when they are too small. Calls come and go
 * between two attempts, so the arrays are grown with some headroom and
 * the ioctl asked again, a bounded number of times.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "card_internal.h"

#define SNAPSHOT_TRIES	8

struct cti_card_snapshot {
	uint64_t seq;
	size_t num_lines, num_calls;
	struct cti_line_snapshot *lines;
	struct cti_call_snapshot *calls;
};

CTI_API void cti_card_snapshot_free(struct cti_card_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->lines);
	free(snap->calls);
	free(snap);
}

static int grow(struct cti_card_snapshot *s, uint32_t lines, uint32_t calls)
{
	void *l = realloc(s->lines, (lines ? lines : 1) * sizeof(*s->lines));

	if (!l)
		return -ENOMEM;
	s->lines = l;
	l = realloc(s->calls, (calls ? calls : 1) * sizeof(*s->calls));
	if (!l)
		return -ENOMEM;
	s->calls = l;
	return 0;
}

CTI_API int cti_card_snapshot(struct cti_card *card,
			      struct cti_card_snapshot **snapp)
{
	struct cti_card_desc *desc;
	struct cti_card_snapshot *s;
	uint32_t want_lines, want_calls;
	int ret, tries;

	if (!card || !snapp)
		return -EINVAL;
	ret = cti_card_get_desc(card, &desc);
	if (ret)
		return ret;
	if (!(desc->info.features & CTI_FEAT_SNAPSHOT)) {
		cti_card_desc_free(desc);
		return -EOPNOTSUPP;
	}
	/* A first guess that fits most cards at once: 3 calls a line. */
	want_lines = desc->info.num_lines;
	want_calls = desc->info.num_lines * 3;
	cti_card_desc_free(desc);

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (tries = 0; tries < SNAPSHOT_TRIES; tries++) {
		struct cti_snapshot sn = { .size = sizeof(sn) };

		ret = grow(s, want_lines, want_calls);
		if (ret)
			break;
		sn.num_lines = want_lines;
		sn.num_calls = want_calls;
		sn.lines = (uintptr_t)s->lines;
		sn.calls = (uintptr_t)s->calls;
		ret = ioctl(cti_card_get_fd(card), CTI_IOC_SNAPSHOT, &sn) < 0 ?
			-errno : 0;
		if (ret == 0) {
			s->seq = sn.seq;
			s->num_lines = sn.num_lines < want_lines ?
				sn.num_lines : want_lines;
			s->num_calls = sn.num_calls < want_calls ?
				sn.num_calls : want_calls;
			for (size_t i = 0; i < s->num_lines; i++)
				s->lines[i].forward_to[CTI_NUMBER_MAX - 1] = '\0';
			for (size_t i = 0; i < s->num_calls; i++) {
				s->calls[i].caller[CTI_NUMBER_MAX - 1] = '\0';
				s->calls[i].called[CTI_NUMBER_MAX - 1] = '\0';
			}
			*snapp = s;
			return 0;
		}
		if (ret != -ENOSPC)
			break;
		/* The counts needed now, and room for a few calls more. */
		want_lines = sn.num_lines;
		want_calls = sn.num_calls + 8;
		ret = -EAGAIN;
	}
	cti_card_snapshot_free(s);
	return ret;
}

CTI_API uint64_t cti_card_snapshot_get_seq(const struct cti_card_snapshot *snap)
{
	return snap->seq;
}

CTI_API size_t cti_card_snapshot_get_num_lines(
	const struct cti_card_snapshot *snap)
{
	return snap->num_lines;
}

CTI_API size_t cti_card_snapshot_get_num_calls(
	const struct cti_card_snapshot *snap)
{
	return snap->num_calls;
}

/* An index out of range reads as an all-zero entry. */
static const struct cti_line_snapshot *line_at(
	const struct cti_card_snapshot *snap, size_t i)
{
	static const struct cti_line_snapshot none;

	return i < snap->num_lines ? &snap->lines[i] : &none;
}

static const struct cti_call_snapshot *call_at(
	const struct cti_card_snapshot *snap, size_t i)
{
	static const struct cti_call_snapshot none;

	return i < snap->num_calls ? &snap->calls[i] : &none;
}

CTI_API uint32_t cti_card_snapshot_get_line(
	const struct cti_card_snapshot *snap, size_t index)
{
	return line_at(snap, index)->line;
}

CTI_API uint32_t cti_card_snapshot_get_line_status(
	const struct cti_card_snapshot *snap, size_t index)
{
	return line_at(snap, index)->status;
}

CTI_API uint32_t cti_card_snapshot_get_line_num_calls(
	const struct cti_card_snapshot *snap, size_t index)
{
	return line_at(snap, index)->num_calls;
}

CTI_API uint32_t cti_card_snapshot_get_line_forward_mode(
	const struct cti_card_snapshot *snap, size_t index)
{
	return line_at(snap, index)->forward_mode;
}

CTI_API const char *cti_card_snapshot_get_line_forward_to(
	const struct cti_card_snapshot *snap, size_t index)
{
	return line_at(snap, index)->forward_to;
}

CTI_API int cti_card_snapshot_get_line_dnd(const struct cti_card_snapshot *snap,
					   size_t index)
{
	return line_at(snap, index)->dnd != 0;
}

CTI_API uint32_t cti_card_snapshot_get_call_line(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->line;
}

CTI_API uint32_t cti_card_snapshot_get_call(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->call;
}

CTI_API uint32_t cti_card_snapshot_get_call_state(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->state;
}

CTI_API uint32_t cti_card_snapshot_get_call_reason(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->reason;
}

CTI_API uint32_t cti_card_snapshot_get_call_origin(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->origin;
}

CTI_API uint32_t cti_card_snapshot_get_call_related(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->related_call;
}

CTI_API const char *cti_card_snapshot_get_call_caller(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->caller;
}

CTI_API const char *cti_card_snapshot_get_call_called(
	const struct cti_card_snapshot *snap, size_t index)
{
	return call_at(snap, index)->called;
}
