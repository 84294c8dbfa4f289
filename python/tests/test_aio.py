# SPDX-License-Identifier: LGPL-2.1-or-later
"""asyncio: awaited requests, `async for` over events, add_reader on the
session's fd."""
import asyncio
import errno
import signal

import pytest

import cti
from cti import CallState as S

T = 5.0


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


async def collect_states(session, n):
    got = []
    async for ev in session.events():
        if ev.type == cti.MsgType.CALL_STATE:
            got.append(ev)
            if len(got) == n:
                return got
    raise AssertionError("events() ended early")


def test_async_call(connect):
    a, b = connect(client_name="A"), connect(client_name="B")

    async def scenario():
        async with a.find_line("100").open() as la, \
                b.find_line("101").open():
            ca = await la.make_call("101")
            assert isinstance(ca, cti.Call)
            offered = (await collect_states(b, 1))[0]
            assert offered.state is S.OFFERING
            await offered.get_call().answer()
            evs = await collect_states(a, 3)
            assert [e.state for e in evs] == [S.DIALING, S.RINGBACK,
                                              S.CONNECTED]
            seqs = [e.seq for e in evs]
            assert seqs == sorted(seqs) and len(set(seqs)) == 3
            await ca.hold()
            assert (await collect_states(a, 1))[0].state is S.ONHOLD
            await ca.drop()
            idle = (await collect_states(a, 1))[0]
            assert (idle.state, idle.reason) == (
                S.IDLE, cti.DisconnectReason.NORMAL)
        assert la.privilege is cti.Privilege.NONE
    run(scenario())


def test_async_errors(session):
    async def scenario():
        line = session.find_line("101")
        async with line.open(cti.Privilege.MONITOR):
            try:
                await line.make_call("102")
            except cti.CtiPermissionError as e:
                return e
        raise AssertionError("make_call by a monitor succeeded")
    e = run(scenario())
    assert e.errno == errno.EPERM and e.request == "make_call"


def test_add_reader_wakes(connect):
    """A program's own loop: add_reader(session.fileno()) then
    poll_events(), as the README shows."""
    a, b = connect(), connect()
    la, lb = a.find_line("100"), b.find_line("101")

    async def scenario():
        loop = asyncio.get_running_loop()
        got = []
        woken = asyncio.Event()

        def readable():
            got.extend(b.poll_events())
            woken.set()
        loop.add_reader(b.fileno(), readable)
        try:
            la.make_call("101").wait(T)
            while not any(m.type == cti.MsgType.CALL_STATE for m in got):
                woken.clear()
                await asyncio.wait_for(woken.wait(), T)
        finally:
            loop.remove_reader(b.fileno())
        return got
    with la.open(), lb.open():
        got = run(scenario())
    assert [m.state for m in got if m.type == cti.MsgType.CALL_STATE] == \
        [S.OFFERING]


def test_next_event_async_timeout(session):
    assert run(session.next_event_async(0.05)) is None


def test_events_end_when_closed(ctid):
    s = cti.Session(ctid.uri)

    async def scenario():
        async def reader():
            return [ev async for ev in s.events()]
        task = asyncio.ensure_future(reader())
        await asyncio.sleep(0.05)
        s.close()
        return await asyncio.wait_for(task, T)
    assert run(scenario()) == []


def test_cancelled_await_keeps_the_reply(ctid, connect):
    """An await that is cancelled (asyncio.wait_for ran out) leaves the
    request pending: its reply is not lost, a later wait() takes it.
    ctid is stopped meanwhile so that the reply cannot come first."""
    s = connect()
    line = s.find_line("100")

    async def scenario():
        with line.open():
            ctid.proc.send_signal(signal.SIGSTOP)
            try:
                req = line.make_call("5550")
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(req, 0.1)
                assert not req.done
            finally:
                ctid.proc.send_signal(signal.SIGCONT)
            await asyncio.sleep(0.2)  # the reply arrives, nobody awaits
            call = req.wait(T)
            assert isinstance(call, cti.Call)
            await call.drop()
    run(scenario())
    assert "Session" in repr(s) and "closed" not in repr(s)
