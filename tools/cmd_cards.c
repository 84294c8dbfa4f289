// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd_cards.c - ctictl cards: the kernel's CTI cards (/dev/ctiN), as the
 * kernel lists them through its generic netlink family (libcti's card
 * layer), each with the ctid lines that present its lines (the kcard
 * provider names them CARD.LINE). ctid is optional here: without it the
 * cards are still listed, with no lines.
 *
 * LOST is what the kernel reports for the card (CTI_NL_A_CARD_LOST): the
 * records its readers' rings could not take since the card appeared,
 * summed over every file opened on it (ctid's kcard, monitors, tests);
 * "-" (no "lost" in --json) from a cti.ko that does not count them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cti_card.h>

#include "common.h"

static const char *card_kind(uint64_t caps)
{
	if ((caps & CTI_CARD_CAP_CALL_CONTROL) && (caps & CTI_CARD_CAP_LINK))
		return "call+link";
	if (caps & CTI_CARD_CAP_CALL_CONTROL)
		return "call";
	if (caps & CTI_CARD_CAP_LINK)
		return "link";
	return "-";
}

/* Whether ctid's line @line presents a line of card @card ("CARD."). */
static int line_of_card(struct cti_line *line, const char *card)
{
	const char *name = cti_line_get_name(line);
	size_t n = strlen(card);

	return !cti_line_is_removed(line) && !strncmp(name, card, n) &&
	       name[n] == '.';
}

/* "1,2,3" (the ids of the card's ctid lines), or "-". */
static void card_line_ids(struct cti_session *s, const char *card, char *buf,
			  size_t len)
{
	size_t n = s ? cti_session_get_num_lines(s) : 0, off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++) {
		struct cti_line *l = cti_session_get_line(s, i);

		if (line_of_card(l, card))
			off += (size_t)snprintf(buf + off, len - off, "%s%" PRIu32,
						off ? "," : "",
						cti_line_get_id(l));
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

static void card_json(struct json *j, struct cti_session *s,
		      const struct cti_card_desc *d)
{
	const char *name = cti_card_desc_get_name(d);
	size_t n = s ? cti_session_get_num_lines(s) : 0;
	uint64_t lost;

	json_begin(j, NULL, '{');
	json_uint(j, "index", cti_card_desc_get_index(d));
	json_str(j, "name", name);
	json_str(j, "driver", cti_card_desc_get_driver(d));
	json_str(j, "vendor", cti_card_desc_get_vendor(d));
	json_str(j, "serial", cti_card_desc_get_serial(d));
	json_str(j, "kind", card_kind(cti_card_desc_get_caps(d)));
	json_str(j, "link", cti_card_desc_get_link_state(d) == CTI_LINK_UP ?
		 "up" : "down");
	json_uint(j, "lines", cti_card_desc_get_num_lines(d));
	json_uint(j, "phones", cti_card_desc_get_num_phones(d));
	if (!cti_card_desc_get_lost(d, &lost))
		json_uint(j, "lost", lost);
	json_begin(j, "ctid_lines", '[');
	for (size_t i = 0; i < n; i++) {
		struct cti_line *l = cti_session_get_line(s, i);

		if (!line_of_card(l, name))
			continue;
		json_begin(j, NULL, '{');
		json_uint(j, "id", cti_line_get_id(l));
		json_str(j, "name", cti_line_get_name(l));
		json_str(j, "status",
			 ctl_line_status_name(cti_line_get_status(l)));
		json_uint(j, "calls", cti_line_get_num_calls(l));
		json_end(j, '}');
	}
	json_end(j, ']');
	json_end(j, '}');
}

static void cards_print(struct ctl *ctl, struct cti_session *s,
			const struct cti_card_list *list)
{
	static const char *const hdr[] = {
		"DEV", "NAME", "DRIVER", "KIND", "LINK", "LINES", "PHONES",
		"LOST", "CTID LINES",
	};
	size_t n = cti_card_list_get_count(list);
	struct table *t;
	struct json j;

	if (ctl->json) {
		json_init(&j, stdout);
		json_begin(&j, NULL, '[');
		for (size_t i = 0; i < n; i++)
			card_json(&j, s, cti_card_list_get_desc(list, i));
		json_end(&j, ']');
		json_finish(&j);
		return;
	}
	t = table_new(sizeof(hdr) / sizeof(hdr[0]), hdr);
	for (size_t i = 0; i < n; i++) {
		const struct cti_card_desc *d = cti_card_list_get_desc(list, i);
		char dev[24], lines[16], phones[16], lost[24], ids[256];
		uint64_t nlost;

		snprintf(dev, sizeof(dev), "cti%" PRIu32,
			 cti_card_desc_get_index(d));
		snprintf(lines, sizeof(lines), "%" PRIu32,
			 cti_card_desc_get_num_lines(d));
		snprintf(phones, sizeof(phones), "%" PRIu32,
			 cti_card_desc_get_num_phones(d));
		if (cti_card_desc_get_lost(d, &nlost))
			snprintf(lost, sizeof(lost), "-");
		else
			snprintf(lost, sizeof(lost), "%" PRIu64, nlost);
		card_line_ids(s, cti_card_desc_get_name(d), ids, sizeof(ids));
		table_add(t, dev, cti_card_desc_get_name(d),
			  cti_card_desc_get_driver(d),
			  card_kind(cti_card_desc_get_caps(d)),
			  cti_card_desc_get_link_state(d) == CTI_LINK_UP ?
			  "up" : "down", lines, phones, lost, ids);
	}
	table_print(t, stdout);
	table_free(t);
}

static int cmd_cards(struct ctl *ctl, int argc, char **argv)
{
	struct cti_card_list *list;
	struct cti_session *s = NULL;
	int ret;

	ret = ctl_check_argc(argc, 0, 0, argv[0], "");
	if (ret)
		return ret;
	ret = cti_card_list_new(&list);
	if (ret == -ENOENT)
		return ctl_fail(ret, "cards: the kernel has no cti netlink family (is cti.ko loaded?)");
	if (ret)
		return ctl_fail(ret, "cards: listing the cards");
	/* ctid is optional: its lines are shown when it answers */
	if (cti_session_open(ctl->uri, NULL, &s))
		s = NULL;
	cards_print(ctl, s, list);
	if (s)
		cti_session_close(s);
	cti_card_list_free(list);
	return 0;
}

const struct ctl_cmd ctl_card_cmds[] = {
	{ "cards", "", "list the kernel's cards and their ctid lines",
	  cmd_cards },
	{ }
};
