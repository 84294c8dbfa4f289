// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tls_opts.c - a tls:// URI, its options and the password source
 *
 * Passwords never travel on a command line (ps shows them to every user):
 * the URI refuses a password key, and a password file must belong to the
 * user and be closed to everyone else, like ssh's private keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tls.h"
#include "tls_opts.h"

static int copy(char *dst, size_t n, const char *src, size_t len, const char *what)
{
	if (len >= n || memchr(src, '\0', len)) {
		cti_error_detail_set("tls URI: %s too long", what);
		return -EINVAL;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	return 0;
}

static int parse_hostport(const char *s, size_t len, struct cti_tls_opts *o)
{
	const char *colon, *hend, *h = s;

	if (len && s[0] == '[') {
		hend = memchr(s, ']', len);
		if (!hend || hend + 1 >= s + len || hend[1] != ':')
			goto bad;
		h = s + 1;
		colon = hend + 1;
	} else {
		colon = memrchr(s, ':', len);
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			goto bad;
		hend = colon;
	}
	if (hend == h || copy(o->host, sizeof(o->host), h, (size_t)(hend - h), "host"))
		goto bad;
	if (copy(o->port, sizeof(o->port), colon + 1, (size_t)(s + len - colon - 1), "port") ||
	    !o->port[0] || strspn(o->port, "0123456789") != strlen(o->port) ||
	    atoi(o->port) < 1 || atoi(o->port) > 65535)
		goto bad;
	return 0;
bad:
	cti_error_detail_set("tls URI: want tls://HOST:PORT or tls://[IPv6]:PORT");
	return -EINVAL;
}

static int option(struct cti_tls_opts *o, const char *k, size_t klen, const char *v, size_t vlen)
{
	static const struct { const char *name; size_t off, size; } keys[] = {
		{ "ca", offsetof(struct cti_tls_opts, ca), sizeof(((struct cti_tls_opts *)0)->ca) },
		{ "cert", offsetof(struct cti_tls_opts, cert), sizeof(((struct cti_tls_opts *)0)->cert) },
		{ "key", offsetof(struct cti_tls_opts, key), sizeof(((struct cti_tls_opts *)0)->key) },
		{ "user", offsetof(struct cti_tls_opts, user), sizeof(((struct cti_tls_opts *)0)->user) },
		{ "password_file", offsetof(struct cti_tls_opts, password_file),
		  sizeof(((struct cti_tls_opts *)0)->password_file) },
		{ "servername", offsetof(struct cti_tls_opts, servername),
		  sizeof(((struct cti_tls_opts *)0)->servername) },
	};

	if (klen == 8 && !memcmp(k, "password", 8)) {
		cti_error_detail_set("tls URI: a password is never given in a URI; use password_file or $CTI_TLS_PASSWORD");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == klen && !memcmp(keys[i].name, k, klen))
			return copy((char *)o + keys[i].off, keys[i].size, v, vlen, keys[i].name);
	cti_error_detail_set("tls URI: unknown option \"%.*s\" (ca, cert, key, user, password_file, servername)",
			     (int)klen, k);
	return -EINVAL;
}

static int parse_query(struct cti_tls_opts *o, const char *q)
{
	while (*q) {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		int ret;

		if (!eq) {
			cti_error_detail_set("tls URI: want key=value after ?");
			return -EINVAL;
		}
		ret = option(o, q, (size_t)(eq - q), eq + 1, len - (size_t)(eq - q) - 1);
		if (ret)
			return ret;
		q += len + (amp ? 1 : 0);
	}
	return 0;
}

static void env_default(char *dst, size_t n, const char *var)
{
	const char *v = getenv(var);

	if (!dst[0] && v && strlen(v) < n)
		strcpy(dst, v);
}

static int read_password_file(struct cti_tls_opts *o)
{
	int fd = open(o->password_file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	ssize_t n;

	if (fd < 0) {
		cti_error_detail_set("password file %s: %s", o->password_file, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		cti_error_detail_set("password file %s: must be a regular file of yours that nobody else may read or write (chmod 600)",
				     o->password_file);
		close(fd);
		return -EPERM;
	}
	n = read(fd, o->password, sizeof(o->password) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	/* one line: the newline an editor adds is not part of it */
	while (n && (o->password[n - 1] == '\n' || o->password[n - 1] == '\r'))
		n--;
	o->password[n] = '\0';
	o->password_len = (size_t)n;
	return 0;
}

static int password_source(struct cti_tls_opts *o)
{
	const char *env = getenv("CTI_TLS_PASSWORD");

	if (o->password_file[0])
		return read_password_file(o);
	if (env) {
		if (strlen(env) > CTI_WIRE_PASSWORD_MAX) {
			cti_error_detail_set("$CTI_TLS_PASSWORD: longer than %d bytes", CTI_WIRE_PASSWORD_MAX);
			return -EINVAL;
		}
		strcpy(o->password, env);
		o->password_len = strlen(env);
		return 0;
	}
	cti_error_detail_set("user %s needs a password: password_file or $CTI_TLS_PASSWORD", o->user);
	return -EINVAL;
}

int cti_tls_opts_parse(const char *uri, struct cti_tls_opts *o)
{
	const char *hp = uri + 6, *q;
	int ret;

	memset(o, 0, sizeof(*o));
	if (strncmp(uri, "tls://", 6))
		return -EINVAL;
	q = strchr(hp, '?');
	ret = parse_hostport(hp, q ? (size_t)(q - hp) : strlen(hp), o);
	if (!ret && q)
		ret = parse_query(o, q + 1);
	if (ret)
		return ret;
	env_default(o->ca, sizeof(o->ca), "CTI_TLS_CA");
	env_default(o->cert, sizeof(o->cert), "CTI_TLS_CERT");
	env_default(o->key, sizeof(o->key), "CTI_TLS_KEY");
	env_default(o->user, sizeof(o->user), "CTI_TLS_USER");
	env_default(o->password_file, sizeof(o->password_file), "CTI_TLS_PASSWORD_FILE");
	if (!o->servername[0])
		strcpy(o->servername, o->host);
	if (o->cert[0] && !o->key[0])
		strcpy(o->key, o->cert);	/* one PEM file with both */
	if (o->user[0] && cti_wire_check_name(o->user, strlen(o->user))) {
		cti_error_detail_set("tls URI: bad user name");
		return -EINVAL;
	}
	return o->user[0] ? password_source(o) : 0;
}

void cti_tls_opts_wipe(struct cti_tls_opts *o)
{
	explicit_bzero(o->password, sizeof(o->password));
	o->password_len = 0;
}
