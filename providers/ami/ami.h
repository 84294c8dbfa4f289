/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ami: the Asterisk Manager Interface provider (README.md). One instance
 * holds one AMI connection to one Asterisk, through the host's TCP
 * transport, and serves the lines its configuration names: an extension
 * and the device (channel technology/resource) that rings for it.
 */
#ifndef _CTI_AMI_H
#define _CTI_AMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cti_provider.h"
#include "ami_reader.h"

#define AMI_HOST_MAX	128	/* an Asterisk's name or address */
#define AMI_PATH_MAX	256	/* a certificate or key file */
#define AMI_CRED_MAX	64	/* user name, secret */
#define AMI_CTX_MAX	64	/* a dialplan context, a parking lot */
#define AMI_DEV_MAX	80	/* a device: Local/100@phones, PJSIP/100 */
#define AMI_CHAN_MAX	128	/* a channel name: the device and a suffix */
#define AMI_UID_MAX	64	/* a Uniqueid, Linkedid, BridgeUniqueid */
#define AMI_OUT_MAX	2048	/* one action as sent */
#define AMI_LINES_MAX	4096	/* lines of one instance */
#define AMI_CALLS_MAX	65536	/* calls tracked at once */
#define AMI_BRIDGES_MAX	8192	/* bridges remembered at once */

struct ami_line_cfg {
	char name[CTI_NAME_MAX];
	char ext[CTI_NUMBER_MAX];
	char device[AMI_DEV_MAX];
	char queues[CTI_AGENT_GROUPS_MAX];	/* its agent groups */
};

struct ami_config {
	char host[AMI_HOST_MAX];
	uint16_t port;
	char user[AMI_CRED_MAX];
	char secret[AMI_CRED_MAX];
	bool md5;			/* Challenge/Login with a key */
	char context[AMI_CTX_MAX];	/* where Originate and transfers dial */
	char park_context[AMI_CTX_MAX];	/* where a parked call is dialled */
	char parkinglot[AMI_CTX_MAX];
	char conf_context[AMI_CTX_MAX];	/* ConfBridge rooms; empty: none */
	uint32_t timeout_ms;		/* an action's answer, at most */
	uint32_t keepalive_ms;		/* a Ping after this much silence */
	uint32_t retry_min_ms, retry_max_ms;	/* reconnect backoff */
	bool filter;			/* ask Asterisk for our events only */
	bool tls;			/* AMI over TLS (manager.conf tlsenable) */
	bool tls_no_verify_name;
	char tls_ca[AMI_PATH_MAX];	/* empty: the system's trust store */
	char tls_cert[AMI_PATH_MAX];	/* a client certificate, if any */
	char tls_key[AMI_PATH_MAX];
	char tls_name[AMI_HOST_MAX];	/* the name the certificate carries */
	struct ami_line_cfg *lines;
	size_t nlines;
};

/* A line: its configuration and what AMI told us about it. */
struct ami_line {
	const struct ami_line_cfg *cfg;
	uint32_t status;		/* enum cti_line_status */
	uint32_t dnd;
	uint32_t fwd_mode;
	char fwd_to[CTI_NUMBER_MAX];
	uint32_t agent;			/* enum cti_agent_state */
	uint32_t agent_reason;
	uint32_t qmask;			/* the queues it is a member of */
	uint32_t qpaused;		/* ... and paused in */
	uint32_t qbusy;			/* ... and on a call from */
	bool acw;			/* paused for after-call work */
	size_t ncalls;
};

/* A call: one channel of a line's device. */
struct ami_call {
	uint32_t line;
	uint32_t handle;
	uint32_t state;			/* enum cti_call_state */
	uint32_t end_reason;		/* what our command made of its end */
	bool gone;			/* the channel hung up */
	bool seen;			/* listed again after a reconnect */
	bool outbound;			/* we originated it */
	bool reap;			/* ended by DROP: IDLE from a timer */
	uint64_t orig_id;		/* the Originate's ActionID */
	char uniqueid[AMI_UID_MAX];
	char channel[AMI_CHAN_MAX];
	char peer[AMI_CHAN_MAX];	/* the far party's channel, if known */
	char bridge[AMI_UID_MAX];
	char await[AMI_CHAN_MAX];	/* a consultation: its Local's name */
	char peer_uid[AMI_UID_MAX];	/* the channel its Dial rang */
	char watch[AMI_UID_MAX];	/* a conference party's channel */
	/* Held for a consultation: the far party (Atxfer bridges us anew). */
	char held_peer[AMI_CHAN_MAX];
	uint32_t conf;			/* its conference's controlling call */
	struct cti_ev_call_info info;
};

/* A bridge and the last two channels that entered it: to find peers. */
struct ami_bridge {
	char id[AMI_UID_MAX];
	char chan[2][AMI_CHAN_MAX];
};

enum ami_act_kind {
	AMI_ACT_CHALLENGE,
	AMI_ACT_LOGIN,
	AMI_ACT_SETUP,		/* Filter: its answer is not waited for */
	AMI_ACT_PING,
	AMI_ACT_LIST,		/* CoreShowChannels, QueueStatus */
	AMI_ACT_REQ,		/* a client's request */
};

/* An action sent and not answered yet. */
struct ami_action {
	struct ami_action *next;
	uint64_t id;			/* its ActionID */
	enum ami_act_kind kind;
	uint64_t handle;		/* AMI_ACT_REQ: the request */
	uint32_t cmd;
	uint32_t line;
	uint32_t call;			/* the call it made or acts on */
	uint32_t arg;
	int pending;			/* responses still expected */
	int error;			/* the first failure among them */
	int64_t timer;
	char chan_id[AMI_UID_MAX];	/* Originate: the ChannelId we chose */
	char number[CTI_NUMBER_MAX];
};

enum ami_link {
	AMI_DOWN,		/* not connected; a retry timer runs */
	AMI_CONNECTING,
	AMI_BANNER,		/* connected, waiting for the greeting */
	AMI_LOGIN,		/* Challenge/Login sent */
	AMI_UP,
};

struct ami {
	const struct cti_host_api *api;
	struct cti_host *host;
	struct ami_config cfg;
	enum ami_link link;
	int64_t tid;
	int64_t retry_timer;
	int64_t ka_timer;
	uint32_t retry_ms;		/* the next backoff */
	uint64_t last_rx_ns;
	uint64_t next_id;		/* ActionIDs */
	uint64_t uid_seed;		/* ChannelIds unique across restarts */
	uint64_t log_ns;		/* the last rate-limited log */
	uint64_t logged_bad;		/* malformed input already logged */
	struct ami_reader rd;
	struct ami_line *lines;
	struct ami_call **calls;
	size_t ncalls, calls_cap;
	uint32_t next_handle;
	struct ami_bridge *bridges;
	size_t nbridges;
	struct ami_action *acts;
	bool resyncing;			/* CoreShowChannels under way */
	/*
	 * Channels named in a Newchannel before the Response of the
	 * Originate that made them (Asterisk sends either first): the
	 * last few, by the ChannelId we chose.
	 */
	struct {
		char uid[AMI_UID_MAX];
		char chan[AMI_CHAN_MAX];
	} early[8];
	unsigned int nearly;
	/*
	 * Channels our BlindTransfer or Redirect sent elsewhere: the call
	 * they make next is offered with reason TRANSFER or REDIRECT.
	 */
	struct {
		char chan[AMI_CHAN_MAX];
		uint32_t reason;
	} moved[8];
	unsigned int nmoved;
	int64_t reap_timer;
};

#define ami_log(a, level, ...) \
	((a)->api->log((a)->host, (level), __VA_ARGS__))

/* ami_config.c */
int ami_config_parse(struct ami_config *cfg, const struct cti_host_api *api,
		     struct cti_host *host, const struct cti_provider_config *pc);
void ami_config_free(struct ami_config *cfg);

/* ami_md5.c: @out gets the 32 lowercase hex digits of MD5(@a @b). */
void ami_md5_hex(const char *a, const char *b, char out[33]);

/* ami_link.c: the connection, login, keep-alive, actions. */
void ami_connect(struct ami *a);
bool ami_tls_ok(const struct cti_host_api *api);
void ami_link_lost(struct ami *a, int error);
void ami_link_close(struct ami *a);
void ami_connected(struct ami *a, int error);
void ami_data(struct ami *a, const void *buf, size_t len);
void ami_list_done(struct ami *a, const struct ami_msg *msg);
int ami_send(struct ami *a, struct ami_action *act, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct ami_action *ami_action_new(struct ami *a, enum ami_act_kind kind);
void ami_action_done(struct ami *a, struct ami_action *act, int error);
void ami_fail_all(struct ami *a, int error);
int ami_on_msg(void *arg, const struct ami_msg *msg);
void ami_timer_fired(struct ami *a, int64_t id, uint64_t cookie);
bool ami_value_safe(const char *s);

/* Timer cookies: retry, keep-alive, reap; else an ActionID. */
#define AMI_COOKIE_RETRY	1
#define AMI_COOKIE_KA		2
#define AMI_COOKIE_REAP		3
#define AMI_FIRST_ID		16

/* ami_calls.c: channels become calls. */
void ami_event(struct ami *a, const struct ami_msg *msg, const char *ev);
struct ami_call *ami_call_find(struct ami *a, uint32_t line, uint32_t call);
struct ami_call *ami_call_by_uid(struct ami *a, const char *uid);
struct ami_call *ami_call_new(struct ami *a, uint32_t line, const char *uid,
			      const char *chan);
void ami_call_state(struct ami *a, struct ami_call *c, uint32_t state,
		    uint32_t reason);
void ami_call_info(struct ami *a, struct ami_call *c, uint64_t changed);
void ami_call_free(struct ami *a, struct ami_call *c, uint32_t reason);
void ami_calls_resync_begin(struct ami *a);
void ami_calls_resync_end(struct ami *a);
void ami_calls_reap(struct ami *a);
void ami_early_take(struct ami *a, struct ami_call *c);
void ami_moved(struct ami *a, const char *chan, uint32_t reason);
void ami_consult_ended(struct ami *a, struct ami_call *c);
void ami_line_status(struct ami *a, uint32_t line);
int ami_line_of_channel(const struct ami *a, const char *chan);
int ami_line_of_ext(const struct ami *a, const char *ext);

/* ami_cmd.c: requests become actions. */
int ami_submit(struct ami *a, const struct cti_provider_request *req);
struct ami_action *ami_req_action(struct ami *a,
				  const struct cti_provider_request *req);
int ami_number(const struct cti_provider_request *req);
int ami_reach(struct ami *a, const struct cti_provider_request *req,
	      const char *number, uint32_t reach);
int ami_vet_number(struct ami *a, const struct cti_provider_request *req,
		   uint32_t reach);
struct ami_call *ami_req_call(struct ami *a,
			      const struct cti_provider_request *req,
			      uint32_t state, int *err);

/* Send @act; on failure free it and return the errno for @submit. */
#define ami_go(a, act, ...) ({						\
	int _r = ami_send((a), (act), __VA_ARGS__);			\
	if (_r)								\
		free(act);						\
	_r; })
void ami_req_response(struct ami *a, struct ami_action *act,
		      const struct ami_msg *msg, bool ok);
const char *ami_chan_ref(const struct ami_call *c);
uint64_t ami_line_ops(const struct ami_line_cfg *lc, bool conf);
uint64_t ami_line_uops(const struct ami_line_cfg *lc);

/* ami_agent.c: queue members are agents. */
void ami_agent_event(struct ami *a, const struct ami_msg *msg, const char *ev);
int ami_agent_submit(struct ami *a, const struct cti_provider_request *req);

/* ami_conf.c: conferences through ConfBridge. */
int ami_conf_join(struct ami *a, const struct cti_provider_request *req,
		  struct ami_call *held, struct ami_call *cons);
void ami_conf_response(struct ami *a, struct ami_action *act, int error);
void ami_conf_enter(struct ami *a, struct ami_call *c, const char *id);
struct ami_call *ami_conf_watched(struct ami *a, const char *uid);
void ami_conf_ended(struct ami *a, struct ami_call *ctl);
void ami_copy(char *dst, size_t size, const char *src);

/* ami_xfer.c: consultation transfer through Atxfer. */
int ami_xfer_submit(struct ami *a, const struct cti_provider_request *req);
void ami_xfer_response(struct ami *a, struct ami_action *act);

#endif /* _CTI_AMI_H */
