// SPDX-License-Identifier: GPL-2.0
/*
 * tls_server: OpenSSL 3 on memory for ctid's TLS connections (the
 * listener's; host/tls.c is the providers' client side).
 *
 * Each SSL gets one BIO of our own method, for both directions: reading
 * takes from the buffer a receive completion brought (tc->in, set only
 * for the duration of tls_conn_feed()), writing appends to tc->out, which
 * conn.c sends with io_uring. A memory BIO pair would keep two buffers
 * per connection for its whole life; this keeps none while it is idle
 * (with SSL_MODE_RELEASE_BUFFERS, OpenSSL frees its own record buffers
 * too), which is what makes thousands of idle clients cheap.
 *
 * The handshake's public-key operations run on the loop thread: they are
 * CPU work of a millisecond or so, bounded per connection, never a wait.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "tls_server.h"

/* ---- the BIO ---- */

static int bio_write(BIO *b, const char *data, int len)
{
	struct tls_conn *tc = BIO_get_data(b);
	uint32_t need;

	if (len <= 0)
		return 0;
	need = tc->out_len + (uint32_t)len;
	if (need > tc->out_cap) {
		uint32_t cap = tc->out_cap ? tc->out_cap : 16384;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(tc->out, cap);
		if (!p) {
			tc->failed = true;
			return -1;
		}
		tc->out = p;
		tc->out_cap = cap;
	}
	memcpy(tc->out + tc->out_len, data, (size_t)len);
	tc->out_len = need;
	return len;
}

static int bio_read(BIO *b, char *data, int len)
{
	struct tls_conn *tc = BIO_get_data(b);
	uint32_t n;

	BIO_clear_retry_flags(b);
	if (!tc->in_len) {
		/* nothing more this time: OpenSSL keeps a partial record */
		BIO_set_retry_read(b);
		return -1;
	}
	n = (uint32_t)len < tc->in_len ? (uint32_t)len : tc->in_len;
	memcpy(data, tc->in, n);
	tc->in += n;
	tc->in_len -= n;
	return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	/* writes land in tc->out at once: there is nothing to flush */
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static BIO_METHOD *bio_method_new(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ctid-conn");

	if (!m)
		return NULL;
	BIO_meth_set_write(m, bio_write);
	BIO_meth_set_read(m, bio_read);
	BIO_meth_set_ctrl(m, bio_ctrl);
	BIO_meth_set_create(m, bio_create);
	return m;
}

/* ---- the server context ---- */

static const char *ssl_reason(char *buf, size_t n)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		snprintf(buf, n, "unknown TLS error");
	else
		ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

static int load_fail(struct tls_server *ts, struct log_state *log, SSL_CTX *c,
		     const char *what, const char *path)
{
	char why[160];

	log_err(log, "TLS: %s %s: %s", what, path, ssl_reason(why, sizeof(why)));
	snprintf(ts->why, sizeof(ts->why), "%.60s: %s", what, why);
	SSL_CTX_free(c);
	return -EINVAL;
}

/* A server certificate out of its validity is the administrator's to fix. */
static void check_validity(SSL_CTX *c, const char *path, struct log_state *log)
{
	X509 *x = SSL_CTX_get0_certificate(c);

	if (!x)
		return;
	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
		log_err(log, "TLS: %s has expired: clients will refuse it", path);
	else if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0)
		log_err(log, "TLS: %s is not valid yet: clients will refuse it", path);
}

static int load_ca(struct tls_server *ts, SSL_CTX *c, const struct cfg_tls *t,
		   struct log_state *log)
{
	STACK_OF(X509_NAME) *names;
	int mode = SSL_VERIFY_PEER;

	if (t->client_cert == CFG_CLIENT_CERT_NONE) {
		SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	if (SSL_CTX_load_verify_locations(c, t->ca, NULL) != 1)
		return load_fail(ts, log, c, "CA file", t->ca);
	names = SSL_load_client_CA_file(t->ca);
	if (!names)
		return load_fail(ts, log, c, "CA file (no certificate in it)", t->ca);
	SSL_CTX_set_client_CA_list(c, names);
	if (t->client_cert == CFG_CLIENT_CERT_REQUIRE)
		mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(c, mode, NULL);
	return 0;
}

int tls_server_load(struct tls_server *ts, const struct cfg_tls *t, struct log_state *log)
{
	SSL_CTX *c;
	int ret;

	if (!ts->bio_meth) {
		ts->bio_meth = bio_method_new();
		if (!ts->bio_meth)
			return -ENOMEM;
	}
	c = SSL_CTX_new(TLS_server_method());
	if (!c)
		return -ENOMEM;
	/* TLS 1.3 only: no renegotiation, no legacy suites to configure */
	SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION);
	SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);
	/* no resumption: a ticket per client is memory for no gain here */
	SSL_CTX_set_num_tickets(c, 0);
	SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_use_certificate_chain_file(c, t->cert) != 1)
		return load_fail(ts, log, c, "certificate", t->cert);
	if (SSL_CTX_use_PrivateKey_file(c, t->key, SSL_FILETYPE_PEM) != 1)
		return load_fail(ts, log, c, "key", t->key);
	if (SSL_CTX_check_private_key(c) != 1)
		return load_fail(ts, log, c, "key that does not match the certificate:", t->key);
	check_validity(c, t->cert, log);
	ret = load_ca(ts, c, t, log);
	if (ret)
		return ret;
	/* connections hold their own reference to the old one */
	SSL_CTX_free(ts->ssl_ctx);
	ts->ssl_ctx = c;
	return 0;
}

void tls_server_exit(struct tls_server *ts)
{
	SSL_CTX_free(ts->ssl_ctx);
	ts->ssl_ctx = NULL;
	BIO_meth_free(ts->bio_meth);
	ts->bio_meth = NULL;
}

/* ---- connections ---- */

int tls_conn_init(struct tls_server *ts, struct tls_conn *tc)
{
	BIO *b;

	memset(tc, 0, sizeof(*tc));
	tc->ssl = SSL_new(ts->ssl_ctx);
	b = BIO_new(ts->bio_meth);
	if (!tc->ssl || !b) {
		SSL_free(tc->ssl);
		BIO_free(b);
		tc->ssl = NULL;
		return -ENOMEM;
	}
	BIO_set_data(b, tc);
	/* the same BIO both ways: the SSL takes our one reference */
	SSL_set_bio(tc->ssl, b, b);
	SSL_set_accept_state(tc->ssl);
	return 0;
}

void tls_conn_fini(struct tls_conn *tc)
{
	SSL_free(tc->ssl);
	free(tc->out);
	memset(tc, 0, sizeof(*tc));
}

/* -EPROTO with OpenSSL's reason, or the error that is not OpenSSL's. */
static int feed_error(struct tls_server *ts, struct tls_conn *tc, int r)
{
	int e = SSL_get_error(tc->ssl, r);

	if (tc->failed)
		return -ENOMEM;
	if (e == SSL_ERROR_ZERO_RETURN) {
		snprintf(ts->why, sizeof(ts->why), "closed by the peer");
		return -ECONNRESET;
	}
	if (e == SSL_ERROR_SYSCALL && !ERR_peek_error()) {
		snprintf(ts->why, sizeof(ts->why), "the peer ended the TLS stream without close_notify");
		return -ECONNRESET;
	}
	ssl_reason(ts->why, sizeof(ts->why));
	if (!tc->established) {
		long v = SSL_get_verify_result(tc->ssl);

		if (v != X509_V_OK) {
			size_t n = strlen(ts->why);

			snprintf(ts->why + n, sizeof(ts->why) - n, " (client certificate: %s)",
				 X509_verify_cert_error_string(v));
		}
	}
	return -EPROTO;
}

int tls_conn_feed(struct tls_server *ts, struct tls_conn *tc, const uint8_t *in, uint32_t len,
		  const struct tls_feed_ops *ops, void *arg)
{
	int r, ret = 0;

	tc->in = in;
	tc->in_len = len;
	if (!tc->established) {
		r = SSL_do_handshake(tc->ssl);
		if (r != 1) {
			if (SSL_get_error(tc->ssl, r) != SSL_ERROR_WANT_READ)
				ret = feed_error(ts, tc, r);
			goto out;
		}
		tc->established = true;
		if (!ops->established(arg))
			goto out;
	}
	for (;;) {
		r = SSL_read(tc->ssl, ts->plain, sizeof(ts->plain));
		if (r <= 0) {
			if (SSL_get_error(tc->ssl, r) != SSL_ERROR_WANT_READ)
				ret = feed_error(ts, tc, r);
			break;
		}
		if (!ops->plaintext(arg, ts->plain, (uint32_t)r))
			break;
	}
out:
	tc->in = NULL;
	tc->in_len = 0;
	tc->broken |= ret == -EPROTO;
	return ret;
}

int tls_conn_seal(struct tls_conn *tc, const uint8_t *plain, uint32_t len)
{
	while (len) {
		int r = SSL_write(tc->ssl, plain, (int)len);

		if (r <= 0) {
			ERR_clear_error();
			return tc->failed ? -ENOMEM : -EPROTO;
		}
		plain += r;
		len -= (uint32_t)r;
	}
	return 0;
}

uint8_t *tls_conn_take_out(struct tls_conn *tc, uint32_t *len, uint32_t *cap)
{
	uint8_t *p = tc->out;

	*len = tc->out_len;
	*cap = tc->out_cap;
	tc->out = NULL;
	tc->out_len = tc->out_cap = 0;
	return p;
}

/* Names from certificates become ACL user names: the same alphabet. */
static int copy_user(const unsigned char *s, size_t n, char *name, size_t len)
{
	if (!n || n >= len || n >= 32)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_-.$", s[i])) || !s[i])
			return -EINVAL;
	memcpy(name, s, n);
	name[n] = '\0';
	return 0;
}

static int cn_user(X509 *x, char *name, size_t len)
{
	X509_NAME *subj = X509_get_subject_name(x);
	int i = X509_NAME_get_index_by_NID(subj, NID_commonName, -1);
	const ASN1_STRING *s;

	if (i < 0)
		return -EINVAL;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, i));
	return copy_user(ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s), name, len);
}

/* The first email SAN's local part, else the first DNS SAN. */
static int san_user(X509 *x, char *name, size_t len)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int ret = -EINVAL;

	for (int pass = 0; pass < 2 && ret; pass++)
		for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens) && ret; i++) {
			const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
			const unsigned char *d;
			const unsigned char *at;
			size_t n;

			if (g->type != (pass ? GEN_DNS : GEN_EMAIL))
				continue;
			d = ASN1_STRING_get0_data(g->d.ia5);
			n = (size_t)ASN1_STRING_length(g->d.ia5);
			at = pass ? NULL : memchr(d, '@', n);
			ret = copy_user(d, at ? (size_t)(at - d) : n, name, len);
		}
	GENERAL_NAMES_free(gens);
	return ret;
}

int tls_conn_cert_user(struct tls_conn *tc, enum cfg_cert_user rule, char *name,
		       size_t len, uint8_t fp[32])
{
	X509 *x = SSL_get0_peer_certificate(tc->ssl);
	unsigned int n = 32;

	if (!x)
		return -ENOENT;
	switch (rule) {
	case CFG_CERT_USER_CN:
		return cn_user(x, name, len);
	case CFG_CERT_USER_SAN:
		return san_user(x, name, len);
	case CFG_CERT_USER_FINGERPRINT:
		return X509_digest(x, EVP_sha256(), fp, &n) == 1 && n == 32 ? 0 : -EINVAL;
	}
	return -EINVAL;
}
