# SPDX-License-Identifier: LGPL-2.1-or-later
"""Session messages (events, replies, list items) as Python objects.

A Message copies everything out of libcti's struct cti_msg when it is
taken and frees the C message at once, so a Message is a plain value: it
may be kept, compared, printed and passed to other threads. The number
fields are converted to the enum the message type gives them (state is a
CallState in CALL_STATE, a LineStatus in LINE_STATUS...); reason follows
the call state as libcti's cti_call_reason_name() does.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Tuple, Union

from ._ffi import ffi, lib, pystr
from .enums import (AgentState, CallInfoChange, CallState, DisconnectReason,
                    HookMode, Hookswitch, LampMode, LineStatus, MsgType,
                    OfferReason, Origin, Privilege, ProviderLink, to_enum)

if TYPE_CHECKING:
    from .line import Call, Line
    from .phone import Phone

_CALL_TYPES = (MsgType.CALL_STATE, MsgType.CALL)
_STATE_ENUM = {
    MsgType.LINE_STATUS: LineStatus,
    MsgType.PHONE_HOOK: HookMode,
    MsgType.PHONE_LAMP: LampMode,
    MsgType.AGENT_STATE: AgentState,
}


def _reason(state: int, reason: int) -> Union[int, OfferReason,
                                              DisconnectReason]:
    if state == CallState.OFFERING:
        return to_enum(OfferReason, reason)
    if state in (CallState.DISCONNECTED, CallState.IDLE):
        return to_enum(DisconnectReason, reason)
    return reason


class Message:
    """One message of a session (see enum cti_msg_type in cti.h for which
    fields each type fills; the others are 0, "" or None)."""

    __slots__ = ("type", "line", "phone", "line_id", "seq", "timestamp_ns",
                 "request", "error", "call", "related_call", "state",
                 "reason", "origin", "changed", "arg", "privilege",
                 "caller", "caller_name", "called", "called_name", "text",
                 "data", "gap")

    type: Union[MsgType, int]
    line: Optional["Line"]
    phone: Optional["Phone"]
    line_id: int
    seq: int
    timestamp_ns: int
    request: int
    error: int
    call: int
    related_call: int
    state: Any
    reason: Any
    origin: Union[Origin, int]
    changed: Union[CallInfoChange, int]
    arg: int
    privilege: Union[Privilege, int]
    caller: str
    caller_name: str
    called: str
    called_name: str
    text: str
    data: bytes
    gap: Optional[Tuple[int, int, int]]

    def __init__(self, msg: Any, line: Optional["Line"],
                 phone: Optional["Phone"] = None) -> None:
        self.type = to_enum(MsgType, lib.cti_msg_get_type(msg))
        self.line = line
        self.phone = phone
        self.line_id = lib.cti_msg_get_line_id(msg)
        self.seq = lib.cti_msg_get_seq(msg)
        self.timestamp_ns = lib.cti_msg_get_timestamp_ns(msg)
        self.request = lib.cti_msg_get_request(msg)
        self.error = -lib.cti_msg_get_error(msg)
        self.call = lib.cti_msg_get_call(msg)
        self.related_call = lib.cti_msg_get_related_call(msg)
        self._numbers(msg)
        self.privilege = to_enum(Privilege, lib.cti_msg_get_privilege(msg))
        self.caller = pystr(lib.cti_msg_get_caller(msg))
        self.caller_name = pystr(lib.cti_msg_get_caller_name(msg))
        self.called = pystr(lib.cti_msg_get_called(msg))
        self.called_name = pystr(lib.cti_msg_get_called_name(msg))
        self.text = pystr(lib.cti_msg_get_text(msg))
        datap = ffi.new("const void **")
        n = lib.cti_msg_get_data(msg, datap)
        self.data = bytes(ffi.buffer(datap[0], n)) if n else b""
        self.gap = None
        if self.type == MsgType.GAP:
            first, last = ffi.new("uint64_t *"), ffi.new("uint64_t *")
            count = lib.cti_msg_get_gap(msg, first, last)
            self.gap = (int(first[0]), int(last[0]), int(count))

    def _numbers(self, msg: Any) -> None:
        """state, reason, origin, changed and arg, typed by message type."""
        state = lib.cti_msg_get_state(msg)
        reason = lib.cti_msg_get_reason(msg)
        self.arg = lib.cti_msg_get_arg(msg)
        self.origin = to_enum(Origin, lib.cti_msg_get_origin(msg))
        self.changed = CallInfoChange(lib.cti_msg_get_changed(msg))
        self.state = state
        self.reason = reason
        if self.type in _CALL_TYPES:
            self.state = to_enum(CallState, state)
            self.reason = _reason(state, reason)
        elif self.type == MsgType.CALL_INFO:
            self.reason = to_enum(OfferReason, reason)
        elif self.type == MsgType.PROVIDER:
            self.reason = to_enum(ProviderLink, reason)
        elif isinstance(self.type, MsgType) and self.type in _STATE_ENUM:
            self.state = to_enum(_STATE_ENUM[self.type], state)
        if self.type == MsgType.PHONE_HOOK:
            self.arg = Hookswitch(self.arg)  # the device, one bit

    def get_call(self) -> Optional["Call"]:
        """The call the message is about, as a Call of its line."""
        if self.line is None or not self.call:
            return None
        return self.line.call(self.call)

    def __repr__(self) -> str:
        name = getattr(self.type, "name", str(self.type))
        parts = ["%s seq=%d" % (name, self.seq)]
        if self.phone is not None:
            parts.append("phone=%s" % self.phone.name)
        elif self.line is not None:
            parts.append("line=%s" % self.line.name)
        if self.request:
            parts.append("req=%d" % self.request)
        if self.error:
            parts.append("error=%d" % self.error)
        if self.call:
            parts.append("call=%d" % self.call)
        if self.type in _CALL_TYPES:
            parts.append("state=%s reason=%s" % (
                getattr(self.state, "name", self.state),
                getattr(self.reason, "name", self.reason)))
        if self.text:
            parts.append("text=%r" % self.text)
        return "<Message %s>" % " ".join(parts)
