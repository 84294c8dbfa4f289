#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkcerts.sh DIR - fresh test certificates for TLS between a desktop ctid
# and a server ctid (test_tls, test_remote, examples/remote-demo.sh):
#
#   ca.pem ca.key           the test CA
#   server.pem server.key   CN=localhost, SAN DNS:localhost IP:127.0.0.1
#   client.pem client.key   CN=desktop (the desktop ctid's certificate)
#   expired.pem             server.key's certificate, expired yesterday
#   other-ca.pem            a CA that signed nothing here (wrong CA)
#   other.pem               server.key's certificate, CN=elsewhere.test only
#
# P-256 keys: quick to make, so each run gets its own.
set -eu
d=${1:?usage: mkcerts.sh DIR}
mkdir -p "$d"
cd "$d"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -out "$1.pem" -subj "/CN=$1" -days 30 \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
# sign NAME KEY CN DAYS SAN
sign() {
	openssl req -new -key "$2" -subj "/CN=$3" -out "$1.csr" 2>/dev/null
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$5" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
		-days "$4" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
ca ca
ca other-ca
key server.key
key client.key
sign server server.key localhost 30 DNS:localhost,IP:127.0.0.1
sign expired server.key localhost -1 DNS:localhost,IP:127.0.0.1
sign other server.key elsewhere.test 30 DNS:elsewhere.test
sign client client.key desktop 30 DNS:desktop
chmod 600 ./*.key
