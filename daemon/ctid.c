// SPDX-License-Identifier: GPL-2.0
/*
 * ctid's one context object (ctid.h), at the bottom of the layers so that
 * every module may reach it without a call upwards. run.c fills it at
 * start-up; the up-calls in it (conn_ops, registry_ops) are set there.
 */
#include "ctid.h"

struct ctid g;
