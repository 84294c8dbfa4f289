// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * linetab.c - the session's line table: by position and by id
 *
 * A session keeps one struct cti_line per line id it has ever seen, in the
 * order ctid listed them, and never frees one before the session: a
 * program may hold line pointers across hot-plug and reconnects. If a line
 * with the same stable id comes back (provider reload), the same object
 * lives again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static size_t index_slot(uint32_t id, size_t size)
{
	/* Fibonacci hashing spreads the dense ids ctid hands out */
	return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> 32) &
	       (size_t)(size - 1);
}

static void index_put(struct cti_line **index, size_t size,
		      struct cti_line *line)
{
	size_t i = index_slot(line->info.line, size);

	while (index[i])
		i = (i + 1) & (size - 1);
	index[i] = line;
}

/* Make room for one more line in the index (lines are never removed). */
static int index_grow(struct cti_session *s)
{
	struct cti_line **n;
	size_t size;

	if (s->index_size > 2 * (s->num_lines + 1))
		return 0;
	size = s->index_size ? s->index_size * 2 : 64;
	n = calloc(size, sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < s->num_lines; i++)
		index_put(n, size, s->lines[i]);
	free(s->line_index);
	s->line_index = n;
	s->index_size = size;
	return 0;
}

struct cti_line *cti_line_update(struct cti_session *s,
				 const struct cti_wire_line *info,
				 bool *created)
{
	struct cti_line *line = cti_session_get_line_by_id(s, info->line);

	*created = false;
	if (!line) {
		if (index_grow(s))
			return NULL;
		if (s->num_lines == s->lines_cap) {
			size_t cap = s->lines_cap ? s->lines_cap * 2 : 16;
			struct cti_line **n = realloc(s->lines,
						      cap * sizeof(*n));

			if (!n)
				return NULL;
			s->lines = n;
			s->lines_cap = cap;
		}
		line = calloc(1, sizeof(*line));
		if (!line)
			return NULL;
		line->session = s;
		line->info.line = info->line;
		s->lines[s->num_lines++] = line;
		index_put(s->line_index, s->index_size, line);
		*created = true;
	} else if (line->removed) {
		*created = true;	/* back again: announce it */
	}
	line->info = *info;
	line->removed = false;
	return line;
}

void cti_lines_free(struct cti_session *s)
{
	for (size_t i = 0; i < s->num_lines; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->line_index);
	s->lines = NULL;
	s->line_index = NULL;
	s->num_lines = 0;
	s->index_size = 0;
}

CTI_API size_t cti_session_get_num_lines(struct cti_session *session)
{
	return session->num_lines;
}

CTI_API struct cti_line *cti_session_get_line(struct cti_session *session,
					      size_t index)
{
	return index < session->num_lines ? session->lines[index] : NULL;
}

CTI_API struct cti_line *cti_session_get_line_by_id(struct cti_session *session,
						    uint32_t id)
{
	size_t i;

	if (!session->index_size)
		return NULL;
	for (i = index_slot(id, session->index_size); session->line_index[i];
	     i = (i + 1) & (session->index_size - 1))
		if (session->line_index[i]->info.line == id)
			return session->line_index[i];
	return NULL;
}

CTI_API int cti_session_find_line(struct cti_session *session,
				  const char *name, struct cti_line **linep)
{
	if (!name || !linep)
		return -EINVAL;
	for (size_t i = 0; i < session->num_lines; i++) {
		struct cti_line *line = session->lines[i];

		if (line->removed)
			continue;
		if (!strcmp(line->info.name, name))
			goto found;
		for (uint32_t a = 0; a < line->info.num_addresses; a++)
			if (!strcmp(line->info.addresses[a], name))
				goto found;
		continue;
found:
		*linep = line;
		return 0;
	}
	return -ENOENT;
}
