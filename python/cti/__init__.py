# SPDX-License-Identifier: LGPL-2.1-or-later
"""cti: the Python binding of libcti, the client library of the cti
telephony stack (sessions to ctid, lines, calls, events, phones, agents)
and of its card layer (/dev/ctiN driven directly).

    import cti
    with cti.Session() as s:
        with s.find_line("201").open(cti.Privilege.OWNER) as line:
            call = line.make_call("202").wait(5)
            call.wait_state(cti.CallState.CONNECTED, timeout=30)
            call.drop().wait(5)

See python/README.md; the C API this follows is lib/cti.h.
"""
from .card import (Card, CardDesc, CardEvent, CardLineInfo, CardMonitor,
                   CardPhoneInfo, CardSnapshot, list_cards)
from .enums import (AgentState, CallInfoChange, CallState, CardCap,
                    CardChange, CardEventType, CardFeature, Cmd,
                    DisconnectReason, ForwardMode, HookMode, Hookswitch,
                    LampMode, LineStatus, LinkState, MsgType, OfferReason,
                    Origin, Privilege, ProviderLink, Tone, TransferMode)
from .errors import (CtiConnectionError, CtiError, CtiNotFoundError,
                     CtiPermissionError, CtiTimeoutError, CtiValueError)
from .line import Call, Line
from .message import Message
from .phone import Phone
from .request import OpenRequest, Request
from .session import Session

__all__ = [
    "AgentState", "Call", "CallInfoChange", "CallState", "Card", "CardCap",
    "CardChange", "CardDesc", "CardEvent", "CardEventType", "CardFeature",
    "CardLineInfo", "CardMonitor", "CardPhoneInfo", "CardSnapshot", "Cmd",
    "CtiConnectionError", "CtiError", "CtiNotFoundError",
    "CtiPermissionError", "CtiTimeoutError", "CtiValueError",
    "DisconnectReason", "ForwardMode", "HookMode", "Hookswitch", "LampMode",
    "Line", "LineStatus", "LinkState", "Message", "MsgType", "OfferReason",
    "OpenRequest", "Origin", "Phone", "Privilege", "ProviderLink",
    "Request", "Session", "Tone", "TransferMode", "list_cards",
]
