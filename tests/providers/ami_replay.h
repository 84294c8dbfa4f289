/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The replay peer of test_ami: it plays a transcript recorded from a real
 * Asterisk (ami/transcripts/, written by ami/record.py) to the provider
 * through the fake host's transport, and checks every action the
 * provider sends against the action recorded at that point. ActionIDs
 * and the ChannelIds of Originate differ between the recording and the
 * provider; the peer maps them, so the messages played back carry the
 * provider's own ids.
 */
#ifndef _CTI_AMI_REPLAY_H
#define _CTI_AMI_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "fake_host.h"

#define RP_MAP_MAX	64

struct rp_msg {
	char dir;		/* '<' from Asterisk, '>' to it, 'C' cut */
	char *text;		/* the message, CR LF ended, blank line last */
};

struct replay {
	struct rp_msg *m;
	size_t n, pos;
	struct {
		char kind;	/* 'A' an ActionID, 'C' a ChannelId */
		char from[64], to[64];
	} map[RP_MAP_MAX];
	size_t nmap;
	struct th_transport *t;
	char out[16384];	/* what the provider sent, not yet matched */
	size_t nout;
	size_t actions;		/* actions matched */
	size_t played;		/* messages played */
	char err[512];
};

/* Load ami/transcripts/@name.ami; 0 or -errno (r->err says why). */
int rp_load(struct replay *r, const char *name);
void rp_free(struct replay *r);

/*
 * Play the transcript until an action the provider has not sent yet:
 * returns its Action name (the test makes the provider send it, then
 * calls rp_play again), "" at the end of the transcript, NULL when the
 * provider sent something else (r->err says what). A cut in the
 * transcript closes the transport, lets the provider's retry timer run
 * and connects the new transport.
 */
const char *rp_play(struct replay *r, struct th *th);

/* The value of @key in the next action the transcript expects, or "". */
const char *rp_next_field(struct replay *r, const char *key);

/* The value of @key in the last message played from Asterisk with @event. */
const char *rp_find(struct replay *r, const char *event, const char *key,
		    char *buf, size_t size);

/*
 * Connect the provider's newest transport and answer its login as an
 * Asterisk with the channels in @channels (CoreShowChannel messages
 * without their ActionID, "" for none): for tests of what no recording
 * can show (a call that ended while the link was down).
 */
void rp_fake_login(struct th *th, const char *channels);

#endif /* _CTI_AMI_REPLAY_H */
