# SPDX-License-Identifier: LGPL-2.1-or-later
"""The examples of python/examples run against the test's ctid, as a
user would run them."""
import os
import subprocess
import sys

import cti

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")


def run_example(name, *args, timeout=30):
    return subprocess.run([sys.executable, os.path.join(EXAMPLES, name)] +
                          list(args), capture_output=True, text=True,
                          timeout=timeout)


def test_click_to_dial_connects(ctid):
    r = run_example("click_to_dial.py", "--uri", ctid.uri, "--hangup",
                    "ext100", "5550")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("ext100: calling 5550")
    assert [ln.split()[0] for ln in lines[1:-1]] == [
        "DIALING", "RINGBACK", "CONNECTED"]
    assert lines[-1] == "dropped"


def test_click_to_dial_busy(ctid):
    r = run_example("click_to_dial.py", "--uri", ctid.uri, "100", "5551")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "BUSY" in r.stdout


def test_click_to_dial_refused(ctid):
    r = run_example("click_to_dial.py", "--uri", ctid.uri, "105", "5550")
    assert r.returncode == 2
    assert "Permission denied: open_line" in r.stderr


def test_monitor(ctid):
    proc = subprocess.Popen(
        [sys.executable, os.path.join(EXAMPLES, "monitor.py"), "--uri",
         ctid.uri, "--count", "3", "ext101"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "monitoring ext101"
        with cti.Session(ctid.uri) as s:
            with s.find_line("100").open():
                s.find_line("100").make_call("101").wait(5)
                out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    events = [ln.split() for ln in out.splitlines()]
    assert [e[1] for e in events] == ["CALL_INFO", "LINE_STATUS",
                                      "CALL_STATE"]
    assert events[2][2:] == ["ext101", "call", events[2][4], "OFFERING",
                             "DIRECT"]
    assert events[0][-3:] == ["100", "->", "101"]
    seqs = [int(e[0]) for e in events]
    assert seqs == sorted(seqs)
