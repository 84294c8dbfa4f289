# SPDX-License-Identifier: LGPL-2.1-or-later
"""Sessions and lines: what a session sees, the context managers, the
fd, the session-wide requests."""
import errno
import select
import time

import pytest

import cti
from conftest import LINES


def test_lines(session):
    lines = session.lines
    assert len(lines) == LINES
    assert [ln.id for ln in lines] == sorted(ln.id for ln in lines)
    first = lines[0]
    assert first.name == "ext100" and first.addresses == ["100"]
    assert first.number == "100"
    assert first.provider == "sim"
    assert first.status is cti.LineStatus.IN_SERVICE
    assert first.privilege is cti.Privilege.NONE
    assert not first.removed
    assert cti.Cmd.MAKE_CALL in first.ops and first.supports(cti.Cmd.HOLD)
    assert first.max_calls > 0 and first.num_calls == 0
    assert first.forward == (cti.ForwardMode.NONE, "")
    assert first.dnd is False
    # one Line object per line, whichever way it is found
    assert session.find_line("ext100") is first
    assert session.find_line("100") is first
    assert session.line(first.id) is first


def test_find_line_missing(session):
    with pytest.raises(cti.CtiNotFoundError) as ei:
        session.find_line("nosuchline")
    assert ei.value.errno == errno.ENOENT
    assert "find_line" in ei.value.request
    with pytest.raises(cti.CtiNotFoundError):
        session.line(0xfffffff0)


def test_session_info(session):
    assert session.connected and session.is_admin
    assert session.id > 0
    assert session.seq == 0
    assert isinstance(session.fileno(), int) and session.fileno() >= 0
    session.ping().wait(5)


def test_session_context_manager_closes(ctid):
    with cti.Session(ctid.uri) as s:
        line = s.lines[0]
        assert not s.closed
    assert s.closed
    with pytest.raises(cti.CtiError) as ei:
        s.fileno()
    assert ei.value.errno == errno.EBADF
    with pytest.raises(cti.CtiError) as ei:
        line.make_call("101")
    assert ei.value.errno == errno.EBADF
    s.close()  # twice is harmless


def test_open_context_manager_closes(session):
    line = session.lines[0]
    with line.open(cti.Privilege.OWNER) as opened:
        assert opened is line
        assert line.privilege is cti.Privilege.OWNER
    assert line.privilege is cti.Privilege.NONE
    with line.open(cti.Privilege.MONITOR):
        assert line.privilege is cti.Privilege.MONITOR
    assert line.privilege is cti.Privilege.NONE


def test_open_closes_on_exception(session):
    line = session.lines[1]
    with pytest.raises(RuntimeError):
        with line.open():
            raise RuntimeError("boom")
    assert line.privilege is cti.Privilege.NONE


def test_fd_polls_readable_on_event(connect):
    a, b = connect(), connect()
    la, lb = a.lines[0], b.lines[1]
    with la.open(), lb.open():
        assert not select.select([b], [], [], 0)[0]
        la.make_call(lb.number).wait(5)
        # select() takes the Session itself: it has fileno()
        assert select.select([b], [], [], 5)[0] == [b]
        ev = b.wait_event(type=cti.MsgType.CALL_STATE, timeout=5)
        assert ev.state is cti.CallState.OFFERING
        assert ev.reason is cti.OfferReason.DIRECT


def test_list_providers(session):
    items = session.list_providers().wait(5)
    assert [m.type for m in items] == [cti.MsgType.PROVIDER,
                                       cti.MsgType.LIST_END]
    assert items[0].text == "sim" and items[0].arg == LINES
    assert items[1].arg == 1


def test_connect_refused(tmp_path):
    with pytest.raises(cti.CtiError) as ei:
        cti.Session("unix:%s/none.sock" % tmp_path, timeout=1)
    assert ei.value.errno in (errno.ENOENT, errno.ECONNREFUSED)
    assert ei.value.request == "session_open"
    assert isinstance(ei.value, OSError)


def test_bad_uri(tmp_path):
    with pytest.raises(cti.CtiError) as ei:
        cti.Session("gopher://example.org")
    assert ei.value.errno in (errno.EINVAL, errno.EPROTONOSUPPORT)


def test_ctid_goes_away(ctid):
    """Without reconnect the session reports DISCONNECTED and requests
    then fail with a connection error carrying the errno."""
    with cti.Session(ctid.uri, reconnect=False) as s:
        line = s.find_line("100")
        line.open().wait(5)
        assert ctid.stop() == 0
        ev = s.wait_event(type=cti.MsgType.DISCONNECTED, timeout=5)
        assert ev.error != 0
        assert not s.connected
        with pytest.raises(cti.CtiError) as ei:
            line.make_call("101").wait(5)
        assert ei.value.errno == errno.ENOTCONN
        assert isinstance(ei.value, cti.CtiConnectionError)
        assert isinstance(ei.value, ConnectionError)


def dispatch_until(session, out, n_states):
    """dispatch() into @out until it holds @n_states CALL_STATEs."""
    deadline = time.monotonic() + 5
    while sum(m.type is cti.MsgType.CALL_STATE for m in out) < n_states:
        assert time.monotonic() < deadline, out
        select.select([session], [], [], 0.1)
        before = len(out)
        assert session.dispatch(out.append) == len(out) - before


def test_dispatch(session):
    """dispatch() hands over what is ready, in order; a callback that
    raises leaves the messages it did not see queued."""
    la, lb = session.find_line("100"), session.find_line("101")
    with la.open(), lb.open():
        assert session.dispatch(lambda m: None) == 0
        call = la.make_call("101").wait(5)
        first = []
        dispatch_until(session, first, 3)  # DIALING, OFFERING, RINGBACK
        call.drop().wait(5)
        seen = []

        def boom(m):
            seen.append(m)
            raise RuntimeError("callback failed")
        select.select([session], [], [], 5)
        with pytest.raises(RuntimeError):
            session.dispatch(boom)
        rest = list(seen)
        dispatch_until(session, rest, 2)  # IDLE, DISCONNECTED
    assert len(seen) == 1
    seqs = [m.seq for m in first + rest]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_reconnect_after_restart(ctid):
    """libcti reconnects by itself; the binding passes on what it says:
    DISCONNECTED, then RESYNC (the new ctid does not know the session),
    its LIST_END; the line is open again."""
    with cti.Session(ctid.uri) as s:
        line = s.find_line("100")
        with line.open():
            assert ctid.stop() == 0
            ev = s.wait_event(type=cti.MsgType.DISCONNECTED, timeout=5)
            assert ev.error > 0
            ctid.start()
            s.wait_event(type=cti.MsgType.RESYNC, timeout=15)
            end = s.wait_event(type=cti.MsgType.LIST_END, timeout=5)
            assert end.request == 0  # a resync's, not a request's
            assert s.connected
            # reopened by libcti: calls work as before
            call = line.make_call("5550").wait(5)
            assert call.wait_state(cti.CallState.CONNECTED,
                                   timeout=5).line is line
            call.drop().wait(5)
