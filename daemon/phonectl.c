// SPDX-License-Identifier: GPL-2.0
/*
 * phonectl: requests on phones (phonectl.h). A phone is looked up
 * through its line's rights first, as linectl does for lines; its
 * commands go to the provider as the line's phone commands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "ctid.h"
#include "linectl.h"
#include "phone_fanout.h"
#include "phone_state.h"
#include "phonectl.h"

/* The line of a phone @s may see, or NULL (ENOENT): hidden is missing. */
static struct line *phone_line(struct ctid *ctx, struct session *s, uint32_t id)
{
	struct line *l = linectl_line(ctx, s, id);

	return l && l->phone ? l : NULL;
}

int phonectl_list(struct ctid *ctx, struct session *s, uint64_t id, uint32_t phone)
{
	if (phone != CTI_LINE_NONE) {
		struct line *l = phone_line(ctx, s, phone);

		if (!l)
			return -ENOENT;
		if (!phone_present(l))
			return -ENODEV;
	}
	return listing_start_phones(ctx, s, id, phone) ?: 1;
}

static int grow(void **v, uint32_t n, uint32_t *cap, size_t size)
{
	uint32_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 2;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

int phonectl_open(struct ctid *ctx, struct session *s, uint32_t id, uint32_t priv)
{
	struct line *l = phone_line(ctx, s, id);
	struct phone *p;

	if (!(s->features & CTI_WIRE_FEAT_PHONE_DEV))
		return -EOPNOTSUPP;	/* it could not follow the privilege */
	if (!l)
		return -ENOENT;
	if (!phone_present(l))
		return -ENODEV;
	if (priv != CTI_WIRE_PRIV_OWNER && priv != CTI_WIRE_PRIV_MONITOR)
		return -EINVAL;
	if (priv == CTI_WIRE_PRIV_OWNER && !authz_may_own(&s->pr, l))
		return -EACCES;
	p = l->phone;
	for (uint32_t i = 0; i < p->nopeners; i++)
		if (p->openers[i].s == s) {
			p->openers[i].priv = (uint8_t)priv;
			return 0;
		}
	if (grow((void **)&p->openers, p->nopeners, &p->capopeners,
		 sizeof(*p->openers)) ||
	    grow((void **)&s->phones, s->nphones, &s->capphones,
		 sizeof(*s->phones)))
		return -ENOMEM;
	p->openers[p->nopeners].s = s;
	p->openers[p->nopeners].priv = (uint8_t)priv;
	p->nopeners++;
	s->phones[s->nphones++] = id;
	return 0;
}

static void opener_del(struct phone *p, const struct session *s)
{
	for (uint32_t i = 0; p && i < p->nopeners; i++)
		if (p->openers[i].s == s) {
			p->openers[i] = p->openers[--p->nopeners];
			return;
		}
}

int phonectl_close(struct ctid *ctx, struct session *s, uint32_t id)
{
	struct line *l = phone_line(ctx, s, id);

	if (!l)
		return -ENOENT;
	for (uint32_t i = 0; i < s->nphones; i++)
		if (s->phones[i] == id) {
			s->phones[i] = s->phones[--s->nphones];
			opener_del(l->phone, s);
			return 0;
		}
	return -EBADF;
}

/* The command's arguments against the phone's capabilities. */
static int check_args(const struct phone *p, const struct cti_wire_phone_command *pc)
{
	switch (pc->cmd) {
	case CTI_CMD_SET_HOOK:
		if (phone_hook_index(p, pc->arg) < 0 || pc->arg2 > CTI_HOOK_MICSPEAKER)
			return -EINVAL;
		return 0;
	case CTI_CMD_SET_DISPLAY:
		return pc->arg < p->rows && pc->arg2 < p->cols ? 0 : -EINVAL;
	case CTI_CMD_SET_LAMP:
		return pc->arg < p->num_lamps && pc->arg2 <= CTI_LAMP_FLUTTER ?
		       0 : -EINVAL;
	case CTI_CMD_SET_RING:
		if (pc->arg2 > 100 ||
		    (p->num_ring_patterns && pc->arg > p->num_ring_patterns))
			return -EINVAL;
		return 0;
	case CTI_CMD_DEV_SPECIFIC:
		return 0;
	default:
		return -EINVAL;
	}
}

int phonectl_command(struct ctid *ctx, struct conn *c, struct session *s,
		     const struct cti_wire_phone_command *pc, uint64_t id)
{
	struct line *l = phone_line(ctx, s, pc->phone);
	struct cti_wire_command cmd;
	uint32_t priv;
	int ret;

	if (!l)
		return -ENOENT;
	if (ctx->stopping)
		return -ESHUTDOWN;
	if (!phone_present(l) || !l->prov || !l->prov->up)
		return -ENODEV;
	priv = phone_priv(l->phone, s);
	if (priv == CTI_WIRE_PRIV_NONE)
		return -EBADF;
	if (priv != CTI_WIRE_PRIV_OWNER)
		return -EPERM;
	if (!authz_may_own(&s->pr, l))
		return -EACCES;
	if (pc->cmd >= CTI_CMD_MAX || !(l->ops & (1ull << pc->cmd)))
		return -EOPNOTSUPP;
	ret = check_args(l->phone, pc);
	if (ret)
		return ret;
	memset(&cmd, 0, offsetof(struct cti_wire_command, data));
	cmd.cmd = pc->cmd;
	cmd.line = l->id;
	cmd.arg = pc->arg;
	cmd.arg2 = pc->arg2;
	cmd.data_len = pc->data_len;
	memcpy(cmd.data, pc->data, pc->data_len);
	cmd.data[pc->data_len] = '\0';
	return linectl_submit(ctx, c, s, l, &cmd, id, CTI_WIRE_PHONE_COMMAND);
}

void phonectl_drop_session(struct ctid *ctx, struct session *s)
{
	for (uint32_t i = 0; i < s->nphones; i++) {
		struct line *l = line_get(ctx, s->phones[i]);

		if (l)
			opener_del(l->phone, s);
	}
	free(s->phones);
	s->phones = NULL;
	s->nphones = s->capphones = 0;
}

void phonectl_revalidate(struct ctid *ctx, struct session *s)
{
	for (uint32_t i = s->nphones; i-- > 0;) {
		struct line *l = line_get(ctx, s->phones[i]);
		struct phone *p = l ? l->phone : NULL;

		if (!p || l->removed)
			continue;	/* checked again when it comes back */
		if (!authz_may_see(&s->pr, l)) {
			s->phones[i] = s->phones[--s->nphones];
			opener_del(p, s);
			fanout_phone_privilege(ctx, s, l->id, CTI_WIRE_PRIV_NONE);
			continue;
		}
		if (authz_may_own(&s->pr, l) ||
		    phone_priv(p, s) != CTI_WIRE_PRIV_OWNER)
			continue;
		for (uint32_t j = 0; j < p->nopeners; j++)
			if (p->openers[j].s == s)
				p->openers[j].priv = CTI_WIRE_PRIV_MONITOR;
		fanout_phone_privilege(ctx, s, l->id, CTI_WIRE_PRIV_MONITOR);
	}
}
