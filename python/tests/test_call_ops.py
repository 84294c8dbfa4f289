# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every call operation of cti.Call and cti.Line, each through a scenario
of the sim's reference sequences (switch/sequences.txt), so that each
method is shown to pass the right call, number and mode to libcti."""
import errno

import pytest

import cti
from cti import CallState as S
from cti import DisconnectReason as D
from cti import OfferReason as R

T = 5.0


def expect(call, *states):
    """The next CALL_STATE messages of @call are @states, in order: each
    a CallState or a (CallState, reason) pair."""
    for want in states:
        m = call.line.session.wait_event(
            lambda m: m.line is call.line and m.call == call.handle,
            type=cti.MsgType.CALL_STATE, timeout=T)
        st, reason = want if isinstance(want, tuple) else (want, None)
        assert m.state is st, "%r: %r, wanted %s" % (call, m, st.name)
        if reason is not None:
            assert m.reason == reason, "%r: %r" % (call, m)


def offered(line, reason=R.DIRECT):
    """The call that rings next on @line."""
    m = line.session.wait_event(
        lambda m: m.line is line and m.state is S.OFFERING,
        type=cti.MsgType.CALL_STATE, timeout=T)
    assert m.reason is reason
    return m.get_call()


@pytest.fixture
def lines(connect):
    """Lines 100..103, each owned by a session of its own."""
    out = []
    for number in ("100", "101", "102", "103"):
        ln = connect(client_name="party" + number).find_line(number)
        ln.open().wait(T)
        out.append(ln)
    return out


def connected(a, b):
    """@a calls @b, @b answers: both calls."""
    ca = a.make_call(b.number).wait(T)
    expect(ca, S.DIALING, S.RINGBACK)
    cb = offered(b)
    cb.answer().wait(T)
    expect(cb, S.CONNECTED)
    expect(ca, S.CONNECTED)
    return ca, cb


def test_swap_hold(lines):
    A, B, C, _ = lines
    a1, _ = connected(A, B)
    a1.hold().wait(T)
    expect(a1, S.ONHOLD)
    a2, _ = connected(A, C)
    with pytest.raises(cti.CtiError) as ei:
        a1.swap_hold(a2).wait(T)  # a1 is the held one
    assert ei.value.errno == errno.EBUSY
    a2.swap_hold(a1).wait(T)
    expect(a2, S.ONHOLD)
    expect(a1, S.CONNECTED)


def test_consult_transfer(lines):
    A, B, C, _ = lines
    a1, b1 = connected(A, B)
    b2 = b1.setup_transfer(C.number).wait(T)
    assert b2.line is B and b2 != b1
    expect(b1, S.ONHOLDPENDTRANSFER)
    expect(b2, S.DIALING, S.RINGBACK)
    c1 = offered(C)
    c1.answer().wait(T)
    expect(b2, S.CONNECTED)
    with pytest.raises(cti.CtiError) as ei:
        b2.complete_transfer(b1).wait(T)  # the held call comes first
    assert ei.value.errno == errno.EBUSY
    b1.complete_transfer(b2, cti.TransferMode.TRANSFER).wait(T)
    expect(b1, (S.IDLE, D.TRANSFERRED))
    expect(b2, (S.IDLE, D.TRANSFERRED))
    a1.drop().wait(T)
    expect(c1, S.CONNECTED, (S.DISCONNECTED, D.NORMAL))


def test_conference(lines):
    A, B, C, _ = lines
    a1, b1 = connected(A, B)
    b2 = b1.setup_conference(C.number).wait(T)
    expect(b1, S.ONHOLDPENDCONF)
    c1 = offered(C)
    c1.answer().wait(T)
    expect(b2, S.DIALING, S.RINGBACK, S.CONNECTED)
    b1.add_to_conference(b2).wait(T)
    expect(b1, S.CONFERENCED)
    expect(b2, S.CONFERENCED)
    expect(a1, S.CONFERENCED)
    b2.remove_from_conference().wait(T)
    expect(b2, S.ONHOLD)
    with pytest.raises(cti.CtiError) as ei:
        b2.remove_from_conference().wait(T)
    assert ei.value.errno == errno.EBUSY


def test_park_unpark(lines):
    A, B, C, _ = lines
    a1, b1 = connected(A, B)
    b1.park().wait(T)
    expect(b1, (S.IDLE, D.NORMAL))
    expect(a1, S.ONHOLD)
    with pytest.raises(cti.CtiNotFoundError):
        C.unpark("701").wait(T)
    c1 = C.unpark("700").wait(T)
    expect(c1, S.CONNECTED)
    expect(a1, S.CONNECTED)
    with pytest.raises(cti.CtiValueError):
        c1.park("104").wait(T)  # a line's number is no slot


def test_pickup_and_accept(lines):
    A, B, C, _ = lines
    a1 = A.make_call(B.number).wait(T)
    b1 = offered(B)
    with pytest.raises(cti.CtiNotFoundError):
        C.pickup("103").wait(T)  # nothing rings there
    c1 = C.pickup("101").wait(T)
    expect(b1, (S.IDLE, D.PICKUP))
    expect(c1, S.CONNECTED)
    expect(a1, S.DIALING, S.RINGBACK, S.CONNECTED)
    a2 = A.make_call(B.number).wait(T)
    b2 = offered(B)
    b2.accept().wait(T)
    expect(b2, S.ACCEPTED)
    b2.answer().wait(T)
    expect(b2, S.CONNECTED)
    expect(a2, S.DIALING, S.RINGBACK, S.CONNECTED)


def test_redirect(lines):
    A, B, _, D_ = lines
    A.make_call(B.number).wait(T)
    b1 = offered(B)
    b1.redirect(D_.number).wait(T)
    expect(b1, (S.IDLE, D.REDIRECTED))
    offered(D_, R.REDIRECT)


def test_digits_and_tone(lines):
    A, B, _, _ = lines
    a1, b1 = connected(A, B)
    a1.generate_digits("123*#").wait(T)
    m = B.session.wait_event(type=cti.MsgType.DIGITS, timeout=T)
    assert (m.call, m.text) == (b1.handle, "123*#")
    with pytest.raises(cti.CtiValueError) as ei:
        a1.generate_digits("12x").wait(T)
    assert ei.value.errno in (errno.EINVAL, errno.EILSEQ)
    a1.generate_tone(cti.Tone.BEEP, 100).wait(T)  # the sim plays at once
    with pytest.raises(cti.CtiValueError) as ei:
        a1.generate_tone(99, 100)  # no such tone: libcti refuses to send
    assert ei.value.errno == errno.EINVAL and ei.value.req_id is None
    a1.hold().wait(T)
    with pytest.raises(cti.CtiError) as ei:
        a1.generate_tone(cti.Tone.BUSY, 100).wait(T)
    assert ei.value.errno == errno.EBUSY


def test_blind_transfer_by_number_and_lists(lines, session):
    A, B, C, _ = lines
    _, b1 = connected(A, B)
    b1.blind_transfer(C.number).wait(T)
    expect(b1, (S.IDLE, D.TRANSFERRED))
    c1 = offered(C, R.TRANSFER)
    items = session.snapshot().wait(T)
    assert items[-1].type is cti.MsgType.LIST_END
    calls = [m for m in items if m.type is cti.MsgType.CALL]
    assert calls == []  # the admin session has no line open
    snap = C.list_calls().wait(T)
    assert [(m.call, m.state) for m in snap[:-1]] == [(c1.handle,
                                                       S.OFFERING)]
