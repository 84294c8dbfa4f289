/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cti.h - libcti, the session API of the cti telephony stack
 *
 * A program opens a session to ctid, picks lines, opens them as owner or
 * monitor, controls calls with asynchronous requests, and receives what
 * happens as messages. TAPI programmers will recognise lineInitialize,
 * lineOpen, lineMakeCall and lineGetMessage; see doc/protocol.md for what
 * travels underneath.
 *
 *	struct cti_session *s;
 *	struct cti_line *line;
 *	uint64_t req;
 *
 *	cti_session_open(NULL, NULL, &s);
 *	cti_session_find_line(s, "101", &line);
 *	cti_line_open(line, CTI_PRIV_OWNER, &req);
 *	cti_session_wait_reply(s, req, 1000, NULL);
 *	cti_line_make_call(line, "102", &req);
 *	... poll(cti_session_get_fd(s)), cti_session_next_msg(s, &msg) ...
 */
#ifndef CTI_H
#define CTI_H

#include <stddef.h>
#include <stdint.h>
#include <linux/cti.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * DOC: Conventions
 *
 * Errors: every function that returns int returns 0 (or a documented
 * non-negative value) on success and a negative errno on failure; nothing
 * in libcti reads or sets errno for you. Functions that return a pointer
 * are accessors and lookups that cannot fail for valid arguments: NULL
 * means "there is no such thing" and nothing else. Objects are created
 * through an out pointer (cti_session_open(uri, opts, &session)).
 *
 * Asynchronous requests: every call operation returns at once with 0 and a
 * request id (a positive uint64_t) in *req, or a negative errno if the
 * request could not even be sent: -EINVAL a bad argument (among them a
 * number or digit string missing where the command needs one), -EILSEQ a
 * number, digit string or text with a character ctid would refuse,
 * -ENAMETOOLONG one that is too long, -ENODEV the line was removed,
 * -ENOTCONN the session is reconnecting, -EAGAIN a megabyte of requests is
 * already waiting for ctid to read them (dispatch, then retry), -ENOMEM.
 * Whether the line is open and the user may act on it is ctid's to decide:
 * those errors arrive in the reply. Each request id then completes exactly
 * once: either cti_session_wait_reply() returns its result, or a
 * CTI_MSG_REPLY message carries it. If the connection breaks,
 * requests in flight complete with -ECONNRESET.
 *
 * Thread safety: a session and everything obtained from it (lines,
 * messages it has not handed over) belong to one thread at a time; libcti
 * takes no locks. Calls on different sessions may run in parallel in
 * different threads. A message returned by cti_session_next_msg() belongs
 * to the caller and may be used and freed in any thread. No function
 * calls back into the program except cti_session_dispatch() (the message
 * callback), never with any libcti lock held (there are none).
 *
 * Lifetimes: a struct cti_line lives as long as its session; a line that
 * was removed stays valid, answers cti_line_is_removed() with 1 and fails
 * every request with -ENODEV. Strings returned by accessors live as long as
 * the object they came from; the line a message names (cti_msg_get_line())
 * lives as long as the session, even if the message outlives it.
 */

struct cti_session;
struct cti_line;
struct cti_msg;

/**
 * enum cti_privilege - how a session holds a line or a call
 * @CTI_PRIV_NONE: not at all
 * @CTI_PRIV_MONITOR: sees the events
 * @CTI_PRIV_OWNER: sees the events and controls the calls
 */
enum cti_privilege {
	CTI_PRIV_NONE = 0,
	CTI_PRIV_MONITOR = 1,
	CTI_PRIV_OWNER = 2,
};

/**
 * enum cti_msg_type - what a message reports
 * @CTI_MSG_REPLY: a request completed (cti_msg_get_request, _get_error,
 *	_get_call)
 * @CTI_MSG_CALL_STATE: a call changed state (_get_call, _get_state,
 *	_get_reason, _get_related_call, _get_privilege)
 * @CTI_MSG_CALL_INFO: a call's parties or origin changed (_get_call,
 *	_get_origin, _get_reason, _get_caller, _get_caller_name, _get_called,
 *	_get_called_name, _get_changed, _get_related_call)
 * @CTI_MSG_DIGITS: DTMF digits arrived on a call (_get_call, _get_text)
 * @CTI_MSG_LINE_STATUS: a line's status changed (_get_state is the &enum
 *	cti_line_status; the line's accessors show the new values)
 * @CTI_MSG_PHONE_HOOK: a hook switch moved (_get_arg: the device,
 *	_get_state: &enum cti_hook_mode)
 * @CTI_MSG_PHONE_BUTTON: a button moved (_get_arg: button, _get_state:
 *	1 pressed)
 * @CTI_MSG_PHONE_DISPLAY: the display changed (_get_arg: row, _get_text)
 * @CTI_MSG_PHONE_LAMP: a lamp changed (_get_arg: lamp, _get_state: mode)
 * @CTI_MSG_PHONE_RING: the ringer changed (_get_arg: pattern, _get_state:
 *	volume)
 * @CTI_MSG_LINK_STATE: a provider's link went up or down (_get_state,
 *	_get_text: the provider)
 * @CTI_MSG_LINE_ADDED: a line appeared (cti_msg_get_line)
 * @CTI_MSG_LINE_REMOVED: a line went away (cti_msg_get_line)
 * @CTI_MSG_PRIVILEGE: this session's privilege on a line or call changed
 *	(_get_call, CTI_CALL_NONE for the line; _get_privilege)
 * @CTI_MSG_AGENT_STATE: the agent state of a line changed (_get_state,
 *	_get_reason, _get_arg: activity code, _get_text: groups)
 * @CTI_MSG_PROVIDER_STATE: a provider came up or went down (_get_state,
 *	_get_error, _get_text: its name)
 * @CTI_MSG_DEV_SPECIFIC: a provider-specific notification (_get_data)
 * @CTI_MSG_CALL: one call's full state, answering cti_session_list_calls()
 *	or cti_session_snapshot() or after a resync (the CALL_STATE and
 *	CALL_INFO accessors)
 * @CTI_MSG_PROVIDER: one provider, answering cti_session_list_providers()
 *	(_get_text: name, _get_state: up, _get_arg: number of lines)
 * @CTI_MSG_LIST_END: the end of the items of request _get_request (or of
 *	a resync snapshot, request 0); _get_arg: the number of items
 * @CTI_MSG_DISCONNECTED: the connection to ctid broke; libcti reconnects
 *	by itself (_get_error: why)
 * @CTI_MSG_RECONNECTED: the session was resumed and nothing was lost
 * @CTI_MSG_GAP: events were lost (_get_gap); a CTI_MSG_RESYNC follows
 * @CTI_MSG_RESYNC: the state is being refreshed: the lines have been
 *	updated, CTI_MSG_CALL messages for every call follow, then
 *	CTI_MSG_LIST_END; lines the program had open are opened again
 */
enum cti_msg_type {
	CTI_MSG_REPLY = 1,
	CTI_MSG_CALL_STATE,
	CTI_MSG_CALL_INFO,
	CTI_MSG_DIGITS,
	CTI_MSG_LINE_STATUS,
	CTI_MSG_PHONE_HOOK,
	CTI_MSG_PHONE_BUTTON,
	CTI_MSG_PHONE_DISPLAY,
	CTI_MSG_PHONE_LAMP,
	CTI_MSG_PHONE_RING,
	CTI_MSG_LINK_STATE,
	CTI_MSG_LINE_ADDED,
	CTI_MSG_LINE_REMOVED,
	CTI_MSG_PRIVILEGE,
	CTI_MSG_AGENT_STATE,
	CTI_MSG_PROVIDER_STATE,
	CTI_MSG_DEV_SPECIFIC,
	CTI_MSG_CALL,
	CTI_MSG_PROVIDER,
	CTI_MSG_LIST_END,
	CTI_MSG_DISCONNECTED,
	CTI_MSG_RECONNECTED,
	CTI_MSG_GAP,
	CTI_MSG_RESYNC,
};

/* Session options (struct cti_session_options.flags). */
#define CTI_SESSION_NO_RECONNECT (1u << 0) /* report DISCONNECTED, stay down */

/**
 * struct cti_session_options - how to open a session (all optional)
 * @size: sizeof(struct cti_session_options) as the program knows it
 * @flags: CTI_SESSION_* flags
 * @timeout_ms: how long cti_session_open() may wait for ctid in ms
 *	(0: the default, 5000; a negative value waits forever)
 * @client_name: the name ctid shows administrators and that HANDOFF
 *	targets (default: program_invocation_short_name)
 */
struct cti_session_options {
	uint32_t size;
	uint32_t flags;
	int32_t timeout_ms;
	uint32_t __reserved;
	const char *client_name;
};

/* The socket used when neither the URI argument nor $CTI_URI gives one. */
#define CTI_DEFAULT_URI "unix:/run/ctid/ctid.sock"

/**
 * cti_session_open() - connect to ctid and fetch the visible lines
 * @uri: "unix:/path/to/socket" (or a plain absolute path); NULL: $CTI_URI
 *	if set, else CTI_DEFAULT_URI
 * @opts: options, or NULL for the defaults
 * @sessionp: out: the new session
 *
 * Blocks until ctid has answered (or the timeout). Returns 0, -EINVAL (bad
 * URI or options), -EPROTONOSUPPORT (a scheme or protocol version we do not
 * speak), -ENOENT/-ECONNREFUSED (no ctid there), -ETIMEDOUT, -ENOMEM.
 */
int cti_session_open(const char *uri, const struct cti_session_options *opts,
		     struct cti_session **sessionp);

/* cti_session_close() - disconnect and free the session and its lines. */
void cti_session_close(struct cti_session *session);

/**
 * cti_session_get_fd() - a file descriptor for the program's poll loop
 *
 * It stays the same across reconnects. When it polls readable, call
 * cti_session_dispatch() or cti_session_next_msg(). Never read it.
 */
int cti_session_get_fd(struct cti_session *session);

/* The message callback; @msg is freed by libcti when it returns. */
typedef void (*cti_msg_cb)(struct cti_session *session, struct cti_msg *msg,
			   void *userdata);

/* cti_session_set_callback() - deliver messages to @cb from dispatch. */
void cti_session_set_callback(struct cti_session *session, cti_msg_cb cb,
			      void *userdata);

/**
 * cti_session_dispatch() - do pending I/O and deliver messages
 *
 * Never blocks. Reads what ctid sent, sends what is queued, runs the
 * reconnect timer, then hands every queued message to the callback (if one
 * is set; otherwise they wait for cti_session_next_msg()). Returns the
 * number of messages delivered, or a negative errno for a session that
 * cannot go on (-ENOMEM).
 */
int cti_session_dispatch(struct cti_session *session);

/**
 * cti_session_next_msg() - take the next message
 * @msgp: out: the message, or NULL if there is none; free it with
 *	cti_msg_free()
 *
 * Does pending I/O first, never blocks. Returns 1 with a message, 0 without
 * one, or a negative errno.
 */
int cti_session_next_msg(struct cti_session *session, struct cti_msg **msgp);

/**
 * cti_session_wait() - block until a message is ready or @timeout_ms passes
 *
 * Returns 1 if a message is ready, 0 on timeout, or a negative errno
 * (-EINTR if a signal interrupted the wait). A negative timeout waits
 * forever.
 */
int cti_session_wait(struct cti_session *session, int timeout_ms);

/**
 * cti_session_wait_reply() - block until request @req completes
 * @call: out, optional: the call the request created (MAKE_CALL,
 *	SETUP_TRANSFER, SETUP_CONFERENCE, UNPARK, PICKUP), else CTI_CALL_NONE
 *
 * Messages that arrive meanwhile are queued, not delivered. The reply is
 * consumed: no CTI_MSG_REPLY follows for @req. Returns the request's
 * result (0 or the negative errno ctid answered), -ETIMEDOUT (the request
 * is still pending; wait again or take its CTI_MSG_REPLY later), -ENOENT
 * (no such request pending), or -EINTR.
 */
int cti_session_wait_reply(struct cti_session *session, uint64_t req,
			   int timeout_ms, uint32_t *call);

/* Session information. */
uint64_t cti_session_get_id(struct cti_session *session);
uint64_t cti_session_get_seq(struct cti_session *session); /* last event */
int cti_session_is_admin(struct cti_session *session);	/* 1 or 0 */
int cti_session_is_connected(struct cti_session *session); /* 1 or 0 */

/* Lines, in the order ctid listed them; index < cti_session_get_num_lines. */
size_t cti_session_get_num_lines(struct cti_session *session);
struct cti_line *cti_session_get_line(struct cti_session *session,
				      size_t index);
/* By stable id; NULL if there is none. */
struct cti_line *cti_session_get_line_by_id(struct cti_session *session,
					    uint32_t id);

/**
 * cti_session_find_line() - find a line by name or directory number
 * Returns 0 with *@linep set, or -ENOENT.
 */
int cti_session_find_line(struct cti_session *session, const char *name,
			  struct cti_line **linep);

/*
 * Session-wide requests (asynchronous, see Conventions). Their items come
 * as messages carrying the request id, then CTI_MSG_LIST_END, then the
 * REPLY:
 * - list_lines: refreshes the line objects (no message per line);
 * - list_calls: CTI_MSG_CALL for each call of @line, or of every line the
 *   session has open if @line is NULL;
 * - snapshot: both, for every visible line and every open line's calls;
 * - ping: only the REPLY, when ctid answers.
 */
int cti_session_list_lines(struct cti_session *session, uint64_t *req);
int cti_session_list_calls(struct cti_session *session,
			   struct cti_line *line, uint64_t *req);
int cti_session_snapshot(struct cti_session *session, uint64_t *req);
int cti_session_ping(struct cti_session *session, uint64_t *req);
/* Administrator requests; -EACCES in the reply for other users. */
int cti_session_list_providers(struct cti_session *session, uint64_t *req);
int cti_session_load_provider(struct cti_session *session, const char *name,
			      uint64_t *req);
int cti_session_unload_provider(struct cti_session *session,
				const char *name, uint64_t *req);
int cti_session_reload_provider(struct cti_session *session,
				const char *name, uint64_t *req);

/* Line information. */
uint32_t cti_line_get_id(struct cti_line *line);
const char *cti_line_get_name(struct cti_line *line);
const char *cti_line_get_provider_name(struct cti_line *line);
size_t cti_line_get_num_addresses(struct cti_line *line);
const char *cti_line_get_address(struct cti_line *line, size_t index);
uint32_t cti_line_get_status(struct cti_line *line); /* enum cti_line_status */
uint64_t cti_line_get_ops(struct cti_line *line);	/* bit n: cti_cmd n */
uint64_t cti_line_get_uops(struct cti_line *line);	/* bit n: cmd 64 + n */
int cti_line_supports(struct cti_line *line, unsigned int cmd); /* 1 or 0 */
uint32_t cti_line_get_max_calls(struct cti_line *line);
uint32_t cti_line_get_num_calls(struct cti_line *line);
uint32_t cti_line_get_forward_mode(struct cti_line *line);
const char *cti_line_get_forward_to(struct cti_line *line);
int cti_line_get_dnd(struct cti_line *line);		/* 1 or 0 */
int cti_line_may_open(struct cti_line *line, enum cti_privilege priv);
enum cti_privilege cti_line_get_privilege(struct cti_line *line);
int cti_line_is_removed(struct cti_line *line);	/* 1 or 0 */
struct cti_session *cti_line_get_session(struct cti_line *line);

/*
 * Line requests (asynchronous). An opened line is opened again by libcti
 * after a resync; cti_line_close() stops that.
 */
int cti_line_open(struct cti_line *line, enum cti_privilege priv,
		  uint64_t *req);
int cti_line_close(struct cti_line *line, uint64_t *req);
int cti_line_make_call(struct cti_line *line, const char *number,
		       uint64_t *req);
int cti_line_unpark(struct cti_line *line, const char *slot, uint64_t *req);
/* @number NULL or "": group pickup, the oldest call ringing in the group. */
int cti_line_pickup(struct cti_line *line, const char *number,
		    uint64_t *req);
/* @number NULL or "" with CTI_FORWARD_NONE. */
int cti_line_set_forward(struct cti_line *line, enum cti_forward_mode mode,
			 const char *number, uint64_t *req);
int cti_line_set_dnd(struct cti_line *line, int on, uint64_t *req);
int cti_line_dev_specific(struct cti_line *line, const void *data,
			  size_t len, uint64_t *req);
int cti_line_send_link_frame(struct cti_line *line, const void *data,
			     size_t len, uint64_t *req);
/*
 * cti_line_submit() - any command, as struct cti_request would carry it:
 * @cmd an enum cti_cmd or a userspace command (64..127); @data of @len
 * bytes, checked as doc/protocol.md says for @cmd.
 */
int cti_line_submit(struct cti_line *line, unsigned int cmd, uint32_t call,
		    uint32_t call2, uint32_t arg, uint32_t arg2,
		    const void *data, size_t len, uint64_t *req);

/* Call requests (asynchronous); a call is its line plus its handle. */
int cti_call_answer(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_accept(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_drop(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_hold(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_unhold(struct cti_line *line, uint32_t call, uint64_t *req);
int cti_call_swap_hold(struct cti_line *line, uint32_t active,
		       uint32_t held, uint64_t *req);
int cti_call_blind_transfer(struct cti_line *line, uint32_t call,
			    const char *number, uint64_t *req);
int cti_call_setup_transfer(struct cti_line *line, uint32_t call,
			    const char *number, uint64_t *req);
int cti_call_complete_transfer(struct cti_line *line, uint32_t held,
			       uint32_t consult, enum cti_transfer_mode mode,
			       uint64_t *req);
int cti_call_setup_conference(struct cti_line *line, uint32_t call,
			      const char *number, uint64_t *req);
int cti_call_add_to_conference(struct cti_line *line, uint32_t conf,
			       uint32_t call, uint64_t *req);
int cti_call_remove_from_conference(struct cti_line *line, uint32_t call,
				    uint64_t *req);
int cti_call_redirect(struct cti_line *line, uint32_t call,
		      const char *number, uint64_t *req);
/* @slot NULL or "": any free park slot. */
int cti_call_park(struct cti_line *line, uint32_t call, const char *slot,
		  uint64_t *req);
int cti_call_generate_digits(struct cti_line *line, uint32_t call,
			     const char *digits, uint64_t *req);
int cti_call_generate_tone(struct cti_line *line, uint32_t call,
			   enum cti_tone tone, uint32_t ms, uint64_t *req);
int cti_call_set_privilege(struct cti_line *line, uint32_t call,
			   enum cti_privilege priv, uint64_t *req);
/* @target: the client name of the receiving session; NULL: any owner. */
int cti_call_handoff(struct cti_line *line, uint32_t call,
		     const char *target, uint64_t *req);

/* The phone of a line (asynchronous). */
int cti_phone_set_hook(struct cti_line *line, uint32_t hookswitch,
		       enum cti_hook_mode mode, uint64_t *req);
int cti_phone_set_display(struct cti_line *line, uint32_t row, uint32_t col,
			  const char *text, uint64_t *req);
int cti_phone_set_lamp(struct cti_line *line, uint32_t lamp,
		       enum cti_lamp_mode mode, uint64_t *req);
int cti_phone_set_ring(struct cti_line *line, uint32_t pattern,
		       uint32_t volume, uint64_t *req);

/* Call-centre agent on a line (asynchronous); states and codes are those
 * of enum cti_agent_state in providers/cti_provider.h. */
int cti_agent_set_state(struct cti_line *line, uint32_t state,
			uint32_t reason, uint64_t *req);
/* @groups: comma-separated group names, "" for none. */
int cti_agent_set_groups(struct cti_line *line, const char *groups,
			 uint64_t *req);
int cti_agent_set_activity(struct cti_line *line, uint32_t activity,
			   uint64_t *req);

/* Messages. Accessors that do not apply to a type return 0, NULL or "". */
void cti_msg_free(struct cti_msg *msg);
enum cti_msg_type cti_msg_get_type(struct cti_msg *msg);
const char *cti_msg_type_name(enum cti_msg_type type);
struct cti_line *cti_msg_get_line(struct cti_msg *msg);	/* NULL: none */
uint32_t cti_msg_get_line_id(struct cti_msg *msg);	/* or CTI_LINE_NONE */
uint64_t cti_msg_get_seq(struct cti_msg *msg);		/* events; else 0 */
uint64_t cti_msg_get_timestamp_ns(struct cti_msg *msg);
uint64_t cti_msg_get_request(struct cti_msg *msg);
int cti_msg_get_error(struct cti_msg *msg);		/* 0 or -errno */
uint32_t cti_msg_get_call(struct cti_msg *msg);
uint32_t cti_msg_get_related_call(struct cti_msg *msg);
uint32_t cti_msg_get_state(struct cti_msg *msg);
uint32_t cti_msg_get_reason(struct cti_msg *msg);
uint32_t cti_msg_get_origin(struct cti_msg *msg);
uint64_t cti_msg_get_changed(struct cti_msg *msg);
uint32_t cti_msg_get_arg(struct cti_msg *msg);
enum cti_privilege cti_msg_get_privilege(struct cti_msg *msg);
const char *cti_msg_get_caller(struct cti_msg *msg);
const char *cti_msg_get_caller_name(struct cti_msg *msg);
const char *cti_msg_get_called(struct cti_msg *msg);
const char *cti_msg_get_called_name(struct cti_msg *msg);
const char *cti_msg_get_text(struct cti_msg *msg);
/* Returns the byte count; *@data points into the message. */
size_t cti_msg_get_data(struct cti_msg *msg, const void **data);
/* GAP: the lost range; returns the count of lost events. */
uint64_t cti_msg_get_gap(struct cti_msg *msg, uint64_t *first,
			 uint64_t *last);

/* Names for printing: "CONNECTED", "NORMAL", ...; "?" if unknown. */
const char *cti_call_state_name(uint32_t state);
const char *cti_disconnect_reason_name(uint32_t reason);

#ifdef __cplusplus
}
#endif

#endif /* CTI_H */
