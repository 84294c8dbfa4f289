/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cti_userspace.h - the numbers of the userspace stack that the kernel
 * ABI does not have
 *
 * Privileges, call-centre agent states, the userspace-only commands
 * (CTI_UCMD_*) and event records (CTI_UEV_*): libcti, ctid and every
 * provider include this one header, so each number is written once.
 * Installed with libcti (cti.h includes it). No kernel header is needed:
 * the kernel never sees these numbers. Numbers may be added, never
 * renumbered: they travel on the wire and in provider records.
 */
#ifndef CTI_USERSPACE_H
#define CTI_USERSPACE_H

/**
 * enum cti_privilege - how a session holds a line or a call
 * @CTI_PRIV_NONE: not at all
 * @CTI_PRIV_MONITOR: sees the events
 * @CTI_PRIV_OWNER: sees the events and controls the calls
 * @CTI_PRIV_MAX: one past the last privilege
 */
enum cti_privilege {
	CTI_PRIV_NONE = 0,
	CTI_PRIV_MONITOR = 1,
	CTI_PRIV_OWNER = 2,
	CTI_PRIV_MAX,
};

/**
 * enum cti_ucmd - userspace-only commands (&struct cti_provider_request.cmd)
 *
 * Numbered from 64 so that they never collide with &enum cti_cmd; not part
 * of the kernel ABI. A line advertises them in &struct
 * cti_provider_line_desc.uops, bit (1 << (cmd - CTI_UCMD_BASE)).
 *
 * @CTI_UCMD_BASE: the first userspace-only command number
 * @CTI_UCMD_SET_AGENT_STATE: set the call-centre agent state of @line to
 *	&enum cti_agent_state @arg with reason (or activity) code @arg2; a
 *	CTI_UEV_AGENT_STATE record reports the change
 * @CTI_UCMD_SET_AGENT_GROUP: set the agent groups of @line: data is a
 *	comma-separated list of group names (empty: none), at most
 *	CTI_AGENT_GROUPS_MAX - 1 bytes
 * @CTI_UCMD_SET_AGENT_ACTIVITY: set the agent's activity code to @arg
 *	(0: none), without changing its state
 * @CTI_UCMD_MAX: one past the last userspace-only command
 */
enum cti_ucmd {
	CTI_UCMD_BASE = 64,
	CTI_UCMD_SET_AGENT_STATE = 64,
	CTI_UCMD_SET_AGENT_GROUP = 65,
	CTI_UCMD_SET_AGENT_ACTIVITY = 66,
	CTI_UCMD_MAX,
};

/**
 * enum cti_agent_state - the state of a call-centre agent on a line
 * @CTI_AGENT_LOGGED_OUT: no agent works at this line
 * @CTI_AGENT_READY: the agent takes calls
 * @CTI_AGENT_NOT_READY: the agent is logged in but takes no calls (the
 *	reason code says why: break, training ...)
 * @CTI_AGENT_AFTER_CALL_WORK: the agent wraps up the last call
 * @CTI_AGENT_BUSY: the agent is on a call (set by the switch, not by a
 *	command)
 * @CTI_AGENT_STATE_MAX: one past the last state
 */
enum cti_agent_state {
	CTI_AGENT_LOGGED_OUT = 0,
	CTI_AGENT_READY = 1,
	CTI_AGENT_NOT_READY = 2,
	CTI_AGENT_AFTER_CALL_WORK = 3,
	CTI_AGENT_BUSY = 4,
	CTI_AGENT_STATE_MAX,
};

/* Bytes of an agent's group list, including the NUL. */
#define CTI_AGENT_GROUPS_MAX	64

/**
 * enum cti_uev_type - userspace-only event records (&struct cti_event.type)
 *
 * Numbered from 64 so that they never collide with &enum cti_event_type;
 * not part of the kernel ABI. Each record starts with a &struct cti_event
 * and its size is a multiple of 8, as in the kernel ABI.
 *
 * @CTI_UEV_BASE: the first userspace-only record type
 * @CTI_UEV_AGENT_STATE: the agent state of a line changed (&struct
 *	cti_uev_agent_state); posted by providers
 * @CTI_UEV_PHONE_DISPLAY: a phone's display changed (&struct
 *	cti_uev_phone_display); posted by providers
 * @CTI_UEV_PHONE_LAMP: a phone lamp changed (&struct cti_uev_phone_lamp);
 *	posted by providers
 * @CTI_UEV_PHONE_RING: a phone's ringer changed (&struct
 *	cti_uev_phone_ring); posted by providers
 * @CTI_UEV_DEV_SPECIFIC: a provider-specific notification (&struct
 *	cti_uev_dev_specific); posted by providers
 * @CTI_UEV_LINE_CREATED: a line appeared (&struct cti_uev_line); posted
 *	only by the host, as the result of cti_host_api.line_add()
 * @CTI_UEV_LINE_REMOVED: a line went away (&struct cti_uev_line); posted
 *	only by the host, as the result of cti_host_api.line_remove()
 * @CTI_UEV_PROVIDER_STATE: a provider instance came up or went down
 *	(&struct cti_uev_provider_state); posted only by the host
 * @CTI_UEV_MAX: one past the last userspace-only record type
 */
enum cti_uev_type {
	CTI_UEV_BASE = 64,
	CTI_UEV_AGENT_STATE = 64,
	CTI_UEV_PHONE_DISPLAY = 65,
	CTI_UEV_PHONE_LAMP = 66,
	CTI_UEV_PHONE_RING = 67,
	CTI_UEV_DEV_SPECIFIC = 68,
	CTI_UEV_LINE_CREATED = 69,
	CTI_UEV_LINE_REMOVED = 70,
	CTI_UEV_PROVIDER_STATE = 71,
	CTI_UEV_MAX,
};

#endif /* CTI_USERSPACE_H */
