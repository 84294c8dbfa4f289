/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * textlink: a provider for switches that speak a small line-based text
 * CTI protocol over TCP, a unix socket, a serial line or a kernel link
 * card (README.md). It is
 * also the worked example of a provider that talks to a switch through
 * the host's transports, written from cti_provider.h alone.
 */
#ifndef _CTI_TEXTLINK_H
#define _CTI_TEXTLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cti_provider.h"

#define TL_LINE_MAX	1024	/* bytes of one protocol line, newline included */
#define TL_ADDR_MAX	108	/* a unix socket path or a host name */

enum tl_kind {
	TL_TCP,
	TL_UNIX,
	TL_SERIAL,
	TL_CARD,			/* a kernel link card: one frame a send */
};

struct tl_config {
	enum tl_kind kind;
	char addr[TL_ADDR_MAX];
	uint16_t port;
	uint32_t baud;
	uint32_t retry_ms;
	uint32_t timeout_ms;
};

/* A line the switch announced, with its number (to vet requests by). */
struct tl_line {
	uint32_t idx;
	char number[CTI_NUMBER_MAX];
};

/* A request sent to the switch and not answered yet. */
struct tl_req {
	struct tl_req *next;
	struct tl *tl;
	uint64_t handle;
	int64_t timer;			/* its timeout */
};

struct tl {
	const struct cti_host_api *api;
	struct cti_host *host;
	struct tl_config cfg;
	int64_t tid;			/* the transport, 0 if none */
	bool up;			/* connected */
	int64_t retry_timer;
	size_t rxlen;
	bool rx_skip;			/* dropping an overlong line */
	char rx[TL_LINE_MAX];
	struct tl_req *reqs;
	struct tl_line *lines;		/* the present lines */
	size_t nlines, lines_cap;
	uint64_t *calls;		/* line << 32 | call, of live calls */
	size_t ncalls, calls_cap;
};

#define tl_log(tl, level, ...) \
	((tl)->api->log((tl)->host, (level), __VA_ARGS__))

/* tl_config.c */
int tl_config_parse(struct tl_config *cfg, const struct cti_host_api *api,
		    struct cti_host *host, const struct cti_provider_config *pc);

/* tl_proto.c: one line from the switch; 0, or -EPROTO for a bad line. */
int tl_proto_line(struct tl *tl, char *line);
int tl_proto_format(char *buf, size_t size,
		    const struct cti_provider_request *req);

/* tl_ops.c */
void tl_complete(struct tl *tl, uint64_t handle, int error, uint32_t call);
int tl_line_present(struct tl *tl, uint32_t line, const char *number);
bool tl_line_is_present(const struct tl *tl, uint32_t line);
int tl_call_track(struct tl *tl, uint32_t line, uint32_t call, bool live);
bool tl_call_known(const struct tl *tl, uint32_t line, uint32_t call);
void tl_line_end_calls(struct tl *tl, uint32_t line);

#endif /* _CTI_TEXTLINK_H */
