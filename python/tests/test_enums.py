# SPDX-License-Identifier: LGPL-2.1-or-later
"""The enums agree with libcti: every member's name is the one libcti
prints for its value. A value libcti names and the enum lacks (the
library grew) is a warning in the summary, not a failure: such values
still come through as ints (to_enum), and the enum needs one line."""
import warnings

import pytest

import cti
from cti._libcti import ffi, lib

NAMERS = [
    (cti.CallState, lib.cti_call_state_name),
    (cti.DisconnectReason, lib.cti_disconnect_reason_name),
    (cti.OfferReason, lib.cti_offer_reason_name),
    (cti.MsgType, lib.cti_msg_type_name),
    (cti.Cmd, lib.cti_command_name),
    (cti.CardEventType, lib.cti_card_event_type_name),
]


@pytest.mark.parametrize("enum, namer", NAMERS,
                         ids=[e.__name__ for e, _ in NAMERS])
def test_names_match_libcti(enum, namer):
    for member in enum:
        assert ffi.string(namer(member)).decode() == member.name
    known = {int(m) for m in enum}
    for value in range(0, 200):
        name = ffi.string(namer(value))
        if value not in known and name not in (b"?", b""):
            warnings.warn("cti.%s lacks %s = %d, which libcti names: add "
                          "it to python/cti/enums.py"
                          % (enum.__name__, name.decode(), value))


def test_unknown_values_stay_ints():
    assert cti.enums.to_enum(cti.CallState, 1000) == 1000
    assert type(cti.enums.to_enum(cti.CallState, 1000)) is int
    assert cti.enums.to_enum(cti.CallState, 8) is cti.CallState.CONNECTED
