/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * http.h - what http.c (the server, static files, replies) offers the
 * handlers of api.c and sse.c.
 */
#ifndef CTIWEB_HTTP_H
#define CTIWEB_HTTP_H

#include <microhttpd.h>

#include "ctiweb.h"

/* JSON as the browser gets it: compact, and "/" not escaped (it need not be). */
#define HTTP_JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/*
 * Send @r (NULL: out of memory, the connection is closed) with @status and
 * the security headers, as @type; @r is released.
 */
enum MHD_Result http_send(struct MHD_Connection *conn, unsigned int status,
			  struct MHD_Response *r, const char *type);
/* A JSON reply with @status; @o is put. */
enum MHD_Result http_json(struct MHD_Connection *conn, unsigned int status,
			  struct json_object *o);
/* {"error": msg} with @status. */
enum MHD_Result http_error(struct MHD_Connection *conn, unsigned int status,
			   const char *msg);
/* The HTTP status for a negative errno of ctid or of an action. */
unsigned int http_status_of(int err);
/* The login of the request's cookie (a reference), or NULL. */
struct websess *http_session(struct MHD_Connection *conn);
/* The browser's address, as text. */
void http_peer(struct MHD_Connection *conn, char *buf, size_t n);
/* Security headers every reply carries. */
void http_headers(struct MHD_Response *r, const char *type);

/* api.c */
enum MHD_Result api_login(struct MHD_Connection *conn, const char *body);
enum MHD_Result api_logout(struct MHD_Connection *conn);
enum MHD_Result api_board(struct MHD_Connection *conn);
enum MHD_Result api_action(struct MHD_Connection *conn, const char *body);
enum MHD_Result api_metrics(struct MHD_Connection *conn);
/* The state the browser draws: the board, who, the actions (no lock held). */
struct json_object *api_state(struct websess *ws);

/* sse.c: the board pushed as it changes (text/event-stream). */
enum MHD_Result sse_start(struct MHD_Connection *conn);

#endif
