/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * event.h - printing one event of a session (event.c)
 */
#ifndef CTICTL_EVENT_H
#define CTICTL_EVENT_H

#include "common.h"

/**
 * ctl_print_event() - print @msg on stdout: one line of "key=value"
 * fields after its sequence number, line and type, or one JSON object per
 * line with --json; flushed, so that a pipe sees each event at once.
 * @ctl: the run (its json flag)
 * @msg: any message but a REPLY
 */
void ctl_print_event(struct ctl *ctl, struct cti_msg *msg);

#endif /* CTICTL_EVENT_H */
