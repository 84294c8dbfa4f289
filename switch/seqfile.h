/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seqfile - the reference call sequences (sequences.txt), parsed and run
 *
 * sequences.txt holds every scenario of the reference switch once, as
 * data; three runners execute it: the provider tests (fake host, fake
 * clock), the end-to-end tests (ctid and libcti) and the kernel selftest
 * (a cti_sim card). This file parses the text and runs one scenario
 * against a runner's struct seq_host: the runner only knows how to start
 * a switch, issue a step and hand back records; which records each party
 * must see, and in which order, is decided here, once.
 *
 * Userspace C (libc), no allocation after seq_parse(); not thread-safe
 * (one scenario runs at a time).
 */
#ifndef CTI_SWITCH_SEQFILE_H
#define CTI_SWITCH_SEQFILE_H

#include <stddef.h>
#include <stdint.h>

#define SEQ_LINES	6	/* parties A..F: line i has number 100+i */
#define SEQ_NAMES	24	/* call names of one scenario */
#define SEQ_KEYS	8	/* set/script lines of one scenario */
#define SEQ_TEXT	64

/* What a step does (besides waiting). */
enum seq_kind {
	SEQ_CMD,		/* a CTI_CMD_* on a line */
	SEQ_WAIT,		/* time passes */
	SEQ_INBOUND,		/* an outside number calls a line */
	SEQ_FAR_HANGUP,		/* the outside party of a call hangs up */
	SEQ_FAR_DIGITS,		/* ... or sends digits */
};

/* Unchecked field of an expected record. */
#define SEQ_ANY		0xffffffffu
/* A call name that stands for "no call" (^0). */
#define SEQ_NONE	(-2)

/* One record a party must see (CALL_STATE, CALL_INFO or DIGITS). */
struct seq_exp {
	uint16_t type;			/* CTI_EV_* */
	uint8_t line;
	int8_t name;			/* the call's name */
	int8_t related;			/* a name, SEQ_NONE, or -1: unchecked */
	uint32_t state, reason;		/* reason SEQ_ANY: unchecked */
	uint32_t origin;		/* CALL_INFO; SEQ_ANY: unchecked */
	uint64_t changed;		/* CALL_INFO; ~0: unchecked */
	char caller[32], called[32];	/* "*": unchecked */
	char digits[SEQ_TEXT];
};

struct seq_step {
	enum seq_kind kind;
	int lineno;			/* in sequences.txt, for messages */
	uint8_t line;
	uint32_t cmd;			/* SEQ_CMD */
	int8_t call, call2;		/* names, or -1 */
	uint32_t arg, arg2;
	char data[SEQ_TEXT];		/* number, digits, slot, caller */
	int result;			/* the REPLY's error: 0 or -errno */
	int8_t bind;			/* the REPLY's call gets this name */
	uint32_t ms;			/* SEQ_WAIT */
	size_t first, nexp;		/* its records in seq_file.exp */
};

struct seq_scenario {
	char name[48];
	int lineno;
	char skip_kernel[128];		/* why the kernel cannot run it */
	char skip_e2e[128];		/* why ctid and libcti cannot */
	size_t nset;			/* "set KEY VALUE" */
	char set_key[SEQ_KEYS][32], set_val[SEQ_KEYS][32];
	size_t nscript;			/* "script NUMBER SCRIPT" */
	char script_num[SEQ_KEYS][32], script[SEQ_KEYS][SEQ_TEXT];
	size_t nnames;
	char names[SEQ_NAMES][8];	/* a1, b2: the letter is the line */
	size_t first, nsteps;		/* its steps in seq_file.steps */
};

struct seq_file {
	struct seq_scenario *sc;
	size_t nsc;
	struct seq_step *steps;
	size_t nsteps;
	struct seq_exp *exp;
	size_t nexp;
};

/* A record as a runner saw it, in the kernel ABI's terms. */
struct seq_rec {
	uint16_t type;			/* CTI_EV_CALL_STATE/CALL_INFO/DIGITS */
	uint8_t line;			/* party 0..SEQ_LINES-1 */
	uint32_t call, state, reason, related, origin;
	uint64_t changed;
	char caller[32], called[32];
	char digits[SEQ_TEXT];
};

/* What a runner's act() may answer besides a REPLY's error. */
#define SEQ_SKIP	1000	/* this runner cannot do the step */
#define SEQ_ERROR	1001	/* the runner itself failed (message set) */

/*
 * struct seq_host - one runner
 * @start: make a fresh switch for @sc (lines 100..105); SEQ_SKIP (with
 *	@why) when its settings or scripts cannot be expressed, else 0
 * @act: do @st with its calls resolved to handles (@call, @call2;
 *	0 when unnamed or unknown); return the REPLY's error (0 or
 *	-errno; 0 for the far-end actions), SEQ_SKIP or SEQ_ERROR; *@newcall
 *	gets the REPLY's call
 * @advance: with a fake clock, let @ms pass and run what falls due (NULL
 *	for runners in real time: then records are waited for)
 * @next: the next record, waiting up to @timeout_ms: 1, 0 (none) or
 *	SEQ_ERROR. Records other than the three above are dropped by the
 *	runner.
 * @stop: tear the switch down (also after a failure)
 * @quiet_ms: real time: how long a scenario must stay silent at its end
 */
struct seq_host {
	int (*start)(void *ctx, const struct seq_scenario *sc, char *why,
		     size_t len);
	int (*act)(void *ctx, const struct seq_step *st, uint32_t call,
		   uint32_t call2, uint32_t *newcall, char *why, size_t len);
	int (*advance)(void *ctx, uint32_t ms);
	int (*next)(void *ctx, int timeout_ms, struct seq_rec *rec);
	void (*stop)(void *ctx);
	int quiet_ms;
};

enum seq_result { SEQ_PASS, SEQ_FAIL, SEQ_SKIPPED };

/*
 * seq_parse() - parse the text of sequences.txt (NUL-terminated)
 * Return: 0, or -1 with "LINE: why" in @err.
 */
int seq_parse(struct seq_file *f, const char *text, char *err, size_t len);
/* seq_load() - the same from a file. */
int seq_load(struct seq_file *f, const char *path, char *err, size_t len);
void seq_free(struct seq_file *f);
const struct seq_scenario *seq_find(const struct seq_file *f,
				    const char *name);

/*
 * seq_run() - run one scenario on @h; @msg says why it failed or was
 * skipped. Every step's REPLY and every party's records are compared
 * with the file: in real time per party in order (records may arrive
 * late, so a step's leftovers count for the next one, and nothing may
 * be left at the end); with a fake clock step by step, exactly.
 */
enum seq_result seq_run(const struct seq_file *f,
			const struct seq_scenario *sc,
			const struct seq_host *h, void *ctx,
			char *msg, size_t len);

/* Names for messages and runners. */
const char *seq_state_name(uint32_t state);
int seq_set_get(const struct seq_scenario *sc, const char *key,
		const char **val);

#endif /* CTI_SWITCH_SEQFILE_H */
