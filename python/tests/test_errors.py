# SPDX-License-Identifier: LGPL-2.1-or-later
"""Errors carry the errno and the request: refused by ctid (in the
reply), by libcti (before sending), or by the binding's own checks of
what C could not represent."""
import errno
import pickle
import signal

import pytest

import cti

T = 5.0


@pytest.fixture
def owner(session):
    line = session.find_line("100")
    line.open().wait(T)
    return line


def test_eperm_for_a_monitor(session):
    line = session.find_line("101")
    with line.open(cti.Privilege.MONITOR):
        req = line.make_call("102")
        with pytest.raises(cti.CtiPermissionError) as ei:
            req.wait(T)
    e = ei.value
    assert isinstance(e, cti.CtiError) and isinstance(e, OSError)
    assert isinstance(e, PermissionError)
    assert e.errno == errno.EPERM and e.request == "make_call"
    assert e.req_id == req.id
    assert "make_call" in str(e) and "Operation not permitted" in str(e)
    # the result is kept: asking again gives the same error
    with pytest.raises(cti.CtiPermissionError):
        req.result()


def test_eacces_for_a_line_not_allowed(session):
    line = session.find_line("105")  # monitor-only for this user
    assert not line.may_open(cti.Privilege.OWNER)
    assert line.may_open(cti.Privilege.MONITOR)
    with pytest.raises(cti.CtiPermissionError) as ei:
        with line.open(cti.Privilege.OWNER):
            pass
    assert ei.value.errno == errno.EACCES
    assert ei.value.request == "open_line"


def test_einval_from_libcti(owner):
    with pytest.raises(cti.CtiValueError) as ei:
        owner.make_call(None)  # no number: libcti refuses, nothing sent
    assert ei.value.errno == errno.EINVAL and ei.value.req_id is None
    assert isinstance(ei.value, ValueError)
    with pytest.raises(cti.CtiValueError) as ei:
        owner.make_call("12a")
    assert ei.value.errno == errno.EILSEQ
    with pytest.raises(cti.CtiValueError) as ei:
        owner.make_call("1" * 200)
    assert ei.value.errno == errno.ENAMETOOLONG


def test_einval_from_the_binding(owner):
    call = owner.call(1)
    with pytest.raises(cti.CtiValueError) as ei:
        owner.make_call("101\0" + "999")  # C would cut it at the NUL
    assert ei.value.errno == errno.EINVAL and "NUL" in ei.value.request
    with pytest.raises(cti.CtiValueError) as ei:
        call.generate_tone(cti.Tone.BEEP, -1)
    assert ei.value.errno == errno.EINVAL
    with pytest.raises(cti.CtiValueError):
        owner.call(1 << 32)
    with pytest.raises(cti.CtiValueError):
        owner.set_phone_ring(0, 1 << 40)
    with pytest.raises(TypeError):
        owner.make_call(101)
    with pytest.raises(TypeError):
        owner.dev_specific("text, not bytes")


def test_einval_from_ctid(owner):
    """What only the switch knows comes back in the reply."""
    req = owner.call(99).drop()
    with pytest.raises(cti.CtiNotFoundError) as ei:
        req.wait(T)
    assert ei.value.errno == errno.ENOENT and ei.value.request == "drop"
    assert req.done  # ctid answered: the same error again, not a new wait
    with pytest.raises(cti.CtiNotFoundError):
        req.wait(T)
    with pytest.raises(cti.CtiValueError) as ei:
        owner.submit(cti.Cmd.SET_FORWARD, arg=99, data=b"").wait(T)
    assert ei.value.errno == errno.EINVAL


def test_timeouts(session):
    with pytest.raises(cti.CtiTimeoutError) as ei:
        session.wait_event(type=cti.MsgType.GAP, timeout=0.05)
    assert ei.value.errno == errno.ETIMEDOUT
    assert isinstance(ei.value, TimeoutError)
    assert session.next_event(0.05) is None
    with pytest.raises(cti.CtiValueError):
        session.next_event(-1)


def test_errors_pickle():
    e = cti.CtiError(errno.EBUSY, "hold", 7)
    f = pickle.loads(pickle.dumps(e))
    assert (f.errno, f.request, f.req_id) == (errno.EBUSY, "hold", 7)
    assert type(pickle.loads(pickle.dumps(
        cti.CtiPermissionError(errno.EPERM, "x")))) is cti.CtiPermissionError


def test_signals_during_a_wait(session):
    """A signal whose handler returns does not end a wait with EINTR (PEP
    475); one whose handler raises ends it with that exception."""
    hits = []

    class Stop(Exception):
        pass

    def count(signum, frame):
        hits.append(signum)

    def stop(signum, frame):
        raise Stop()
    old = signal.signal(signal.SIGALRM, count)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        assert session.next_event(0.3) is None
        assert hits == [signal.SIGALRM]
        signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Stop):
            session.next_event(5)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Stop):
            session.wait_event(type=cti.MsgType.GAP, timeout=5)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
