# SPDX-License-Identifier: LGPL-2.1-or-later
"""The card layer (lib/cti_card.h): drive /dev/ctiN without ctid.

Descriptions, line and phone infos, events and snapshots are copied into
plain Python objects when read (the C objects are freed at once), with
one generic copier driven by a table of field names: binding a new
cti_card_*_get_FIELD accessor is one word in that table.
"""
from __future__ import annotations

import asyncio
import collections
import errno
import select
import time
from typing import (Any, AsyncGenerator, Deque, Dict, List, Optional, Tuple,
                    Union)

from . import _ffi
from ._ffi import check, cstr, ffi, lib, pystr, u32
from .enums import (CallState, CardCap, CardChange, CardEventType,
                    CardFeature, Cmd, LineStatus, LinkState, to_enum)
from .errors import error

Data = Union[bytes, bytearray, memoryview]


def _copy(obj: Any, prefix: str, fields: Tuple[str, ...], *args: Any
          ) -> Dict[str, Any]:
    """{field: cti_card_PREFIX_get_FIELD(obj, *args)}, C strings as str."""
    out = {}
    for f in fields:
        v = getattr(lib, "cti_card_%s_get_%s" % (prefix, f))(obj, *args)
        out[f] = pystr(v) if isinstance(v, ffi.CData) else v
    return out


class _Record:
    """A plain record whose attributes are its FIELDS."""
    FIELDS: Tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        for k, v in values.items():
            setattr(self, k, v)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % kv for kv in vars(self).items()))


class CardDesc(_Record):
    """What a card is (struct cti_card_desc)."""
    FIELDS = ("index", "name", "driver", "vendor", "serial", "features",
              "caps", "num_lines", "num_phones", "link_state")
    index: int
    name: str
    driver: str
    vendor: str
    serial: str
    features: CardFeature
    caps: CardCap
    num_lines: int
    num_phones: int
    link_state: Union[LinkState, int]

    @classmethod
    def _from(cls, desc: Any) -> "CardDesc":
        d = _copy(desc, "desc", cls.FIELDS)
        d["features"] = CardFeature(d["features"])
        d["caps"] = CardCap(d["caps"])
        d["link_state"] = to_enum(LinkState, d["link_state"])
        return cls(**d)


class CardLineInfo(_Record):
    """One line of a card (struct cti_card_line_info)."""
    FIELDS = ("line", "name", "ops", "status", "num_calls", "max_calls")
    line: int
    name: str
    ops: int
    status: Union[LineStatus, int]
    num_calls: int
    max_calls: int
    addresses: List[str]


class CardPhoneInfo(_Record):
    """One phone of a card (struct cti_card_phone_info)."""
    FIELDS = ("phone", "name", "hookswitches", "num_buttons", "num_lamps",
              "display_rows", "display_cols", "line")


class CardEvent(_Record):
    """One event of a card (struct cti_card_event); see enum
    cti_event_type in cti_card.h for which fields each type fills."""
    FIELDS = ("type", "line", "seq", "timestamp_ns", "request_id", "error",
              "cmd", "call", "state", "reason", "related_call", "origin",
              "changed", "arg", "num_calls", "forward_mode", "dnd",
              "caller", "caller_name", "called", "called_name", "text",
              "lost")
    type: Union[CardEventType, int]
    request_id: int
    error: int
    call: int
    state: Any
    data: bytes

    @classmethod
    def _from(cls, ev: Any) -> "CardEvent":
        d = _copy(ev, "event", cls.FIELDS)
        d["type"] = to_enum(CardEventType, d["type"])
        d["error"] = -d["error"]
        if d["type"] == CardEventType.CALL_STATE:
            d["state"] = to_enum(CallState, d["state"])
        datap = ffi.new("const void **")
        n = lib.cti_card_event_get_data(ev, datap)
        d["data"] = bytes(ffi.buffer(datap[0], n)) if n else b""
        return cls(**d)


class CardSnapshot(_Record):
    """Every line and call of a card at one instant: seq, lines (dicts of
    line, status, num_calls, forward_mode, forward_to, dnd) and calls
    (dicts of line, call, state, reason, origin, related, caller,
    called)."""
    LINE_FIELDS = ("line", "line_status", "line_num_calls",
                   "line_forward_mode", "line_forward_to", "line_dnd")
    CALL_FIELDS = ("call_line", "call", "call_state", "call_reason",
                   "call_origin", "call_related", "call_caller",
                   "call_called")
    seq: int
    lines: List[Dict[str, Any]]
    calls: List[Dict[str, Any]]

    @classmethod
    def _from(cls, snap: Any) -> "CardSnapshot":
        def rows(count: int, fields: Tuple[str, ...], prefix: str
                 ) -> List[Dict[str, Any]]:
            # "line_status" -> "status"; "line" and "call" stay
            return [{(k.removeprefix(prefix) or k): v for k, v in
                     _copy(snap, "snapshot", fields, i).items()}
                    for i in range(count)]
        lines = rows(lib.cti_card_snapshot_get_num_lines(snap),
                     cls.LINE_FIELDS, "line_")
        calls = rows(lib.cti_card_snapshot_get_num_calls(snap),
                     cls.CALL_FIELDS, "call_")
        for ln in lines:
            ln["status"] = to_enum(LineStatus, ln["status"])
        for c in calls:
            c["state"] = to_enum(CallState, c["state"])
        return cls(seq=lib.cti_card_snapshot_get_seq(snap), lines=lines,
                   calls=calls)


def list_cards() -> List[CardDesc]:
    """The cards the kernel has (CtiNotFoundError: cti.ko not loaded)."""
    out = ffi.new("struct cti_card_list **")
    check(lib.cti_card_list_new(out), "list_cards")
    try:
        return [CardDesc._from(lib.cti_card_list_get_desc(out[0], i))
                for i in range(lib.cti_card_list_get_count(out[0]))]
    finally:
        lib.cti_card_list_free(out[0])


class Card:
    """An open card; a context manager that closes it. @device: a path
    ("/dev/cti0") or an index (0). @watch: read-only, events only;
    @no_mmap: read() the events instead of mapping the ring."""

    def __init__(self, device: Union[str, int], *, watch: bool = False,
                 no_mmap: bool = False, batch: int = 256) -> None:
        self._c: Any = None
        self._buf: Any = None
        self._queue: Deque[CardEvent] = collections.deque()
        self._next_id = 1
        flags = ((lib.CTI_CARD_OPEN_WATCH if watch else 0) |
                 (lib.CTI_CARD_OPEN_NO_MMAP if no_mmap else 0))
        out = ffi.new("struct cti_card **")
        if isinstance(device, bool):
            raise TypeError("card_open: device must be a path or an index")
        if isinstance(device, int):
            rc = lib.cti_card_open_index(u32(device, "index", "card_open"),
                                         flags, out)
        else:
            rc = lib.cti_card_open(cstr(device, "path", "card_open", False),
                                   flags, out)
        check(rc, "card_open %s" % (device,))
        self._c = out[0]
        bufp = ffi.new("struct cti_card_event_buffer **")
        rc = lib.cti_card_event_buffer_new(batch, bufp)
        if rc < 0:
            self.close()
            check(rc, "event_buffer_new %d" % batch)
        self._buf = bufp[0]

    def close(self) -> None:
        if self._c is not None:
            lib.cti_card_close(self._c)
            self._c = None
        if self._buf is not None:
            lib.cti_card_event_buffer_free(self._buf)
            self._buf = None

    def __enter__(self) -> "Card":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._c is None

    def _ptr(self, request: str) -> Any:
        if self._c is None:
            raise error(errno.EBADF, request + ": card closed")
        return self._c

    def fileno(self) -> int:
        return lib.cti_card_get_fd(self._ptr("fileno"))

    @property
    def path(self) -> str:
        return pystr(lib.cti_card_get_path(self._ptr("path")))

    @property
    def uses_ring(self) -> bool:
        return bool(lib.cti_card_uses_ring(self._ptr("uses_ring")))

    def desc(self) -> CardDesc:
        out = ffi.new("struct cti_card_desc **")
        check(lib.cti_card_get_desc(self._ptr("get_desc"), out), "get_desc")
        try:
            return CardDesc._from(out[0])
        finally:
            lib.cti_card_desc_free(out[0])

    def line_info(self, line: int) -> CardLineInfo:
        out = ffi.new("struct cti_card_line_info **")
        n = u32(line, "line", "get_line_info")
        check(lib.cti_card_get_line_info(self._ptr("get_line_info"), n, out),
              "get_line_info %d" % n)
        try:
            info = _copy(out[0], "line_info", CardLineInfo.FIELDS)
            info["status"] = to_enum(LineStatus, info["status"])
            info["addresses"] = [
                pystr(lib.cti_card_line_info_get_address(out[0], i)) for i in
                range(lib.cti_card_line_info_get_num_addresses(out[0]))]
            return CardLineInfo(**info)
        finally:
            lib.cti_card_line_info_free(out[0])

    def phone_info(self, phone: int) -> CardPhoneInfo:
        out = ffi.new("struct cti_card_phone_info **")
        n = u32(phone, "phone", "get_phone_info")
        check(lib.cti_card_get_phone_info(self._ptr("get_phone_info"), n,
                                          out), "get_phone_info %d" % n)
        try:
            return CardPhoneInfo(**_copy(out[0], "phone_info",
                                         CardPhoneInfo.FIELDS))
        finally:
            lib.cti_card_phone_info_free(out[0])

    def snapshot(self) -> CardSnapshot:
        out = ffi.new("struct cti_card_snapshot **")
        check(lib.cti_card_snapshot(self._ptr("snapshot"), out), "snapshot")
        try:
            return CardSnapshot._from(out[0])
        finally:
            lib.cti_card_snapshot_free(out[0])

    def set_filter(self, types: Optional[List[CardEventType]] = None,
                   lines: Optional[List[int]] = None) -> None:
        """Receive only @types (None: all) about @lines (None: all)."""
        mask = int(lib.CTI_CARD_EV_ALL) if types is None else 0
        for t in types or ():
            mask |= 1 << u32(t, "type", "set_filter")
        words, nbits = ffi.NULL, 0
        if lines is not None:
            nbits = (max(lines, default=0) // 64 + 1) * 64
            words = ffi.new("uint64_t[]", nbits // 64)
            for n in lines:
                n = u32(n, "line", "set_filter")
                words[n // 64] |= 1 << (n % 64)
        check(lib.cti_card_set_filter(self._ptr("set_filter"), mask, words,
                                      nbits), "set_filter")

    def submit(self, cmd: Union[Cmd, int], line: int, call: int = 0,
               call2: int = 0, arg: int = 0, arg2: int = 0,
               data: Data = b"", req_id: Optional[int] = None) -> int:
        """Hand the card a command; returns the id its REPLY event will
        carry (@req_id, or the next of the card's own counter)."""
        n = "card_submit"
        if req_id is None:
            req_id, self._next_id = self._next_id, self._next_id + 1
        req = ffi.new("struct cti_card_request *")
        buf, size = _ffi.buffer(data, n)
        req.size = ffi.sizeof("struct cti_card_request")
        req.cmd = _ffi.u16(cmd, "cmd", n)
        req.id = _ffi.u64(req_id, "id", n)
        req.line = u32(line, "line", n)
        req.call = u32(call, "call", n)
        req.call2 = u32(call2, "call2", n)
        req.arg = u32(arg, "arg", n)
        req.arg2 = u32(arg2, "arg2", n)
        req.data_len = size
        req.data = buf if size else ffi.NULL
        check(lib.cti_card_submit(self._ptr(n), req), "%s %s" % (n, cmd))
        return req_id

    def read_events(self) -> List[CardEvent]:
        """The events waiting now (never blocks; [] when none)."""
        out = list(self._queue)
        self._queue.clear()
        n = check(lib.cti_card_read_events(self._ptr("read_events"),
                                           self._buf, 0), "read_events")
        for i in range(n):
            out.append(CardEvent._from(
                lib.cti_card_event_buffer_get_event(self._buf, i)))
        return out

    def next_event(self, timeout: Optional[float] = None
                   ) -> Optional[CardEvent]:
        """The next event, waiting at most @timeout seconds; None then."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._queue:
            self._queue.extend(self.read_events())
            if self._queue:
                break
            left = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
            select.select([self.fileno()], [], [], left)
        return self._queue.popleft()

    def wait_reply(self, req_id: int, timeout: Optional[float] = None
                   ) -> CardEvent:
        """Block until the REPLY of @req_id; raise its CtiError if it
        failed, CtiTimeoutError if it did not come. Other events stay
        queued, in order."""
        deadline = None if timeout is None else time.monotonic() + timeout
        skipped: List[CardEvent] = []
        try:
            while True:
                left = None if deadline is None else \
                    max(deadline - time.monotonic(), 0.0)
                ev = self.next_event(left)
                if ev is None:
                    raise error(errno.ETIMEDOUT, "card reply", req_id)
                if ev.type == CardEventType.REPLY and ev.request_id == req_id:
                    if ev.error:
                        raise error(ev.error, "card request", req_id)
                    return ev
                skipped.append(ev)
        finally:
            self._queue.extendleft(reversed(skipped))

    async def events(self) -> AsyncGenerator[CardEvent, None]:
        """Every event, as an async iterator (ends at CARD_REMOVED)."""
        loop = asyncio.get_running_loop()
        while True:
            for ev in self.read_events():
                yield ev
                if ev.type == CardEventType.CARD_REMOVED:
                    return
            ready: "asyncio.Future[None]" = loop.create_future()
            fd = self.fileno()
            loop.add_reader(fd, _wake, ready)
            try:
                await ready
            finally:
                loop.remove_reader(fd)


def _wake(fut: "asyncio.Future[None]") -> None:
    if not fut.done():
        fut.set_result(None)


class CardMonitor:
    """Cards arriving and leaving (netlink); a context manager."""

    def __init__(self) -> None:
        out = ffi.new("struct cti_card_monitor **")
        check(lib.cti_card_monitor_open(out), "card_monitor_open")
        self._m: Any = out[0]

    def close(self) -> None:
        if self._m is not None:
            lib.cti_card_monitor_close(self._m)
            self._m = None

    def __enter__(self) -> "CardMonitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def fileno(self) -> int:
        if self._m is None:
            raise error(errno.EBADF, "card monitor closed")
        return lib.cti_card_monitor_get_fd(self._m)

    def read(self) -> Optional[Tuple[Union[CardChange, int], CardDesc]]:
        """The next change, or None when none waits (never blocks)."""
        change = ffi.new("int *")
        desc = ffi.new("struct cti_card_desc **")
        self.fileno()
        if check(lib.cti_card_monitor_read(self._m, change, desc),
                 "card_monitor_read") == 0:
            return None
        try:
            return to_enum(CardChange, change[0]), CardDesc._from(desc[0])
        finally:
            lib.cti_card_desc_free(desc[0])
