#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Record the AMI transcripts of tests/providers/test_ami.c from a real Asterisk.

Run by a person, not by CI (Asterisk is not in Debian):

    tests/providers/ami/record.py --asterisk /work/asterisk-inst [SCENARIO..]

It starts the Asterisk installed under --asterisk with the configuration in
asterisk/ (manager on 127.0.0.1:15038), then for every scenario opens an AMI
connection that sends exactly the actions the provider sends (same login,
same Filter, same fields) and writes everything on that connection, in
both directions and in order, to transcripts/SCENARIO.ami. A second,
unrecorded connection plays the rest of the world: it sets what the
simulated phones do (AstDB phone/EXT), places the outside caller's calls
and hangs them up.

Transcript format: a line "<<<" (from Asterisk) or ">>>" (to Asterisk),
then the message's lines as they were on the wire without CR LF, then an
empty line; "=== cut" where the recorder closed the connection and opened
a new one (the link-cut scenario); lines starting with '#' are comments.
"""
import argparse
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PORT = 15038
PROMPT_BYTES = int(os.environ.get("PROMPT_BYTES", "0"))
USER, SECRET = "cti", "ctisecret"
CTX = "from-cti"


def provider_filter():
    """The provider's event filter, read from its source so both agree."""
    src = open(os.path.join(TOP, "providers/ami/ami_link.c")).read()
    m = re.search(r"ami_filter\[\] =\s*((?:\s*\"[^\"]*\")+);", src)
    return "".join(re.findall(r"\"([^\"]*)\"", m.group(1)))


class Ami:
    def __init__(self, log=None):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
        self.buf = b""
        self.log = log
        self.next_id = 16
        banner = self._line()
        self._log("<<<", [banner])

    def _log(self, d, lines):
        if self.log is not None:
            self.log.append(d + "\n" + "".join(l + "\n" for l in lines) + "\n")

    def _fill(self, timeout):
        self.sock.settimeout(timeout)
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("AMI closed")
        self.buf += data

    def _line(self, timeout=10):
        while b"\n" not in self.buf:
            self._fill(timeout)
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("latin-1")

    def read(self, timeout=10):
        lines = []
        while True:
            line = self._line(timeout)
            if not line:
                if lines:
                    break
                continue
            lines.append(line)
        self._log("<<<", lines)
        msg = {}
        for l in lines:
            k, _, v = l.partition(":")
            msg.setdefault(k, v[1:] if v.startswith(" ") else v)
        return msg

    def send(self, action, *fields, aid=None):
        if aid is None:
            aid = str(self.next_id)
            self.next_id += 1
        lines = ["Action: " + action] + [k + ": " + v for k, v in fields]
        lines.append("ActionID: " + aid)
        self._log(">>>", lines)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return aid

    def wait(self, pred, timeout=15, what="?"):
        end = time.time() + timeout
        while time.time() < end:
            try:
                m = self.read(timeout=max(0.1, end - time.time()))
            except socket.timeout:
                break
            if pred(m):
                return m
        raise TimeoutError("waiting for " + what)

    def settle(self, secs):
        """Record what arrives for @secs seconds."""
        end = time.time() + secs
        while time.time() < end:
            try:
                self.read(timeout=max(0.05, end - time.time()))
            except socket.timeout:
                pass

    def response(self, aid):
        return self.wait(lambda m: m.get("ActionID") == aid and
                         "Response" in m, what="response " + aid)

    def close(self):
        self.sock.close()


def login(log, secret=SECRET, md5=True):
    """The provider's login: Challenge, Login, Filter, the two lists."""
    a = Ami(log)
    if md5:
        aid = a.send("Challenge", ("AuthType", "MD5"))
        ch = a.response(aid)["Challenge"]
        key = hashlib.md5((ch + secret).encode()).hexdigest()
        aid = a.send("Login", ("AuthType", "MD5"), ("Username", USER),
                     ("Key", key), ("Events", "on"))
    else:
        aid = a.send("Login", ("Username", USER), ("Secret", secret),
                     ("Events", "on"))
    r = a.response(aid)
    if r.get("Response") != "Success":
        return a, False
    a.send("Filter", ("Operation", "Add"), ("Filter", provider_filter()))
    a.send("CoreShowChannels")
    a.send("QueueStatus")
    a.wait(lambda m: m.get("Event") == "CoreShowChannelsComplete",
           what="CoreShowChannelsComplete")
    a.wait(lambda m: m.get("Event") == "QueueStatusComplete",
           what="QueueStatusComplete")
    return a, True


def originate(a, ext, exten=None, ctx=CTX, app=None, data=None):
    chan_id = "cti-rec-" + str(a.next_id)
    f = [("Channel", "Local/%s@phones" % ext)]
    if app:
        f += [("Application", app), ("Data", data)]
    else:
        f += [("Context", ctx), ("Exten", exten), ("Priority", "1")]
    f += [("CallerID", '"line%s" <%s>' % (ext, ext)), ("ChannelId", chan_id),
          ("Async", "true")]
    a.response(a.send("Originate", *f))
    return chan_id


class World:
    """The unrecorded side: phones' behaviour, the outside caller."""

    def __init__(self):
        self.a, ok = login(None)
        assert ok
        self.n = 0

    def phone(self, ext, mode):
        self.a.response(self.a.send("DBPut", ("Family", "phone"),
                                    ("Key", ext), ("Val", mode)))

    def call(self, exten, num="5551234", name="Outside"):
        self.n += 1
        cid = "outside-%d-%d" % (os.getpid(), self.n)
        self.a.response(self.a.send(
            "Originate", ("Channel", "Local/s@outside"), ("Context", CTX),
            ("Exten", exten), ("Priority", "1"),
            ("CallerID", '"%s" <%s>' % (name, num)), ("ChannelId", cid),
            ("Async", "true")))
        return cid

    def hangup_uid(self, uid):
        """Hang up the channel whose Uniqueid we chose."""
        for name, u in self.channels():
            if u == uid:
                self.a.response(self.a.send("Hangup", ("Channel", name)))
                return name
        raise RuntimeError("no channel " + uid)

    def channels(self):
        aid = self.a.send("CoreShowChannels")
        out = []
        while True:
            m = self.a.read()
            if m.get("Event") == "CoreShowChannel" and m.get("ActionID") == aid:
                out.append((m["Channel"], m["Uniqueid"]))
            if m.get("Event") == "CoreShowChannelsComplete":
                return out

    def clear(self):
        for name, _ in self.channels():
            self.a.send("Hangup", ("Channel", name))
        time.sleep(0.5)
        for ext in ("100", "101", "102", "103"):
            self.phone(ext, "answer")
            for fam in ("cti/dnd", "cti/fwd"):
                self.a.send("DBDel", ("Family", fam), ("Key", ext))
        for q in ("sales",):
            for ext in ("100", "101", "102", "103"):
                self.a.send("QueueRemove", ("Queue", q),
                            ("Interface", "Local/%s@phones" % ext))
        self.a.settle(0.5)


def ev(name, **kv):
    return lambda m: m.get("Event") == name and all(
        m.get(k) == v for k, v in kv.items())


def my_chan(m, ext):
    return m.get("DestChannel", "").startswith("Local/%s@phones-" % ext) and \
        m["DestChannel"].endswith(";1")


# ---- scenarios: each gets the recorded connection's log -----------------

def caller_leaves(a, w, cid):
    """The outside caller hangs up a second later; record the end."""
    a.settle(1)
    w.hangup_uid(cid)
    a.settle(1.5)
    a.close()


def sc_login_refused(w, log):
    a, ok = login(log, secret="wrong")
    assert not ok
    a.close()


def sc_login_plain(w, log):
    a, ok = login(log, md5=False)
    assert ok
    a.close()


def talk_and_hang_up(a, w, cid, what, timeout=15):
    """Our call @cid is answered (@what), talks a second, we hang up."""
    a.wait(far_answer, timeout=timeout, what=what)
    a.settle(1)
    a.response(a.send("Hangup", ("Channel", chan_of(a, w, cid)),
                      ("Cause", "16")))
    a.settle(1.5)


def sc_click_to_dial(w, log):
    a, _ = login(log)
    cid = originate(a, "100", "101")
    talk_and_hang_up(a, w, cid, "answer")
    a.close()


def chan_of(a, w, uid):
    for name, u in w.channels():
        if u == uid:
            return name
    raise RuntimeError("no channel " + uid)


def sc_busy(w, log):
    w.phone("101", "busy")
    a, _ = login(log)
    originate(a, "100", "101")
    a.wait(ev("DialEnd", DialStatus="BUSY"), what="busy")
    a.settle(2)
    a.close()


def sc_no_answer(w, log):
    w.phone("101", "noanswer")
    a, _ = login(log)
    originate(a, "100", "101")
    a.wait(ev("DialEnd", DialStatus="NOANSWER"), timeout=20, what="noanswer")
    a.settle(1.5)
    a.close()


def inbound(a, w, ext, answer=True):
    cid = w.call(ext)
    m = a.wait(lambda m: m.get("Event") == "DialBegin" and my_chan(m, ext),
               what="offered")
    if answer:
        a.wait(ev("DialEnd", DialStatus="ANSWER"), what="answered")
        a.settle(0.5)
    return cid, m["DestChannel"], m["Channel"]


def sc_inbound_answered(w, log):
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    a.settle(1)
    w.hangup_uid(cid)		# the caller hangs up while connected
    a.settle(1.5)
    a.close()


def sc_caller_hangup_ringing(w, log):
    w.phone("100", "noanswer")
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100", answer=False)
    a.settle(1)
    w.hangup_uid(cid)		# the caller gives up while it rings
    a.settle(1.5)
    a.close()


def far_answer(m):
    """The DialEnd of our call's Dial (an Originate's own has no Channel)."""
    return m.get("Event") == "DialEnd" and m.get("DialStatus") == "ANSWER" \
        and "Channel" in m


def sc_callee_hangup(w, log):
    a, _ = login(log)
    originate(a, "100", "101")
    m = a.wait(far_answer, what="answer")
    a.settle(1)
    w.a.response(w.a.send("Hangup", ("Channel", m["DestChannel"])))
    a.settle(1.5)
    a.close()


def sc_caller_hangup_ringback(w, log):
    """Line 100's own phone hangs up while 101 rings."""
    w.phone("101", "noanswer")
    a, _ = login(log)
    cid = originate(a, "100", "101")
    a.wait(lambda m: m.get("Event") == "DialBegin" and "Channel" in m,
           what="ringback")
    a.settle(0.5)
    w.hangup_uid(cid)
    a.settle(1.5)
    a.close()


def sc_caller_hangup_dialing(w, log):
    """Line 100's phone rings for the Originate and is hung up."""
    w.phone("100", "noanswer")
    a, _ = login(log)
    cid = originate(a, "100", "101")
    a.wait(ev("Newstate", Uniqueid=cid, ChannelState="5"), what="ringing")
    a.settle(0.5)
    w.hangup_uid(cid)
    a.settle(1.5)
    a.close()


def sc_blind_transfer(w, log):
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    a.response(a.send("BlindTransfer", ("Channel", mine), ("Context", CTX),
                      ("Exten", "101")))
    a.wait(ev("DialEnd", DialStatus="ANSWER"), what="transferred")
    caller_leaves(a, w, cid)


def sc_consult_transfer(w, log):
    """100 talks to the outside, consults 101, then completes: 101 and
    the outside talk."""
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    a.response(a.send("Atxfer", ("Channel", mine), ("Exten", "101"),
                      ("Context", CTX)))
    a.wait(lambda m: far_answer(m) and
           m["Channel"].startswith("Local/101@%s-" % CTX), what="consulted")
    a.settle(1)
    a.response(a.send("Hangup", ("Channel", mine), ("Cause", "16")))
    a.wait(ev("AttendedTransfer"), what="transferred")
    caller_leaves(a, w, cid)


def conf_room(uid):
    """The provider's room: the controlling call's Uniqueid, alphanumeric."""
    return "".join(ch for ch in uid if ch.isalnum())


def sc_conference(w, log):
    """100 talks to the outside, consults 101, then joins all three in a
    ConfBridge (the provider's two Redirects under one ActionID); 100
    drops 101's party, the outside leaves, 100 hangs up."""
    a, _ = login(log)
    cid = w.call("100")
    m = a.wait(lambda m: m.get("Event") == "DialBegin" and my_chan(m, "100"),
               what="offered")
    mine, peer, uid = m["DestChannel"], m["Channel"], m["DestUniqueid"]
    a.wait(ev("DialEnd", DialStatus="ANSWER"), what="answered")
    a.settle(0.5)
    a.response(a.send("Atxfer", ("Channel", mine), ("Exten", "101"),
                      ("Context", CTX)))
    m = a.wait(lambda m: far_answer(m) and
               m["Channel"].startswith("Local/101@%s-" % CTX),
               what="consulted")
    far = m["DestChannel"]
    a.settle(1)
    room = conf_room(uid)
    aid = str(a.next_id)
    a.next_id += 1
    a.send("Redirect", ("Channel", mine), ("ExtraChannel", peer),
           ("Context", "cti-conf"), ("Exten", room), ("Priority", "1"),
           ("ExtraContext", "cti-conf"), ("ExtraExten", room),
           ("ExtraPriority", "1"), aid=aid)
    a.send("Redirect", ("Channel", far), ("Context", "cti-conf"),
           ("Exten", room), ("Priority", "1"), aid=aid)
    for _ in range(3):
        a.wait(ev("BridgeEnter", BridgeTechnology="softmix"),
               what="in the conference")
    a.settle(1)
    a.response(a.send("Hangup", ("Channel", far), ("Cause", "16")))
    a.settle(1)
    w.hangup_uid(cid)
    a.settle(1)
    a.response(a.send("Hangup", ("Channel", mine), ("Cause", "16")))
    a.settle(1.5)
    a.close()


def sc_redirect(w, log):
    w.phone("101", "noanswer")
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "101", answer=False)
    a.settle(0.5)
    a.response(a.send("Redirect", ("Channel", peer), ("Context", CTX),
                      ("Exten", "102"), ("Priority", "1")))
    a.wait(ev("DialEnd", DialStatus="ANSWER"), what="answered by 102")
    caller_leaves(a, w, cid)


def sc_park_unpark(w, log):
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    a.response(a.send("Park", ("Channel", peer), ("TimeoutChannel", mine),
                      ("Parkinglot", "default")))
    m = a.wait(ev("ParkedCall"), what="parked")
    a.settle(1)
    originate(a, "101", m["ParkingSpace"], ctx="parkedcalls")
    a.wait(ev("UnParkedCall"), what="unparked")
    caller_leaves(a, w, cid)


def sc_pickup(w, log):
    w.phone("101", "noanswer")
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "101", answer=False)
    a.settle(0.5)
    originate(a, "100", app="PickupChan", data=mine)
    a.wait(ev("Pickup"), what="picked up")
    caller_leaves(a, w, cid)


def sc_dtmf(w, log):
    w.phone("100", "dtmf")
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    aid = str(a.next_id)
    a.next_id += 1
    for d in "12":
        a.send("PlayDTMF", ("Channel", peer), ("Digit", d),
               ("Duration", "100"), aid=aid)
    a.settle(3)
    w.hangup_uid(cid)
    a.settle(1.5)
    a.close()


def sc_queue_agent(w, log):
    a, _ = login(log)
    dev = "Local/102@phones"
    a.response(a.send("QueueAdd", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "true")))
    a.settle(0.5)
    a.response(a.send("QueuePause", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "false")))
    a.settle(0.5)
    a.response(a.send("QueuePause", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "true"), ("Reason", "3")))
    a.settle(0.5)
    a.response(a.send("QueuePause", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "false")))
    a.settle(0.5)
    cid = w.call("600")
    a.wait(ev("AgentConnect"), timeout=20, what="agent connect")
    a.settle(1)
    w.hangup_uid(cid)
    a.wait(ev("AgentComplete"), what="agent complete")
    a.settle(1)
    a.response(a.send("QueueRemove", ("Queue", "sales"), ("Interface", dev)))
    a.settle(0.5)
    a.close()


def sc_queue_acw(w, log):
    """102 logs in ready, takes after-call work (a pause with the
    reason acw), then is ready again and logs out."""
    a, _ = login(log)
    dev = "Local/102@phones"
    a.response(a.send("QueueAdd", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "false")))
    a.settle(0.5)
    a.response(a.send("QueuePause", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "true"), ("Reason", "acw")))
    a.settle(0.5)
    a.response(a.send("QueuePause", ("Queue", "sales"), ("Interface", dev),
                      ("Paused", "false")))
    a.settle(0.5)
    a.response(a.send("QueueRemove", ("Queue", "sales"), ("Interface", dev)))
    a.settle(0.5)
    a.close()


def sc_dnd_forward(w, log):
    a, _ = login(log)
    a.response(a.send("DBPut", ("Family", "cti/dnd"), ("Key", "101"),
                      ("Val", "1")))
    a.response(a.send("DBPut", ("Family", "cti/fwd"), ("Key", "102"),
                      ("Val", "unconditional:103")))
    a.settle(0.5)
    a.close()


def sc_dnd_forward_calls(w, log):
    """The AstDB convention at work: 101 in DND is busy, 102 forwards."""
    a, _ = login(log)
    a.response(a.send("DBPut", ("Family", "cti/dnd"), ("Key", "101"),
                      ("Val", "1")))
    cid = originate(a, "100", "101")
    a.wait(ev("Hangup", Uniqueid=cid), what="busy")
    a.settle(0.5)
    a.response(a.send("DBPut", ("Family", "cti/fwd"), ("Key", "102"),
                      ("Val", "unconditional:103")))
    cid = originate(a, "100", "102")
    talk_and_hang_up(a, w, cid, "103 answers")
    a.close()


def sc_forward_calls(w, log):
    """101 forwards unconditionally to 102, then on busy to 103: the
    dialplan says so with REDIRECTING, manager.conf's channelvars
    shows it in the events."""
    a, _ = login(log)
    a.response(a.send("DBPut", ("Family", "cti/fwd"), ("Key", "101"),
                      ("Val", "unconditional:102")))
    cid = originate(a, "100", "101")
    talk_and_hang_up(a, w, cid, "102 answers")
    w.phone("101", "busy")
    a.response(a.send("DBPut", ("Family", "cti/fwd"), ("Key", "101"),
                      ("Val", "busy:103")))
    cid = originate(a, "100", "101")
    talk_and_hang_up(a, w, cid, "103 answers")
    a.close()


def sc_forward_noanswer(w, log):
    """101 rings unanswered for Dial's 6 s, then forwards to 102."""
    w.phone("101", "noanswer")
    a, _ = login(log)
    a.response(a.send("DBPut", ("Family", "cti/fwd"), ("Key", "101"),
                      ("Val", "noanswer:102")))
    cid = originate(a, "100", "101")
    talk_and_hang_up(a, w, cid, "102 answers", timeout=20)
    a.close()


def sc_consult_dropped(w, log):
    """100 consults 101, then drops the consultation (the Local ;2
    channel the provider's DROP hangs up): Asterisk gives 100 back to
    the outside caller."""
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    a.response(a.send("Atxfer", ("Channel", mine), ("Exten", "101"),
                      ("Context", CTX)))
    m = a.wait(lambda m: far_answer(m) and
               m["Channel"].startswith("Local/101@%s-" % CTX),
               what="consulted")
    a.settle(1)
    a.response(a.send("Hangup", ("Channel", m["Channel"]), ("Cause", "16")))
    a.settle(2)
    caller_leaves(a, w, cid)


def sc_link_cut(w, log):
    a, _ = login(log)
    cid, mine, peer = inbound(a, w, "100")
    a.settle(1)
    a.close()
    log.append("=== cut\n\n")
    time.sleep(1)
    a, _ = login(log)
    a.settle(0.5)
    w.hangup_uid(cid)
    a.settle(1.5)
    a.close()


SCENARIOS = {k[3:]: v for k, v in globals().items() if k.startswith("sc_")}


def start_asterisk(inst):
    root = tempfile.mkdtemp(prefix="cti-ast-")
    etc = os.path.join(root, "etc")
    shutil.copytree(os.path.join(HERE, "asterisk"), etc)
    conf = os.path.join(etc, "asterisk.conf")
    text = open(conf).read().replace("ASTROOT", root).replace("ASTINST", inst)
    open(conf, "w").write(text)
    for d in ("var/lib", "var/spool", "run", "log", "var/lib/moh",
              "var/lib/sounds/en"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    # No sound packages: the prompts a transfer plays are empty files.
    # Without them Asterisk abandons the transfer's digit collection;
    # with a real prompt it drops the digits Atxfer queued while the
    # prompt plays (AST_DIGIT_NONE), and the consultation never dials.
    for snd in ("pbx-transfer", "pbx-invalid", "beep", "pbx-parkingfailed"):
        with open(os.path.join(root, "var/lib/sounds/en", snd + ".sln"),
                  "wb") as f:
            f.write(bytes(PROMPT_BYTES))
    p = subprocess.Popen([os.path.join(inst, "sbin/asterisk"), "-C", conf,
                          "-f", "-n"], stdin=subprocess.DEVNULL,
                         stdout=open(os.path.join(root, "console.log"), "w"),
                         stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            time.sleep(2)	# FullyBooted
            return p, root
        except OSError:
            time.sleep(0.2)
    p.kill()
    sys.exit("Asterisk did not start; see " + root)


def version(inst):
    out = subprocess.run([os.path.join(inst, "sbin/asterisk"), "-V"],
                         capture_output=True, text=True).stdout.strip()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asterisk", required=True, help="Asterisk's prefix")
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args()
    names = args.scenarios or sorted(SCENARIOS)
    p, root = start_asterisk(args.asterisk)
    try:
        w = World()
        for name in names:
            w.clear()
            log = ["# recorded by tests/providers/ami/record.py from %s, "
                   "scenario %s\n\n" % (version(args.asterisk), name)]
            out = os.path.join(HERE, "transcripts", name + ".ami")
            try:
                SCENARIOS[name](w, log)
            except Exception as e:
                # Keep what came, for a person to read; never a transcript.
                out = os.path.join(root, name + ".ami.failed")
                print("FAILED", name, e, "; traffic in", out)
            with open(out, "w") as f:
                f.write("".join(log))
            print("recorded", name, len(log) - 1, "messages")
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
