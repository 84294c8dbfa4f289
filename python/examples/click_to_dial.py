#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""click_to_dial: call a number from a line, as a CRM's "dial" button does.

    click_to_dial.py [--uri URI] [--wait SECS] [--hangup] LINE NUMBER

Opens LINE (its name or directory number) as owner, places the call,
prints every state the call goes through until it is CONNECTED (or
fails), then leaves it up for the user's phone, or with --hangup drops
it. Exit status: 0 connected, 1 the call failed, 2 a usage or ctid error.
"""
from __future__ import annotations

import argparse
import sys

import cti


def dial(session: cti.Session, line_name: str, number: str,
         wait: float, hangup: bool) -> int:
    with session.find_line(line_name).open(cti.Privilege.OWNER) as line:
        call = line.make_call(number).wait(timeout=10)
        if call is None:
            print("ctid created no call", file=sys.stderr)
            return 1
        print("%s: calling %s (call %d)" % (line.name, number, call.handle))
        while True:
            ev = call.wait_state(timeout=wait)
            print("  %s %s" % (getattr(ev.state, "name", ev.state),
                               getattr(ev.reason, "name", "")))
            if ev.state == cti.CallState.CONNECTED:
                break
            if ev.state in (cti.CallState.DISCONNECTED, cti.CallState.IDLE,
                            cti.CallState.BUSY):
                call.drop().wait(timeout=10)
                return 1
        if hangup:
            call.drop().wait(timeout=10)
            print("dropped")
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--uri", help="ctid's address (default: $CTI_URI)")
    ap.add_argument("--wait", type=float, default=60,
                    help="seconds to wait for each state (default 60)")
    ap.add_argument("--hangup", action="store_true",
                    help="drop the call once connected")
    ap.add_argument("line")
    ap.add_argument("number")
    args = ap.parse_args()
    try:
        # Without reconnect: if ctid goes away the script should fail,
        # not wait for it.
        with cti.Session(args.uri, client_name="click_to_dial",
                         reconnect=False) as session:
            return dial(session, args.line, args.number, args.wait,
                        args.hangup)
    except cti.CtiError as e:
        print("click_to_dial: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
