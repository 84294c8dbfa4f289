// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_phones: phones as objects of their own (doc/protocol.md, phones),
 * through libcti -> ctid -> sim, and raw frames where a client older than
 * phones or a resume is the point.
 *
 * The sim gives every line a phone: handset, speaker and headset, 16
 * buttons, 4 lamps, a 2 x 40 display, any ring pattern. Checked: the
 * phones are listed with their capabilities and their line's id; they
 * open as owner or monitor and refuse what their privilege, their line's
 * grant or their capabilities do not allow, with the errnos of lines;
 * a change of the access rules (SIGHUP) demotes or closes them at once;
 * their state follows the commands and a button press (the sim's
 * devspec) and is the same in a query, a snapshot, a resync after a
 * restart or an unknown session, and after a resume; a removed line's
 * phone goes away and comes back with the same id; a client without the
 * feature gets no phone frame and its line-addressed phone commands still
 * work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* rawclient.h (the kernel's <linux/cti.h>) first: cti.h's copy steps aside */
#include "rawclient.h"
#include "cti.h"
#include "harness.h"

#define NLINES	3
#define ALL_HOOKS (CTI_HOOKSWITCH_HANDSET | CTI_HOOKSWITCH_SPEAKER | \
		   CTI_HOOKSWITCH_HEADSET)
#define PHONE_FEATS (CTI_WIRE_FEAT_ALL | CTI_WIRE_FEAT_PHONE_DEV)

static struct t_ctid d;

static void start(const char *extra)
{
	T_ASSERT(t_ctid_start(&d, t_conf_default(NLINES, extra)) == 0, "start");
}

static void stop(void)
{
	T_EXPECT_EQ(t_ctid_stop(&d), 0);
}

static struct cti_session *open_session(const char *name)
{
	struct cti_session_options o = { .size = sizeof(o), .client_name = name };
	struct cti_session *s = NULL;
	int rc = cti_session_open(d.uri, &o, &s);

	T_ASSERT(rc == 0, "session %s: %s", name, strerror(-rc));
	return s;
}

/* Waits for @req: its result. */
static int done(struct cti_session *s, int rc, uint64_t req)
{
	if (rc)
		return rc;
	return cti_session_wait_reply(s, req, 5000, NULL);
}

/* Sends request @call (which fills _r) and waits for its result. */
#define REQ(s, call) ({ uint64_t _r = 0; int _rc = (call); done((s), _rc, _r); })

static void list_phones(struct cti_session *s)
{
	uint64_t req = 0;
	int rc = cti_session_list_phones(s, &req);

	rc = done(s, rc, req);
	T_ASSERT(rc == 0, "list phones: %s", strerror(-rc));
}

/* The phone of the @i-th line, listed. */
static struct cti_phone *phone_of(struct cti_session *s, size_t i)
{
	struct cti_line *l = cti_session_get_line(s, i);
	struct cti_phone *p;

	T_ASSERT(l, "line %zu", i);
	p = cti_line_get_phone(l);
	T_ASSERT(p, "line %zu has no phone object", i);
	return p;
}

/* Messages of @s until one of @type about @p (NULL: any); true if found. */
static bool wait_msg(struct cti_session *s, enum cti_msg_type type,
		     struct cti_phone *p, int ms)
{
	int64_t end = t_now_ms() + ms;

	while (t_now_ms() < end) {
		struct cti_msg *m = NULL;

		if (cti_session_next_msg(s, &m) == 1) {
			bool hit = cti_msg_get_type(m) == type &&
				   (!p || cti_msg_get_phone(m) == p);

			cti_msg_free(m);
			if (hit)
				return true;
			continue;
		}
		cti_session_wait(s, 50);
	}
	return false;
}

static void list_and_caps(void)
{
	struct cti_session *s;

	start(NULL);
	s = open_session("lister");
	T_EXPECT_EQ(cti_session_has_phones(s), 1);
	T_EXPECT_EQ(cti_session_get_num_phones(s), 0);	/* not before listing */
	list_phones(s);
	T_EXPECT_EQ(cti_session_get_num_phones(s), NLINES);
	for (size_t i = 0; i < NLINES; i++) {
		struct cti_line *l = cti_session_get_line(s, i);
		struct cti_phone *p = phone_of(s, i), *q = NULL;
		uint32_t b;
		int pressed;

		T_EXPECT_EQ(cti_phone_get_id(p), cti_line_get_id(l));
		T_EXPECT(cti_phone_get_line(p) == l, "phone %zu: line", i);
		T_EXPECT_STR(cti_phone_get_name(p), cti_line_get_name(l));
		T_EXPECT_EQ(cti_phone_get_hookswitches(p), ALL_HOOKS);
		T_EXPECT_EQ(cti_phone_get_num_buttons(p), 16);
		T_EXPECT_EQ(cti_phone_get_num_lamps(p), 4);
		T_EXPECT_EQ(cti_phone_get_display_rows(p), 2);
		T_EXPECT_EQ(cti_phone_get_display_cols(p), 40);
		T_EXPECT_EQ(cti_phone_get_num_ring_patterns(p), 0);
		T_EXPECT_EQ(cti_phone_may_open(p, CTI_PRIV_OWNER), 1);
		T_EXPECT_EQ(cti_phone_get_privilege(p), CTI_PRIV_NONE);
		T_EXPECT_EQ(cti_phone_get_hook(p, CTI_HOOKSWITCH_HANDSET), CTI_HOOK_ONHOOK);
		T_EXPECT_EQ(cti_phone_get_lamp(p, 3), CTI_LAMP_OFF);
		T_EXPECT_STR(cti_phone_get_display_row(p, 0), "");
		T_EXPECT_EQ(cti_phone_get_last_button(p, &b, &pressed), -ENOENT);
		T_EXPECT(cti_session_get_phone_by_id(s, cti_line_get_id(l)) == p, "by id");
		T_EXPECT_EQ(cti_session_find_phone(s, cti_line_get_address(l, 0), &q), 0);
		T_EXPECT(q == p, "find by number");
	}
	T_EXPECT_EQ(cti_session_find_phone(s, "nosuch", &(struct cti_phone *){ NULL }),
		    -ENOENT);
	cti_session_close(s);
	stop();
}

/* Owner commands change the state; the monitor sees it and may not act. */
static void owner_and_monitor(void)
{
	struct cti_session *o, *m;
	struct cti_phone *po, *pm;
	uint64_t req;

	start(NULL);
	o = open_session("owner");
	m = open_session("monitor");
	list_phones(o);
	list_phones(m);
	po = phone_of(o, 0);
	pm = phone_of(m, 0);
	/* commands before an open: EBADF, like a line's */
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(po, 1, CTI_LAMP_STEADY, &_r)), -EBADF);
	T_EXPECT_EQ(REQ(o, cti_phone_open(po, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(cti_phone_get_privilege(po), CTI_PRIV_OWNER);
	T_EXPECT_EQ(REQ(m, cti_phone_open(pm, CTI_PRIV_MONITOR, &_r)), 0);
	T_EXPECT_EQ(REQ(m, cti_phone_set_lamp_mode(pm, 1, CTI_LAMP_STEADY, &_r)), -EPERM);

	T_EXPECT_EQ(REQ(o, cti_phone_set_hookswitch(po, CTI_HOOKSWITCH_HEADSET,
						    CTI_HOOK_MICSPEAKER, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_write_display(po, 1, 3, "Hallo Zoë", &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(po, 2, CTI_LAMP_FLASH, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_set_ringer(po, 7, 55, &_r)), 0);
	T_EXPECT(wait_msg(m, CTI_MSG_PHONE_RING, pm, 3000), "monitor: no ring event");
	/* the monitor's phone followed every event */
	T_EXPECT_EQ(cti_phone_get_hook(pm, CTI_HOOKSWITCH_HEADSET), CTI_HOOK_MICSPEAKER);
	T_EXPECT_EQ(cti_phone_get_hook(pm, CTI_HOOKSWITCH_HANDSET), CTI_HOOK_ONHOOK);
	/* the sim's row is 40 bytes: blanks around what was written */
	T_EXPECT(!strncmp(cti_phone_get_display_row(pm, 1), "   Hallo Zoë ", 14),
		 "row 1: \"%s\"", cti_phone_get_display_row(pm, 1));
	T_EXPECT_EQ(strlen(cti_phone_get_display_row(pm, 1)), 40);
	T_EXPECT_EQ(cti_phone_get_lamp(pm, 2), CTI_LAMP_FLASH);
	T_EXPECT_EQ(cti_phone_get_ring_pattern(pm), 7);
	T_EXPECT_EQ(cti_phone_get_ring_volume(pm), 55);

	/* a third session that never opened it queries ctid's state */
	{
		struct cti_session *q = open_session("query");
		struct cti_phone *pq;

		list_phones(q);
		pq = phone_of(q, 0);
		T_EXPECT_EQ(cti_phone_get_lamp(pq, 2), CTI_LAMP_FLASH);
		T_EXPECT_EQ(cti_phone_get_ring_volume(pq), 55);
		T_EXPECT_STR(cti_phone_get_display_row(pq, 1),
			     cti_phone_get_display_row(pm, 1));
		T_EXPECT_EQ(REQ(q, cti_phone_query(pq, &_r)), 0);
		T_EXPECT_EQ(cti_phone_get_hook(pq, CTI_HOOKSWITCH_HEADSET),
			    CTI_HOOK_MICSPEAKER);
		cti_session_close(q);
	}

	/* closed: commands are EBADF again, and the events stop */
	T_EXPECT_EQ(REQ(o, cti_phone_close(po, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_close(po, &_r)), -EBADF);
	T_EXPECT_EQ(REQ(o, cti_phone_set_ringer(po, 0, 0, &_r)), -EBADF);
	T_EXPECT_EQ(REQ(m, cti_phone_close(pm, &_r)), 0);
	(void)req;
	cti_session_close(m);
	cti_session_close(o);
	stop();
}

/* ctid checks a command against the phone's capabilities. */
static void command_checks(void)
{
	struct cti_session *o;
	struct cti_phone *p;

	start(NULL);
	o = open_session("checker");
	list_phones(o);
	p = phone_of(o, 1);
	T_EXPECT_EQ(REQ(o, cti_phone_open(p, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(p, 4, CTI_LAMP_STEADY, &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_write_display(p, 2, 0, "x", &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_write_display(p, 0, 40, "x", &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_set_hookswitch(p, 0, CTI_HOOK_MIC, &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_set_hookswitch(p, CTI_HOOKSWITCH_HANDSET |
						    CTI_HOOKSWITCH_SPEAKER,
						    CTI_HOOK_MIC, &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_set_hookswitch(p, 1u << 5, CTI_HOOK_MIC, &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_set_ringer(p, 1, 101, &_r)), -EINVAL);
	T_EXPECT_EQ(REQ(o, cti_phone_dev_specific(p, "button 99", 9, &_r)), -EINVAL);
	/* nothing of the above changed the state */
	T_EXPECT_EQ(REQ(o, cti_phone_query(p, &_r)), 0);
	T_EXPECT_EQ(cti_phone_get_ring_volume(p), 0);
	T_EXPECT_STR(cti_phone_get_display_row(p, 0), "");
	/* the library refuses what it can tell is wrong */
	T_EXPECT_EQ(cti_phone_open(p, CTI_PRIV_NONE, &(uint64_t){ 0 }), -EINVAL);
	T_EXPECT_EQ(cti_phone_open(NULL, CTI_PRIV_OWNER, &(uint64_t){ 0 }), -EINVAL);
	cti_session_close(o);
	stop();
}

/* The sim's "button" devspec presses a button: event and state. */
static void button_press(void)
{
	struct cti_session *o;
	struct cti_phone *p;
	uint32_t b = 0;
	int pressed = -1;

	start(NULL);
	o = open_session("presser");
	list_phones(o);
	p = phone_of(o, 2);
	T_EXPECT_EQ(REQ(o, cti_phone_open(p, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_dev_specific(p, "button 5 press", 14, &_r)), 0);
	T_EXPECT(wait_msg(o, CTI_MSG_PHONE_BUTTON, p, 3000), "no button event");
	T_EXPECT_EQ(cti_phone_get_last_button(p, &b, &pressed), 0);
	T_EXPECT_EQ(b, 5);
	T_EXPECT_EQ(pressed, 1);
	/* ctid's state has it too */
	{
		struct cti_session *q = open_session("query");
		struct cti_phone *pq;

		list_phones(q);
		pq = phone_of(q, 2);
		T_EXPECT_EQ(cti_phone_get_last_button(pq, &b, &pressed), 0);
		T_EXPECT_EQ(b, 5);
		T_EXPECT_EQ(pressed, 1);
		cti_session_close(q);
	}
	T_EXPECT_EQ(REQ(o, cti_phone_dev_specific(p, "button 11 release", 17, &_r)), 0);
	T_EXPECT(wait_msg(o, CTI_MSG_PHONE_BUTTON, p, 3000), "no release event");
	T_EXPECT_EQ(cti_phone_get_last_button(p, &b, &pressed), 0);
	T_EXPECT_EQ(b, 11);
	T_EXPECT_EQ(pressed, 0);
	cti_session_close(o);
	stop();
}

/* A SNAPSHOT carries a PHONE item per phone, with its state. */
static void snapshot_has_state(void)
{
	struct cti_session *o;
	struct cti_phone *p;
	uint64_t req = 0;
	int phones = 0, lamp = -1;
	int64_t end;

	start(NULL);
	o = open_session("snap");
	list_phones(o);
	p = phone_of(o, 0);
	T_EXPECT_EQ(REQ(o, cti_phone_open(p, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(p, 0, CTI_LAMP_WINK, &_r)), 0);
	T_ASSERT(cti_session_snapshot(o, &req) == 0, "snapshot");
	end = t_now_ms() + 5000;
	while (t_now_ms() < end) {
		struct cti_msg *m = NULL;
		enum cti_msg_type t;

		if (cti_session_next_msg(o, &m) != 1) {
			cti_session_wait(o, 50);
			continue;
		}
		t = cti_msg_get_type(m);
		if (t == CTI_MSG_PHONE && cti_msg_get_request(m) == req) {
			phones++;
			if (cti_msg_get_phone(m) == p) {
				lamp = cti_phone_get_lamp(p, 0);
				T_EXPECT_EQ(cti_msg_get_privilege(m), CTI_PRIV_OWNER);
			}
		}
		if ((t == CTI_MSG_REPLY || t == CTI_MSG_LIST_END) &&
		    cti_msg_get_request(m) == req) {
			cti_msg_free(m);
			break;
		}
		cti_msg_free(m);
	}
	T_EXPECT_EQ(phones, NLINES);
	T_EXPECT_EQ(lamp, CTI_LAMP_WINK);
	cti_session_close(o);
	stop();
}

/*
 * ctid is killed and restarts: the session is unknown, libcti resyncs; the phone is
 * still there (same id), reopened as it was, with the state of the new
 * ctid (a fresh sim: the lamp is off again).
 */
static void resync_after_restart(void)
{
	struct cti_session *o;
	struct cti_phone *p;
	int64_t end;

	start(NULL);
	o = open_session("restart");
	list_phones(o);
	p = phone_of(o, 0);
	T_EXPECT_EQ(REQ(o, cti_phone_open(p, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(p, 3, CTI_LAMP_STEADY, &_r)), 0);
	T_EXPECT(wait_msg(o, CTI_MSG_PHONE_LAMP, p, 3000), "no lamp event");
	T_EXPECT_EQ(cti_phone_get_lamp(p, 3), CTI_LAMP_STEADY);
	t_ctid_kill9(&d);
	T_ASSERT(t_ctid_restart(&d) == 0, "restart");
	T_EXPECT(wait_msg(o, CTI_MSG_RESYNC, NULL, 10000), "no resync");
	T_EXPECT(wait_msg(o, CTI_MSG_LIST_END, NULL, 5000), "no snapshot end");
	T_EXPECT_EQ(cti_phone_is_removed(p), 0);
	T_EXPECT_EQ(cti_phone_get_lamp(p, 3), CTI_LAMP_OFF);
	/* the reopen is libcti's own request: wait until it took effect */
	end = t_now_ms() + 5000;
	while (cti_phone_get_privilege(p) != CTI_PRIV_OWNER && t_now_ms() < end)
		wait_msg(o, CTI_MSG_REPLY, NULL, 100);
	T_EXPECT_EQ(cti_phone_get_privilege(p), CTI_PRIV_OWNER);
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(p, 3, CTI_LAMP_FLUTTER, &_r)), 0);
	cti_session_close(o);
	stop();
}

/* A raw session that speaks phones (and resumes). */
static void raw_session(struct rc *c, const char *name, uint64_t sid, uint64_t seq)
{
	T_ASSERT(rc_connect(c, d.sock) == 0, "connect");
	c->hello_features = PHONE_FEATS;
	T_ASSERT(rc_hello(c, name, sid, seq) == 0, "hello");
	T_ASSERT(c->ack.features & CTI_WIRE_FEAT_PHONE_DEV, "no phones granted");
}

static int raw_open_phone(struct rc *c, uint32_t phone, uint32_t priv)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_OPEN_PHONE };
	int64_t id;

	f.u.open_phone.phone = phone;
	f.u.open_phone.privilege = priv;
	id = rc_send(c, &f);
	return id < 0 ? (int)id : rc_wait_reply(c, (uint64_t)id, NULL, 5000);
}

/*
 * A resumed session gets the phone events it missed from the replay log;
 * an unknown session gets RESYNC and a snapshot with PHONE items.
 */
static void resume_and_unknown_session(void)
{
	struct cti_wire_line lines[NLINES];
	struct cti_wire_frame f;
	struct rc a, b;
	uint64_t sid, seq;
	int phones = 0, rc;

	start(NULL);
	rc_root_lines(d.sock, lines, NLINES);
	raw_session(&a, "resumer", 0, 0);
	T_EXPECT_EQ(raw_open_phone(&a, lines[0].line, CTI_WIRE_PRIV_MONITOR), 0);
	sid = a.ack.session;
	seq = a.last_seq;
	rc_close(&a);

	/* meanwhile an owner of the line sets a lamp, the old way */
	rc_session(&b, d.sock, "owner");
	T_EXPECT_EQ(rc_open_line(&b, lines[0].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&b, CTI_CMD_SET_LAMP, lines[0].line, 0, 0, 1,
				    CTI_LAMP_FLUTTER, NULL, NULL), 0);

	raw_session(&a, "resumer", sid, seq);
	T_EXPECT_EQ(a.ack.resume, CTI_WIRE_RESUME_OK);
	rc = rc_wait_type(&a, CTI_WIRE_EV_PHONE_LAMP, &f, 3000);
	T_EXPECT(rc == 1, "no replayed lamp event: %d", rc);
	if (rc == 1) {
		T_EXPECT_EQ(f.u.phone_lamp.line, lines[0].line);
		T_EXPECT_EQ(f.u.phone_lamp.mode, CTI_LAMP_FLUTTER);
	}
	rc_close(&a);

	/* a session ctid does not know: RESYNC, then the snapshot */
	raw_session(&a, "stranger", 0x5eed, 1);
	T_EXPECT_EQ(a.ack.resume, CTI_WIRE_RESUME_RESYNC);
	for (;;) {
		rc = rc_recv(&a, &f, 3000);
		if (rc != 1 || f.hdr.type == CTI_WIRE_END)
			break;
		if (f.hdr.type != CTI_WIRE_PHONE)
			continue;
		phones++;
		if (f.u.phone.phone == lines[0].line)
			T_EXPECT_EQ(f.u.phone.lamps[1], CTI_LAMP_FLUTTER);
	}
	T_EXPECT(rc == 1, "snapshot did not end: %d", rc);
	T_EXPECT_EQ(phones, NLINES);
	rc_close(&a);
	rc_close(&b);
	stop();
}

/* A line unplugged takes its phone; plugged back, the same phone returns. */
static void removed_line_phone_goes(void)
{
	struct cti_session *o, *m;
	struct cti_phone *p, *pm;
	struct cti_line *l;
	char plug[64];
	uint32_t id;

	start(NULL);
	o = open_session("plugger");
	m = open_session("watcher");
	list_phones(o);
	list_phones(m);
	p = phone_of(o, 1);
	pm = phone_of(m, 1);
	l = cti_phone_get_line(p);
	id = cti_phone_get_id(p);
	T_EXPECT_EQ(REQ(o, cti_phone_open(p, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(REQ(m, cti_phone_open(pm, CTI_PRIV_MONITOR, &_r)), 0);
	snprintf(plug, sizeof(plug), "plug %s", cti_line_get_address(l, 0));
	T_EXPECT_EQ(REQ(o, cti_phone_dev_specific(p, "unplug", 6, &_r)), 0);
	T_EXPECT(wait_msg(o, CTI_MSG_LINE_REMOVED, NULL, 3000), "no line removed");
	T_EXPECT_EQ(cti_phone_is_removed(p), 1);
	T_EXPECT_EQ(cti_phone_open(p, CTI_PRIV_OWNER, &(uint64_t){ 0 }), -ENODEV);
	list_phones(o);
	T_EXPECT_EQ(cti_phone_is_removed(p), 1);
	/* a raw client asking for it by id: ENODEV (it exists, it is away) */
	{
		struct rc r;
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_PHONES };
		int64_t rid;

		raw_session(&r, "asker", 0, 0);
		f.u.phone_req.phone = id;
		rid = rc_send(&r, &f);
		T_EXPECT_EQ(rc_wait_reply(&r, (uint64_t)rid, NULL, 5000), -ENODEV);
		T_EXPECT_EQ(raw_open_phone(&r, id, CTI_WIRE_PRIV_MONITOR), -ENODEV);
		T_EXPECT_EQ(raw_open_phone(&r, 0x7ffffff0, CTI_WIRE_PRIV_MONITOR), -ENOENT);
		rc_close(&r);
	}
	/* back: the same phone object, announced, still open as it was */
	T_EXPECT_EQ(REQ(o, cti_line_dev_specific(cti_session_get_line(o, 0), plug,
						  strlen(plug), &_r)), -EBADF);
	{
		struct cti_line *l0 = cti_session_get_line(o, 0);

		T_EXPECT_EQ(REQ(o, cti_line_open(l0, CTI_PRIV_OWNER, &_r)), 0);
		T_EXPECT_EQ(REQ(o, cti_line_dev_specific(l0, plug, strlen(plug), &_r)), 0);
	}
	T_EXPECT(wait_msg(o, CTI_MSG_PHONE_ADDED, p, 3000), "no phone added");
	T_EXPECT_EQ(cti_phone_is_removed(p), 0);
	T_EXPECT_EQ(cti_phone_get_id(p), id);
	T_EXPECT_EQ(cti_phone_get_privilege(p), CTI_PRIV_OWNER);
	/* one announcement, each session's own privilege in it */
	T_EXPECT(wait_msg(m, CTI_MSG_PHONE_ADDED, pm, 3000), "watcher: no phone added");
	T_EXPECT_EQ(cti_phone_is_removed(pm), 0);
	T_EXPECT_EQ(cti_phone_get_privilege(pm), CTI_PRIV_MONITOR);
	T_EXPECT_EQ(REQ(o, cti_phone_set_lamp_mode(p, 0, CTI_LAMP_STEADY, &_r)), 0);
	cti_session_close(m);
	cti_session_close(o);
	stop();
}

/* A client that did not ask for phones: no phone frames, old calls work. */
static void old_client(void)
{
	struct cti_wire_line lines[NLINES];
	struct cti_wire_frame f;
	struct cti_session *s;
	struct cti_phone *p;
	struct rc c;
	int64_t id;
	int rc, phones = 0;

	start(NULL);
	rc_root_lines(d.sock, lines, NLINES);
	rc_session(&c, d.sock, "old");
	T_EXPECT(!(c.ack.features & CTI_WIRE_FEAT_PHONE_DEV), "granted unasked");
	T_EXPECT_EQ(raw_open_phone(&c, lines[2].line, CTI_WIRE_PRIV_MONITOR), -EOPNOTSUPP);
	id = rc_simple(&c, CTI_WIRE_SNAPSHOT);
	T_ASSERT(id > 0, "snapshot");
	for (;;) {
		rc = rc_recv(&c, &f, 3000);
		if (rc != 1 || f.hdr.type == CTI_WIRE_REPLY)
			break;
		phones += f.hdr.type == CTI_WIRE_PHONE;
	}
	T_EXPECT_EQ(phones, 0);
	/* the CTI_1 way: a phone command addressed to the line */
	T_EXPECT_EQ(rc_open_line(&c, lines[2].line, CTI_WIRE_PRIV_OWNER), 0);
	T_EXPECT_EQ(rc_command_sync(&c, CTI_CMD_SET_RING, lines[2].line, 0, 0, 4,
				    30, NULL, NULL), 0);
	rc = rc_wait_type(&c, CTI_WIRE_EV_PHONE_RING, &f, 3000);
	T_EXPECT(rc == 1, "phone events to the line's opener: %d", rc);
	rc_close(&c);
	/* and the phone object shows its effect */
	s = open_session("new");
	list_phones(s);
	p = phone_of(s, 2);
	T_EXPECT_EQ(cti_phone_get_ring_pattern(p), 4);
	T_EXPECT_EQ(cti_phone_get_ring_volume(p), 30);
	cti_session_close(s);
	stop();
}

/*
 * Access follows the line's grant: user daemon owns line 0, monitors line
 * 1 and may not see line 2. The errnos are the lines' (ENOENT hidden,
 * EACCES owning without the right, EPERM acting as a monitor).
 */
static struct cti_wire_line acl_lines[NLINES];

static int daemon_client(void *arg)
{
	struct cti_session *s;
	struct cti_phone *p0, *p1;
	struct rc r;

	(void)arg;
	s = open_session("daemon");
	list_phones(s);
	T_EXPECT_EQ(cti_session_get_num_phones(s), 2);
	p0 = cti_session_get_phone_by_id(s, acl_lines[0].line);
	p1 = cti_session_get_phone_by_id(s, acl_lines[1].line);
	T_ASSERT(p0 && p1, "phones of lines 0 and 1");
	T_EXPECT(!cti_session_get_phone_by_id(s, acl_lines[2].line), "hidden phone listed");
	T_EXPECT_EQ(cti_phone_may_open(p1, CTI_PRIV_OWNER), 0);
	T_EXPECT_EQ(cti_phone_may_open(p1, CTI_PRIV_MONITOR), 1);
	T_EXPECT_EQ(REQ(s, cti_phone_open(p1, CTI_PRIV_OWNER, &_r)), -EACCES);
	T_EXPECT_EQ(REQ(s, cti_phone_open(p1, CTI_PRIV_MONITOR, &_r)), 0);
	T_EXPECT_EQ(REQ(s, cti_phone_set_ringer(p1, 1, 10, &_r)), -EPERM);
	T_EXPECT_EQ(REQ(s, cti_phone_open(p0, CTI_PRIV_OWNER, &_r)), 0);
	T_EXPECT_EQ(REQ(s, cti_phone_set_ringer(p0, 1, 10, &_r)), 0);
	cti_session_close(s);

	/* the hidden phone answers exactly like one that does not exist */
	raw_session(&r, "daemon-raw", 0, 0);
	T_EXPECT_EQ(raw_open_phone(&r, acl_lines[2].line, CTI_WIRE_PRIV_MONITOR), -ENOENT);
	{
		struct cti_wire_frame f = { .hdr.type = CTI_WIRE_PHONE_COMMAND };
		int64_t id;

		f.u.phone_command.phone = acl_lines[2].line;
		f.u.phone_command.cmd = CTI_CMD_SET_RING;
		id = rc_send(&r, &f);
		T_EXPECT_EQ(rc_wait_reply(&r, (uint64_t)id, NULL, 5000), -ENOENT);
		memset(&f, 0, sizeof(f));
		f.hdr.type = CTI_WIRE_LIST_PHONES;
		f.u.phone_req.phone = acl_lines[2].line;
		id = rc_send(&r, &f);
		T_EXPECT_EQ(rc_wait_reply(&r, (uint64_t)id, NULL, 5000), -ENOENT);
	}
	rc_close(&r);
	return 0;
}

static void access_by_line_grant(void)
{
	char conf[512], n0[80], n1[80];
	uid_t uid;
	gid_t gid;

	t_need_root();
	t_lookup_user("daemon", &uid, &gid);
	start(NULL);
	rc_root_lines(d.sock, acl_lines, NLINES);
	stop();
	snprintf(n0, sizeof(n0), "%s/%s", acl_lines[0].provider_name, acl_lines[0].name);
	snprintf(n1, sizeof(n1), "%s/%s", acl_lines[1].provider_name, acl_lines[1].name);
	snprintf(conf, sizeof(conf), "[user daemon]\nlines = %s\nmonitor = %s\n",
		 n0, n1);
	start(conf);
	T_EXPECT_EQ(t_run_as(uid, gid, daemon_client, NULL), 0);
	stop();
}

/*
 * The rules change under a connected session (SIGHUP): the phone of a
 * line it may now only monitor drops to MONITOR, the one of a line it may
 * no longer see is closed; each is told with EV_PHONE_PRIVILEGE.
 */
static struct t_sync reload_sync;

/* The EV_PHONE_PRIVILEGE of phones @a and @b (-1: none came). */
static void phone_priv_events(struct rc *c, uint32_t a, uint32_t b, int *pa, int *pb)
{
	struct cti_wire_frame f;

	*pa = *pb = -1;
	while ((*pa < 0 || *pb < 0) && rc_next_event(c, &f, 3000) == 1) {
		if (f.hdr.type != CTI_WIRE_EV_PHONE_PRIVILEGE)
			continue;
		if (f.u.phone_privilege.phone == a)
			*pa = (int)f.u.phone_privilege.privilege;
		if (f.u.phone_privilege.phone == b)
			*pb = (int)f.u.phone_privilege.privilege;
	}
}

static int reload_client(void *arg)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_PHONE_COMMAND };
	struct rc c;
	int64_t id;
	int p0, p1;

	(void)arg;
	raw_session(&c, "reloaded", 0, 0);
	T_ASSERT(raw_open_phone(&c, acl_lines[0].line, CTI_WIRE_PRIV_OWNER) == 0, "own 0");
	T_ASSERT(raw_open_phone(&c, acl_lines[1].line, CTI_WIRE_PRIV_MONITOR) == 0, "monitor 1");
	t_signal(&reload_sync);
	T_ASSERT(t_await(&reload_sync, 10000), "no reload");
	phone_priv_events(&c, acl_lines[0].line, acl_lines[1].line, &p0, &p1);
	T_EXPECT_EQ(p0, CTI_WIRE_PRIV_MONITOR);
	T_EXPECT_EQ(p1, CTI_WIRE_PRIV_NONE);
	f.u.phone_command.phone = acl_lines[0].line;
	f.u.phone_command.cmd = CTI_CMD_SET_RING;
	id = rc_send(&c, &f);
	T_EXPECT_EQ(rc_wait_reply(&c, (uint64_t)id, NULL, 5000), -EPERM);
	T_EXPECT_EQ(raw_open_phone(&c, acl_lines[0].line, CTI_WIRE_PRIV_OWNER), -EACCES);
	f.hdr.id = 0;
	f.u.phone_command.phone = acl_lines[1].line;
	id = rc_send(&c, &f);
	T_EXPECT_EQ(rc_wait_reply(&c, (uint64_t)id, NULL, 5000), -ENOENT);
	rc_close(&c);
	return 0;
}

static void access_reload(void)
{
	char conf[512], n0[80], n1[80], *p, buf[16384];
	uid_t uid;
	gid_t gid;
	pid_t pid;
	FILE *f;
	size_t n;
	int before;

	t_need_root();
	t_lookup_user("daemon", &uid, &gid);
	start(NULL);
	rc_root_lines(d.sock, acl_lines, NLINES);
	stop();
	snprintf(n0, sizeof(n0), "%s/%s", acl_lines[0].provider_name, acl_lines[0].name);
	snprintf(n1, sizeof(n1), "%s/%s", acl_lines[1].provider_name, acl_lines[1].name);
	snprintf(conf, sizeof(conf), "[user daemon]\nlines = %s,%s\n", n0, n1);
	start(conf);
	T_ASSERT(t_sync_init(&reload_sync) == 0, "sync");
	pid = t_spawn_as(uid, gid, reload_client, NULL, &reload_sync);
	T_ASSERT(pid > 0, "spawn");
	T_ASSERT(t_await(&reload_sync, 10000), "client not ready");
	/* [user daemon] is the file's last section: line 0 monitor only */
	f = fopen(d.conf, "r");
	T_ASSERT(f, "read %s", d.conf);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "[user daemon]");
	T_ASSERT(p, "no [user daemon]");
	*p = '\0';
	f = fopen(d.conf, "w");
	T_ASSERT(f, "write %s", d.conf);
	fprintf(f, "%s[user daemon]\nmonitor = %s\n", buf, n0);
	fclose(f);
	before = t_ctid_log_count(&d, "access rules of");
	T_ASSERT(kill(d.pid, SIGHUP) == 0, "SIGHUP");
	T_ASSERT(t_ctid_log_wait(&d, "access rules of", before + 1, 5000) > before,
		 "ctid did not apply the rules");
	t_signal(&reload_sync);
	T_EXPECT_EQ(t_wait(pid), 0);
	stop();
}

static const struct t_case cases[] = {
	{ "list_and_caps", list_and_caps },
	{ "owner_and_monitor", owner_and_monitor },
	{ "command_checks", command_checks },
	{ "button_press", button_press },
	{ "snapshot_has_state", snapshot_has_state },
	{ "resync_after_restart", resync_after_restart },
	{ "resume_and_unknown_session", resume_and_unknown_session },
	{ "removed_line_phone_goes", removed_line_phone_goes },
	{ "old_client", old_client },
	{ "access_by_line_grant", access_by_line_grant },
	{ "access_reload", access_reload },
};

int main(int argc, char **argv)
{
	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
