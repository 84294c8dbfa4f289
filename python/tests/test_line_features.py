# SPDX-License-Identifier: LGPL-2.1-or-later
"""Line features beyond calls: forwarding, do-not-disturb, the phone of
a line and the agent at it, each request seen back as its event."""
import pytest

import cti

T = 5.0


@pytest.fixture
def line(session):
    ln = session.find_line("102")
    ln.open().wait(T)
    return ln


def test_forward_and_dnd(session, line):
    line.set_forward(cti.ForwardMode.UNCONDITIONAL, "103").wait(T)
    session.wait_event(type=cti.MsgType.LINE_STATUS, line=line, timeout=T)
    assert line.forward == (cti.ForwardMode.UNCONDITIONAL, "103")
    line.set_forward(cti.ForwardMode.NONE).wait(T)
    session.wait_event(type=cti.MsgType.LINE_STATUS, line=line, timeout=T)
    assert line.forward == (cti.ForwardMode.NONE, "")
    line.set_dnd(True).wait(T)
    ev = session.wait_event(type=cti.MsgType.LINE_STATUS, line=line,
                            timeout=T)
    assert ev.state is cti.LineStatus.IN_SERVICE
    assert line.dnd is True


def test_phone(session, line):
    line.set_phone_display(0, 0, "hello").wait(T)
    ev = session.wait_event(type=cti.MsgType.PHONE_DISPLAY, timeout=T)
    # the message carries the whole row, padded to the display's width
    assert (ev.line, ev.arg, ev.text.rstrip()) == (line, 0, "hello")
    line.set_phone_lamp(1, cti.LampMode.FLASH).wait(T)
    ev = session.wait_event(type=cti.MsgType.PHONE_LAMP, timeout=T)
    assert (ev.arg, ev.state) == (1, cti.LampMode.FLASH)
    line.set_phone_hook(cti.Hookswitch.SPEAKER,
                        cti.HookMode.MICSPEAKER).wait(T)
    ev = session.wait_event(type=cti.MsgType.PHONE_HOOK, timeout=T)
    assert (ev.arg, ev.state) == (cti.Hookswitch.SPEAKER,
                                  cti.HookMode.MICSPEAKER)
    with pytest.raises(cti.CtiValueError):
        line.set_phone_display(0, 0, "x" * 500).wait(T)


def test_agent(session, line):
    line.set_agent_groups(["sales", "support"]).wait(T)
    line.set_agent_state(cti.AgentState.READY).wait(T)
    ev = session.wait_event(type=cti.MsgType.AGENT_STATE,
                            state=cti.AgentState.READY, timeout=T)
    assert ev.line is line and ev.text == "sales,support"
    line.set_agent_activity(7).wait(T)
    ev = session.wait_event(lambda m: m.arg == 7,
                            type=cti.MsgType.AGENT_STATE, timeout=T)
    assert ev.state is cti.AgentState.READY


def test_dev_specific_inbound_and_status(session, line):
    """The sim's device-specific text commands, sent as bytes (a
    memoryview too): an outside caller rings, the line goes out of
    service; a command the sim does not know is EINVAL from the switch."""
    line.dev_specific(memoryview(b"inbound 5557")).wait(T)
    ev = session.wait_event(type=cti.MsgType.CALL_STATE, line=line,
                            timeout=T)
    assert ev.state is cti.CallState.OFFERING
    # its CALL_INFO came first; wait_event() left it queued
    info = [m for m in session.poll_events()
            if m.type == cti.MsgType.CALL_INFO]
    assert [(m.call, m.origin, m.caller) for m in info] == [
        (ev.call, cti.Origin.INBOUND, "5557")]
    ev.get_call().drop().wait(T)
    line.dev_specific(b"status out").wait(T)
    ev = session.wait_event(type=cti.MsgType.LINE_STATUS, line=line,
                            state=cti.LineStatus.OUT_OF_SERVICE, timeout=T)
    assert line.status is cti.LineStatus.OUT_OF_SERVICE
    with pytest.raises(cti.CtiValueError) as ei:
        line.dev_specific(b"no such command").wait(T)
    assert ei.value.request == "dev_specific"
