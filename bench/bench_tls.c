// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bench_tls: what a TLS client costs ctid (issue 9).
 *
 * (a) Memory per idle authenticated TLS client: 1,000 clients connect over
 *     TLS 1.3 with a client certificate, say HELLO and wait; VmRSS of ctid
 *     after minus before, divided by 1,000 (goal: under 64 KiB).
 * (b) Handshakes per second: one client makes full TLS 1.3 handshakes with
 *     a certificate login and HELLO, one after the other, for 3 s. Client
 *     and server share the machine's CPUs, so this is a lower bound.
 * (c) Password logins per second: LOGIN checked with yescrypt on ctid's
 *     worker thread (slow on purpose: it is the cost of guessing).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <crypt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "harness.h"
#include "daemon/tls_certs.h"
#include "wire.h"

#define CLIENTS		1000

static char pki[64] = "/tmp/cti-bench-tls.XXXXXX";
static int port;

static long settled_rss(struct t_ctid *d)
{
	long prev = -1, rss = t_ctid_rss_kb(d);

	for (int i = 0; i < 50 && rss != prev; i++) {
		t_sleep_ms(100);
		prev = rss;
		rss = t_ctid_rss_kb(d);
	}
	return rss;
}

static int tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	/* as libcti: small frames go out at once, not after a delayed ACK */
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int send_frame(SSL *ssl, const struct cti_wire_frame *f)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	ssize_t n = cti_wire_encode(f, buf, sizeof(buf), NULL);

	return n > 0 && SSL_write(ssl, buf, (int)n) == n ? 0 : -1;
}

/* The next frame's type, or -1. */
static int recv_type(SSL *ssl)
{
	uint8_t buf[CTI_WIRE_FRAME_MAX];
	struct cti_wire_hdr hdr;
	size_t have = 0;

	for (;;) {
		ssize_t n = cti_wire_peek(buf, have, &hdr);
		int r;

		if (n < 0)
			return -1;
		if (n > 0 && (size_t)n <= have)
			return hdr.type;
		r = SSL_read(ssl, buf + have, (int)((n > 0 ? (size_t)n : CTI_WIRE_HDR_SIZE) - have));
		if (r <= 0)
			return -1;
		have += (size_t)r;
	}
}

/* A connection logged in (certificate, or LOGIN) and past HELLO; its fd. */
static int client(SSL_CTX *cx, const char *user, const char *pw)
{
	struct cti_wire_frame f = { .hdr.type = CTI_WIRE_LOGIN, .hdr.id = 1 };
	int fd = tcp(), ok = 0;
	SSL *ssl;

	if (fd < 0)
		return -1;
	ssl = SSL_new(cx);
	SSL_set_fd(ssl, fd);
	ok = SSL_connect(ssl) == 1;
	if (ok && user) {
		strcpy(f.u.login.user, user);
		f.u.login.password_len = (uint32_t)strlen(pw);
		memcpy(f.u.login.password, pw, strlen(pw));
		ok = !send_frame(ssl, &f) && recv_type(ssl) == CTI_WIRE_REPLY;
	}
	memset(&f, 0, sizeof(f));
	f.hdr.type = CTI_WIRE_HELLO;
	f.u.hello.version = CTI_WIRE_VERSION;
	strcpy(f.u.hello.client_name, "bench");
	ok = ok && !send_frame(ssl, &f) && recv_type(ssl) == CTI_WIRE_HELLO_ACK;
	SSL_free(ssl);		/* the socket stays open: an idle client */
	ERR_clear_error();
	if (!ok) {
		close(fd);
		return -1;
	}
	return fd;
}

static SSL_CTX *client_ctx(bool cert)
{
	SSL_CTX *cx = SSL_CTX_new(TLS_client_method());
	char path[128], key[128];

	snprintf(path, sizeof(path), "%s/ca.crt", pki);
	SSL_CTX_load_verify_locations(cx, path, NULL);
	SSL_CTX_set_verify(cx, SSL_VERIFY_PEER, NULL);
	if (cert) {
		snprintf(path, sizeof(path), "%s/alice.crt", pki);
		snprintf(key, sizeof(key), "%s/alice.key", pki);
		SSL_CTX_use_certificate_file(cx, path, SSL_FILETYPE_PEM);
		SSL_CTX_use_PrivateKey_file(cx, key, SSL_FILETYPE_PEM);
	}
	return cx;
}

static int make_pki(void)
{
	static const struct tls_cert_spec specs[] = {
		{ "ca", "bench CA", NULL, NULL, -1, 30 },
		{ "srv", "localhost", "DNS:localhost,IP:127.0.0.1", "ca", -1, 30 },
		{ "alice", "alice", NULL, "ca", -1, 30 },
	};
	char path[128], salt[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data cd = { 0 };
	FILE *f;

	if (!mkdtemp(pki))
		return -1;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (tls_cert_make(pki, &specs[i]))
			return -1;
	snprintf(path, sizeof(path), "%s/users", pki);
	f = fopen(path, "w");
	if (!f || !crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)))
		return -1;
	fprintf(f, "bob:%s\n", crypt_r("bob-secret", salt, &cd));
	fclose(f);
	chmod(path, 0600);
	return 0;
}

static double rate(SSL_CTX *cx, const char *user, const char *pw, int64_t ms, int *n)
{
	int64_t t0 = t_now_ms();

	*n = 0;
	while (t_now_ms() - t0 < ms) {
		int fd = client(cx, user, pw);

		if (fd < 0)
			break;
		close(fd);
		(*n)++;
	}
	return *n * 1000.0 / (double)(t_now_ms() - t0);
}

int main(void)
{
	static int fds[CLIENTS];
	char keys[1024], cmd[128];
	struct t_ctid d;
	long rss0, rss1;
	SSL_CTX *cert_cx, *pw_cx;
	int n = 0, hs;
	double r;

	t_raise_nofile(CLIENTS + 256);
	t_ctid_verbose = false;
	if (make_pki())
		return 1;
	port = 20000 + getpid() % 20000;
	snprintf(keys, sizeof(keys),
		 "log_level = warn\ntls_listen = 127.0.0.1:%d\ntls_cert = %s/srv.crt\n"
		 "tls_key = %s/srv.key\ntls_ca = %s/ca.crt\nusers_file = %s/users\n"
		 "login_failures = 1000\n", port, pki, pki, pki, pki);
	if (t_ctid_start(&d, t_conf(8, keys, NULL, "[user alice]\nlines = *\n[user bob]\nlines = *\n")))
		return 1;
	cert_cx = client_ctx(true);
	pw_cx = client_ctx(false);
	rss0 = settled_rss(&d);
	for (int i = 0; i < CLIENTS; i++) {
		fds[i] = client(cert_cx, NULL, NULL);
		if (fds[i] < 0)
			break;
		n++;
	}
	rss1 = settled_rss(&d);
	printf("\n(4) TLS clients of ctid (TLS 1.3, P-256 certificates, loopback)\n");
	printf("%-52s %12s %8s\n", "", "figure", "goal");
	if (n)
		printf("%-52s %10.1f KiB %8s\n", "VmRSS per idle authenticated TLS client (1,000)",
		       (double)(rss1 - rss0) / n, "< 64 KiB");
	if (n != CLIENTS)
		printf("# only %d of %d clients connected\n", n, CLIENTS);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	t_sleep_ms(500);
	r = rate(cert_cx, NULL, NULL, 3000, &hs);
	printf("%-52s %10.0f /s\n", "handshakes + certificate login + HELLO, one client", r);
	r = rate(pw_cx, "bob", "bob-secret", 3000, &hs);
	printf("%-52s %10.1f /s %8s\n", "handshakes + password login (yescrypt) + HELLO", r, "(slow)");
	SSL_CTX_free(cert_cx);
	SSL_CTX_free(pw_cx);
	t_ctid_stop(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pki);
	return system(cmd) ? 1 : 0;
}
