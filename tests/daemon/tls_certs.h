/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tls_certs: certificates made at test time with the OpenSSL API, into a
 * test's temporary directory (tls_certs.c). Each is written as
 * DIR/NAME.crt and DIR/NAME.key (PEM); the key is P-256.
 */
#ifndef CTI_TESTS_TLS_CERTS_H
#define CTI_TESTS_TLS_CERTS_H

struct tls_cert_spec {
	const char *name;	/* file name stem */
	const char *cn;		/* subject commonName */
	const char *san;	/* "DNS:localhost,IP:127.0.0.1", or NULL */
	const char *issuer;	/* stem of the CA that signs it; NULL: self-signed CA */
	long from_days;		/* notBefore, days from now (negative: past) */
	long to_days;		/* notAfter, days from now */
};

/* 0, or -1 after printing what failed. */
int tls_cert_make(const char *dir, const struct tls_cert_spec *spec);

#endif
