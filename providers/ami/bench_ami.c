// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_ami: what the AMI provider costs, without ctid. A stream of AMI
 * events shaped as Asterisk 22 sends them for an inbound call (DialBegin,
 * Newstate, DialEnd, BridgeEnter, NewConnectedLine, BridgeLeave, Hangup:
 * the messages of the recorded inbound_answered scenario) is fed through
 * the fake host's transport in 64 KiB chunks, calls spread over 200
 * lines; it reports AMI events/s turned into client records on one core,
 * and the heap bytes per tracked channel.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ami_replay.h"

#define LINES	200
#define CALLS	200000
#define EV_CALL	10	/* AMI events of one call */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The events of call @i on line @l, as Asterisk 22 words them. */
static size_t call_events(char *p, size_t size, unsigned int i, unsigned int l)
{
	char dst[64], src[64], du[32], su[32];

	snprintf(dst, sizeof(dst), "PJSIP/%u-%08x", 1000 + l, i);
	snprintf(src, sizeof(src), "PJSIP/trunk-%08x", i);
	snprintf(du, sizeof(du), "1765000000.%u", 2 * i + 1);
	snprintf(su, sizeof(su), "1765000000.%u", 2 * i);
	return snprintf(p, size,
		"Event: DialBegin\r\nPrivilege: call,all\r\nChannel: %s\r\n"
		"ChannelState: 4\r\nChannelStateDesc: Ring\r\n"
		"CallerIDNum: 5551234\r\nCallerIDName: Outside\r\n"
		"ConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\n"
		"Language: en\r\nAccountCode: \r\nContext: from-cti\r\n"
		"Exten: %u\r\nPriority: 4\r\nUniqueid: %s\r\nLinkedid: %s\r\n"
		"DestChannel: %s\r\nDestChannelState: 0\r\n"
		"DestChannelStateDesc: Down\r\nDestCallerIDNum: %u\r\n"
		"DestCallerIDName: <unknown>\r\nDestConnectedLineNum: 5551234\r\n"
		"DestConnectedLineName: Outside\r\nDestLanguage: en\r\n"
		"DestAccountCode: \r\nDestContext: phones\r\nDestExten: %u\r\n"
		"DestPriority: 1\r\nDestUniqueid: %s\r\nDestLinkedid: %s\r\n"
		"DialString: %u\r\n\r\n"
		"Event: Newstate\r\nPrivilege: call,all\r\nChannel: %s\r\n"
		"ChannelState: 5\r\nChannelStateDesc: Ringing\r\n"
		"Uniqueid: %s\r\nLinkedid: %s\r\n\r\n"
		"Event: Newstate\r\nPrivilege: call,all\r\nChannel: %s\r\n"
		"ChannelState: 6\r\nChannelStateDesc: Up\r\n"
		"Uniqueid: %s\r\nLinkedid: %s\r\n\r\n"
		"Event: DialEnd\r\nPrivilege: call,all\r\nChannel: %s\r\n"
		"Uniqueid: %s\r\nDestChannel: %s\r\nDestUniqueid: %s\r\n"
		"DialStatus: ANSWER\r\n\r\n"
		"Event: BridgeEnter\r\nPrivilege: call,all\r\n"
		"BridgeUniqueid: b-%u\r\nBridgeType: basic\r\nChannel: %s\r\n"
		"Uniqueid: %s\r\n\r\n"
		"Event: BridgeEnter\r\nPrivilege: call,all\r\n"
		"BridgeUniqueid: b-%u\r\nBridgeType: basic\r\nChannel: %s\r\n"
		"Uniqueid: %s\r\n\r\n"
		"Event: NewConnectedLine\r\nPrivilege: call,all\r\nChannel: %s\r\n"
		"ConnectedLineNum: 5551235\r\nConnectedLineName: Other\r\n"
		"Uniqueid: %s\r\n\r\n"
		"Event: BridgeLeave\r\nPrivilege: call,all\r\n"
		"BridgeUniqueid: b-%u\r\nChannel: %s\r\nUniqueid: %s\r\n\r\n"
		"Event: BridgeLeave\r\nPrivilege: call,all\r\n"
		"BridgeUniqueid: b-%u\r\nChannel: %s\r\nUniqueid: %s\r\n\r\n"
		"Event: Hangup\r\nPrivilege: call,all\r\nChannel: %s\r\n"
		"Uniqueid: %s\r\nCause: 16\r\nCause-txt: Normal Clearing\r\n\r\n",
		src, 1000 + l, su, su, dst, 1000 + l, 1000 + l, du, su, 1000 + l,
		dst, du, su, dst, du, su, src, su, dst, du, i, src, su, i, dst,
		du, dst, du, i, src, su, i, dst, du, dst, du);
}

/* Drop (as an orphan) the calls that the stream ended. */
static void reap(struct th *th)
{
	size_t i;

	for (i = 0; i < th->nevents; i++) {
		const struct cti_ev_call_state *cs = (const void *)th->events[i].rec;

		if (cs->hdr.type == CTI_EV_CALL_STATE &&
		    cs->state == CTI_CALL_DISCONNECTED)
			th->ops->call_orphaned(th->state, cs->hdr.line, cs->call);
	}
	th_clear(th);
}

int main(void)
{
	static char buf[CTI_TRANSPORT_CHUNK_MAX];
	const char *kv[LINES + 8];
	char lines[LINES][64];
	struct th th;
	struct th_transport *t;
	size_t len = 0, records = 0, n;
	double t0, dt;
	unsigned int i;
	struct mallinfo2 m0, m1;

	kv[0] = "host=127.0.0.1";
	kv[1] = "username=cti";
	kv[2] = "secret=x";
	for (i = 0; i < LINES; i++) {
		snprintf(lines[i], sizeof(lines[i]), "line=l%u %u PJSIP/%u", i,
			 1000 + i, 1000 + i);
		kv[3 + i] = lines[i];
	}
	kv[3 + LINES] = NULL;
	if (th_start_tr(&th, kv))
		return 1;
	t = th_tr_last(&th);
	rp_fake_login(&th, "");
	t0 = now_s();
	for (i = 0; i < CALLS; i++) {
		n = call_events(buf + len, sizeof(buf) - len, i, i % LINES);
		if (len + n >= sizeof(buf) - 1) {
			buf[len] = '\0';
			th_tr_data(&th, t, buf);
			records += th.nevents;
			reap(&th);
			len = 0;
			n = call_events(buf, sizeof(buf), i, i % LINES);
		}
		len += n;
	}
	buf[len] = '\0';
	th_tr_data(&th, t, buf);
	records += th.nevents;
	reap(&th);
	dt = now_s() - t0;
	printf("ami: %u AMI events in %.3f s: %.0f events/s, %zu client "
	       "records (%.0f/s)\n", CALLS * EV_CALL, dt,
	       CALLS * EV_CALL / dt, records, records / dt);

	/* Memory: 10000 calls ringing at once, one channel each. */
	for (i = 0; i < 2; i++) {
		unsigned int c;

		th_clear(&th);
		m0 = mallinfo2();
		for (c = 0; c < 10000; c++) {
			call_events(buf, sizeof(buf), CALLS + c, c % LINES);
			*strstr(buf, "\r\n\r\n") = '\0';	/* DialBegin only */
			strcat(buf, "\r\n\r\n");
			th_tr_data(&th, t, buf);
		}
		m1 = mallinfo2();
		if (i)
			printf("ami: %.0f heap bytes per tracked channel\n",
			       (double)(m1.uordblks - m0.uordblks) / 10000);
		th_tr_close(&th, t, 0);	/* the calls stay, as at Asterisk */
		th_run(&th, 60000);
		rp_fake_login(&th, "");	/* ... and the resync ends them */
		t = th_tr_last(&th);
		reap(&th);
	}
	th_stop(&th);
	return th.violations ? 1 : 0;
}
