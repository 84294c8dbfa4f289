# SPDX-License-Identifier: LGPL-2.1-or-later
"""Administrator requests and handing calls between sessions."""
import errno

import pytest

import cti

T = 5.0


def test_providers(session):
    session.list_lines().wait(T)
    assert len(session.lines) == 6
    session.reload_provider("sim").wait(T)
    with pytest.raises(cti.CtiError) as ei:
        session.unload_provider("nosuch").wait(T)
    assert ei.value.errno == errno.ENOENT
    assert ei.value.request == "unload_provider"
    with pytest.raises(cti.CtiValueError):
        session.load_provider(None)  # type: ignore[arg-type]
    session.reload_server().wait(T)


def test_handoff(connect):
    a, b2 = connect(client_name="A"), connect(client_name="B2")
    la, lb = a.find_line("100"), a.find_line("101")
    other = b2.find_line("101")
    with la.open(), lb.open(), other.open():
        la.make_call("101").wait(T)
        m = a.wait_event(lambda m: m.line is lb and
                         m.state is cti.CallState.OFFERING,
                         type=cti.MsgType.CALL_STATE, timeout=T)
        m.get_call().handoff("B2").wait(T)
        ev = b2.wait_event(type=cti.MsgType.PRIVILEGE, timeout=T)
        assert ev.privilege is cti.Privilege.OWNER and ev.call == m.call
        # the call is B2's now: A may no longer hand it on
        with pytest.raises(cti.CtiPermissionError) as ei:
            m.get_call().handoff("A").wait(T)
        assert ei.value.errno == errno.EPERM
