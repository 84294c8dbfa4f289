// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * admin_util: see admin_util.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "admin_util.h"
#include "harness.h"

static void send_fd(int via, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(via, &m, 0) != 1)
		_exit(3);
}

static int recv_fd(int via)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(via, &m, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* SO_PEERCRED is fixed at connect(): a child of that uid connects for us. */
static int connect_as(const char *sock, uid_t uid, gid_t gid)
{
	int sp[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(sp[0]);
		if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
		    setresuid(uid, uid, uid))
			_exit(2);
		fd = t_unix_connect(sock);
		if (fd < 0)
			_exit(1);
		send_fd(sp[1], fd);
		_exit(0);
	}
	close(sp[1]);
	fd = recv_fd(sp[0]);
	close(sp[0]);
	waitpid(pid, &status, 0);
	return fd;
}

static void hello(struct rc *c, const char *name, uint64_t features)
{
	struct cti_wire_frame f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	f.u.hello.features = features | CTI_WIRE_FEAT_ACCOUNTS;
	snprintf(f.u.hello.client_name, sizeof(f.u.hello.client_name), "%s", name);
	T_ASSERT(rc_send(c, &f) >= 0, "HELLO");
	rc = rc_wait_type(c, CTI_WIRE_HELLO_ACK, &f, 15000);
	T_ASSERT(rc == 1, "no HELLO_ACK: %d", rc);
	c->ack = f.u.hello_ack;
	c->last_seq = f.u.hello_ack.seq;
}

void au_connect_as(struct rc *c, const char *sock, uid_t uid, gid_t gid)
{
	memset(c, 0, sizeof(*c));
	c->next_id = 1;
	c->fd = connect_as(sock, uid, gid);
	T_ASSERT(c->fd >= 0, "connect as uid %u", (unsigned int)uid);
}

void au_session_as(struct rc *c, const char *sock, uid_t uid, gid_t gid,
		   const char *name, uint64_t features)
{
	au_connect_as(c, sock, uid, gid);
	hello(c, name, features);
}

void au_session(struct rc *c, const char *sock, const char *name)
{
	T_ASSERT(rc_connect(c, sock) == 0, "connect");
	hello(c, name, 0);
}

/* Takes the frames of request @id out of the queue rc_wait_reply() filled. */
static void collect(struct rc *c, uint64_t id, struct au_answer *a)
{
	size_t keep = 0;

	for (size_t i = 0; i < c->q_len; i++) {
		const struct cti_wire_frame *f = &c->queue[c->q_head + i];

		if (f->hdr.id != id || cti_wire_type_is_event(f->hdr.type)) {
			c->queue[c->q_head + keep++] = *f;
			continue;
		}
		if (f->hdr.type == CTI_WIRE_ACCOUNT && a->nacct < 64)
			a->acct[a->nacct++] = f->u.account;
		else if (f->hdr.type == CTI_WIRE_SESSION_INFO && a->nsess < 64)
			a->sess[a->nsess++] = f->u.session_info;
		else if (f->hdr.type == CTI_WIRE_ADMIN_NOTE)
			snprintf(a->note, sizeof(a->note), "%s", f->u.admin_note.message);
		else if (f->hdr.type == CTI_WIRE_END)
			a->end_count = f->u.end.count;
	}
	c->q_len = keep;
	if (!keep)
		c->q_head = 0;
}

int au_request(struct rc *c, struct cti_wire_frame *f, struct au_answer *a)
{
	int64_t id;

	memset(a, 0, sizeof(*a));
	a->end_count = UINT32_MAX;
	f->hdr.id = 0;
	id = rc_send(c, f);
	if (id < 0)
		return a->error = (int)id;
	a->error = rc_wait_reply(c, (uint64_t)id, NULL, 10000);
	collect(c, (uint64_t)id, a);
	return a->error;
}

int au_account(struct rc *c, uint16_t type, uint32_t kind, uint32_t flags,
	       const char *name, struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = type };

	f.u.account_req.kind = kind;
	f.u.account_req.flags = flags;
	snprintf(f.u.account_req.name, sizeof(f.u.account_req.name), "%s", name);
	return au_request(c, &f, a);
}

int au_grant(struct rc *c, uint16_t type, uint32_t kind, const char *name,
	     uint32_t right, const char *spec, struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = type };

	f.u.grant.kind = kind;
	f.u.grant.right = right;
	snprintf(f.u.grant.name, sizeof(f.u.grant.name), "%s", name);
	snprintf(f.u.grant.spec, sizeof(f.u.grant.spec), "%s", spec);
	return au_request(c, &f, a);
}

int au_list_accounts(struct rc *c, uint32_t kind, struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_ACCOUNTS };

	f.u.account_list.kind = kind;
	return au_request(c, &f, a);
}

int au_list_sessions(struct rc *c, struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LIST_SESSIONS };

	return au_request(c, &f, a);
}

int au_kick(struct rc *c, uint64_t session, struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_KICK };

	f.u.kick.session = session;
	return au_request(c, &f, a);
}

int au_reload(struct rc *c, struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_SERVER_RELOAD };

	return au_request(c, &f, a);
}

int au_set_password(struct rc *c, const char *user, const char *hash,
		    struct au_answer *a)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_SET_PASSWORD };

	snprintf(f.u.set_password.user, sizeof(f.u.set_password.user), "%s", user);
	snprintf(f.u.set_password.hash, sizeof(f.u.set_password.hash), "%s", hash);
	return au_request(c, &f, a);
}

const struct cti_wire_account *au_find(const struct au_answer *a, uint32_t kind,
				       const char *name)
{
	for (size_t i = 0; i < a->nacct; i++)
		if (a->acct[i].kind == kind && !strcmp(a->acct[i].name, name))
			return &a->acct[i];
	return NULL;
}

int au_file_count(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int n = 0;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle))
			n++;
	fclose(f);
	return n;
}
