/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * passwd.h - reading and hashing a password (cmd_passwd.c), shared by
 * `ctictl passwd` (the users file on this machine) and `ctictl
 * user-passwd` (through ctid, cmd_users.c)
 */
#ifndef CTICTL_PASSWD_H
#define CTICTL_PASSWD_H

#include <stddef.h>

#define PASSWORD_MAX		256

/*
 * The new password from the terminal (echo off, twice) or one line of
 * standard input; 0 or EXIT_USAGE after saying why. @n: PASSWORD_MAX + 2.
 */
int ctl_get_password(char *pw, size_t n);
/* The yescrypt hash of @pw into @out: 0 or -EINVAL. */
int ctl_hash_password(const char *pw, char *out, size_t n);
/*
 * A new password read (ctl_get_password()) and hashed into @hash, the
 * password itself wiped: 0 or an exit status after saying why.
 */
int ctl_new_hash(char *hash, size_t n);

#endif
