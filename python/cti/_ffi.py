# SPDX-License-Identifier: LGPL-2.1-or-later
"""The compiled libcti binding and the checks every wrapper shares.

Arguments are validated here, before they reach C, so that a Python value
libcti could not see correctly (a str with a NUL, which C would cut
short; an int that does not fit the C type, which cffi would reject with
a bare OverflowError) fails as a CtiValueError carrying EINVAL like any
other bad argument.
"""
from __future__ import annotations

import errno
from typing import Any, Callable, Optional, Tuple, Union

from ._libcti import ffi, lib
from .errors import error

__all__ = ["ffi", "lib", "check", "cstr", "pystr", "u16", "u32", "u64", "submit",
           "buffer"]

NULL = ffi.NULL


def check(rc: int, request: str, req_id: Optional[int] = None) -> int:
    """Raise the CtiError of a negative libcti return; else return it."""
    if rc < 0:
        raise error(-rc, request, req_id)
    return rc


def cstr(value: Optional[str], what: str, request: str,
         nullable: bool = True) -> Any:
    """A str as a C string (NULL for None when @nullable)."""
    if value is None:
        if nullable:
            return NULL
        raise error(errno.EINVAL, "%s: %s missing" % (request, what))
    if not isinstance(value, str):
        raise TypeError("%s: %s must be str, not %s"
                        % (request, what, type(value).__name__))
    if "\0" in value:
        raise error(errno.EINVAL, "%s: %s contains NUL" % (request, what))
    try:
        return ffi.new("char[]", value.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise error(errno.EILSEQ, "%s: %s" % (request, what)) from exc


def pystr(ptr: Any) -> str:
    """A C string owned by libcti as str ("" for NULL)."""
    if ptr == NULL:
        return ""
    return ffi.string(ptr).decode("utf-8", "replace")


def _uint(value: Any, bits: int, what: str, request: str) -> int:
    # A Call (or anything with a handle) stands for its handle.
    value = getattr(value, "handle", value)
    if isinstance(value, bool):
        value = int(value)
    if not isinstance(value, int):
        raise TypeError("%s: %s must be int, not %s"
                        % (request, what, type(value).__name__))
    if not 0 <= value < (1 << bits):
        raise error(errno.EINVAL, "%s: %s %d out of range"
                    % (request, what, value))
    return int(value)


def u16(value: Any, what: str, request: str) -> int:
    """@value checked to fit a uint16_t."""
    return _uint(value, 16, what, request)


def u32(value: Any, what: str, request: str) -> int:
    """@value checked to fit a uint32_t."""
    return _uint(value, 32, what, request)


def u64(value: Any, what: str, request: str) -> int:
    """@value checked to fit a uint64_t."""
    return _uint(value, 64, what, request)


def buffer(data: Union[bytes, bytearray, memoryview], request: str
           ) -> Tuple[Any, int]:
    """Bytes as a C buffer and its length in bytes (for a memoryview,
    its nbytes, not its item count)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("%s: data must be bytes, not %s"
                        % (request, type(data).__name__))
    raw = bytes(data)
    return ffi.from_buffer(raw), len(raw)


def submit(request: str, func: Callable[..., int], *args: Any) -> int:
    """Call a libcti request function (its last argument the uint64_t
    *req out) and return the request id, or raise its CtiError."""
    out = ffi.new("uint64_t *")
    check(func(*args, out), request)
    return int(out[0])
