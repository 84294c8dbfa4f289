# SPDX-License-Identifier: LGPL-2.1-or-later
"""pytest fixtures: a ctid of the test's own, from the build tree, with
the sim provider (as tests/harness.c t_ctid_start() does for the C
suites), and sessions to it that are closed after each test.

$CTI_BUILD names the build tree (python/Makefile sets it); the package
under test is imported from $CTI_BUILD/python (PYTHONPATH).
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Callable, Iterator, List

import pytest

import cti

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("CTI_BUILD", os.path.join(TOP, "build"))
LINES = 6

# ctid knows users by SO_PEERCRED: the section names the uid's user (not
# $USER, which may say otherwise). The user may own lines 1-5 and only monitor line 6: opening it as owner
# is refused (EACCES). Lines are named ext100... with number 100...; the
# outside number 5550 answers at once, 5551 is busy.
CONF = """\
[server]
socket = {sock}
socket_mode = 0600
provider_dir = {build}/providers

[provider sim]
so = sim
lines = {lines}
outside.5550 = answer 50
outside.5551 = busy 20

[user {user}]
lines = 1-{owned}
monitor = {lines}
admin = yes
"""


class Ctid:
    """A running ctid: .uri to connect, .log its output, stop()."""

    def __init__(self, tmp: str) -> None:
        self.dir = tmp
        self.sock = os.path.join(tmp, "ctid.sock")
        self.uri = "unix:" + self.sock
        self.log = os.path.join(tmp, "ctid.log")
        conf = os.path.join(tmp, "ctid.conf")
        user = pwd.getpwuid(os.getuid()).pw_name
        with open(conf, "w", encoding="utf-8") as f:
            f.write(CONF.format(sock=self.sock, build=BUILD, lines=LINES,
                                owned=LINES - 1, user=user))
        self.conf = conf
        self.start()

    def start(self) -> None:
        """Start ctid (again, after stop(): same config and socket)."""
        ctid = os.path.join(BUILD, "daemon", "ctid")
        if not os.access(ctid, os.X_OK):
            pytest.fail("no ctid at %s: build it first (make -C python "
                        "check does)" % ctid)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [ctid, "-c", self.conf, "--foreground"], stdout=log,
                stderr=subprocess.STDOUT)
        self._wait_listening(10.0)

    def _wait_listening(self, secs: float) -> None:
        deadline = time.monotonic() + secs
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail("ctid exited (%d): %s" % (self.proc.returncode,
                                                      self.read_log()))
            with socket.socket(socket.AF_UNIX) as s:
                try:
                    s.connect(self.sock)
                    return
                except OSError:
                    time.sleep(0.01)
        self.stop()
        pytest.fail("ctid did not listen within %gs: %s" % (secs,
                                                           self.read_log()))

    def read_log(self) -> str:
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self) -> int:
        """SIGTERM, and its exit status (0: a clean stop)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture
def ctid() -> Iterator[Ctid]:
    tmp = tempfile.mkdtemp(prefix="cti-py.")
    d = Ctid(tmp)
    try:
        yield d
    finally:
        rc = d.stop()
        log = d.read_log()
        shutil.rmtree(tmp, ignore_errors=True)
        # ctid must survive every test and stop cleanly on SIGTERM.
        assert rc == 0, "ctid exit status %d:\n%s" % (rc, log)


@pytest.fixture
def connect(ctid: Ctid) -> Iterator[Callable[..., cti.Session]]:
    """connect(**options) -> a Session to the test's ctid."""
    sessions: List[cti.Session] = []

    def _open(**kw: object) -> cti.Session:
        s = cti.Session(ctid.uri, **kw)  # type: ignore[arg-type]
        sessions.append(s)
        return s
    yield _open
    for s in sessions:
        s.close()


@pytest.fixture
def session(connect: Callable[..., cti.Session]) -> cti.Session:
    return connect(client_name="pytest")
