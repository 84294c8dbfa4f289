// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tls_certs: a small CA for the TLS tests. The openssl command cannot
 * make a certificate whose validity is already over (the expired cases),
 * so the tests make theirs with the API: keys, X509 fields, signing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls_certs.h"

static FILE *open_pem(const char *dir, const char *name, const char *ext)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	return fopen(path, "r");
}

static EVP_PKEY *load_key(const char *dir, const char *name)
{
	FILE *f = open_pem(dir, name, "key");
	EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	return k;
}

static X509 *load_cert(const char *dir, const char *name)
{
	FILE *f = open_pem(dir, name, "crt");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	return x;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *e;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!e)
		return -1;
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	return 0;
}

static int write_pem(const char *dir, const char *name, X509 *x, EVP_PKEY *k)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s.crt", dir, name);
	f = fopen(path, "w");
	ok = f && PEM_write_X509(f, x);
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/%s.key", dir, name);
	f = fopen(path, "w");
	ok = ok && f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	if (f)
		fclose(f);
	return ok ? 0 : -1;
}

static int fill(X509 *x, const struct tls_cert_spec *s, X509 *ca)
{
	static long serial = 1000;
	X509_NAME *n = X509_get_subject_name(x);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), ++serial + (long)time(NULL) % 100000 * 1000);
	X509_gmtime_adj(X509_getm_notBefore(x), s->from_days * 86400L);
	X509_gmtime_adj(X509_getm_notAfter(x), s->to_days * 86400L);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)s->cn, -1, -1, 0);
	X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : n);
	if (add_ext(x, ca ? ca : x, NID_basic_constraints, ca ? "critical,CA:FALSE" : "critical,CA:TRUE") ||
	    add_ext(x, ca ? ca : x, NID_subject_key_identifier, "hash") ||
	    (s->san && add_ext(x, ca ? ca : x, NID_subject_alt_name, s->san)))
		return -1;
	if (!ca && add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign"))
		return -1;
	return 0;
}

int tls_cert_make(const char *dir, const struct tls_cert_spec *s)
{
	EVP_PKEY *k = EVP_EC_gen("P-256"), *cak = NULL;
	X509 *x = X509_new(), *ca = NULL;
	int ret = -1;

	if (s->issuer) {
		ca = load_cert(dir, s->issuer);
		cak = load_key(dir, s->issuer);
		if (!ca || !cak)
			goto out;
	}
	if (!k || !x || !X509_set_pubkey(x, k) || fill(x, s, ca))
		goto out;
	if (!X509_sign(x, cak ? cak : k, EVP_sha256()))
		goto out;
	ret = write_pem(dir, s->name, x, k);
out:
	if (ret)
		fprintf(stderr, "tls_cert_make %s: failed\n", s->name);
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(k);
	EVP_PKEY_free(cak);
	return ret;
}
