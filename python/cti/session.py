# SPDX-License-Identifier: LGPL-2.1-or-later
"""Session: one connection to ctid (struct cti_session).

The session is the only source of messages. They are taken from libcti
one at a time; the ones a caller does not want yet (wait_event() skipping
others, the asyncio reader draining the socket) wait in a queue of the
session, in order, and every way of reading events takes that queue
first. A session belongs to one thread at a time, like libcti's.
"""
from __future__ import annotations

import asyncio
import collections
import errno
import time
from typing import (Any, AsyncGenerator, Callable, Deque, Dict, Iterator,
                    List, Optional, Tuple, TypeVar)

from . import _ffi
from ._ffi import check, cstr, ffi, lib, pystr
from .errors import error
from .line import Line
from .message import Message
from .phone import Phone
from .request import Request
from .enums import MsgType

Predicate = Callable[[Message], bool]
W = TypeVar("W", Line, Phone)
_ITEM_TYPES = (MsgType.CALL, MsgType.PROVIDER, MsgType.PHONE,
               MsgType.LIST_END)


def _ms(timeout: Optional[float]) -> int:
    """Seconds (None: forever) as libcti's milliseconds (-1: forever)."""
    if timeout is None:
        return -1
    if timeout < 0:
        raise error(errno.EINVAL, "timeout %r is negative" % timeout)
    return min(int(timeout * 1000 + 0.999), 0x7fffffff)


def _deadline(timeout: Optional[float]) -> Optional[float]:
    """The monotonic time @timeout seconds from now (None: never)."""
    if timeout is None:
        return None
    _ms(timeout)  # the same check: not negative
    return time.monotonic() + timeout


def _left(deadline: Optional[float]) -> Optional[float]:
    """Seconds until @deadline, never negative (None: no deadline)."""
    if deadline is None:
        return None
    return max(deadline - time.monotonic(), 0.0)


class Session:
    """A session to ctid; a context manager that closes it.

    @uri: "unix:/path", an absolute path, or "tls://host:port?..."; None
    takes $CTI_URI, else the default socket. @timeout: seconds to wait for
    ctid (None: forever). @reconnect False: report DISCONNECTED and stay
    down (ctid then ends the session with the connection). @exclusive:
    owner opens are exclusive (CTI_SESSION_EXCLUSIVE).
    """

    def __init__(self, uri: Optional[str] = None, *,
                 client_name: Optional[str] = None,
                 timeout: Optional[float] = 5.0, reconnect: bool = True,
                 exclusive: bool = False) -> None:
        self._s: Any = None
        self._lines: Dict[int, Line] = {}
        self._phones: Dict[int, Phone] = {}
        self._queue: Deque[Message] = collections.deque()
        self._futures: Dict[int, "asyncio.Future[Tuple[int, int]]"] = {}
        self._waiters: List["asyncio.Future[None]"] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        opts = ffi.new("struct cti_session_options *")
        opts.size = ffi.sizeof("struct cti_session_options")
        opts.flags = ((0 if reconnect else lib.CTI_SESSION_NO_RECONNECT) |
                      (lib.CTI_SESSION_EXCLUSIVE if exclusive else 0))
        opts.timeout_ms = -1 if timeout is None else max(_ms(timeout), 1)
        name = cstr(client_name, "client_name", "session_open")
        opts.client_name = name
        out = ffi.new("struct cti_session **")
        rc = lib.cti_session_open(cstr(uri, "uri", "session_open"), opts,
                                  out)
        if rc < 0:
            raise error(-rc, "session_open", None,
                        pystr(lib.cti_session_error_detail()))
        self._s = out[0]

    def __repr__(self) -> str:
        if self._s is None:
            return "<Session closed>"
        return "<Session %d %s, %d lines>" % (
            self.id, "connected" if self.connected else "reconnecting",
            lib.cti_session_get_num_lines(self._s))

    # ---- lifetime ------------------------------------------------------

    def close(self) -> None:
        """End the session (ctid drops the calls only it owned). Lines and
        calls of the session fail with EBADF afterwards."""
        if self._s is None:
            return
        self._stop_reader()
        for fut in list(self._futures.values()) + self._waiters:
            if not fut.done():
                fut.set_exception(error(errno.EBADF, "session closed"))
        self._futures.clear()
        self._waiters.clear()
        lib.cti_session_close(self._s)
        self._s = None

    @property
    def closed(self) -> bool:
        return self._s is None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    async def __aenter__(self) -> "Session":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_s", None) is not None:
            lib.cti_session_close(self._s)
            self._s = None

    def _ptr(self, request: str) -> Any:
        if self._s is None:
            raise error(errno.EBADF, request + ": session closed")
        return self._s

    # ---- information ---------------------------------------------------

    def fileno(self) -> int:
        """The fd for select/poll/asyncio's add_reader; it polls readable
        when messages wait. Read them with poll_events() or next_event(),
        never from the fd."""
        return lib.cti_session_get_fd(self._ptr("fileno"))

    @property
    def id(self) -> int:
        return lib.cti_session_get_id(self._ptr("id"))

    @property
    def seq(self) -> int:
        """The sequence number of the last event received."""
        return lib.cti_session_get_seq(self._ptr("seq"))

    @property
    def is_admin(self) -> bool:
        return bool(lib.cti_session_is_admin(self._ptr("is_admin")))

    @property
    def connected(self) -> bool:
        return bool(lib.cti_session_is_connected(self._ptr("connected")))

    def _line(self, ptr: Any) -> Optional[Line]:
        """The Line object of a struct cti_line pointer (one per line)."""
        return self._wrap(self._lines, Line, ptr)

    def _wrap(self, cache: Dict[int, W], cls: Callable[["Session", Any], W],
              ptr: Any) -> Optional[W]:
        """The one object of @cls kept in @cache for C pointer @ptr (libcti
        keeps lines and phones as long as the session), None for NULL."""
        if ptr == ffi.NULL:
            return None
        key = int(ffi.cast("uintptr_t", ptr))
        obj = cache.get(key)
        if obj is None:
            obj = cache[key] = cls(self, ptr)
        return obj

    @property
    def lines(self) -> List[Line]:
        """The visible lines, in the order ctid listed them."""
        s = self._ptr("lines")
        n = lib.cti_session_get_num_lines(s)
        return [self._line(lib.cti_session_get_line(s, i))  # type: ignore
                for i in range(n)]

    def line(self, line_id: int) -> Line:
        """The line with stable id @line_id (CtiNotFoundError if none)."""
        lid = _ffi.u32(line_id, "line id", "line")
        line = self._line(lib.cti_session_get_line_by_id(self._ptr("line"),
                                                         lid))
        if line is None:
            raise error(errno.ENOENT, "line %d" % lid)
        return line

    def find_line(self, name: str) -> Line:
        """The line named @name, or with directory number @name."""
        out = ffi.new("struct cti_line **")
        check(lib.cti_session_find_line(
            self._ptr("find_line"),
            cstr(name, "name", "find_line", nullable=False), out),
            "find_line %r" % name)
        return self._line(out[0])  # type: ignore[return-value]

    # ---- phones --------------------------------------------------------

    @property
    def has_phones(self) -> bool:
        """Whether ctid serves phones as objects (else the phone requests
        fail with EOPNOTSUPP)."""
        return bool(lib.cti_session_has_phones(self._ptr("has_phones")))

    def _phone(self, ptr: Any) -> Optional[Phone]:
        """The Phone object of a struct cti_phone pointer (one per phone)."""
        return self._wrap(self._phones, Phone, ptr)

    @property
    def phones(self) -> List[Phone]:
        """The phones listed so far (list_phones()), in ctid's order."""
        s = self._ptr("phones")
        n = lib.cti_session_get_num_phones(s)
        return [self._phone(lib.cti_session_get_phone(s, i))  # type: ignore
                for i in range(n)]

    def phone(self, phone_id: int) -> Phone:
        """The listed phone with id @phone_id, its line's (CtiNotFoundError
        if none)."""
        pid = _ffi.u32(phone_id, "phone id", "phone")
        phone = self._phone(lib.cti_session_get_phone_by_id(
            self._ptr("phone"), pid))
        if phone is None:
            raise error(errno.ENOENT, "phone %d" % pid)
        return phone

    def find_phone(self, name: str) -> Phone:
        """The listed phone named @name, or whose line has number @name."""
        out = ffi.new("struct cti_phone **")
        check(lib.cti_session_find_phone(
            self._ptr("find_phone"),
            cstr(name, "name", "find_phone", nullable=False), out),
            "find_phone %r" % name)
        return self._phone(out[0])  # type: ignore[return-value]

    def list_phones(self) -> "Request[List[Message]]":
        """Refresh the phones: a PHONE message per phone the user may see,
        and the LIST_END; .phones then holds them."""
        return self._items("list_phones", lib.cti_session_list_phones)

    # ---- requests ------------------------------------------------------

    def _request(self, name: str, func: Callable[..., int], *args: Any,
                 convert: Callable[[int], Any] = lambda call: None) -> Any:
        """Send a session request (its first argument the session)."""
        req_id = _ffi.submit(name, func, self._ptr(name), *args)
        return Request(self, req_id, name, convert)

    def _items(self, name: str, func: Callable[..., int],
               *args: Any) -> "Request[List[Message]]":
        """A list request: its result is the items it brought."""
        return self._as_items(self._request(name, func, *args))

    def _as_items(self, req: "Request[Any]") -> "Request[List[Message]]":
        """@req made a list request: its result is the items it brought."""
        req._convert = lambda call: self._take_items(req.id)
        return req

    def list_lines(self) -> "Request[None]":
        """Refresh the line objects."""
        return self._request("list_lines", lib.cti_session_list_lines)

    def list_calls(self, line: Optional[Line] = None
                   ) -> "Request[List[Message]]":
        """CALL messages for every call of @line (None: of every line
        the session has open)."""
        ptr = ffi.NULL if line is None else line._ptr("list_calls")
        return self._items("list_calls", lib.cti_session_list_calls, ptr)

    def snapshot(self) -> "Request[List[Message]]":
        return self._items("snapshot", lib.cti_session_snapshot)

    def ping(self) -> "Request[None]":
        return self._request("ping", lib.cti_session_ping)

    def list_providers(self) -> "Request[List[Message]]":
        """PROVIDER messages (administrators only: EACCES otherwise)."""
        return self._items("list_providers", lib.cti_session_list_providers)

    def load_provider(self, name: str) -> "Request[None]":
        return self._request("load_provider", lib.cti_session_load_provider,
                             cstr(name, "name", "load_provider", False))

    def unload_provider(self, name: str) -> "Request[None]":
        return self._request("unload_provider",
                             lib.cti_session_unload_provider,
                             cstr(name, "name", "unload_provider", False))

    def reload_provider(self, name: str) -> "Request[None]":
        return self._request("reload_provider",
                             lib.cti_session_reload_provider,
                             cstr(name, "name", "reload_provider", False))

    def reload_server(self) -> "Request[None]":
        return self._request("reload_server", lib.cti_session_reload_server)

    # ---- messages ------------------------------------------------------

    def _take(self) -> Optional[Message]:
        """The next message from libcti (replies someone awaits go to
        their future), or None; never blocks."""
        s = self._ptr("next_event")
        out = ffi.new("struct cti_msg **")
        while True:
            rc = check(lib.cti_session_next_msg(s, out), "next_msg")
            if rc == 0:
                return None
            try:
                msg = Message(out[0],
                              self._line(lib.cti_msg_get_line(out[0])),
                              self._phone(lib.cti_msg_get_phone(out[0])))
            finally:
                lib.cti_msg_free(out[0])
            fut = (self._futures.pop(msg.request, None)
                   if msg.type == MsgType.REPLY else None)
            # A reply whose awaiting task was cancelled (asyncio.wait_for
            # ran out) stays in the stream for a later wait().
            if fut is None or fut.done():
                return msg
            fut.set_result((msg.error, msg.call))

    def _take_items(self, req_id: int) -> List[Message]:
        """Pull the items of list request @req_id out of the stream (they
        all came before its reply); other messages keep their place."""
        while True:
            msg = self._take()
            if msg is None:
                break
            self._queue.append(msg)
        items = [m for m in self._queue
                 if m.request == req_id and m.type in _ITEM_TYPES]
        self._queue = collections.deque(
            m for m in self._queue
            if not (m.request == req_id and m.type in _ITEM_TYPES))
        return items

    def _wait_reply(self, req_id: int, name: str,
                    timeout: Optional[float]) -> Tuple[int, int]:
        """Blocking reply of a request: (positive errno or 0, call)."""
        for m in self._queue:
            if m.type == MsgType.REPLY and m.request == req_id:
                self._queue.remove(m)
                return m.error, m.call
        call = ffi.new("uint32_t *")
        deadline = _deadline(timeout)
        while True:
            rc = lib.cti_session_wait_reply(self._ptr(name), req_id,
                                            _ms(_left(deadline)), call)
            # A signal: its Python handler runs between two calls (PEP
            # 475), and may raise (KeyboardInterrupt); else wait on.
            if rc != -errno.EINTR:
                break
        if rc == -errno.ETIMEDOUT:
            raise error(-rc, name, req_id)  # still pending
        return -rc, int(call[0])

    def poll_events(self) -> List[Message]:
        """Every message ready now, without blocking."""
        out = list(self._queue)
        self._queue.clear()
        while True:
            msg = self._take()
            if msg is None:
                return out
            out.append(msg)

    def dispatch(self, callback: Callable[[Message], Any]) -> int:
        """cti_session_dispatch() for Python: hand every message ready
        now to @callback, in order; returns how many. (The C callback
        is not bound: a Python one called from here is the same, without
        a C-to-Python trampoline.)"""
        msgs = self.poll_events()
        for i, msg in enumerate(msgs):
            try:
                callback(msg)
            except BaseException:
                # what the callback did not see stays queued, in order
                self._queue.extendleft(reversed(msgs[i + 1:]))
                raise
        return len(msgs)

    def next_event(self, timeout: Optional[float] = None
                   ) -> Optional[Message]:
        """The next message, waiting at most @timeout seconds (None:
        forever); None on timeout."""
        deadline = _deadline(timeout)
        while True:
            if self._queue:
                return self._queue.popleft()
            msg = self._take()
            if msg is not None:
                return msg
            left = _left(deadline)
            rc = lib.cti_session_wait(self._ptr("next_event"), _ms(left))
            if rc == -errno.EINTR:
                continue  # as in _wait_reply
            if check(rc, "wait") == 0 and left is not None and left <= 0:
                return None

    def wait_event(self, predicate: Optional[Predicate] = None,
                   timeout: Optional[float] = None, **fields: Any
                   ) -> Message:
        """The first message that matches @predicate and every field
        given (type=MsgType.CALL_STATE, line=l, state=...), waiting at most
        @timeout seconds: CtiTimeoutError if none came. Messages that do
        not match stay queued, in order, for the next reader."""
        deadline = _deadline(timeout)
        skipped: List[Message] = []
        try:
            while True:
                msg = self.next_event(_left(deadline))
                if msg is None:
                    raise error(errno.ETIMEDOUT, "wait_event %s" % (
                        fields or predicate))
                if all(getattr(msg, k) == v for k, v in fields.items()) \
                        and (predicate is None or predicate(msg)):
                    return msg
                skipped.append(msg)
        finally:
            self._queue.extendleft(reversed(skipped))

    def __iter__(self) -> Iterator[Message]:
        """Every message, blocking: `for ev in session:`."""
        while True:
            msg = self.next_event()
            if msg is not None:
                yield msg

    # ---- asyncio -------------------------------------------------------

    def _start_reader(self) -> asyncio.AbstractEventLoop:
        """Watch the fd from the running loop: what arrives is taken into
        the queue (or to the futures of awaited replies)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._stop_reader()
            loop.add_reader(self.fileno(), self._on_readable)
            self._loop = loop
        return loop

    def _stop_reader(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(lib.cti_session_get_fd(self._s))
        self._loop = None

    def _on_readable(self) -> None:
        try:
            while True:
                msg = self._take()
                if msg is None:
                    break
                self._queue.append(msg)
            exc = None
        except Exception as e:  # pylint: disable=broad-except
            exc = e
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                if exc is None:
                    fut.set_result(None)
                else:
                    fut.set_exception(exc)

    async def _areply(self, req_id: int) -> Tuple[int, int]:
        for m in self._queue:
            if m.type == MsgType.REPLY and m.request == req_id:
                self._queue.remove(m)
                return m.error, m.call
        loop = self._start_reader()
        fut: "asyncio.Future[Tuple[int, int]]" = loop.create_future()
        self._futures[req_id] = fut
        self._on_readable()  # it may already be in libcti's queue
        try:
            return await fut
        finally:
            if self._futures.get(req_id) is fut:
                del self._futures[req_id]

    async def events(self) -> AsyncGenerator[Message, None]:
        """Every message, as an async iterator: `async for ev in
        session.events():`. Ends when the session is closed."""
        loop = self._start_reader()
        while self._s is not None:
            if not self._queue:
                self._on_readable()
            if self._queue:
                yield self._queue.popleft()
                continue
            fut: "asyncio.Future[None]" = loop.create_future()
            self._waiters.append(fut)
            try:
                await fut
            except OSError:
                if self._s is None:
                    return
                raise

    async def next_event_async(self, timeout: Optional[float] = None
                               ) -> Optional[Message]:
        """The next message from asyncio; None after @timeout seconds."""
        it = self.events()
        try:
            return await asyncio.wait_for(it.__anext__(), timeout)
        except (asyncio.TimeoutError, StopAsyncIteration):
            return None
        finally:
            await it.aclose()
