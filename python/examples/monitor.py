#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""monitor: print what happens on lines, with asyncio.

    monitor.py [--uri URI] [--count N] [LINE...]

Opens every LINE given (default: every visible line) as monitor and
prints each event as it comes, `async for` over the session's events,
while another task pings ctid every few seconds to show that requests
and events share the loop. Stops after N events or on Ctrl-C.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import List, Optional

import cti


def describe(ev: cti.Message) -> str:
    """One line of text for an event."""
    name = getattr(ev.type, "name", str(ev.type))
    where = ev.line.name if ev.line is not None else "-"
    text = "%6d %-12s %-10s" % (ev.seq, name, where)
    if ev.type in (cti.MsgType.CALL_STATE, cti.MsgType.CALL):
        text += " call %d %s %s" % (ev.call,
                                    getattr(ev.state, "name", ev.state),
                                    getattr(ev.reason, "name", ""))
    elif ev.type == cti.MsgType.CALL_INFO:
        text += " call %d %s -> %s" % (ev.call, ev.caller, ev.called)
    elif ev.text:
        text += " " + ev.text
    return text


async def keepalive(session: cti.Session, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        await session.ping()


async def monitor(uri: Optional[str], names: List[str],
                  count: Optional[int]) -> int:
    async with cti.Session(uri, client_name="monitor") as session:
        lines = ([session.find_line(n) for n in names] if names
                 else session.lines)
        async with contextlib.AsyncExitStack() as opened:
            for line in lines:
                await opened.enter_async_context(
                    line.open(cti.Privilege.MONITOR))
            print("monitoring %s" % ", ".join(ln.name for ln in lines),
                  flush=True)
            pinger = asyncio.ensure_future(keepalive(session, 5.0))
            try:
                seen = 0
                async for ev in session.events():
                    print(describe(ev), flush=True)
                    seen += 1
                    if count is not None and seen >= count:
                        break
            finally:
                pinger.cancel()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--uri", help="ctid's address (default: $CTI_URI)")
    ap.add_argument("--count", type=int, help="stop after N events")
    ap.add_argument("lines", nargs="*")
    args = ap.parse_args()
    try:
        return asyncio.run(monitor(args.uri, args.lines, args.count))
    except cti.CtiError as e:
        print("monitor: %s" % e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
