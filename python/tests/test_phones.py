# SPDX-License-Identifier: LGPL-2.1-or-later
"""Phones as objects (lib/cti.h, "Phones"): listed with the sim's
capabilities, opened as owner or monitor without their line, their state
following the commands and the events, a button press from the sim's
devspec arriving as a PHONE_BUTTON, a phone the user may only monitor
refused to an owner with EACCES, and the two announcements: PHONE_ADDED
(its line back) and PHONE_PRIVILEGE (the rules changed)."""
import asyncio
import errno
import signal

import pytest

import cti

from conftest import LINES

T = 5.0
ALL_HOOKS = (cti.Hookswitch.HANDSET | cti.Hookswitch.SPEAKER |
             cti.Hookswitch.HEADSET)


def listed(session):
    items = session.list_phones().wait(T)
    assert [m.type for m in items] == [cti.MsgType.PHONE] * LINES + [
        cti.MsgType.LIST_END]
    return items


def test_list_and_caps(session):
    assert session.has_phones
    assert session.phones == []  # nothing before a listing
    with pytest.raises(cti.CtiNotFoundError):
        session.find_phone("100")
    items = listed(session)
    phones = session.phones
    assert [m.phone for m in items[:-1]] == phones
    for line, phone in zip(session.lines, phones):
        assert phone.id == line.id and phone.name == line.name
        assert phone.line is line and line.phone is phone
        assert session.phone(line.id) is phone
        assert session.find_phone(line.number) is phone
        assert phone.hookswitches == ALL_HOOKS
        assert (phone.num_buttons, phone.num_lamps) == (16, 4)
        assert phone.display_size == (2, 40)
        assert phone.num_ring_patterns == 0
        assert phone.privilege is cti.Privilege.NONE
        assert phone.hook(cti.Hookswitch.HANDSET) is cti.HookMode.ONHOOK
        assert phone.lamps == [cti.LampMode.OFF] * 4
        assert phone.display == ["", ""]
        assert phone.ring == (0, 0)
        assert phone.last_button is None
        assert not phone.removed
    assert phones[0].may_open(cti.Privilege.OWNER)
    # the last line is monitor-only for this user
    assert not phones[-1].may_open(cti.Privilege.OWNER)
    assert phones[-1].may_open(cti.Privilege.MONITOR)
    with pytest.raises(cti.CtiNotFoundError):
        session.phone(0xfffffff0)
    with pytest.raises(cti.CtiValueError):
        session.find_phone("1\0")


def test_owner_commands_seen_by_monitor(connect):
    owner, mon = connect(client_name="owner"), connect(client_name="mon")
    listed(owner)
    listed(mon)
    po, pm = owner.find_phone("101"), mon.find_phone("101")
    # a command before the open: EBADF, as for a line
    with pytest.raises(cti.CtiError) as ei:
        po.set_lamp(1, cti.LampMode.STEADY).wait(T)
    assert ei.value.errno == errno.EBADF
    with po.open(cti.Privilege.OWNER) as opened, \
            pm.open(cti.Privilege.MONITOR):
        assert opened is po and po.privilege is cti.Privilege.OWNER
        assert pm.privilege is cti.Privilege.MONITOR
        assert pm.line.privilege is cti.Privilege.NONE  # line not opened
        with pytest.raises(cti.CtiPermissionError):
            pm.set_lamp(1, cti.LampMode.STEADY).wait(T)
        po.set_hookswitch(cti.Hookswitch.HEADSET,
                          cti.HookMode.MICSPEAKER).wait(T)
        po.write_display(1, 3, "Hallo Zoë").wait(T)
        po.set_lamp(2, cti.LampMode.FLASH).wait(T)
        po.set_ringer(7, 55).wait(T)
        ev = mon.wait_event(type=cti.MsgType.PHONE_RING, phone=pm,
                            timeout=T)
        assert (ev.arg, ev.state, ev.line) == (7, 55, pm.line)
        # the monitor's phone followed every event, in order
        assert pm.hook(cti.Hookswitch.HEADSET) is cti.HookMode.MICSPEAKER
        assert pm.hook(cti.Hookswitch.HANDSET) is cti.HookMode.ONHOOK
        # the sim's row is 40 bytes, blank around the text; ë is two
        assert pm.display_row(1) == "   Hallo Zoë".ljust(40 - 1)
        assert pm.lamp(2) is cti.LampMode.FLASH
        assert pm.ring == (7, 55)
        hook = [m for m in mon.poll_events()
                if m.type == cti.MsgType.PHONE_HOOK]
        assert [(m.phone, m.arg, m.state) for m in hook] == [
            (pm, cti.Hookswitch.HEADSET, cti.HookMode.MICSPEAKER)]
    assert po.privilege is cti.Privilege.NONE
    assert pm.privilege is cti.Privilege.NONE
    # closed: commands are refused again
    with pytest.raises(cti.CtiError):
        po.set_ringer(0, 0).wait(T)


def test_query_without_open(connect):
    owner, other = connect(), connect()
    listed(owner)
    with owner.find_phone("102").open():
        owner.find_phone("102").set_lamp(0, cti.LampMode.WINK).wait(T)
    # a session that never opened the phone asks ctid
    listed(other)
    p = other.find_phone("102")
    items = p.query().wait(T)
    assert [m.type for m in items] == [cti.MsgType.PHONE,
                                       cti.MsgType.LIST_END]
    assert items[0].phone is p and p.lamp(0) is cti.LampMode.WINK


def test_button_from_devspec(session):
    listed(session)
    phone = session.find_phone("103")
    with phone.open():
        phone.dev_specific(b"button 5 press").wait(T)
        ev = session.wait_event(type=cti.MsgType.PHONE_BUTTON, phone=phone,
                                timeout=T)
        assert (ev.arg, ev.state) == (5, 1)
        assert phone.last_button == (5, True)
        phone.dev_specific(memoryview(b"button 5 release")).wait(T)
        session.wait_event(type=cti.MsgType.PHONE_BUTTON, phone=phone,
                           state=0, timeout=T)
        assert phone.last_button == (5, False)


def test_refusals(session):
    listed(session)
    monitor_only = session.phones[-1]
    with pytest.raises(cti.CtiPermissionError) as ei:
        monitor_only.open(cti.Privilege.OWNER).wait(T)
    assert ei.value.errno == errno.EACCES
    assert ei.value.request == "open_phone"
    with monitor_only.open(cti.Privilege.MONITOR):
        assert monitor_only.privilege is cti.Privilege.MONITOR
    phone = session.phones[0]
    with pytest.raises(cti.CtiValueError):
        phone.open(cti.Privilege.NONE)  # refused by libcti, nothing sent
    with phone.open():
        with pytest.raises(cti.CtiValueError) as ei:
            phone.write_display(0, 0, "x" * 81).wait(T)
        assert ei.value.errno == errno.ENAMETOOLONG
        with pytest.raises(cti.CtiValueError):
            phone.set_lamp(4, cti.LampMode.STEADY).wait(T)  # no lamp 4
        with pytest.raises(cti.CtiValueError):
            phone.set_lamp(-1, cti.LampMode.STEADY)
        with pytest.raises(TypeError):
            phone.write_display(0, 0, b"bytes")  # type: ignore
    session.close()
    with pytest.raises(cti.CtiError) as ei:
        phone.query()
    assert ei.value.errno == errno.EBADF


def test_async_open_and_event(session):
    async def run():
        await session.list_phones()
        phone = session.find_phone("100")
        async with phone.open() as p:
            assert p is phone
            await p.set_lamp(3, cti.LampMode.FLUTTER)
            async for ev in session.events():
                if ev.type == cti.MsgType.PHONE_LAMP and ev.phone is p:
                    assert (ev.arg, ev.state) == (3, cti.LampMode.FLUTTER)
                    break
        return phone
    phone = asyncio.run(asyncio.wait_for(run(), 20))
    assert phone.privilege is cti.Privilege.NONE


def test_unplugged_and_added_again(session):
    """A phone whose line goes away is removed (its requests ENODEV);
    back, it is the same Phone, announced by a PHONE_ADDED naming it and
    still open as it was."""
    listed(session)
    phone = session.find_phone("101")
    phone.open(cti.Privilege.OWNER).wait(T)
    phone.dev_specific(b"unplug").wait(T)
    session.wait_event(type=cti.MsgType.LINE_REMOVED, timeout=T)
    assert phone.removed
    with pytest.raises(cti.CtiError) as ei:
        phone.set_lamp(0, cti.LampMode.STEADY)
    assert ei.value.errno == errno.ENODEV
    with session.find_line("100").open() as other:
        other.dev_specific(b"plug 101").wait(T)
        ev = session.wait_event(type=cti.MsgType.PHONE_ADDED, timeout=T)
    assert ev.phone is phone and not phone.removed
    assert phone.privilege is cti.Privilege.OWNER
    phone.set_lamp(0, cti.LampMode.STEADY).wait(T)


def test_privilege_lost_on_reload(ctid, session):
    """The rules change (SIGHUP): the owner of a phone whose line it may
    now only monitor gets a PHONE_PRIVILEGE naming the phone, typed."""
    listed(session)
    phone = session.phones[LINES - 2]
    phone.open(cti.Privilege.OWNER).wait(T)
    with open(ctid.conf, encoding="utf-8") as f:
        conf = f.read()
    old = "lines = 1-%d\nmonitor = %d\n" % (LINES - 1, LINES)
    assert old in conf
    with open(ctid.conf, "w", encoding="utf-8") as f:
        f.write(conf.replace(old, "lines = 1-%d\nmonitor = %d,%d\n" % (
            LINES - 2, LINES - 1, LINES)))
    ctid.proc.send_signal(signal.SIGHUP)
    ev = session.wait_event(type=cti.MsgType.PHONE_PRIVILEGE, timeout=T)
    assert ev.phone is phone and ev.privilege is cti.Privilege.MONITOR
    assert phone.privilege is cti.Privilege.MONITOR
    with pytest.raises(cti.CtiPermissionError):
        phone.set_ringer(1, 10).wait(T)
