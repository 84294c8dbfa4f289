# SPDX-License-Identifier: LGPL-2.1-or-later
"""Line and Call: what a session sees of ctid's lines, and their calls.

A Line wraps a struct cti_line (it lives as long as its session); a Call
is a line plus a call handle, as in libcti, so it is a cheap value made
for any handle (Line.call(handle), Message.get_call()). Every request
returns a Request (see request.py): `.wait()` blocks, `await` suits
asyncio. Binding a new libcti request is one method that hands the C
function and its arguments to _request().
"""
from __future__ import annotations

from typing import (TYPE_CHECKING, Any, Callable, List, Optional, Tuple,
                    Union)

from . import _ffi
from ._ffi import cstr, lib, pystr, u32
from .enums import (AgentState, CallState, Cmd, ForwardMode, HookMode,
                    LampMode, LineStatus, MsgType, Privilege, Tone,
                    TransferMode, to_enum)
from .request import OpenRequest, Request

if TYPE_CHECKING:
    from .message import Message
    from .phone import Phone
    from .session import Session

Data = Union[bytes, bytearray, memoryview]
CallLike = Union["Call", int]


class Line:
    """One line visible to the session. `with line.open(...)` opens it
    for the block; the attributes read libcti's current view."""

    def __init__(self, session: "Session", ptr: Any) -> None:
        self.session = session
        self._line = ptr

    def _ptr(self, request: str) -> Any:
        self.session._ptr(request)  # EBADF once the session is closed
        return self._line

    def _request(self, name: str, func: Callable[..., int], *args: Any,
                 creates_call: bool = False) -> Any:
        """Send a line request (its first argument the line)."""
        req_id = _ffi.submit(name, func, self._ptr(name), *args)
        convert: Callable[[int], Any] = (
            (lambda h: self.call(h) if h else None) if creates_call
            else (lambda h: None))
        return Request(self.session, req_id, name, convert)

    # ---- information ---------------------------------------------------

    @property
    def id(self) -> int:
        return lib.cti_line_get_id(self._ptr("id"))

    @property
    def name(self) -> str:
        return pystr(lib.cti_line_get_name(self._ptr("name")))

    @property
    def provider(self) -> str:
        return pystr(lib.cti_line_get_provider_name(self._ptr("provider")))

    @property
    def addresses(self) -> List[str]:
        """The line's directory numbers."""
        p = self._ptr("addresses")
        return [pystr(lib.cti_line_get_address(p, i))
                for i in range(lib.cti_line_get_num_addresses(p))]

    @property
    def number(self) -> str:
        """The first directory number ("" if it has none)."""
        addrs = self.addresses
        return addrs[0] if addrs else ""

    @property
    def status(self) -> Union[LineStatus, int]:
        return to_enum(LineStatus, lib.cti_line_get_status(self._ptr("status")))

    @property
    def ops(self) -> List[Union[Cmd, int]]:
        """The commands the line supports."""
        p = self._ptr("ops")
        bits = [(lib.cti_line_get_ops(p), 0),
                (lib.cti_line_get_uops(p), lib.CTI_UCMD_BASE)]
        return [to_enum(Cmd, base + n) for mask, base in bits
                for n in range(64) if mask >> n & 1]

    def supports(self, cmd: Union[Cmd, int]) -> bool:
        return bool(lib.cti_line_supports(self._ptr("supports"),
                                          u32(cmd, "cmd", "supports")))

    @property
    def max_calls(self) -> int:
        return lib.cti_line_get_max_calls(self._ptr("max_calls"))

    @property
    def num_calls(self) -> int:
        return lib.cti_line_get_num_calls(self._ptr("num_calls"))

    @property
    def forward(self) -> Tuple[Union[ForwardMode, int], str]:
        """(mode, destination) of the line's forwarding."""
        p = self._ptr("forward")
        return (to_enum(ForwardMode, lib.cti_line_get_forward_mode(p)),
                pystr(lib.cti_line_get_forward_to(p)))

    @property
    def dnd(self) -> bool:
        return bool(lib.cti_line_get_dnd(self._ptr("dnd")))

    def may_open(self, priv: Privilege = Privilege.OWNER) -> bool:
        """Whether ctid lets this user open the line with @priv."""
        return lib.cti_line_may_open(self._ptr("may_open"),
                                     u32(priv, "privilege", "may_open")) > 0

    @property
    def privilege(self) -> Union[Privilege, int]:
        """The session's privilege on the line (NONE: not open)."""
        return to_enum(Privilege,
                       lib.cti_line_get_privilege(self._ptr("privilege")))

    @property
    def removed(self) -> bool:
        return bool(lib.cti_line_is_removed(self._ptr("removed")))

    @property
    def phone(self) -> Optional["Phone"]:
        """The line's Phone once listed (Session.list_phones()), or None."""
        return self.session._phone(lib.cti_line_get_phone(self._ptr("phone")))

    def call(self, handle: int) -> "Call":
        """The call @handle of this line."""
        return Call(self, u32(handle, "call", "call"))

    def __repr__(self) -> str:
        if self.session.closed:
            return "<Line (session closed)>"
        return "<Line %d %s %s>" % (self.id, self.name, self.addresses)

    # ---- opening -------------------------------------------------------

    def open(self, priv: Privilege = Privilege.OWNER
             ) -> "OpenRequest[Line]":
        """Open the line as OWNER or MONITOR. The Request is also a
        context manager: `with line.open():` waits for the reply and
        closes the line when the block ends."""
        req_id = _ffi.submit("open_line", lib.cti_line_open,
                             self._ptr("open_line"),
                             u32(priv, "privilege", "open_line"))
        return OpenRequest(self, req_id, "open_line")

    def close(self) -> "Request[None]":
        """Close the line (libcti stops reopening it after a resync)."""
        return self._request("close_line", lib.cti_line_close)

    # ---- line requests -------------------------------------------------

    def make_call(self, number: str) -> "Request[Optional[Call]]":
        """Call @number; the result is the new Call."""
        return self._request("make_call", lib.cti_line_make_call,
                             cstr(number, "number", "make_call"),
                             creates_call=True)

    def unpark(self, slot: str) -> "Request[Optional[Call]]":
        return self._request("unpark", lib.cti_line_unpark,
                             cstr(slot, "slot", "unpark"), creates_call=True)

    def pickup(self, number: Optional[str] = None
               ) -> "Request[Optional[Call]]":
        """Pick up the call ringing at @number (None: the group's oldest)."""
        return self._request("pickup", lib.cti_line_pickup,
                             cstr(number, "number", "pickup"),
                             creates_call=True)

    def set_forward(self, mode: ForwardMode, number: Optional[str] = None
                    ) -> "Request[None]":
        return self._request("set_forward", lib.cti_line_set_forward,
                             u32(mode, "mode", "set_forward"),
                             cstr(number, "number", "set_forward"))

    def set_dnd(self, on: bool) -> "Request[None]":
        return self._request("set_dnd", lib.cti_line_set_dnd, 1 if on else 0)

    def dev_specific(self, data: Data) -> "Request[None]":
        return self._request("dev_specific", lib.cti_line_dev_specific,
                             *_ffi.buffer(data, "dev_specific"))

    def send_link_frame(self, data: Data) -> "Request[None]":
        return self._request("send_link_frame", lib.cti_line_send_link_frame,
                             *_ffi.buffer(data, "send_link_frame"))

    def submit(self, cmd: Union[Cmd, int], call: CallLike = 0,
               call2: CallLike = 0, arg: int = 0, arg2: int = 0,
               data: Data = b"") -> "Request[Optional[Call]]":
        """Any command, as struct cti_request carries it."""
        n = "submit"
        return self._request(n, lib.cti_line_submit, u32(cmd, "cmd", n),
                             u32(call, "call", n), u32(call2, "call2", n),
                             u32(arg, "arg", n), u32(arg2, "arg2", n),
                             *_ffi.buffer(data, n),
                             creates_call=True)

    # ---- the phone of the line -----------------------------------------

    def set_phone_hook(self, hookswitch: int, mode: HookMode
                       ) -> "Request[None]":
        n = "set_phone_hook"
        return self._request(n, lib.cti_line_set_phone_hook,
                             u32(hookswitch, "hookswitch", n),
                             u32(mode, "mode", n))

    def set_phone_display(self, row: int, col: int, text: str
                          ) -> "Request[None]":
        n = "set_phone_display"
        return self._request(n, lib.cti_line_set_phone_display,
                             u32(row, "row", n), u32(col, "col", n),
                             cstr(text, "text", n, nullable=False))

    def set_phone_lamp(self, lamp: int, mode: LampMode) -> "Request[None]":
        n = "set_phone_lamp"
        return self._request(n, lib.cti_line_set_phone_lamp,
                             u32(lamp, "lamp", n), u32(mode, "mode", n))

    def set_phone_ring(self, pattern: int, volume: int) -> "Request[None]":
        n = "set_phone_ring"
        return self._request(n, lib.cti_line_set_phone_ring,
                             u32(pattern, "pattern", n),
                             u32(volume, "volume", n))

    # ---- the agent at the line -----------------------------------------

    def set_agent_state(self, state: AgentState, reason: int = 0
                        ) -> "Request[None]":
        n = "set_agent_state"
        return self._request(n, lib.cti_line_set_agent_state,
                             u32(state, "state", n), u32(reason, "reason", n))

    def set_agent_groups(self, groups: Union[str, List[str]]
                         ) -> "Request[None]":
        """@groups: a list of group names or a comma-separated string."""
        n = "set_agent_groups"
        if isinstance(groups, (list, tuple)):
            groups = ",".join(groups)
        return self._request(n, lib.cti_line_set_agent_groups,
                             cstr(groups, "groups", n, nullable=False))

    def set_agent_activity(self, activity: int) -> "Request[None]":
        n = "set_agent_activity"
        return self._request(n, lib.cti_line_set_agent_activity,
                             u32(activity, "activity", n))

    def list_calls(self) -> "Request[List[Message]]":
        """A CALL message for each call of the line."""
        return self.session.list_calls(self)


class Call:
    """A call of a line: the line and the call handle. Equal Calls name
    the same call."""

    __slots__ = ("line", "handle")

    def __init__(self, line: Line, handle: int) -> None:
        self.line = line
        self.handle = handle

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Call) and other.line is self.line and
                other.handle == self.handle)

    def __hash__(self) -> int:
        return hash((id(self.line), self.handle))

    def __repr__(self) -> str:
        return "<Call %d on %s>" % (self.handle, self.line.name)

    def _request(self, name: str, func: Callable[..., int], *args: Any,
                 creates_call: bool = False) -> Any:
        """A call request: the line, the handle, then @args."""
        return self.line._request(name, func, self.handle, *args,
                                  creates_call=creates_call)

    def wait_state(self, *states: CallState, timeout: Optional[float] = None
                   ) -> "Message":
        """Block until a CALL_STATE message puts this call in one of
        @states (any state if none given); CtiTimeoutError otherwise."""
        return self.line.session.wait_event(
            lambda m: (m.line is self.line and m.call == self.handle and
                       (not states or m.state in states)),
            timeout, type=MsgType.CALL_STATE)

    def answer(self) -> "Request[None]":
        return self._request("answer", lib.cti_line_answer_call)

    def accept(self) -> "Request[None]":
        return self._request("accept", lib.cti_line_accept_call)

    def drop(self) -> "Request[None]":
        return self._request("drop", lib.cti_line_drop_call)

    def hold(self) -> "Request[None]":
        return self._request("hold", lib.cti_line_hold_call)

    def unhold(self) -> "Request[None]":
        return self._request("unhold", lib.cti_line_unhold_call)

    def swap_hold(self, held: CallLike) -> "Request[None]":
        """Hold this (active) call and take @held off hold."""
        return self._request("swap_hold", lib.cti_line_swap_hold,
                             u32(held, "held", "swap_hold"))

    def blind_transfer(self, number: str) -> "Request[None]":
        return self._request("blind_transfer", lib.cti_line_blind_transfer,
                             cstr(number, "number", "blind_transfer"))

    def setup_transfer(self, number: str) -> "Request[Optional[Call]]":
        """Hold this call and call @number; the result is that call."""
        return self._request("setup_transfer", lib.cti_line_setup_transfer,
                             cstr(number, "number", "setup_transfer"),
                             creates_call=True)

    def complete_transfer(self, consult: CallLike,
                          mode: TransferMode = TransferMode.TRANSFER
                          ) -> "Request[None]":
        n = "complete_transfer"
        return self._request(n, lib.cti_line_complete_transfer,
                             u32(consult, "consult", n), u32(mode, "mode", n))

    def setup_conference(self, number: str) -> "Request[Optional[Call]]":
        return self._request("setup_conference",
                             lib.cti_line_setup_conference,
                             cstr(number, "number", "setup_conference"),
                             creates_call=True)

    def add_to_conference(self, call: CallLike) -> "Request[None]":
        """Join @call to the conference of this call."""
        return self._request("add_to_conference",
                             lib.cti_line_add_to_conference,
                             u32(call, "call", "add_to_conference"))

    def remove_from_conference(self) -> "Request[None]":
        return self._request("remove_from_conference",
                             lib.cti_line_remove_from_conference)

    def redirect(self, number: str) -> "Request[None]":
        return self._request("redirect", lib.cti_line_redirect_call,
                             cstr(number, "number", "redirect"))

    def park(self, slot: Optional[str] = None) -> "Request[None]":
        return self._request("park", lib.cti_line_park_call,
                             cstr(slot, "slot", "park"))

    def generate_digits(self, digits: str) -> "Request[None]":
        return self._request("generate_digits", lib.cti_line_generate_digits,
                             cstr(digits, "digits", "generate_digits"))

    def generate_tone(self, tone: Tone, ms: int) -> "Request[None]":
        n = "generate_tone"
        return self._request(n, lib.cti_line_generate_tone,
                             u32(tone, "tone", n), u32(ms, "ms", n))

    def set_privilege(self, priv: Privilege) -> "Request[None]":
        n = "set_call_privilege"
        return self._request(n, lib.cti_line_set_call_privilege,
                             u32(priv, "privilege", n))

    def handoff(self, target: Optional[str] = None) -> "Request[None]":
        """Hand the call to session @target (None: any other owner)."""
        return self._request("handoff", lib.cti_line_handoff_call,
                             cstr(target, "target", "handoff"))
