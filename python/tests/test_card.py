# SPDX-License-Identifier: LGPL-2.1-or-later
"""The card layer. What needs a card (/dev/ctiN, cti.ko and a backend
such as cti_sim) runs in the guest only and is skipped here; the errors
of opening what is not a card are checked everywhere."""
import asyncio
import errno
import glob
import os

import pytest

import cti

CARDS = sorted(glob.glob("/dev/cti[0-9]*"))
needs_card = pytest.mark.skipif(
    not CARDS, reason="no CTI card (/dev/ctiN): the card layer against a "
    "card runs in the guest only (cti.ko + cti_sim)")
T = 5.0


def test_open_missing():
    with pytest.raises(cti.CtiNotFoundError) as ei:
        cti.Card("/nonexistent/cti0")
    assert ei.value.errno == errno.ENOENT
    assert ei.value.request.startswith("card_open")


def test_open_not_a_card():
    with pytest.raises(cti.CtiError) as ei:
        cti.Card("/dev/null")
    assert ei.value.errno == errno.ENOTTY


def test_open_bad_arguments():
    with pytest.raises(cti.CtiValueError):
        cti.Card("/dev/cti0\0x")
    with pytest.raises(cti.CtiValueError):
        cti.Card(-1)
    with pytest.raises(TypeError):
        cti.Card(b"/dev/cti0")


def test_accessor_tables_name_libcti_functions():
    """The copiers' field tables name real cti_card_*_get_* functions,
    so that a typo fails here and not only in the guest."""
    from cti._libcti import lib
    tables = [("desc", cti.CardDesc.FIELDS),
              ("line_info", cti.CardLineInfo.FIELDS),
              ("phone_info", cti.CardPhoneInfo.FIELDS),
              ("event", cti.CardEvent.FIELDS),
              ("snapshot", cti.CardSnapshot.LINE_FIELDS),
              ("snapshot", cti.CardSnapshot.CALL_FIELDS)]
    for prefix, fields in tables:
        for f in fields:
            assert hasattr(lib, "cti_card_%s_get_%s" % (prefix, f)), f


@pytest.mark.skipif(os.path.exists("/sys/module/cti"),
                    reason="cti.ko is loaded: the card list is not empty")
def test_no_module():
    with pytest.raises(cti.CtiNotFoundError):
        cti.list_cards()
    with pytest.raises(cti.CtiNotFoundError):
        cti.CardMonitor()


@needs_card
def test_card_describes_itself():
    cards = cti.list_cards()
    assert [c.index for c in cards] == sorted(c.index for c in cards)
    with cti.Card(CARDS[0]) as card:
        assert card.path == CARDS[0] and card.fileno() >= 0
        desc = card.desc()
        assert desc in cards
        assert desc.num_lines > 0
        info = card.line_info(0)
        assert info.line == 0 and info.status is cti.LineStatus.IN_SERVICE
        with pytest.raises(cti.CtiError) as ei:
            card.line_info(desc.num_lines)
        assert ei.value.errno == errno.ENOENT
        snap = card.snapshot()
        assert len(snap.lines) == desc.num_lines
    assert card.closed


@needs_card
def test_card_call():
    with cti.Card(CARDS[0]) as card:
        if card.desc().num_lines < 2:
            pytest.skip("the card has one line")
        called = card.line_info(1).addresses[0]
        rid = card.submit(cti.Cmd.MAKE_CALL, 0, data=called.encode())
        reply = card.wait_reply(rid, T)
        assert reply.error == 0 and reply.call
        offered = None
        while offered is None:
            ev = card.next_event(T)
            assert ev is not None
            if ev.type == cti.CardEventType.CALL_STATE and ev.line == 1:
                offered = ev
        assert offered.state is cti.CallState.OFFERING
        rid = card.submit(cti.Cmd.DROP, 0, call=reply.call)
        card.wait_reply(rid, T)
        # refused at submit or in the REPLY: the same CtiError either way
        with pytest.raises(cti.CtiError) as ei:
            card.wait_reply(card.submit(cti.Cmd.DROP, 0,
                                        call=reply.call + 1000), T)
        assert ei.value.errno == errno.ENOENT


@needs_card
def test_card_async_events():
    async def scenario(card):
        rid = card.submit(cti.Cmd.SET_DND, 0, arg=1)
        async for ev in card.events():
            if ev.type == cti.CardEventType.REPLY and ev.request_id == rid:
                return ev
        return None
    with cti.Card(CARDS[0]) as card:
        ev = asyncio.run(asyncio.wait_for(scenario(card), T))
        assert ev is not None and ev.error == 0
        card.wait_reply(card.submit(cti.Cmd.SET_DND, 0, arg=0), T)
