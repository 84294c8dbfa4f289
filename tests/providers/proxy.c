// SPDX-License-Identifier: GPL-2.0
/*
 * proxy: see proxy.h. One thread, poll() over the listening socket, a
 * wake-up pipe and the pairs of relayed sockets. The server-to-desktop
 * direction is followed frame by frame (the 4-byte length first in each
 * header) so that a cut always ends inside a frame.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "proxy.h"

#define PX_PAIRS 8

struct px_pair {
	int down, up;			/* the desktop's side, the server's side */
	SSL *ssl;			/* on down, in TLS mode */
	uint32_t rem;			/* bytes left of the current server frame */
	uint8_t len_buf[4];
	unsigned int len_have;
};

struct proxy {
	pthread_t thread;
	pthread_mutex_t lock;
	int lfd, wake[2];
	SSL_CTX *tls;			/* NULL: plain unix relay */
	char upstream[108];
	struct px_pair pairs[PX_PAIRS];
	unsigned int npairs;
	/* controls, under lock */
	bool stop, stall, drop, cut, refuse;
	unsigned int accepted, cuts, tls_failures;
};

static int px_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);	/* checked at start */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void px_close_pair(struct proxy *px, unsigned int i)
{
	SSL_free(px->pairs[i].ssl);
	close(px->pairs[i].down);
	close(px->pairs[i].up);
	px->pairs[i] = px->pairs[--px->npairs];
}

/* The handshake, blocking with a timeout: a test's peer is quick or wrong. */
static SSL *px_tls_accept(struct proxy *px, int fd)
{
	struct timeval tv = { .tv_sec = 2 };
	SSL *ssl = SSL_new(px->tls);

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!ssl || !SSL_set_fd(ssl, fd) || SSL_accept(ssl) != 1) {
		SSL_free(ssl);
		pthread_mutex_lock(&px->lock);
		px->tls_failures++;
		pthread_mutex_unlock(&px->lock);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return ssl;
}

static void px_accept(struct proxy *px, bool refuse)
{
	int fd = accept4(px->lfd, NULL, NULL, SOCK_CLOEXEC), up;
	SSL *ssl = NULL;

	if (fd < 0)
		return;
	if (px->tls && !refuse) {
		ssl = px_tls_accept(px, fd);
		if (!ssl) {
			close(fd);
			return;
		}
	}
	pthread_mutex_lock(&px->lock);
	px->accepted++;
	pthread_mutex_unlock(&px->lock);
	up = refuse || px->npairs == PX_PAIRS ? -1 : px_connect(px->upstream);
	if (up < 0) {
		SSL_free(ssl);
		close(fd);	/* the server is unreachable: so are we */
		return;
	}
	memset(&px->pairs[px->npairs], 0, sizeof(px->pairs[0]));
	px->pairs[px->npairs].ssl = ssl;
	px->pairs[px->npairs].down = fd;
	px->pairs[px->npairs].up = up;
	px->npairs++;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Where in @buf the current server frame would be cut: inside it. */
static size_t px_cut_point(const struct px_pair *pp, size_t n)
{
	if (pp->rem > 1)
		return pp->rem - 1 < n ? pp->rem - 1 : n;
	if (pp->rem == 1 || pp->len_have)
		return 0;
	return n < 7 ? n : 7;		/* part of the next header */
}

/* Follow the frames of the server's stream. */
static void px_track(struct px_pair *pp, const uint8_t *p, size_t n)
{
	while (n) {
		if (pp->rem) {
			size_t k = pp->rem < n ? pp->rem : n;

			pp->rem -= (uint32_t)k;
			p += k;
			n -= k;
			continue;
		}
		pp->len_buf[pp->len_have++] = *p++;
		n--;
		if (pp->len_have == 4) {
			uint32_t len = pp->len_buf[0] | pp->len_buf[1] << 8 |
				       pp->len_buf[2] << 16 | (uint32_t)pp->len_buf[3] << 24;

			pp->len_have = 0;
			pp->rem = len > 4 ? len - 4 : 0;
		}
	}
}

static bool ssl_write_all(SSL *ssl, int fd, const uint8_t *p, size_t n)
{
	while (n) {
		int w = SSL_write(ssl, p, (int)n);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (SSL_get_error(ssl, w) != SSL_ERROR_WANT_WRITE)
			return false;
		poll(&(struct pollfd){ .fd = fd, .events = POLLOUT }, 1, 100);
	}
	return true;
}

static bool px_out(struct px_pair *pp, bool to_desktop, const uint8_t *p, size_t n)
{
	if (to_desktop && pp->ssl)
		return ssl_write_all(pp->ssl, pp->down, p, n);
	return write_all(to_desktop ? pp->down : pp->up, p, n);
}

/* What the desktop sent over TLS, all of it (the SSL may hold more). */
static bool px_relay_tls_in(struct px_pair *pp)
{
	uint8_t buf[16384];

	for (;;) {
		int n = SSL_read(pp->ssl, buf, sizeof(buf));

		if (n > 0) {
			if (!write_all(pp->up, buf, (size_t)n))
				return false;
			continue;
		}
		return SSL_get_error(pp->ssl, n) == SSL_ERROR_WANT_READ;
	}
}

/* Relay one read; false when the pair is to be closed. */
static bool px_relay(struct proxy *px, struct px_pair *pp, bool from_server)
{
	uint8_t buf[16384];
	int in = from_server ? pp->up : pp->down;
	ssize_t n;
	bool cut;

	if (!from_server && pp->ssl)
		return px_relay_tls_in(pp);
	n = read(in, buf, sizeof(buf));
	if (n <= 0)
		return false;
	pthread_mutex_lock(&px->lock);
	cut = from_server && px->cut;
	if (cut) {
		px->cut = false;
		px->cuts++;
	}
	pthread_mutex_unlock(&px->lock);
	if (cut) {
		size_t k = px_cut_point(pp, (size_t)n);

		px_out(pp, from_server, buf, k);
		return false;
	}
	if (from_server)
		px_track(pp, buf, (size_t)n);
	return px_out(pp, from_server, buf, (size_t)n);
}

static void px_poll_once(struct proxy *px, bool stall, bool refuse)
{
	struct pollfd fds[2 + 2 * PX_PAIRS];
	unsigned int n = 2, np = px->npairs;

	fds[0] = (struct pollfd){ .fd = px->wake[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = px->lfd, .events = POLLIN };
	for (unsigned int i = 0; i < np; i++) {
		/* a stall reads nothing: the bytes wait in the sockets */
		fds[n++] = (struct pollfd){ .fd = px->pairs[i].down, .events = stall ? 0 : POLLIN };
		fds[n++] = (struct pollfd){ .fd = px->pairs[i].up, .events = stall ? 0 : POLLIN };
	}
	if (poll(fds, n, 200) <= 0)
		return;
	if (fds[0].revents) {
		char c[64];

		if (read(px->wake[0], c, sizeof(c)) < 0)
			return;
	}
	if (fds[1].revents & POLLIN)
		px_accept(px, refuse);
	for (unsigned int i = np; i-- > 0;) {
		short a = fds[2 + 2 * i].revents, b = fds[3 + 2 * i].revents;
		bool ok = true;

		if (stall && ((a | b) & (POLLHUP | POLLERR)))
			ok = false;
		if (ok && !stall && (a & (POLLIN | POLLHUP | POLLERR)))
			ok = px_relay(px, &px->pairs[i], false);
		if (ok && !stall && (b & (POLLIN | POLLHUP | POLLERR)))
			ok = px_relay(px, &px->pairs[i], true);
		if (!ok)
			px_close_pair(px, i);
	}
}

static void *px_main(void *arg)
{
	struct proxy *px = arg;

	for (;;) {
		bool stall, refuse, drop;

		pthread_mutex_lock(&px->lock);
		if (px->stop) {
			pthread_mutex_unlock(&px->lock);
			break;
		}
		stall = px->stall;
		refuse = px->refuse;
		drop = px->drop;
		px->drop = false;
		pthread_mutex_unlock(&px->lock);
		if (drop)
			while (px->npairs)
				px_close_pair(px, 0);
		px_poll_once(px, stall, refuse);
	}
	while (px->npairs)
		px_close_pair(px, 0);
	return NULL;
}

static struct proxy *px_new(const char *upstream_path)
{
	struct proxy *px = calloc(1, sizeof(*px));

	if (!px)
		return NULL;
	px->lfd = px->wake[0] = px->wake[1] = -1;
	if (strlen(upstream_path) >= sizeof(px->upstream)) {
		free(px);
		return NULL;
	}
	strcpy(px->upstream, upstream_path);
	return px;
}

/* The rest of a start, once px->lfd is bound; frees @px on failure. */
static struct proxy *px_run(struct proxy *px)
{
	if (listen(px->lfd, 16) || pipe(px->wake))
		goto fail;
	pthread_mutex_init(&px->lock, NULL);
	if (pthread_create(&px->thread, NULL, px_main, px))
		goto fail;
	return px;
fail:
	for (int i = 0; i < 2; i++)
		if (px->wake[i] >= 0)
			close(px->wake[i]);
	close(px->lfd);
	SSL_CTX_free(px->tls);
	free(px);
	return NULL;
}

struct proxy *proxy_start(const char *listen_path, const char *upstream_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct proxy *px = px_new(upstream_path);

	if (!px || strlen(listen_path) >= sizeof(sa.sun_path)) {
		free(px);
		return NULL;
	}
	strcpy(sa.sun_path, listen_path);
	unlink(listen_path);
	px->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (px->lfd >= 0 && bind(px->lfd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(px->lfd);
		px->lfd = -1;
	}
	if (px->lfd < 0) {
		free(px);
		return NULL;
	}
	return px_run(px);
}

static void px_set(struct proxy *px, bool *flag, bool on)
{
	pthread_mutex_lock(&px->lock);
	*flag = on;
	pthread_mutex_unlock(&px->lock);
	if (write(px->wake[1], "w", 1) < 0)
		return;		/* the poll times out in 200 ms anyway */
}

void proxy_stop(struct proxy *px)
{
	if (!px)
		return;
	px_set(px, &px->stop, true);
	pthread_join(px->thread, NULL);
	close(px->lfd);
	close(px->wake[0]);
	close(px->wake[1]);
	pthread_mutex_destroy(&px->lock);
	SSL_CTX_free(px->tls);
	free(px);
}

static SSL_CTX *px_tls_ctx(const struct proxy_tls *t)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, t->cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, t->key, SSL_FILETYPE_PEM) != 1 ||
	    (t->ca && SSL_CTX_load_verify_locations(ctx, t->ca, NULL) != 1)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (t->ca)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return ctx;
}

struct proxy *proxy_start_tls(const struct proxy_tls *tls, const char *upstream_path,
			      unsigned short *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	struct proxy *px = px_new(upstream_path);

	if (!px)
		return NULL;
	px->tls = px_tls_ctx(tls);
	px->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (!px->tls || px->lfd < 0 || bind(px->lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(px->lfd, (struct sockaddr *)&sa, &len)) {
		if (px->lfd >= 0)
			close(px->lfd);
		SSL_CTX_free(px->tls);
		free(px);
		return NULL;
	}
	*port = ntohs(sa.sin_port);
	return px_run(px);
}

void proxy_stall(struct proxy *px, bool on)
{
	px_set(px, &px->stall, on);
}

void proxy_drop(struct proxy *px)
{
	px_set(px, &px->drop, true);
}

void proxy_cut(struct proxy *px)
{
	px_set(px, &px->cut, true);
}

void proxy_refuse(struct proxy *px, bool on)
{
	px_set(px, &px->refuse, on);
}

static unsigned int px_get(struct proxy *px, unsigned int *v)
{
	unsigned int r;

	pthread_mutex_lock(&px->lock);
	r = *v;
	pthread_mutex_unlock(&px->lock);
	return r;
}

unsigned int proxy_accepted(struct proxy *px)
{
	return px_get(px, &px->accepted);
}

unsigned int proxy_cuts(struct proxy *px)
{
	return px_get(px, &px->cuts);
}

unsigned int proxy_tls_failures(struct proxy *px)
{
	return px_get(px, &px->tls_failures);
}
