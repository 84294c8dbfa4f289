// SPDX-License-Identifier: GPL-2.0
/*
 * tls: a TLS 1.3 client on two memory BIOs (tls.h). OpenSSL reads the
 * server's bytes from one and writes its own to the other; the transport
 * moves them to and from the socket on the io_uring loop. Nothing here
 * blocks: with memory BIOs OpenSSL can only say "want read".
 *
 * Each link has its own SSL_CTX: a provider opens a few links to a few
 * servers, each with its own CA and client certificate, and reading the
 * files at each (re)connection picks up renewed certificates without a
 * reload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "host/tls.h"

#define TLS_READ_CHUNK 16384

struct tls_link {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio, *wbio;		/* from the server, to the server */
	bool ready;			/* handshake done */
	int failed;			/* the errno once the link failed */
	char err[160];
	unsigned char buf[TLS_READ_CHUNK];
};

static void set_err(char *err, size_t errlen, const char *what, const char *file)
{
	unsigned long e = ERR_peek_last_error();
	char ossl[120] = "";

	if (e)
		ERR_error_string_n(e, ossl, sizeof(ossl));
	snprintf(err, errlen, "%s%s%s%s%s", what, file ? " " : "", file ? file : "",
		 ossl[0] ? ": " : "", ossl);
	ERR_clear_error();
}

/* A file the host cannot read gets the errno of access(), not OpenSSL's. */
static int readable(const char *file, char *err, size_t errlen)
{
	if (!access(file, R_OK))
		return 0;
	snprintf(err, errlen, "%s: %s", file, strerror(errno));
	return errno == ENOENT ? -ENOENT : -EACCES;
}

static int ctx_setup(SSL_CTX *ctx, const struct cti_transport_tls *o, char *err,
		     size_t errlen)
{
	int ret;

	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)) {
		set_err(err, errlen, "TLS 1.3 unavailable", NULL);
		return -EPROTO;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (o->ca_file) {
		ret = readable(o->ca_file, err, errlen);
		if (ret)
			return ret;
		if (!SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL)) {
			set_err(err, errlen, "no CA certificate in", o->ca_file);
			return -EBADMSG;
		}
	} else if (!SSL_CTX_set_default_verify_paths(ctx)) {
		set_err(err, errlen, "no default trust store", NULL);
		return -EBADMSG;
	}
	if (!o->cert_file)
		return 0;
	ret = readable(o->cert_file, err, errlen);
	if (!ret)
		ret = readable(o->key_file, err, errlen);
	if (ret)
		return ret;
	if (SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) != 1) {
		set_err(err, errlen, "no certificate in", o->cert_file);
		return -EBADMSG;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, o->key_file, SSL_FILETYPE_PEM) != 1) {
		set_err(err, errlen, "no private key in", o->key_file);
		return -EBADMSG;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		set_err(err, errlen, "the key does not match the certificate", o->cert_file);
		return -EBADMSG;
	}
	return 0;
}

/* The server's name: checked against its certificate, and sent as SNI. */
static int ssl_set_name(SSL *ssl, const char *name, bool verify)
{
	unsigned char addr[16];
	bool is_ip = inet_pton(AF_INET, name, addr) == 1 ||
		     inet_pton(AF_INET6, name, addr) == 1;

	if (!is_ip && !SSL_set_tlsext_host_name(ssl, name))
		return -EINVAL;
	if (!verify)
		return 0;
	if (is_ip)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) ? 0 : -EINVAL;
	return SSL_set1_host(ssl, name) ? 0 : -EINVAL;
}

static bool opts_ok(const struct cti_transport_tls *o, const char *peer)
{
	if (!o || o->size < sizeof(*o) || (o->flags & ~CTI_TLS_F_VALID))
		return false;
	if (!o->cert_file != !o->key_file)
		return false;
	if (!o->server_name && !peer)
		return false;
	return !o->server_name || (o->server_name[0] &&
				   strlen(o->server_name) < 256);
}

int tls_link_new(struct tls_link **out, const struct cti_transport_tls *o,
		 const char *peer, char *err, size_t errlen)
{
	struct tls_link *l;
	int ret = -ENOMEM;

	if (!opts_ok(o, peer)) {
		snprintf(err, errlen, "bad TLS options");
		return -EINVAL;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	ERR_clear_error();
	l->ctx = SSL_CTX_new(TLS_client_method());
	if (!l->ctx)
		goto fail;
	ret = ctx_setup(l->ctx, o, err, errlen);
	if (ret)
		goto fail;
	ret = -ENOMEM;
	l->ssl = SSL_new(l->ctx);
	l->rbio = BIO_new(BIO_s_mem());
	l->wbio = BIO_new(BIO_s_mem());
	if (!l->ssl || !l->rbio || !l->wbio) {
		BIO_free(l->rbio);
		BIO_free(l->wbio);
		goto fail;
	}
	SSL_set_bio(l->ssl, l->rbio, l->wbio);	/* the SSL owns them now */
	SSL_set_connect_state(l->ssl);
	ret = ssl_set_name(l->ssl, o->server_name ? o->server_name : peer,
			   !(o->flags & CTI_TLS_F_NO_VERIFY_NAME));
	if (ret) {
		snprintf(err, errlen, "bad server name");
		goto fail;
	}
	*out = l;
	return 0;
fail:
	tls_link_free(l);
	return ret;
}

void tls_link_free(struct tls_link *l)
{
	if (!l)
		return;
	SSL_free(l->ssl);
	SSL_CTX_free(l->ctx);
	free(l);
}

/* Which errno a failed handshake or read means (see cti_provider.h). */
static int classify(struct tls_link *l)
{
	long v = SSL_get_verify_result(l->ssl);
	unsigned long e = ERR_peek_error();
	int reason = ERR_GET_REASON(e);

	set_err(l->err, sizeof(l->err), "TLS", NULL);
	if (v != X509_V_OK) {
		snprintf(l->err, sizeof(l->err), "server certificate: %s",
			 X509_verify_cert_error_string(v));
		if (v == X509_V_ERR_CERT_HAS_EXPIRED || v == X509_V_ERR_CERT_NOT_YET_VALID)
			return -EKEYEXPIRED;
		return -EKEYREJECTED;
	}
	if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    (reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED ||
	     reason == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
	     reason == SSL_R_TLSV1_ALERT_UNKNOWN_CA ||
	     reason == SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED ||
	     reason == SSL_R_TLSV1_ALERT_ACCESS_DENIED))
		return -EACCES;
	return -EPROTO;
}

static int fail(struct tls_link *l, int error)
{
	if (!l->failed)
		l->failed = error;
	return l->failed;
}

int tls_link_start(struct tls_link *l)
{
	int r;

	ERR_clear_error();
	r = SSL_do_handshake(l->ssl);
	if (r != 1 && SSL_get_error(l->ssl, r) != SSL_ERROR_WANT_READ)
		return fail(l, classify(l));
	return 0;
}

static int step_handshake(struct tls_link *l)
{
	int r = SSL_do_handshake(l->ssl);

	if (r == 1) {
		l->ready = true;
		return 1;
	}
	if (SSL_get_error(l->ssl, r) == SSL_ERROR_WANT_READ)
		return 0;
	return fail(l, classify(l));
}

/* Drain the plaintext; -ESHUTDOWN when the server closed cleanly. */
static int read_plain(struct tls_link *l, tls_plain_fn fn, void *arg)
{
	size_t n;

	for (;;) {
		ERR_clear_error();
		if (SSL_read_ex(l->ssl, l->buf, sizeof(l->buf), &n) == 1) {
			if (fn(arg, l->buf, n))
				return 0;
			continue;
		}
		switch (SSL_get_error(l->ssl, 0)) {
		case SSL_ERROR_WANT_READ:
			return 0;
		case SSL_ERROR_ZERO_RETURN:
			snprintf(l->err, sizeof(l->err), "the server closed the TLS session");
			return fail(l, -ESHUTDOWN);
		default:
			return fail(l, classify(l));
		}
	}
}

int tls_link_input(struct tls_link *l, const void *buf, size_t len,
		   tls_plain_fn fn, void *arg)
{
	int hs = 0, ret;

	if (l->failed)
		return l->failed;
	if (len && BIO_write(l->rbio, buf, (int)len) != (int)len)
		return fail(l, -ENOMEM);
	ERR_clear_error();
	if (!l->ready) {
		hs = step_handshake(l);
		if (hs <= 0)
			return hs;
	}
	ret = read_plain(l, fn, arg);
	return ret < 0 ? ret : hs;
}

int tls_link_write(struct tls_link *l, const void *buf, size_t len)
{
	size_t w;

	if (l->failed)
		return l->failed;
	if (!l->ready)
		return -ENOTCONN;
	ERR_clear_error();
	if (SSL_write_ex(l->ssl, buf, len, &w) != 1 || w != len)
		return fail(l, classify(l));
	return 0;
}

size_t tls_link_take(struct tls_link *l, void *buf, size_t cap)
{
	int n = BIO_read(l->wbio, buf, cap > INT32_MAX ? INT32_MAX : (int)cap);

	return n > 0 ? (size_t)n : 0;
}

bool tls_link_ready(const struct tls_link *l)
{
	return l->ready;
}

const char *tls_link_error(const struct tls_link *l)
{
	return l->err[0] ? l->err : "no error";
}
