/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * call_names.h - the names of uapi/linux/cti.h's call states, disconnect
 * reasons and offer reasons, spelled as sequences.txt spells them.
 *
 * Written once for libcti's cti_call_state_name() (lib/names.c) and the
 * test programs that print or parse records: the sequence runner
 * (seqfile.c), the kernel selftests (selftests/cti) and the providers'
 * fake host (tests/providers). Not part of cti_sim.ko, which has no use
 * for names. Index a table only below its size (CTI_NAMES_COUNT()); a gap
 * in an enum reads as NULL.
 *
 * Include <linux/cti.h> or libcti's cti.h first: the enums have the same
 * names and values in both (lib/abi_check.c), and the two headers cannot
 * meet in one file.
 */
#ifndef CTI_SWITCH_CALL_NAMES_H
#define CTI_SWITCH_CALL_NAMES_H

#define CTI_NAMES_COUNT(t)	(sizeof(t) / sizeof((t)[0]))

static const char *const cti_state_names[CTI_CALL_STATE_MAX] = {
	[CTI_CALL_IDLE] = "IDLE",
	[CTI_CALL_OFFERING] = "OFFERING",
	[CTI_CALL_ACCEPTED] = "ACCEPTED",
	[CTI_CALL_DIALTONE] = "DIALTONE",
	[CTI_CALL_DIALING] = "DIALING",
	[CTI_CALL_RINGBACK] = "RINGBACK",
	[CTI_CALL_BUSY] = "BUSY",
	[CTI_CALL_SPECIALINFO] = "SPECIALINFO",
	[CTI_CALL_CONNECTED] = "CONNECTED",
	[CTI_CALL_PROCEEDING] = "PROCEEDING",
	[CTI_CALL_ONHOLD] = "ONHOLD",
	[CTI_CALL_CONFERENCED] = "CONFERENCED",
	[CTI_CALL_ONHOLDPENDCONF] = "ONHOLDPENDCONF",
	[CTI_CALL_ONHOLDPENDTRANSFER] = "ONHOLDPENDTRANSFER",
	[CTI_CALL_DISCONNECTED] = "DISCONNECTED",
	[CTI_CALL_UNKNOWN] = "UNKNOWN",
};

static const char *const cti_disc_names[] = {
	[CTI_DISC_NONE] = "NONE",
	[CTI_DISC_NORMAL] = "NORMAL",
	[CTI_DISC_BUSY] = "BUSY",
	[CTI_DISC_NO_ANSWER] = "NO_ANSWER",
	[CTI_DISC_REJECTED] = "REJECTED",
	[CTI_DISC_UNREACHABLE] = "UNREACHABLE",
	[CTI_DISC_BAD_ADDRESS] = "BAD_ADDRESS",
	[CTI_DISC_CONGESTION] = "CONGESTION",
	[CTI_DISC_PICKUP] = "PICKUP",
	[CTI_DISC_FORWARDED] = "FORWARDED",
	[CTI_DISC_TRANSFERRED] = "TRANSFERRED",
	[CTI_DISC_REDIRECTED] = "REDIRECTED",
	[CTI_DISC_OUT_OF_ORDER] = "OUT_OF_ORDER",
	[CTI_DISC_DND] = "DND",
};

/* The reason of an OFFERING (and of CALL_INFO): how the call got here. */
static const char *const cti_offer_names[] = {
	[CTI_REASON_DIRECT] = "DIRECT",
	[CTI_REASON_TRANSFER] = "TRANSFER",
	[CTI_REASON_FORWARD] = "FORWARD",
	[CTI_REASON_PICKUP] = "PICKUP",
	[CTI_REASON_REDIRECT] = "REDIRECT",
	[CTI_REASON_UNPARK] = "UNPARK",
};

#endif /* CTI_SWITCH_CALL_NAMES_H */
