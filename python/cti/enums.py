# SPDX-License-Identifier: LGPL-2.1-or-later
"""The states, reasons and modes of lib/cti.h and lib/cti_card.h as enums.

The values come from the compiled headers (lib.CTI_...), never retyped,
so they cannot drift from what libcti and the kernel use. Each enum is an
IntEnum (IntFlag for bit sets): it compares equal to the plain number a
C program would see.
"""
from __future__ import annotations

import enum
from typing import Type, TypeVar, Union

from ._ffi import lib


class Privilege(enum.IntEnum):
    """A session's right on a line or call (enum cti_privilege)."""
    NONE = lib.CTI_PRIV_NONE
    MONITOR = lib.CTI_PRIV_MONITOR
    OWNER = lib.CTI_PRIV_OWNER


class CallState(enum.IntEnum):
    """The states of a call (enum cti_call_state, TAPI's LINECALLSTATE)."""
    IDLE = lib.CTI_CALL_IDLE
    OFFERING = lib.CTI_CALL_OFFERING
    ACCEPTED = lib.CTI_CALL_ACCEPTED
    DIALTONE = lib.CTI_CALL_DIALTONE
    DIALING = lib.CTI_CALL_DIALING
    RINGBACK = lib.CTI_CALL_RINGBACK
    BUSY = lib.CTI_CALL_BUSY
    SPECIALINFO = lib.CTI_CALL_SPECIALINFO
    CONNECTED = lib.CTI_CALL_CONNECTED
    PROCEEDING = lib.CTI_CALL_PROCEEDING
    ONHOLD = lib.CTI_CALL_ONHOLD
    CONFERENCED = lib.CTI_CALL_CONFERENCED
    ONHOLDPENDCONF = lib.CTI_CALL_ONHOLDPENDCONF
    ONHOLDPENDTRANSFER = lib.CTI_CALL_ONHOLDPENDTRANSFER
    DISCONNECTED = lib.CTI_CALL_DISCONNECTED
    UNKNOWN = lib.CTI_CALL_UNKNOWN


class DisconnectReason(enum.IntEnum):
    """Why a call is DISCONNECTED or IDLE (enum cti_disconnect_reason)."""
    NONE = lib.CTI_DISC_NONE
    NORMAL = lib.CTI_DISC_NORMAL
    BUSY = lib.CTI_DISC_BUSY
    NO_ANSWER = lib.CTI_DISC_NO_ANSWER
    REJECTED = lib.CTI_DISC_REJECTED
    UNREACHABLE = lib.CTI_DISC_UNREACHABLE
    BAD_ADDRESS = lib.CTI_DISC_BAD_ADDRESS
    CONGESTION = lib.CTI_DISC_CONGESTION
    PICKUP = lib.CTI_DISC_PICKUP
    FORWARDED = lib.CTI_DISC_FORWARDED
    TRANSFERRED = lib.CTI_DISC_TRANSFERRED
    REDIRECTED = lib.CTI_DISC_REDIRECTED
    OUT_OF_ORDER = lib.CTI_DISC_OUT_OF_ORDER
    DND = lib.CTI_DISC_DND


class OfferReason(enum.IntEnum):
    """Why an OFFERING call arrived on this line (enum cti_call_reason)."""
    DIRECT = lib.CTI_REASON_DIRECT
    TRANSFER = lib.CTI_REASON_TRANSFER
    FORWARD = lib.CTI_REASON_FORWARD
    PICKUP = lib.CTI_REASON_PICKUP
    REDIRECT = lib.CTI_REASON_REDIRECT
    UNPARK = lib.CTI_REASON_UNPARK


class Origin(enum.IntEnum):
    """Where a call came from (enum cti_call_origin)."""
    UNKNOWN = lib.CTI_ORIGIN_UNKNOWN
    OUTBOUND = lib.CTI_ORIGIN_OUTBOUND
    INBOUND = lib.CTI_ORIGIN_INBOUND
    INTERNAL = lib.CTI_ORIGIN_INTERNAL
    CONFERENCE = lib.CTI_ORIGIN_CONFERENCE


class LineStatus(enum.IntEnum):
    """Whether a line can carry calls (enum cti_line_status)."""
    IN_SERVICE = lib.CTI_LINE_IN_SERVICE
    OUT_OF_SERVICE = lib.CTI_LINE_OUT_OF_SERVICE
    MAINTENANCE = lib.CTI_LINE_MAINTENANCE


class LinkState(enum.IntEnum):
    """A card's link to its switch (enum cti_link_state)."""
    DOWN = lib.CTI_LINK_DOWN
    UP = lib.CTI_LINK_UP


class ProviderLink(enum.IntEnum):
    """A listed provider's link (CTI_PROVIDER_LINK_*)."""
    NONE = lib.CTI_PROVIDER_LINK_NONE
    DOWN = lib.CTI_PROVIDER_LINK_DOWN
    UP = lib.CTI_PROVIDER_LINK_UP


class Cmd(enum.IntEnum):
    """Commands a line may support (enum cti_cmd, enum cti_ucmd)."""
    MAKE_CALL = lib.CTI_CMD_MAKE_CALL
    ANSWER = lib.CTI_CMD_ANSWER
    ACCEPT = lib.CTI_CMD_ACCEPT
    DROP = lib.CTI_CMD_DROP
    HOLD = lib.CTI_CMD_HOLD
    UNHOLD = lib.CTI_CMD_UNHOLD
    SWAP_HOLD = lib.CTI_CMD_SWAP_HOLD
    BLIND_TRANSFER = lib.CTI_CMD_BLIND_TRANSFER
    SETUP_TRANSFER = lib.CTI_CMD_SETUP_TRANSFER
    COMPLETE_TRANSFER = lib.CTI_CMD_COMPLETE_TRANSFER
    SETUP_CONFERENCE = lib.CTI_CMD_SETUP_CONFERENCE
    ADD_TO_CONFERENCE = lib.CTI_CMD_ADD_TO_CONFERENCE
    REMOVE_FROM_CONFERENCE = lib.CTI_CMD_REMOVE_FROM_CONFERENCE
    REDIRECT = lib.CTI_CMD_REDIRECT
    PARK = lib.CTI_CMD_PARK
    UNPARK = lib.CTI_CMD_UNPARK
    PICKUP = lib.CTI_CMD_PICKUP
    SET_FORWARD = lib.CTI_CMD_SET_FORWARD
    SET_DND = lib.CTI_CMD_SET_DND
    GENERATE_DIGITS = lib.CTI_CMD_GENERATE_DIGITS
    GENERATE_TONE = lib.CTI_CMD_GENERATE_TONE
    SET_HOOK = lib.CTI_CMD_SET_HOOK
    SET_DISPLAY = lib.CTI_CMD_SET_DISPLAY
    SET_LAMP = lib.CTI_CMD_SET_LAMP
    SET_RING = lib.CTI_CMD_SET_RING
    SEND_LINK_FRAME = lib.CTI_CMD_SEND_LINK_FRAME
    DEV_SPECIFIC = lib.CTI_CMD_DEV_SPECIFIC
    SET_AGENT_STATE = lib.CTI_UCMD_SET_AGENT_STATE
    SET_AGENT_GROUP = lib.CTI_UCMD_SET_AGENT_GROUP
    SET_AGENT_ACTIVITY = lib.CTI_UCMD_SET_AGENT_ACTIVITY


class TransferMode(enum.IntEnum):
    """How complete_transfer completes (enum cti_transfer_mode)."""
    TRANSFER = lib.CTI_TRANSFER_MODE_TRANSFER
    CONFERENCE = lib.CTI_TRANSFER_MODE_CONFERENCE


class ForwardMode(enum.IntEnum):
    """When a line forwards its calls (enum cti_forward_mode)."""
    NONE = lib.CTI_FORWARD_NONE
    UNCONDITIONAL = lib.CTI_FORWARD_UNCONDITIONAL
    BUSY = lib.CTI_FORWARD_BUSY
    NO_ANSWER = lib.CTI_FORWARD_NO_ANSWER


class Tone(enum.IntEnum):
    """Tones a line can generate (enum cti_tone)."""
    BEEP = lib.CTI_TONE_BEEP
    BILLING = lib.CTI_TONE_BILLING
    BUSY = lib.CTI_TONE_BUSY
    RINGBACK = lib.CTI_TONE_RINGBACK


class LampMode(enum.IntEnum):
    """How a phone lamp lights (enum cti_lamp_mode)."""
    OFF = lib.CTI_LAMP_OFF
    STEADY = lib.CTI_LAMP_STEADY
    WINK = lib.CTI_LAMP_WINK
    FLASH = lib.CTI_LAMP_FLASH
    FLUTTER = lib.CTI_LAMP_FLUTTER


class HookMode(enum.IntEnum):
    """The state of one hook switch device (enum cti_hook_mode)."""
    ONHOOK = lib.CTI_HOOK_ONHOOK
    MIC = lib.CTI_HOOK_MIC
    SPEAKER = lib.CTI_HOOK_SPEAKER
    MICSPEAKER = lib.CTI_HOOK_MICSPEAKER


class Hookswitch(enum.IntFlag):
    """Hook switch devices of a phone (CTI_HOOKSWITCH_*)."""
    HANDSET = lib.CTI_HOOKSWITCH_HANDSET
    SPEAKER = lib.CTI_HOOKSWITCH_SPEAKER
    HEADSET = lib.CTI_HOOKSWITCH_HEADSET


class CallInfoChange(enum.IntFlag):
    """Fields a CALL_INFO message reports changed (CTI_CALL_INFO_*)."""
    ORIGIN = lib.CTI_CALL_INFO_ORIGIN
    REASON = lib.CTI_CALL_INFO_REASON
    CALLER = lib.CTI_CALL_INFO_CALLER
    CALLED = lib.CTI_CALL_INFO_CALLED
    RELATED = lib.CTI_CALL_INFO_RELATED


class AgentState(enum.IntEnum):
    """The state of a call-centre agent (enum cti_agent_state)."""
    LOGGED_OUT = lib.CTI_AGENT_LOGGED_OUT
    READY = lib.CTI_AGENT_READY
    NOT_READY = lib.CTI_AGENT_NOT_READY
    AFTER_CALL_WORK = lib.CTI_AGENT_AFTER_CALL_WORK
    BUSY = lib.CTI_AGENT_BUSY


class MsgType(enum.IntEnum):
    """What a session message reports (enum cti_msg_type)."""
    REPLY = lib.CTI_MSG_REPLY
    CALL_STATE = lib.CTI_MSG_CALL_STATE
    CALL_INFO = lib.CTI_MSG_CALL_INFO
    DIGITS = lib.CTI_MSG_DIGITS
    LINE_STATUS = lib.CTI_MSG_LINE_STATUS
    PHONE_HOOK = lib.CTI_MSG_PHONE_HOOK
    PHONE_BUTTON = lib.CTI_MSG_PHONE_BUTTON
    PHONE_DISPLAY = lib.CTI_MSG_PHONE_DISPLAY
    PHONE_LAMP = lib.CTI_MSG_PHONE_LAMP
    PHONE_RING = lib.CTI_MSG_PHONE_RING
    LINK_STATE = lib.CTI_MSG_LINK_STATE
    LINE_ADDED = lib.CTI_MSG_LINE_ADDED
    LINE_REMOVED = lib.CTI_MSG_LINE_REMOVED
    PRIVILEGE = lib.CTI_MSG_PRIVILEGE
    AGENT_STATE = lib.CTI_MSG_AGENT_STATE
    PROVIDER_STATE = lib.CTI_MSG_PROVIDER_STATE
    DEV_SPECIFIC = lib.CTI_MSG_DEV_SPECIFIC
    CALL = lib.CTI_MSG_CALL
    PROVIDER = lib.CTI_MSG_PROVIDER
    LIST_END = lib.CTI_MSG_LIST_END
    DISCONNECTED = lib.CTI_MSG_DISCONNECTED
    RECONNECTED = lib.CTI_MSG_RECONNECTED
    GAP = lib.CTI_MSG_GAP
    RESYNC = lib.CTI_MSG_RESYNC
    PHONE = lib.CTI_MSG_PHONE
    PHONE_ADDED = lib.CTI_MSG_PHONE_ADDED
    PHONE_PRIVILEGE = lib.CTI_MSG_PHONE_PRIVILEGE


class CardEventType(enum.IntEnum):
    """What a card event reports (enum cti_event_type)."""
    PAD = lib.CTI_EV_PAD
    REPLY = lib.CTI_EV_REPLY
    CALL_STATE = lib.CTI_EV_CALL_STATE
    CALL_INFO = lib.CTI_EV_CALL_INFO
    DIGITS = lib.CTI_EV_DIGITS
    LINE_STATUS = lib.CTI_EV_LINE_STATUS
    PHONE_HOOK = lib.CTI_EV_PHONE_HOOK
    PHONE_BUTTON = lib.CTI_EV_PHONE_BUTTON
    LINK_FRAME = lib.CTI_EV_LINK_FRAME
    LINK_STATE = lib.CTI_EV_LINK_STATE
    OVERFLOW = lib.CTI_EV_OVERFLOW
    CARD_REMOVED = lib.CTI_EV_CARD_REMOVED


class CardChange(enum.IntEnum):
    """What a card monitor reports (enum cti_card_change)."""
    ADDED = lib.CTI_CARD_ADDED
    REMOVED = lib.CTI_CARD_REMOVED
    LINK_CHANGED = lib.CTI_CARD_LINK_CHANGED


class CardFeature(enum.IntFlag):
    """What a card's kernel offers (CTI_FEAT_*)."""
    RING = lib.CTI_FEAT_RING
    READ = lib.CTI_FEAT_READ
    SNAPSHOT = lib.CTI_FEAT_SNAPSHOT
    FILTER = lib.CTI_FEAT_FILTER


class CardCap(enum.IntFlag):
    """What a card can do (CTI_CARD_CAP_*)."""
    CALL_CONTROL = lib.CTI_CARD_CAP_CALL_CONTROL
    LINK = lib.CTI_CARD_CAP_LINK
    PHONES = lib.CTI_CARD_CAP_PHONES


E = TypeVar("E", bound=enum.IntEnum)


def to_enum(cls: Type[E], value: int) -> Union[E, int]:
    """@value as a member of @cls, or the plain int if it has none (a
    newer ctid or kernel may report values this binding does not know)."""
    try:
        return cls(value)
    except ValueError:
        return int(value)
