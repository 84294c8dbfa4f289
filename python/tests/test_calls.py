# SPDX-License-Identifier: LGPL-2.1-or-later
"""Calls through the binding, ctid and the sim: make, answer, hold,
unhold, drop, with the exact states each party sees (the sim's reference
sequences, switch/sequences.txt) and the events' sequence numbers."""
import errno

import pytest

import cti
from cti import CallState as S
from cti import DisconnectReason as D

T = 5.0  # seconds any single step may take


def call_states(session, n):
    """The next @n CALL_STATE messages: [(state, reason)] and the
    messages themselves; other messages stay queued."""
    msgs = [session.wait_event(type=cti.MsgType.CALL_STATE, timeout=T)
            for _ in range(n)]
    return [(m.state, m.reason) for m in msgs], msgs


@pytest.fixture
def parties(connect):
    """A and B: a session each, owning lines 100 and 101."""
    a, b = connect(client_name="A"), connect(client_name="B")
    la, lb = a.find_line("100"), b.find_line("101")
    la.open(cti.Privilege.OWNER).wait(T)
    lb.open(cti.Privilege.OWNER).wait(T)
    return a, la, b, lb


def connect_ab(a, la, b, lb):
    ca = la.make_call(lb.number).wait(T)
    assert isinstance(ca, cti.Call) and ca.line is la and ca.handle
    assert call_states(a, 2)[0] == [(S.DIALING, 0), (S.RINGBACK, 0)]
    got, msgs = call_states(b, 1)
    assert got == [(S.OFFERING, cti.OfferReason.DIRECT)]
    cb = msgs[0].get_call()
    assert cb.line is lb and cb.handle == msgs[0].call
    assert cb.answer().wait(T) is None
    assert call_states(b, 1)[0] == [(S.CONNECTED, 0)]
    assert call_states(a, 1)[0] == [(S.CONNECTED, 0)]
    return ca, cb


def test_make_answer_hold_unhold_drop(parties):
    a, la, b, lb = parties
    ca, cb = connect_ab(a, la, b, lb)
    ca.hold().wait(T)
    assert call_states(a, 1)[0] == [(S.ONHOLD, 0)]
    with pytest.raises(cti.CtiError) as ei:  # held twice: the switch says no
        ca.hold().wait(T)
    assert ei.value.errno == errno.EBUSY and ei.value.request == "hold"
    ca.unhold().wait(T)
    assert call_states(a, 1)[0] == [(S.CONNECTED, 0)]
    ca.drop().wait(T)
    assert call_states(a, 1)[0] == [(S.IDLE, D.NORMAL)]
    assert call_states(b, 1)[0] == [(S.DISCONNECTED, D.NORMAL)]
    cb.drop().wait(T)
    assert call_states(b, 1)[0] == [(S.IDLE, D.NORMAL)]
    # the other party never saw the hold
    assert not [m for m in b.poll_events()
                if m.type == cti.MsgType.CALL_STATE]


def test_events_in_order_with_seq(connect):
    """One session owning both ends sees every event once, numbered."""
    s = connect()
    la, lb = s.find_line("100"), s.find_line("101")
    with la.open(), lb.open():
        ca = la.make_call("101").wait(T)
        got = []
        while len([m for m in got if m.type == cti.MsgType.CALL_STATE]) < 3:
            m = s.next_event(T)
            assert m is not None, "events stopped after %r" % got
            got.append(m)
        seqs = [m.seq for m in got]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        assert s.seq == seqs[-1]
        assert all(m.timestamp_ns > 0 for m in got)
        assert sorted(m.timestamp_ns for m in got) == \
            [m.timestamp_ns for m in got]
        states = [(m.line, m.state) for m in got
                  if m.type == cti.MsgType.CALL_STATE]
        assert (la, S.DIALING) == states[0]
        assert (lb, S.OFFERING) in states and (la, S.RINGBACK) in states
        # a call's first record is its CALL_INFO, naming both parties
        info = next(m for m in got if m.type == cti.MsgType.CALL_INFO and
                    m.line is la)
        assert got.index(info) < got.index(next(
            m for m in got if m.type == cti.MsgType.CALL_STATE))
        assert (info.caller, info.called) == ("100", "101")
        assert info.origin is cti.Origin.INTERNAL
        ca.drop().wait(T)


def test_list_calls(parties):
    a, la, b, lb = parties
    ca, _ = connect_ab(a, la, b, lb)
    items = la.list_calls().wait(T)
    assert [m.type for m in items] == [cti.MsgType.CALL,
                                       cti.MsgType.LIST_END]
    assert items[0].call == ca.handle and items[0].state is S.CONNECTED
    assert items[0].line is la
    assert items[0].request == items[1].request
    # the items were taken out of the stream; nothing else was lost
    ca.drop().wait(T)
    assert call_states(a, 1)[0] == [(S.IDLE, D.NORMAL)]


def test_monitor_sees_calls_and_may_not_act(connect, parties):
    a, la, b, lb = parties
    m = connect(client_name="M")
    lm = m.find_line("101")
    with lm.open(cti.Privilege.MONITOR):
        ca, cb = connect_ab(a, la, b, lb)
        got, msgs = call_states(m, 2)
        assert got == [(S.OFFERING, cti.OfferReason.DIRECT),
                       (S.CONNECTED, 0)]
        assert all(x.privilege is cti.Privilege.MONITOR for x in msgs)
        with pytest.raises(cti.CtiPermissionError) as ei:
            msgs[0].get_call().drop().wait(T)
        assert ei.value.errno == errno.EPERM
        ca.drop().wait(T)


def test_wait_state_and_transfer(parties, connect):
    a, la, b, lb = parties
    c = connect(client_name="C")
    lc = c.find_line("102")
    with lc.open():
        ca, cb = connect_ab(a, la, b, lb)
        cb.blind_transfer("102").wait(T)
        ev = lc.session.wait_event(type=cti.MsgType.CALL_STATE, timeout=T)
        assert ev.state is S.OFFERING
        assert ev.reason is cti.OfferReason.TRANSFER
        assert cb.wait_state(S.IDLE, timeout=T).reason is D.TRANSFERRED
        ev.get_call().answer().wait(T)
        assert ca.wait_state(S.CONNECTED, timeout=T).call == ca.handle
        ca.drop().wait(T)
