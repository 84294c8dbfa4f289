# SPDX-License-Identifier: LGPL-2.1-or-later
"""Phone: the phone device of a line, an object of its own (lib/cti.h,
"Phones"; CTI_6).

A Phone wraps a struct cti_phone, which lives as long as its session;
the session keeps one Phone per phone (Session.phones, .phone(id),
.find_phone(), Line.phone, Message.phone). It is opened as owner or
monitor without opening its line (`with phone.open():`); its state
properties read what ctid last said (a listing, query() or a phone
event the session took). Its commands are requests, one method each.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Optional, Tuple, Union

from . import _ffi
from ._ffi import cstr, ffi, lib, pystr, u32, u64
from .enums import HookMode, Hookswitch, LampMode, Privilege, to_enum
from .request import OpenRequest, Request

if TYPE_CHECKING:
    from .line import Data, Line
    from .message import Message
    from .session import Session


class Phone:
    """One phone visible to the session; its id is its line's id."""

    def __init__(self, session: "Session", ptr: Any) -> None:
        self.session = session
        self._phone = ptr

    def _ptr(self, request: str) -> Any:
        self.session._ptr(request)  # EBADF once the session is closed
        return self._phone

    def _request(self, name: str, func: Callable[..., int], *args: Any
                 ) -> Any:
        """Send a phone request (its first argument the phone)."""
        req_id = _ffi.submit(name, func, self._ptr(name), *args)
        return Request(self.session, req_id, name, lambda h: None)

    # ---- capabilities ----------------------------------------------------

    @property
    def id(self) -> int:
        return lib.cti_phone_get_id(self._ptr("id"))

    @property
    def name(self) -> str:
        return pystr(lib.cti_phone_get_name(self._ptr("name")))

    @property
    def line(self) -> Optional["Line"]:
        """The line the phone belongs to (None if the session lost it)."""
        return self.session._line(lib.cti_phone_get_line(self._ptr("line")))

    @property
    def hookswitches(self) -> Hookswitch:
        """The hook switch devices the phone has."""
        return Hookswitch(lib.cti_phone_get_hookswitches(
            self._ptr("hookswitches")))

    @property
    def num_buttons(self) -> int:
        return lib.cti_phone_get_num_buttons(self._ptr("num_buttons"))

    @property
    def num_lamps(self) -> int:
        return lib.cti_phone_get_num_lamps(self._ptr("num_lamps"))

    @property
    def display_size(self) -> Tuple[int, int]:
        """(rows, columns) of the display."""
        p = self._ptr("display_size")
        return (lib.cti_phone_get_display_rows(p),
                lib.cti_phone_get_display_cols(p))

    @property
    def num_ring_patterns(self) -> int:
        """Patterns 1..n; 0: the phone takes any pattern number."""
        return lib.cti_phone_get_num_ring_patterns(
            self._ptr("num_ring_patterns"))

    def may_open(self, priv: Privilege = Privilege.OWNER) -> bool:
        """Whether ctid lets this user open the phone with @priv."""
        return lib.cti_phone_may_open(self._ptr("may_open"),
                                      u32(priv, "privilege", "may_open")) > 0

    @property
    def privilege(self) -> Union[Privilege, int]:
        """The session's privilege on the phone (NONE: not open)."""
        return to_enum(Privilege,
                       lib.cti_phone_get_privilege(self._ptr("privilege")))

    @property
    def removed(self) -> bool:
        return bool(lib.cti_phone_is_removed(self._ptr("removed")))

    # ---- state -------------------------------------------------------------

    def hook(self, hookswitch: Union[Hookswitch, int]
             ) -> Union[HookMode, int]:
        """The mode of one hook switch device (ONHOOK for one the phone
        lacks)."""
        return to_enum(HookMode, lib.cti_phone_get_hook(
            self._ptr("hook"), u64(hookswitch, "hookswitch", "hook")))

    def lamp(self, lamp: int) -> Union[LampMode, int]:
        """How lamp @lamp lights (OFF past the last lamp)."""
        return to_enum(LampMode, lib.cti_phone_get_lamp(
            self._ptr("lamp"), u32(lamp, "lamp", "lamp")))

    @property
    def lamps(self) -> List[Union[LampMode, int]]:
        return [self.lamp(i) for i in range(self.num_lamps)]

    def display_row(self, row: int) -> str:
        """The text of display row @row as the phone shows it ("" for a
        row never written or past the last)."""
        return pystr(lib.cti_phone_get_display_row(
            self._ptr("display_row"), u32(row, "row", "display_row")))

    @property
    def display(self) -> List[str]:
        """Every row of the display."""
        return [self.display_row(r) for r in range(self.display_size[0])]

    @property
    def ring(self) -> Tuple[int, int]:
        """(pattern, volume) of the ringer; pattern 0: silent."""
        p = self._ptr("ring")
        return (lib.cti_phone_get_ring_pattern(p),
                lib.cti_phone_get_ring_volume(p))

    @property
    def last_button(self) -> Optional[Tuple[int, bool]]:
        """(button, pressed) of the last button that moved; None if none
        has since the phone appeared."""
        button = ffi.new("uint32_t *")
        pressed = ffi.new("int *")
        if lib.cti_phone_get_last_button(self._ptr("last_button"), button,
                                         pressed) < 0:
            return None
        return int(button[0]), bool(pressed[0])

    def __repr__(self) -> str:
        if self.session.closed:
            return "<Phone (session closed)>"
        return "<Phone %d %s>" % (self.id, self.name)

    # ---- requests ------------------------------------------------------------

    def open(self, priv: Privilege = Privilege.OWNER
             ) -> "OpenRequest[Phone]":
        """Open the phone as OWNER (its commands) or MONITOR (its events).
        The Request is also a context manager: `with phone.open():` waits
        for the reply and closes the phone when the block ends."""
        req_id = _ffi.submit("open_phone", lib.cti_phone_open,
                             self._ptr("open_phone"),
                             u32(priv, "privilege", "open_phone"))
        return OpenRequest(self, req_id, "open_phone")

    def close(self) -> "Request[None]":
        """Close the phone (libcti stops reopening it after a resync)."""
        return self._request("close_phone", lib.cti_phone_close)

    def query(self) -> "Request[List[Message]]":
        """ctid's state of the phone: the PHONE message and the LIST_END
        (the state properties then show it). Needs no open."""
        return self.session._as_items(
            self._request("query_phone", lib.cti_phone_query))

    def set_hookswitch(self, hookswitch: Union[Hookswitch, int],
                       mode: HookMode) -> "Request[None]":
        n = "set_hookswitch"
        return self._request(n, lib.cti_phone_set_hookswitch,
                             u64(hookswitch, "hookswitch", n),
                             u32(mode, "mode", n))

    def write_display(self, row: int, col: int, text: str
                      ) -> "Request[None]":
        """Write @text from column @col of row @row (what passes the
        row's end is cut by the phone)."""
        n = "write_display"
        return self._request(n, lib.cti_phone_write_display,
                             u32(row, "row", n), u32(col, "col", n),
                             cstr(text, "text", n, nullable=False))

    def set_lamp(self, lamp: int, mode: LampMode) -> "Request[None]":
        n = "set_lamp"
        return self._request(n, lib.cti_phone_set_lamp_mode,
                             u32(lamp, "lamp", n), u32(mode, "mode", n))

    def set_ringer(self, pattern: int, volume: int) -> "Request[None]":
        """Ring with @pattern (0 stops) at @volume (0-100)."""
        n = "set_ringer"
        return self._request(n, lib.cti_phone_set_ringer,
                             u32(pattern, "pattern", n),
                             u32(volume, "volume", n))

    def dev_specific(self, data: "Data") -> "Request[None]":
        """Bytes for the phone's provider (the sim: b"button 5 press")."""
        return self._request("phone_dev_specific", lib.cti_phone_dev_specific,
                             *_ffi.buffer(data, "phone_dev_specific"))
