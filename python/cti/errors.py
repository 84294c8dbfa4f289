# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions of the binding: every failure of libcti or ctid is a CtiError.

libcti returns negative errnos; ctid's refusals arrive as the errno of a
request's reply. Both become a CtiError (an OSError, so `except OSError`
and `e.errno` work as for any system call) that also names the request
that failed. Where Python has a matching built-in class the error is also
an instance of it, so `except PermissionError` or `except TimeoutError`
catch what they say.
"""
from __future__ import annotations

import errno as _errno
import os
from typing import Any, Optional, Tuple


class CtiError(OSError):
    """A libcti call or a ctid request failed.

    Attributes: errno (positive), strerror, request (the operation, e.g.
    "make_call"), req_id (the request id ctid answered, None when the
    request was refused before it was sent), detail (libcti's words on a
    failed connection, else "").
    """

    request: str
    req_id: Optional[int]
    detail: str

    def __init__(self, err: int, request: str, req_id: Optional[int] = None,
                 detail: str = "") -> None:
        super().__init__(err, os.strerror(err))
        self.request = request
        self.req_id = req_id
        self.detail = detail

    def __str__(self) -> str:
        where = self.request
        if self.req_id is not None:
            where += " (request %d)" % self.req_id
        text = "[Errno %d] %s: %s" % (self.errno, self.strerror, where)
        return text + (": " + self.detail if self.detail else "")

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.errno, self.request, self.req_id,
                             self.detail))


class CtiValueError(CtiError, ValueError):
    """A bad argument: EINVAL, EILSEQ, ENAMETOOLONG, ERANGE."""


class CtiPermissionError(CtiError, PermissionError):
    """Not allowed: EPERM, EACCES."""


class CtiTimeoutError(CtiError, TimeoutError):
    """ETIMEDOUT: the request is still pending (wait again or later)."""


class CtiNotFoundError(CtiError, FileNotFoundError):
    """ENOENT: no such line, request, card or ctid socket."""


class CtiConnectionError(CtiError, ConnectionError):
    """The connection to ctid: ECONNREFUSED, ECONNRESET, ENOTCONN."""


_CLASSES = {
    _errno.EINVAL: CtiValueError,
    _errno.EILSEQ: CtiValueError,
    _errno.ENAMETOOLONG: CtiValueError,
    _errno.ERANGE: CtiValueError,
    _errno.EPERM: CtiPermissionError,
    _errno.EACCES: CtiPermissionError,
    _errno.ETIMEDOUT: CtiTimeoutError,
    _errno.ENOENT: CtiNotFoundError,
    _errno.ECONNREFUSED: CtiConnectionError,
    _errno.ECONNRESET: CtiConnectionError,
    _errno.ENOTCONN: CtiConnectionError,
}


def error(err: int, request: str, req_id: Optional[int] = None,
          detail: str = "") -> CtiError:
    """The CtiError (or its subclass for @err) for a positive errno."""
    err = abs(err)
    return _CLASSES.get(err, CtiError)(err, request, req_id, detail)
