// SPDX-License-Identifier: GPL-2.0
/*
 * audit: the audit log (audit.h). The file is opened for each line
 * (administration is rare) with O_APPEND, and each line is one write(2)
 * followed by fdatasync, so concurrent readers never see half a line and
 * a crash loses none that was answered.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "ctid.h"
#include "log.h"

static int audit_open(struct ctid *ctx)
{
	return open(ctx->cfg->audit_path,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
}

int audit_check(struct ctid *ctx, char *why, size_t n)
{
	int fd = audit_open(ctx);
	int e = errno;

	if (fd < 0) {
		snprintf(why, n, "cannot open the audit log %s: %s",
			 ctx->cfg->audit_path, strerror(e));
		log_err(&ctx->log, "%s", why);
		return -e;
	}
	close(fd);
	return 0;
}

/* "user alice (uid 1000) pid 4242" or "user bob (uid 4026531840) tls [::1]:5000". */
static void who(const struct conn *c, char *buf, size_t n)
{
	const struct session *s = c->s;
	const char *name = s && s->pr.name[0] ? s->pr.name : "?";

	if (c->tls)
		snprintf(buf, n, "user %s (uid %u) tls %s session %016llx", name,
			 (unsigned int)c->uid, c->peer,
			 s ? (unsigned long long)s->id : 0ull);
	else
		snprintf(buf, n, "user %s (uid %u) pid %d session %016llx", name,
			 (unsigned int)c->uid, (int)c->pid,
			 s ? (unsigned long long)s->id : 0ull);
}

int audit_write(struct ctid *ctx, const struct conn *c, const char *what,
		int result, const char *detail)
{
	char line[1024], whom[160], stamp[32];
	struct timespec ts;
	struct tm tm;
	int fd, len, e = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	who(c, whom, sizeof(whom));
	if (!result)
		len = snprintf(line, sizeof(line), "%s %s: %s: ok\n", stamp, whom, what);
	else
		len = snprintf(line, sizeof(line), "%s %s: %s: refused (%s)%s%s\n", stamp,
			       whom, what, strerrorname_np(-result) ?: "?",
			       detail && detail[0] ? ": " : "", detail ? detail : "");
	if (len >= (int)sizeof(line)) {
		len = (int)sizeof(line) - 1;
		line[len - 1] = '\n';
	}
	/* ctid's log has its own time: the line without the stamp and \n */
	log_info(&ctx->log, "admin: %.*s", len - 2 - (int)strlen(stamp),
		 line + strlen(stamp) + 1);
	errno = 0;
	fd = audit_open(ctx);
	if (fd < 0 || write(fd, line, (size_t)len) != len || fdatasync(fd))
		e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	if (e)
		log_err(&ctx->log, "audit log %s: %s", ctx->cfg->audit_path, strerror(e));
	return -e;
}
