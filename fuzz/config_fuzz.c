// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * config_fuzz.c - libFuzzer target for ctid's configuration parser
 * (daemon/config.c, with libinih and the access rules of daemon/acl.c)
 *
 * The input is a ctid.conf.  What must hold, or the target aborts:
 * config_load_string() returns a configuration exactly when it reported no
 * error (config.h: "NULL after reporting at least one error"); every
 * error names the file and a line ("FILE:LINE: message", or "FILE:
 * message" for the file as a whole); an accepted configuration prints
 * (config_dump(), as `ctid --check-config -v` does) and frees cleanly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_NAME "fuzz.conf"

static void on_error(void *arg, const char *msg)
{
	unsigned int *errors = arg;

	if (strncmp(msg, FZ_NAME ":", sizeof(FZ_NAME)) || !msg[sizeof(FZ_NAME)]) {
		fprintf(stderr, "config_fuzz: error without its place: '%s'\n", msg);
		abort();
	}
	(*errors)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	unsigned int errors = 0;
	struct config *cfg;
	char *text;

	if (!null && !(null = fopen("/dev/null", "we")))
		abort();
	/* A C string, as config_load_file() hands it: a NUL ends it. */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cfg = config_load_string(FZ_NAME, text, on_error, &errors);
	free(text);
	if (!cfg != !!errors) {
		fprintf(stderr, "config_fuzz: %s with %u errors reported\n",
			cfg ? "a configuration" : "NULL", errors);
		abort();
	}
	if (cfg)
		config_dump(cfg, null);
	config_free(cfg);
	return 0;
}
