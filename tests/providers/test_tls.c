// SPDX-License-Identifier: GPL-2.0
/*
 * test_tls: the TLS client of ctid's provider transports (daemon/host/tls.c)
 * against an OpenSSL server in the same process, both on memory buffers,
 * with certificates that tests/providers/mkcerts.sh makes afresh: a good
 * handshake with data both ways, and each way it must fail (wrong CA,
 * wrong name, expired, no client certificate, garbage, bad options) with
 * the errno that cti_provider.h promises.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "harness.h"
#include "host/tls.h"

static char certs[128];

static const char *cf(const char *name)
{
	static char buf[64][256];
	static int i;

	i = (i + 1) % 64;	/* enough for one test's paths */
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", certs, name);
	return buf[i];
}

struct srv {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio, *wbio;
	char got[256];
	size_t got_len;
};

static void srv_init(struct srv *s, const char *cert, bool want_client_cert)
{
	memset(s, 0, sizeof(*s));
	s->ctx = SSL_CTX_new(TLS_server_method());
	T_ASSERT(s->ctx, "SSL_CTX_new");
	T_ASSERT(SSL_CTX_use_certificate_file(s->ctx, cf(cert), SSL_FILETYPE_PEM) == 1, "cert");
	T_ASSERT(SSL_CTX_use_PrivateKey_file(s->ctx, cf("server.key"), SSL_FILETYPE_PEM) == 1, "key");
	if (want_client_cert) {
		SSL_CTX_load_verify_locations(s->ctx, cf("ca.pem"), NULL);
		SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	s->ssl = SSL_new(s->ctx);
	s->rbio = BIO_new(BIO_s_mem());
	s->wbio = BIO_new(BIO_s_mem());
	SSL_set_bio(s->ssl, s->rbio, s->wbio);
	SSL_set_accept_state(s->ssl);
}

static void srv_free(struct srv *s)
{
	SSL_free(s->ssl);
	SSL_CTX_free(s->ctx);
}

static int got_plain(void *arg, const void *buf, size_t len)
{
	struct srv *s = arg;	/* the client's plaintext lands in s->got too */

	if (s->got_len + len <= sizeof(s->got)) {
		memcpy(s->got + s->got_len, buf, len);
		s->got_len += len;
	}
	return 0;
}

/*
 * Move bytes both ways until nothing moves. Returns the client's last
 * tls_link_input() result that was not 0 (1: handshake done, < 0: failed),
 * or 0. The server's own plaintext is read into @srv_got.
 */
static int pump(struct tls_link *c, struct srv *s, struct srv *client_got,
		char *srv_got, size_t *srv_len)
{
	unsigned char buf[16384];
	int last = 0;

	for (int round = 0; round < 50; round++) {
		size_t n = tls_link_take(c, buf, sizeof(buf));
		int moved = 0, r;

		if (n) {
			BIO_write(s->rbio, buf, (int)n);
			moved = 1;
		}
		r = SSL_read(s->ssl, buf, sizeof(buf));
		if (r > 0 && srv_got) {
			memcpy(srv_got + *srv_len, buf, (size_t)r);
			*srv_len += (size_t)r;
		}
		r = BIO_read(s->wbio, buf, sizeof(buf));
		if (r > 0) {
			int ret = tls_link_input(c, buf, (size_t)r, got_plain, client_got);

			if (ret)
				last = ret;
			if (ret < 0)
				return ret;
			moved = 1;
		}
		if (!moved)
			break;
	}
	return last;
}

static struct cti_transport_tls opts_client(void)
{
	struct cti_transport_tls o = {
		.size = sizeof(o),
		.ca_file = cf("ca.pem"),
		.cert_file = cf("client.pem"),
		.key_file = cf("client.key"),
	};
	return o;
}

/* Handshake of a client with @o reaching @peer, against a server with @cert. */
static int handshake(const struct cti_transport_tls *o, const char *peer,
		     const char *cert, bool want_client_cert)
{
	struct tls_link *c;
	struct srv s, got = { .got_len = 0 };
	char err[200];
	int ret;

	srv_init(&s, cert, want_client_cert);
	ret = tls_link_new(&c, o, peer, err, sizeof(err));
	T_ASSERT(ret == 0, "tls_link_new: %d %s", ret, err);
	T_ASSERT_EQ(tls_link_start(c), 0);
	ret = pump(c, &s, &got, NULL, NULL);
	if (ret == 1) {
		/* TLS 1.3: the server judges our certificate after our Finished */
		T_ASSERT_EQ(tls_link_write(c, "x", 1), 0);
		ret = pump(c, &s, &got, NULL, NULL);
		if (ret == 0)
			ret = 1;
	}
	if (ret < 0)
		t_note("error: %s", tls_link_error(c));
	tls_link_free(c);
	srv_free(&s);
	return ret;
}

static void tls_data_both_ways(void)
{
	struct cti_transport_tls o = opts_client();
	struct tls_link *c;
	struct srv s, got = { .got_len = 0 };
	char err[200], srv_got[64] = "";
	size_t srv_len = 0;

	srv_init(&s, "server.pem", true);
	T_ASSERT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), 0);
	T_EXPECT(!tls_link_ready(c), "not ready before the handshake");
	T_EXPECT_EQ(tls_link_write(c, "early", 5), -ENOTCONN);
	T_ASSERT_EQ(tls_link_start(c), 0);
	T_ASSERT_EQ(pump(c, &s, &got, srv_got, &srv_len), 1);
	T_ASSERT(tls_link_ready(c), "ready");
	T_EXPECT_EQ(SSL_version(s.ssl), TLS1_3_VERSION);
	T_ASSERT_EQ(tls_link_write(c, "hello server", 12), 0);
	pump(c, &s, &got, srv_got, &srv_len);
	T_EXPECT(srv_len == 12 && !memcmp(srv_got, "hello server", 12), "server got %zu", srv_len);
	T_ASSERT_EQ(SSL_write(s.ssl, "hello desktop", 13), 13);
	pump(c, &s, &got, srv_got, &srv_len);
	T_EXPECT(got.got_len == 13 && !memcmp(got.got, "hello desktop", 13),
		 "client got %zu", got.got_len);
	/* a clean close from the server is -ESHUTDOWN (the transport says 0) */
	SSL_shutdown(s.ssl);
	T_EXPECT_EQ(pump(c, &s, &got, NULL, NULL), -ESHUTDOWN);
	tls_link_free(c);
	srv_free(&s);
}

static void tls_by_ip_address(void)
{
	struct cti_transport_tls o = opts_client();

	T_EXPECT_EQ(handshake(&o, "127.0.0.1", "server.pem", true), 1);
	T_EXPECT_EQ(handshake(&o, "127.0.0.2", "server.pem", true), -EKEYREJECTED);
}

static void tls_wrong_ca(void)
{
	struct cti_transport_tls o = opts_client();

	o.ca_file = cf("other-ca.pem");
	T_EXPECT_EQ(handshake(&o, "localhost", "server.pem", true), -EKEYREJECTED);
}

static void tls_wrong_name(void)
{
	struct cti_transport_tls o = opts_client();

	T_EXPECT_EQ(handshake(&o, "localhost", "other.pem", true), -EKEYREJECTED);
	o.server_name = "elsewhere.test";
	T_EXPECT_EQ(handshake(&o, "localhost", "other.pem", true), 1);
	o.server_name = "nope.test";
	T_EXPECT_EQ(handshake(&o, "localhost", "server.pem", true), -EKEYREJECTED);
	/* the chain is still checked without the name */
	o.flags = CTI_TLS_F_NO_VERIFY_NAME;
	T_EXPECT_EQ(handshake(&o, "localhost", "server.pem", true), 1);
	o.ca_file = cf("other-ca.pem");
	T_EXPECT_EQ(handshake(&o, "localhost", "server.pem", true), -EKEYREJECTED);
}

static void tls_expired(void)
{
	struct cti_transport_tls o = opts_client();

	T_EXPECT_EQ(handshake(&o, "localhost", "expired.pem", true), -EKEYEXPIRED);
}

static void tls_no_client_cert(void)
{
	struct cti_transport_tls o = opts_client();

	o.cert_file = o.key_file = NULL;
	T_EXPECT_EQ(handshake(&o, "localhost", "server.pem", true), -EACCES);
	T_EXPECT_EQ(handshake(&o, "localhost", "server.pem", false), 1);
}

static void tls_garbage_from_server(void)
{
	struct cti_transport_tls o = opts_client();
	static const char junk[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
	struct tls_link *c;
	struct srv got = { .got_len = 0 };
	char err[200];

	T_ASSERT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), 0);
	T_ASSERT_EQ(tls_link_start(c), 0);
	T_EXPECT_EQ(tls_link_input(c, junk, sizeof(junk) - 1, got_plain, &got), -EPROTO);
	/* a failed link stays failed */
	T_EXPECT_EQ(tls_link_input(c, junk, 4, got_plain, &got), -EPROTO);
	T_EXPECT_EQ(got.got_len, 0);
	tls_link_free(c);
}

static void tls_bad_options(void)
{
	struct cti_transport_tls o = opts_client();
	struct tls_link *c = NULL;
	char err[200];

	o.key_file = NULL;
	T_EXPECT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), -EINVAL);
	o = opts_client();
	o.flags = 0x80;
	T_EXPECT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), -EINVAL);
	o = opts_client();
	o.size = 8;
	T_EXPECT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), -EINVAL);
	o = opts_client();
	o.ca_file = cf("missing.pem");
	T_EXPECT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), -ENOENT);
	T_EXPECT(strstr(err, "missing.pem") != NULL, "message names the file: %s", err);
	o = opts_client();
	o.key_file = cf("server.key");	/* not client.pem's key */
	T_EXPECT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), -EBADMSG);
	o = opts_client();
	o.ca_file = cf("ca.srl");	/* not PEM */
	T_EXPECT_EQ(tls_link_new(&c, &o, "localhost", err, sizeof(err)), -EBADMSG);
	T_EXPECT(c == NULL, "no link on failure");
}

int main(int argc, char **argv)
{
	static const struct t_case cases[] = {
		T_CASE(tls_data_both_ways),
		T_CASE(tls_by_ip_address),
		T_CASE(tls_wrong_ca),
		T_CASE(tls_wrong_name),
		T_CASE(tls_expired),
		T_CASE(tls_no_client_cert),
		T_CASE(tls_garbage_from_server),
		T_CASE(tls_bad_options),
	};
	char cmd[512];
	int ret;

	snprintf(certs, sizeof(certs), "/tmp/cti-test-tls.%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "%s %s", MKCERTS, certs);
	if (system(cmd)) {
		printf("mkcerts.sh failed\n0 passed, 1 failed\n");
		return 1;
	}
	ret = t_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0]));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", certs);
	if (system(cmd))
		ret = 1;
	return ret;
}
