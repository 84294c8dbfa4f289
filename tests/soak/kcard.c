// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kcard.c - the soak's kernel variant (soak -K, `make vmsoak` in the
 * guest): the callers' lines are the lines of a cti_sim card that this
 * program makes through configfs, ctid reaches them through the kcard
 * provider, and the card is unplugged and plugged again every few
 * seconds beside ctid's kills and kcard's reloads. An unplug takes the
 * card's lines away (LINE_REMOVED, requests in flight -ENODEV); the plug
 * brings them back with the same ids, and the clients open them again.
 * The accounting is the same as with the sim provider: no event lost
 * outside a GAP or RESYNC, none twice, every request answered once.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "soak.h"

#define SIM_ROOT	"/sys/kernel/config/cti_sim"
/* How long the card stays away at each unplug. */
#define AWAY_MS		500

static int write_attr(const struct soak_card *c, const char *attr,
		      const char *val)
{
	char path[sizeof(c->dir) + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", c->dir, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

int soak_card_make(struct soak_card *c, unsigned int lines)
{
	char num[16];
	int rc;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "soak%d", (int)getpid());
	snprintf(c->dir, sizeof(c->dir), "%s/%s", SIM_ROOT, c->name);
	if (mkdir(c->dir, 0755) < 0) {
		rc = -errno;
		soak_log("card: mkdir %s: %s (is cti_sim loaded, configfs "
			 "mounted?)", c->dir, strerror(-rc));
		c->dir[0] = '\0';
		return rc;
	}
	snprintf(num, sizeof(num), "%u", lines);
	rc = write_attr(c, "num_lines", num);
	if (!rc)
		rc = soak_card_set_live(c, true);
	if (rc) {
		soak_log("card %s: setting up: %s", c->name, strerror(-rc));
		soak_card_remove(c);
	}
	return rc;
}

int soak_card_set_live(struct soak_card *c, bool live)
{
	int rc = write_attr(c, "live", live ? "1" : "0");

	if (rc) {
		c->fail++;
		soak_log("RULE: card %s: live %d: %s", c->name, live,
			 strerror(-rc));
		return rc;
	}
	c->live = live;
	return 0;
}

void soak_card_remove(struct soak_card *c)
{
	if (c->dir[0] && rmdir(c->dir) < 0)
		soak_log("card %s: rmdir: %s", c->name, strerror(errno));
	c->dir[0] = '\0';
}

/* Unplug the live card, or plug it again once it was away long enough. */
void soak_card_tick(struct soak_card *c, int64_t now, bool unplug_due)
{
	if (c->live && unplug_due) {
		if (!soak_card_set_live(c, false)) {
			c->unplugs++;
			c->back_at = now + AWAY_MS;
		}
	} else if (!c->live && now >= c->back_at) {
		if (!soak_card_set_live(c, true))
			c->plugs++;
	}
}

const char *soak_card_conf(const struct soak_card *c, unsigned int queue_limit)
{
	static char buf[1024];
	struct passwd *pw = getpwuid(getuid());

	/* t_conf()'s server section, with kcard instead of the sim */
	snprintf(buf, sizeof(buf),
		 "[server]\n"
		 "socket = @SOCK@\n"
		 "socket_mode = 0666\n"
		 "provider_dir = @PROVIDERS@\n"
		 "queue_limit = %u\n"
		 "\n"
		 "[provider " SOAK_KCARD_PROVIDER "]\n"
		 "so = kcard\n"
		 "card = %s\n"
		 "\n"
		 "[user %s]\n"
		 "lines = *\n"
		 "admin = yes\n",
		 queue_limit, c->name, pw ? pw->pw_name : "root");
	return buf;
}
