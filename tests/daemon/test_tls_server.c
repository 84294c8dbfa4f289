// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tls_server: ctid serving clients over TLS (issue 9, the server side).
 *
 * Each test makes its own PKI in a temporary directory (tls_certs.c: a
 * CA, a server certificate for localhost, 127.0.0.1 and ::1, clients,
 * and the bad ones: expired, from another CA), starts a ctid listening
 * on TCP with it, and talks to it either through libcti's tls:// URIs
 * (tls_session.c) or as a raw TLS client (OpenSSL on a blocking socket,
 * frames from lib/wire.h), so that bad input reaches the server as is.
 * Every failure is checked on the side that can act on it: the errno and
 * words the client gets, and the server's log.
 */
#include <crypt.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "harness.h"
#include "rawclient.h"
#include "tls_certs.h"
#include "tls_raw.h"
#include "tls_session.h"
#include "wire.h"

/*
 * Memory bounds, in KiB. Under ASan (the sanitized pass builds ctid and
 * the suite alike) freed memory sits in the quarantine, so RSS says
 * little: the bounds there only catch growth without limit.
 */
#ifdef __SANITIZE_ADDRESS__
#define RSS_SLACK	16
#else
#define RSS_SLACK	1
#endif

struct srv {
	struct t_ctid d;
	char pki[128];		/* certificates, keys, users file */
	int port;
	char ca_opt[256];	/* "ca=PKI/ca.crt" */
};

static char uri_buf[2048];

/* A port nobody listens on now (the kernel's pick). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	T_ASSERT(fd >= 0, "socket");
	T_ASSERT(!bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind");
	getsockname(fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static bool have_ipv6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	bool ok = fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a));

	if (fd >= 0)
		close(fd);
	return ok;
}

static void cert(struct srv *s, const char *name, const char *cn, const char *san,
		 const char *issuer, long from, long to)
{
	struct tls_cert_spec spec = { name, cn, san, issuer, from, to };

	T_ASSERT(!tls_cert_make(s->pki, &spec), "certificate %s", name);
}

static void write_users(struct srv *s, const char *extra)
{
	char path[256], salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/users", s->pki);
	f = fopen(path, "w");
	T_ASSERT(f, "users file");
	memset(&cd, 0, sizeof(cd));
	T_ASSERT(crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)), "gensalt");
	fprintf(f, "# test users\nbob:%s\ncarol:*\n%s", crypt_r("bob-secret", salt, &cd),
		extra ? extra : "");
	fclose(f);
	chmod(path, 0600);
}

/* The PKI every test uses. */
static void make_pki(struct srv *s)
{
	snprintf(s->pki, sizeof(s->pki), "/tmp/cti-tls.XXXXXX");
	T_ASSERT(mkdtemp(s->pki), "mkdtemp");
	snprintf(s->ca_opt, sizeof(s->ca_opt), "ca=%s/ca.crt", s->pki);
	cert(s, "ca", "cti test CA", NULL, NULL, -1, 30);
	cert(s, "srv", "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", "ca", -1, 30);
	cert(s, "alice", "alice", "email:alice@example.com", "ca", -1, 30);
	cert(s, "nameless", "not a user!", NULL, "ca", -1, 30);
	cert(s, "alice_old", "alice", NULL, "ca", -10, -1);
	cert(s, "srv_old", "localhost", "DNS:localhost,IP:127.0.0.1", "ca", -10, -1);
	cert(s, "evil", "evil CA", NULL, NULL, -1, 30);
	cert(s, "mallory", "alice", NULL, "evil", -1, 30);
	write_users(s, NULL);
}

/* ctid with the TLS keys, @keys added to [server]; users alice and bob. */
/* As start(), with @acls instead of the usual [user] sections. */
static void start_acls(struct srv *s, const char *keys, const char *srv_stem,
		       const char *acls)
{
	char server[2048];
	int n;

	s->port = free_port();
	n = snprintf(server, sizeof(server),
		     "tls_listen = 127.0.0.1:%d\n"
		     "tls_cert = %s/%s.crt\ntls_key = %s/%s.key\ntls_ca = %s/ca.crt\n"
		     "users_file = %s/users\n%s",
		     s->port, s->pki, srv_stem, s->pki, srv_stem, s->pki, s->pki, keys ? keys : "");
	if (have_ipv6())
		snprintf(server + n, sizeof(server) - (size_t)n, "tls_listen = [::1]:%d\n", s->port);
	T_ASSERT(!t_ctid_start(&s->d, t_conf(4, server, NULL, acls)), "ctid starts");
}

static void start(struct srv *s, const char *keys, const char *srv_stem)
{
	start_acls(s, keys, srv_stem,
		   "[user alice]\nlines = 1-2\nadmin = yes\n\n"
		   "[user bob]\nlines = 3\n\n[user carol]\nlines = 4\n");
}

static void stop(struct srv *s)
{
	char cmd[256];

	if (t_failed())
		t_ctid_dump_log(&s->d);
	T_EXPECT_EQ(t_ctid_stop(&s->d), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->pki);
	T_EXPECT(!system(cmd), "rm pki");
}

static const char *uri(struct srv *s, const char *host, const char *opts)
{
	snprintf(uri_buf, sizeof(uri_buf), "tls://%s:%d?%s%s%s", host, s->port, s->ca_opt,
		 opts ? "&" : "", opts ? opts : "");
	return uri_buf;
}

static const char *client(struct srv *s, const char *stem)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "cert=%s/%s.crt&key=%s/%s.key", s->pki, stem, s->pki, stem);
	return buf;
}

/* Opens, lists the line ids into @ids; the errno, the detail kept. */
static int try_open(const char *u, uint32_t *ids, size_t *nids, char *detail)
{
	struct cti_session *cs;
	int err = ts_open(u, &cs, detail, 320);

	if (err)
		return err;
	*nids = ts_line_ids(cs, ids, 16);
	ts_close(cs);
	return 0;
}

/* ---- the tests ---- */

/*
 * A fresh PKI and ctid (with @keys), and a session at @host with the
 * client certificate @stem, or else @opts; the lines it sees.
 */
static size_t start_and_open(struct srv *s, const char *keys, const char *host,
			     const char *stem, const char *opts, uint32_t *ids)
{
	char detail[320];
	size_t n = 0;

	make_pki(s);
	start(s, keys, "srv");
	T_ASSERT_EQ(try_open(uri(s, host, stem ? client(s, stem) : opts), ids, &n, detail), 0);
	return n;
}

/*
 * A remote user has no system groups: the [group] sections whose members
 * name it give it their rights, beside its own [user] section; a group
 * that names others gives it nothing.
 */
static void remote_user_group_rights(void)
{
	struct srv s;
	uint32_t ids[16];
	size_t n = 0;
	char detail[320];

	make_pki(&s);
	start_acls(&s, NULL, "srv",
		   "[user bob]\nlines = 3\n\n[user carol]\nlines = 4\n\n"
		   "[group agents]\nlines = 4\nmembers = dave, bob\n\n"
		   "[group others]\nlines = 1\nadmin = yes\nmembers = carol\n");
	setenv("CTI_TLS_PASSWORD", "bob-secret", 1);
	T_ASSERT_EQ(try_open(uri(&s, "127.0.0.1", "user=bob"), ids, &n, detail), 0);
	T_EXPECT(n == 2 && ids[0] == 3 && ids[1] == 4, "bob sees line 3 and his group's 4 (%zu lines)",
		 n);
	unsetenv("CTI_TLS_PASSWORD");
	/* alice is in no group and has no [user] section: no lines at all */
	n = 0;
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice")), ids, &n, detail), 0);
	T_EXPECT_EQ(n, 0);
	stop(&s);
}

/* A client certificate names alice: she sees her lines only. */
static void cert_login_sees_own_lines(void)
{
	struct srv s;
	uint32_t ids[16];
	size_t n;
	char detail[320];

	n = start_and_open(&s, NULL, "localhost", "alice", NULL, ids);
	T_EXPECT_EQ(n, 2);
	T_EXPECT(n == 2 && ids[0] == 1 && ids[1] == 2, "alice sees lines 1-2");
	T_EXPECT_EQ(t_ctid_log_wait(&s.d, "user alice logged in by certificate", 1, 2000), 1);
	/* the same over IPv6, when the machine has it */
	if (have_ipv6()) {
		T_EXPECT_EQ(try_open(uri(&s, "[::1]", client(&s, "alice")), ids, &n, detail), 0);
		T_EXPECT_EQ(n, 2);
	}
	stop(&s);
}

/* A password names bob: he sees line 3 only; carol (no password) cannot. */
static void password_login_sees_own_lines(void)
{
	struct srv s;
	uint32_t ids[16];
	size_t n;
	char detail[320];

	setenv("CTI_TLS_PASSWORD", "bob-secret", 1);
	n = start_and_open(&s, NULL, "127.0.0.1", NULL, "user=bob", ids);
	T_EXPECT(n == 1 && ids[0] == 3, "bob sees line 3 only (%zu lines)", n);
	setenv("CTI_TLS_PASSWORD", "", 1);
	T_EXPECT_EQ(try_open(uri(&s, "127.0.0.1", "user=carol"), ids, &n, detail), -EACCES);
	unsetenv("CTI_TLS_PASSWORD");
	stop(&s);
}

/* Wrong password and unknown user: one answer, no hint which it was. */
static void wrong_password_and_unknown_user_look_alike(void)
{
	struct srv s;
	struct raw r;
	uint32_t ids[16];
	size_t n = 0;
	char d1[320], d2[320];

	make_pki(&s);
	start(&s, NULL, "srv");
	T_ASSERT(!raw_open(s.port, s.pki, NULL, &r), "TLS");
	T_EXPECT_EQ(raw_login(&r, "bob", "wrong", 1), -EACCES);
	T_EXPECT_EQ(raw_login(&r, "nosuchuser", "wrong", 2), -EACCES);
	/* the same connection may try again, within the limits */
	T_EXPECT_EQ(raw_login(&r, "bob", "bob-secret", 3), 0);
	raw_close(&r);
	setenv("CTI_TLS_PASSWORD", "wrong", 1);
	T_EXPECT_EQ(try_open(uri(&s, "localhost", "user=bob"), ids, &n, d1), -EACCES);
	T_EXPECT_EQ(try_open(uri(&s, "localhost", "user=nosuchuser"), ids, &n, d2), -EACCES);
	unsetenv("CTI_TLS_PASSWORD");
	T_EXPECT(strstr(d1, "wrong user name or password") && strstr(d2, "wrong user name or password"),
		 "details: '%s' / '%s'", d1, d2);
	stop(&s);
}

/* Failures past login_failures: EAGAIN, even with the right password. */
static void failed_logins_are_rate_limited(void)
{
	struct srv s;
	struct raw r;

	make_pki(&s);
	start(&s, "login_failures = 3\nlogin_window = 60\n", "srv");
	T_ASSERT(!raw_open(s.port, s.pki, NULL, &r), "TLS");
	for (int i = 0; i < 3; i++)
		T_EXPECT_EQ(raw_login(&r, "bob", "guess", (uint64_t)i + 1), -EACCES);
	T_EXPECT_EQ(raw_login(&r, "bob", "bob-secret", 10), -EAGAIN);
	/* the address is limited too: another name from here waits as well */
	T_EXPECT_EQ(raw_login(&r, "carol", "x", 11), -EAGAIN);
	raw_close(&r);
	/* a certificate is not a guess: alice still gets in from here */
	T_ASSERT(!raw_open(s.port, s.pki, "alice", &r), "TLS alice");
	{
		struct cti_wire_frame f;

		T_EXPECT_EQ(raw_hello(&r, &f), 0);
		T_EXPECT_EQ(f.hdr.type, CTI_WIRE_HELLO_ACK);
	}
	raw_close(&r);
	T_EXPECT(t_ctid_log_count(&s.d, "too many failures") >= 1, "logged");
	stop(&s);
}

/* The server's certificate: expired, from another CA, for another name. */
static void bad_server_certificates(void)
{
	struct srv s;
	uint32_t ids[16];
	size_t n = 0;
	char detail[320], opt[1024];

	make_pki(&s);
	start(&s, NULL, "srv_old");
	T_EXPECT(t_ctid_log_count(&s.d, "has expired") >= 1, "the server says its certificate expired");
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice")), ids, &n, detail), -EKEYEXPIRED);
	T_EXPECT(strstr(detail, "expired"), "detail: %s", detail);
	stop(&s);

	make_pki(&s);
	start(&s, NULL, "srv");
	/* a CA that did not sign the server */
	snprintf(opt, sizeof(opt), "tls://localhost:%d?ca=%s/evil.crt&%s", s.port, s.pki,
		 client(&s, "alice"));
	T_EXPECT_EQ(try_open(opt, ids, &n, detail), -EKEYREJECTED);
	T_EXPECT(strstr(detail, "certificate"), "detail: %s", detail);
	/* the right CA, the wrong name */
	snprintf(opt, sizeof(opt), "servername=ctid.example.org&%s", client(&s, "alice"));
	T_EXPECT_EQ(try_open(uri(&s, "localhost", opt), ids, &n, detail), -EKEYREJECTED);
	T_EXPECT(strstr(detail, "hostname mismatch"), "detail: %s", detail);
	stop(&s);
}

/* The client's certificate: expired, from another CA, none where required. */
static void bad_client_certificates(void)
{
	struct srv s;
	uint32_t ids[16];
	size_t n = 0;
	char detail[320];

	make_pki(&s);
	start(&s, "tls_client_cert = require\n", "srv");
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice_old")), ids, &n, detail), -EACCES);
	T_EXPECT(strstr(detail, "expired"), "detail: %s", detail);
	T_EXPECT(t_ctid_log_wait(&s.d, "certificate has expired", 1, 2000) >= 1, "server log");
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "mallory")), ids, &n, detail), -EACCES);
	T_EXPECT(strstr(detail, "unknown ca"), "detail: %s", detail);
	T_EXPECT_EQ(try_open(uri(&s, "localhost", NULL), ids, &n, detail), -EACCES);
	T_EXPECT(strstr(detail, "certificate required"), "detail: %s", detail);
	/* a valid certificate that names no user of ours */
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "nameless")), ids, &n, detail), -EACCES);
	T_EXPECT(strstr(detail, "names no user"), "detail: %s", detail);
	/* and the right one still works */
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice")), ids, &n, detail), 0);
	stop(&s);
}

/* The SAN rule and the fingerprint rule name users too. */
static void san_and_fingerprint_rules(void)
{
	struct srv s;
	uint32_t ids[16];
	size_t n = 0;
	char detail[320], fp[200], cmd[1024];
	FILE *p;

	n = start_and_open(&s, "tls_cert_user = san\n", "localhost", "alice", NULL, ids);
	T_EXPECT_EQ(n, 2);
	stop(&s);

	make_pki(&s);
	snprintf(cmd, sizeof(cmd), "openssl x509 -noout -fingerprint -sha256 -in %s/alice.crt", s.pki);
	p = popen(cmd, "r");
	T_ASSERT(p && fgets(fp, sizeof(fp), p), "openssl fingerprint");
	pclose(p);
	fp[strcspn(fp, "\n")] = '\0';
	/* alice's certificate is dave's by its fingerprint */
	snprintf(cmd, sizeof(cmd), "dave:*:%s\n", strchr(fp, '=') + 1);
	write_users(&s, cmd);
	start(&s, "tls_cert_user = fingerprint\n", "srv");
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice")), ids, &n, detail), 0);
	T_EXPECT_EQ(n, 0);	/* dave has no [user] section: no lines */
	T_EXPECT_EQ(t_ctid_log_wait(&s.d, "user dave logged in by certificate", 1, 2000), 1);
	stop(&s);
}

/* Before login only LOGIN: HELLO is refused with a reason, then close. */
static void nothing_before_login(void)
{
	struct srv s;
	struct raw r;
	struct cti_wire_frame f;

	make_pki(&s);
	start(&s, NULL, "srv");
	T_ASSERT(!raw_open(s.port, s.pki, NULL, &r), "TLS");
	T_ASSERT_EQ(raw_hello(&r, &f), 0);
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_ERROR);
	T_EXPECT_EQ(f.u.error.error, -EACCES);
	T_EXPECT(strstr(f.u.error.message, "log in first"), "%s", f.u.error.message);
	T_EXPECT(raw_closed(&r), "closed after the refusal");
	raw_close(&r);
	/* logged in, a second LOGIN is EALREADY */
	T_ASSERT(!raw_open(s.port, s.pki, NULL, &r), "TLS");
	T_EXPECT_EQ(raw_login(&r, "bob", "bob-secret", 1), 0);
	T_EXPECT_EQ(raw_login(&r, "bob", "bob-secret", 2), -EALREADY);
	T_EXPECT_EQ(raw_hello(&r, &f), 0);
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_HELLO_ACK);
	raw_close(&r);
	stop(&s);
}

/* A login that never finishes: ERROR ETIMEDOUT, then the server closes. */
/*
 * LOGIN on the unix socket, where the peer credentials say who it is: a
 * REPLY EOPNOTSUPP (doc/protocol.md), not a refusal, so a client that
 * tries LOGIN everywhere goes on with HELLO on the same connection.
 */
static void login_over_unix_unsupported(void)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LOGIN };
	struct srv s;
	struct rc c;
	int64_t id;

	make_pki(&s);
	start(&s, NULL, "srv");
	T_ASSERT_EQ(rc_connect(&c, s.d.sock), 0);
	snprintf(f.u.login.user, sizeof(f.u.login.user), "bob");
	f.u.login.password_len = 10;
	memcpy(f.u.login.password, "bob-secret", 10);
	id = rc_send(&c, &f);
	T_ASSERT(id > 0, "LOGIN sent");
	T_EXPECT_EQ(rc_wait_reply(&c, (uint64_t)id, &f, 2000), -EOPNOTSUPP);
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_REPLY);
	T_EXPECT_EQ(rc_hello(&c, "after-login", 0, 0), 0);
	T_EXPECT_EQ(c.ack.uid, (uint32_t)getuid());
	/* and after HELLO too */
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_LOGIN;
	snprintf(f.u.login.user, sizeof(f.u.login.user), "bob");
	id = rc_send(&c, &f);
	T_EXPECT_EQ(rc_wait_reply(&c, (uint64_t)id, NULL, 2000), -EOPNOTSUPP);
	rc_close(&c);
	stop(&s);
}

static void login_timeout(void)
{
	struct srv s;
	struct raw r;
	struct cti_wire_frame f;
	int64_t t0;
	int fd;

	make_pki(&s);
	start(&s, "login_timeout = 1\n", "srv");
	T_ASSERT(!raw_open(s.port, s.pki, NULL, &r), "TLS");
	t0 = t_now_ms();
	T_ASSERT_EQ(raw_recv(&r, &f), 0);
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_ERROR);
	T_EXPECT_EQ(f.u.error.error, -ETIMEDOUT);
	T_EXPECT(t_now_ms() - t0 < 3500, "within the timeout and a tick");
	T_EXPECT(raw_closed(&r), "closed");
	raw_close(&r);
	/* a TCP connection that never even starts TLS goes the same way */
	fd = raw_tcp(s.port);
	{
		char b;

		T_EXPECT_EQ(read(fd, &b, 1), 0);
	}
	close(fd);
	T_EXPECT(t_ctid_log_count(&s.d, "no login within 1 s") >= 1, "logged");
	stop(&s);
}

/* Garbage before the handshake and after it: the connection goes, ctid stays. */
static void tls_garbage(void)
{
	static const char junk[] = "GET / HTTP/1.0\r\n\r\n\x16\x03\x01\xff\xff garbage";
	/* a handshake record whose ClientHello is junk */
	static const unsigned char bad_record[] = { 0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0x00, 0x00,
						    0x04, 0xde, 0xad, 0xbe, 0xef };
	ssize_t got;
	struct srv s;
	struct raw r;
	uint32_t ids[16];
	size_t n = 0;
	char detail[320], b[64];
	int fd;

	make_pki(&s);
	start(&s, NULL, "srv");
	/* not TLS at all: closed (OpenSSL sends no alert to plain HTTP) */
	fd = raw_tcp(s.port);
	T_ASSERT(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk), "write");
	got = read(fd, b, sizeof(b));
	T_EXPECT(got == 0 || (got > 0 && b[0] == 21), "an alert or the end: %zd", got);
	if (got > 0)
		T_EXPECT_EQ(read(fd, b, sizeof(b)), 0);
	close(fd);
	/* a TLS record header with nonsense in it: an alert (type 21), the end */
	fd = raw_tcp(s.port);
	T_ASSERT(write(fd, bad_record, sizeof(bad_record)) == (ssize_t)sizeof(bad_record), "write");
	T_EXPECT(read(fd, b, sizeof(b)) > 0 && b[0] == 21, "a TLS alert first");
	T_EXPECT_EQ(read(fd, b, sizeof(b)), 0);
	close(fd);
	/* after the handshake, bytes that are not TLS records */
	T_ASSERT(!raw_open(s.port, s.pki, "alice", &r), "TLS");
	T_ASSERT(write(r.fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk), "write");
	T_EXPECT(raw_closed(&r), "closed");
	raw_close(&r);
	T_EXPECT(t_ctid_alive(&s.d), "ctid lives");
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice")), ids, &n, detail), 0);
	stop(&s);
}

/* A 1 GB frame length inside TLS: ERROR EMSGSIZE, close, no allocation. */
static void gigabyte_frame_length(void)
{
	struct srv s;
	struct raw r;
	struct cti_wire_frame f;
	uint8_t hdr[CTI_WIRE_HDR_SIZE] = { 0 };
	uint32_t len = 1u << 30;
	long rss0, rss1;

	make_pki(&s);
	start(&s, NULL, "srv");
	T_ASSERT(!raw_open(s.port, s.pki, "alice", &r), "TLS");
	T_ASSERT_EQ(raw_hello(&r, &f), 0);
	T_ASSERT_EQ(f.hdr.type, CTI_WIRE_HELLO_ACK);
	/* after OpenSSL's first handshake, which loads its tables */
	rss0 = t_ctid_rss_kb(&s.d);
	memcpy(hdr, &len, 4);
	hdr[4] = CTI_WIRE_PING;
	T_ASSERT(SSL_write(r.ssl, hdr, sizeof(hdr)) == (int)sizeof(hdr), "write");
	T_ASSERT_EQ(raw_recv(&r, &f), 0);
	T_EXPECT_EQ(f.hdr.type, CTI_WIRE_ERROR);
	T_EXPECT_EQ(f.u.error.error, -EMSGSIZE);
	T_EXPECT(raw_closed(&r), "closed");
	raw_close(&r);
	rss1 = t_ctid_rss_kb(&s.d);
	T_EXPECT(rss1 - rss0 < 4096 * RSS_SLACK, "RSS %ld -> %ld KiB", rss0, rss1);
	stop(&s);
}

/*
 * 2,000 TLS connections that never log in: ctid keeps at most
 * max_unauthenticated of them (the oldest go), stays up, bounded, and
 * serves a real client meanwhile.
 */
static void unauthenticated_flood(void)
{
	enum { FLOOD = 2000 };
	static int fds[FLOOD];
	struct srv s;
	uint32_t ids[16];
	size_t n = 0;
	char detail[320];
	long rss0, rss1;
	SSL_CTX *cx;
	int opened = 0;

	t_raise_nofile(FLOOD + 256);
	make_pki(&s);
	start(&s, "max_unauthenticated = 128\nlogin_timeout = 60\n", "srv");
	rss0 = t_ctid_rss_kb(&s.d);
	cx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_verify(cx, SSL_VERIFY_NONE, NULL);
	for (int i = 0; i < FLOOD; i++) {
		SSL *ssl;

		fds[i] = raw_tcp(s.port);
		ssl = SSL_new(cx);
		SSL_set_fd(ssl, fds[i]);
		opened += SSL_connect(ssl) == 1;
		SSL_free(ssl);		/* the socket stays, silent */
		ERR_clear_error();
	}
	T_EXPECT(opened > FLOOD * 9 / 10, "%d handshakes of %d", opened, FLOOD);
	rss1 = t_ctid_rss_kb(&s.d);
	t_note("ctid RSS %ld KiB before, %ld KiB with %d silent TLS connections", rss0, rss1, FLOOD);
	T_EXPECT(rss1 - rss0 < 32 * 1024 * RSS_SLACK, "bounded: +%ld KiB", rss1 - rss0);
	T_EXPECT(t_ctid_alive(&s.d), "ctid lives");
	T_EXPECT_EQ(try_open(uri(&s, "localhost", client(&s, "alice")), ids, &n, detail), 0);
	T_EXPECT_EQ(n, 2);
	T_EXPECT(t_ctid_log_count(&s.d, "have not logged in; closing the oldest") >= 1, "evictions logged");
	for (int i = 0; i < FLOOD; i++)
		close(fds[i]);
	SSL_CTX_free(cx);
	stop(&s);
}

static void copy_file(const char *dir, const char *from, const char *to)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "cp %s/%s.crt %s/%s.crt.new && cp %s/%s.key %s/%s.key.new && "
		 "mv %s/%s.crt.new %s/%s.crt && mv %s/%s.key.new %s/%s.key",
		 dir, from, dir, to, dir, from, dir, to, dir, to, dir, to, dir, to, dir, to);
	T_ASSERT(!system(cmd), "%s", cmd);
}

/* The serial number of the certificate the server presents now. */
static long served_serial(struct srv *s)
{
	struct raw r;
	X509 *x;
	long serial;

	T_ASSERT(!raw_open(s->port, s->pki, "alice", &r), "TLS");
	x = SSL_get1_peer_certificate(r.ssl);
	T_ASSERT(x, "a certificate");
	serial = ASN1_INTEGER_get(X509_get_serialNumber(x));
	X509_free(x);
	raw_close(&r);
	return serial;
}

/* New certificates on SIGHUP and SERVER_RELOAD; sessions stay up. */
static void reload_keeps_connections(void)
{
	struct cti_session *cs;
	struct srv s;
	char detail[320];
	long first, second;
	FILE *f;
	char path[256];

	make_pki(&s);
	copy_file(s.pki, "srv", "live");
	start(&s, NULL, "live");
	T_ASSERT_EQ(ts_open(uri(&s, "localhost", client(&s, "alice")), &cs, detail, sizeof(detail)), 0);
	first = served_serial(&s);
	cert(&s, "srv2", "localhost", "DNS:localhost,IP:127.0.0.1", "ca", -1, 30);
	copy_file(s.pki, "srv2", "live");
	kill(s.d.pid, SIGHUP);
	T_ASSERT_EQ(t_ctid_log_wait(&s.d, "TLS: certificate, key, CA and users reloaded", 1, 3000), 1);
	second = served_serial(&s);
	T_EXPECT(first != second, "the new certificate is served (%ld -> %ld)", first, second);
	T_EXPECT_EQ(ts_ping(cs), 0);	/* the established session lives */
	/* a broken certificate: the reload fails, the old one stays */
	snprintf(path, sizeof(path), "%s/live.crt", s.pki);
	f = fopen(path, "w");
	T_ASSERT(f, "open");
	fputs("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", f);
	fclose(f);
	T_EXPECT(ts_reload(cs) != 0, "SERVER_RELOAD reports the failure");
	T_EXPECT(t_ctid_log_count(&s.d, "TLS: certificate") >= 1, "the server says which file");
	T_EXPECT_EQ(served_serial(&s), second);
	T_EXPECT_EQ(ts_ping(cs), 0);
	/* and a good one again, by the request */
	copy_file(s.pki, "srv", "live");
	T_EXPECT_EQ(ts_reload(cs), 0);
	T_EXPECT_EQ(served_serial(&s), first);
	T_EXPECT_EQ(ts_ping(cs), 0);
	ts_close(cs);
	stop(&s);
}

/* Configuration mistakes are named, with their line. */
static void config_errors(void)
{
	static const struct {
		const char *keys, *want;
	} bad[] = {
		{ "tls_listen = 127.0.0.1\n", "tls_listen: want HOST:PORT" },
		{ "tls_listen = 127.0.0.1:0\n", "tls_listen: want HOST:PORT" },
		{ "tls_listen = ::1:4443\n", "tls_listen: want HOST:PORT" },
		{ "tls_listen = *:4443\n", "needs tls_cert and tls_key" },
		{ "tls_cert = relative.pem\n", "tls_cert: want an absolute path" },
		{ "tls_client_cert = maybe\n", "tls_client_cert: want none, optional or require" },
		{ "tls_cert_user = email\n", "tls_cert_user: want cn, san or fingerprint" },
		{ "login_timeout = 0\n", "login_timeout: want seconds from 1 to 600" },
		{ "tls_key = /k.pem\n", "no tls_listen" },
		{ "tls_listen = *:4443\ntls_cert = /c\ntls_key = /k\n", "needs tls_ca" },
		{ "tls_listen = *:4443\ntls_cert = /c\ntls_key = /k\ntls_client_cert = require\n", "needs tls_ca" },
		{ "tls_listen = *:4443\ntls_cert = /c\ntls_key = /k\ntls_client_cert = none\n", "needs users_file" },
		{ "tls_listen = *:4443\ntls_cert = /c\ntls_key = /k\ntls_ca = /a\ntls_cert_user = fingerprint\n",
		  "looks fingerprints up in users_file" },
	};
	char dir[] = "/tmp/cti-tlsconf.XXXXXX", path[256], cmd[512], out[1024];

	T_ASSERT(mkdtemp(dir), "mkdtemp");
	snprintf(path, sizeof(path), "%s/ctid.conf", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(path, "w"), *p;
		size_t n = 0;

		T_ASSERT(f, "conf");
		fprintf(f, "[server]\nsocket = %s/s\n%s", dir, bad[i].keys);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "%s --check-config -c %s 2>&1", t_ctid_path(), path);
		p = popen(cmd, "r");
		n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
		T_EXPECT(pclose(p) != 0, "refused: %s", bad[i].keys);
		T_EXPECT(strstr(out, bad[i].want) && strstr(out, "ctid.conf:"),
			 "for %s want '%s', got: %s", bad[i].keys, bad[i].want, out);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_EXPECT(!system(cmd), "rm");
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(cert_login_sees_own_lines),
		T_CASE(password_login_sees_own_lines),
		T_CASE(wrong_password_and_unknown_user_look_alike),
		T_CASE(failed_logins_are_rate_limited),
		T_CASE(bad_server_certificates),
		T_CASE(bad_client_certificates),
		T_CASE(san_and_fingerprint_rules),
		T_CASE(nothing_before_login),
		T_CASE(login_timeout),
		T_CASE(login_over_unix_unsupported),
		T_CASE(remote_user_group_rights),
		T_CASE(tls_garbage),
		T_CASE(gigabyte_frame_length),
		T_CASE_TIMEOUT(unauthenticated_flood, 180),
		T_CASE(reload_keeps_connections),
		T_CASE(config_errors),
	};

	return t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
}
