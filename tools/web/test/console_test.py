#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The console in a real browser: headless Chromium driven by WebDriver
(Debian's chromium, chromium-driver and python3-selenium).

    console_test.py URL BUILD SOCK SCREENSHOT [CASE...]

URL is ctiweb's, BUILD the build directory (examples/dial,
tools/web/holdcall), SOCK ctid's unix socket (dial and holdcall run
there as the local admin), SCREENSHOT where the picture of the board
goes. The passwords come from $CTIWEB_ADMIN_PW and $CTIWEB_AGENT_PW, as
demo-setup.sh set them. Prints "ok NAME" or "FAIL NAME: why" per case,
then "N passed, N failed". The cases run in order on one browser: each
starts from what the one before left.
"""
import json
import os
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

URL, BUILD, SOCK, SHOT = sys.argv[1:5]
ONLY = sys.argv[5:]
ADMIN_PW = os.environ.get("CTIWEB_ADMIN_PW", "admin-demo")
AGENT_PW = os.environ.get("CTIWEB_AGENT_PW", "agent-demo")
ENV = dict(os.environ, CTI_URI="unix:" + SOCK)


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1400,1300"):
        o.add_argument(a)
    # the demo's certificate comes from a throwaway CA the browser does
    # not know; everything else about TLS is as in production
    o.accept_insecure_certs = True
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


D = browser()
WAIT = WebDriverWait(D, 15)


def el(css):
    return D.find_element(By.CSS_SELECTOR, css)


def visible(css):
    return WAIT.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))


def rows(table):
    # read in one go in the page: the board may be redrawn between two
    # WebDriver calls, which would leave stale elements in our hands
    return D.execute_script(
        "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
        ".map((tr) => [...tr.children].map((td) => td.textContent));", table)


def click_drop(line, call):
    """Click Drop on the row of call @call of line @line once it is drawn."""
    def attempt():
        try:
            r = D.find_elements(By.CSS_SELECTOR,
                                '#calls tr[data-line="%s"][data-call="%s"] button.drop'
                                % (line, call))
            if r:
                r[0].click()
                return True
        except StaleElementReferenceException:
            pass	# redrawn under us: find it again
        return False
    until("the Drop button of call %s" % call, attempt)


def until(what, fn, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def login(user, password):
    D.get(URL)
    # the page asks ctiweb whether this browser is logged in, then shows one
    until("the page", lambda: el("#login-form").is_displayed() or el("#logout").is_displayed())
    if el("#logout").is_displayed():
        el("#logout").click()
    visible("#login-form")
    el("#user").clear()
    el("#user").send_keys(user)
    el("#password").send_keys(password)
    el("#login-btn").click()


def logged_in_as(user):
    visible("#board-view")
    until("the user shown", lambda: el("#who").text.startswith(user))


class Hold:
    """A call from line A to line B kept up by holdcall until closed."""

    def __init__(self, a, b):
        self.p = subprocess.Popen([BUILD + "/tools/web/holdcall", a, b], env=ENV,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        words = self.p.stdout.readline().split()
        if words[:1] != ["up"]:
            raise AssertionError("holdcall: the call did not come up")
        self.line, self.call = words[1], words[2]

    def close(self):
        self.p.stdin.close()
        self.p.wait(10)


def wrong_password_refused():
    login("admin", "not-the-password")
    until("the refusal", lambda: "wrong user name or password" in el("#login-error").text)
    assert not el("#board-view").is_displayed(), "the board shows"
    login("nosuchuser", "whatever")
    until("the refusal", lambda: "wrong user name or password" in el("#login-error").text)


def admin_sees_the_board():
    login("admin", ADMIN_PW)
    logged_in_as("admin")
    until("8 lines", lambda: len(rows("lines")) == 8)
    until("the sim provider", lambda: any(r[:2] == ["sim", "up"] for r in rows("providers")))
    assert any(r[0].startswith("admin") for r in rows("sessions")), "no session of admin"
    until("the event stream", lambda: el("#status").text == "live")


def dial_call_appears_and_ends():
    until("the event stream", lambda: el("#status").text == "live")
    before = len(rows("recent"))
    out = subprocess.run([BUILD + "/examples/dial", "100", "101", "102"], env=ENV,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, "dial failed: " + out.stderr
    until("the calls to end", lambda: not rows("calls") and len(rows("recent")) >= before + 3)
    # the board the page draws is the latest; the event log keeps each
    # state: every line's call rang or dialled, talked, and went IDLE
    states = {(r[1], r[3]) for r in rows("events")}
    for want in (("ext100", "CONNECTED"), ("ext100", "IDLE"), ("ext101", "OFFERING"),
                 ("ext101", "IDLE"), ("ext102", "CONNECTED"), ("ext102", "IDLE")):
        assert want in states, "not in the event log: %s (%s)" % (want, sorted(states))
    recent = rows("recent")[:3]
    # B took the call from A (100 -> 101), then transferred it to C
    assert any(r[0] == "ext101" and r[2] == "100" and r[3] == "101" for r in recent), recent
    assert {r[0] for r in recent} == {"ext100", "ext101", "ext102"}, recent


def screenshot_of_a_live_board():
    hold = Hold("103", "104")
    try:
        until("the held call", lambda: any(r[0] == "ext103" and r[2] == "CONNECTED"
                                           for r in rows("calls")))
        time.sleep(2.2)		# a duration that has ticked
        D.save_screenshot(SHOT)
        assert os.path.getsize(SHOT) > 10000, "an empty screenshot"
    finally:
        hold.close()


def non_admin_action_refused():
    hold = Hold("105", "106")
    try:
        login("agent", AGENT_PW)
        logged_in_as("agent")
        assert not rows("providers"), "a non-admin sees the providers"
        click_drop(hold.line, hold.call)
        until("the refusal", lambda: "Refused" in el("#message").text)
        assert "Permission denied" in el("#message").text, el("#message").text
        time.sleep(0.5)
        assert D.find_elements(By.CSS_SELECTOR, '#calls tr[data-line="%s"]' % hold.line), \
            "the call went anyway"
        # the admin may
        login("admin", ADMIN_PW)
        logged_in_as("admin")
        click_drop(hold.line, hold.call)
        until("the drop", lambda: "dropped" in el("#message").text)
        until("the call gone", lambda: not D.find_elements(
            By.CSS_SELECTOR, '#calls tr[data-line="%s"]' % hold.line))
    finally:
        hold.close()


def session_row(pid):
    """The sessions panel's row of the program with process @pid, or None."""
    for r in rows("sessions"):
        if r[1] == "pid %d" % pid:
            return r
    return None


def click_in_row(css, what):
    """Click the button @css once it is drawn (the panel is redrawn live)."""
    def attempt():
        try:
            b = D.find_elements(By.CSS_SELECTOR, css)
            if b and b[0].is_enabled():
                D.execute_script("arguments[0].scrollIntoView({block: 'center'})", b[0])
                b[0].click()
                return True
        except StaleElementReferenceException:
            pass
        return False
    until(what, attempt)


def as_admin():
    """Log in as the admin unless the page is already theirs (a case run alone)."""
    who = D.find_elements(By.CSS_SELECTOR, "#who")
    if not who or not who[0].is_displayed() or not who[0].text.startswith("admin"):
        login("admin", ADMIN_PW)
        logged_in_as("admin")


def admin_ends_a_session():
    as_admin()
    mon = subprocess.Popen([BUILD + "/tools/ctictl", "monitor"], env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        row = until("ctictl monitor in the sessions panel", lambda: session_row(mon.pid))
        assert row[0].startswith(os.environ.get("USER", "")) or row[0], row
        sid = D.execute_script(
            "return [...document.querySelectorAll('#sessions tbody tr')]"
            ".find((tr) => tr.children[1].textContent === arguments[0]).dataset.session;",
            "pid %d" % mon.pid)
        click_in_row('#sessions tr[data-session="%s"] button.end_session' % sid,
                     "the End button of the monitor's session")
        message_says("session %s ended" % sid, "the end confirmed")
        until("the session gone from the panel", lambda: session_row(mon.pid) is None)
        try:
            mon.wait(10)	# ctid ended it: ctictl is told and exits
        except subprocess.TimeoutExpired:
            raise AssertionError("ctictl monitor still runs after its session ended") from None
    finally:
        if mon.poll() is None:
            mon.kill()
            mon.wait()


def agent_lines():
    out = subprocess.run([BUILD + "/tools/ctictl", "-j", "users"], env=ENV,
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, "ctictl users: " + out.stderr
    users = json.loads(out.stdout)
    return next(u for u in users if u["name"] == "agent")["lines"]


def set_access(user, line, priv, button):
    for css, v in (("#access-user", user), ("#access-line", line)):
        el(css).clear()
        el(css).send_keys(v)
    Select(el("#access-priv")).select_by_visible_text(priv)
    D.execute_script("document.getElementById('message').textContent = ''")
    el(button).click()


def message_says(text, what):
    """Wait for the page's message to hold @text; fail with what it says."""
    try:
        until(what, lambda: text in el("#message").text)
    except AssertionError as e:
        raise AssertionError("%s (the page says: %s)" % (e, el("#message").text)) from None


def admin_grants_and_revokes():
    as_admin()
    before = agent_lines()
    assert "7" not in before, "agent owns line 7 already: " + before
    set_access("agent", "7", "owner", "#grant")
    message_says("agent: may now own line 7", "the grant confirmed")
    until("the grant in ctid", lambda: "7" in agent_lines())
    set_access("agent", "7", "owner", "#revoke")
    message_says("agent: may no longer own line 7", "the revoke confirmed")
    until("the revoke in ctid", lambda: agent_lines() == before)
    # revoking what is not granted: ctid's refusal, shown
    set_access("agent", "7", "owner", "#revoke")
    until("the refusal", lambda: "Refused" in el("#message").text)
    assert "No such file or directory" in el("#message").text, el("#message").text


def non_admin_grant_refused():
    login("agent", AGENT_PW)
    logged_in_as("agent")
    until("the panel saying why", lambda: "administrators only" in el("#sessions-empty").text)
    assert not rows("sessions"), "a non-admin sees ctid's sessions"
    set_access("agent", "7", "owner", "#grant")
    until("the refusal", lambda: "Refused" in el("#message").text)
    assert "Permission denied" in el("#message").text, el("#message").text
    assert "7" not in agent_lines(), "the agent granted itself a line"


def logout_ends_the_login():
    el("#logout").click()
    visible("#login-form")
    D.get(URL)
    visible("#login-form")
    assert not el("#board-view").is_displayed()


CASES = [wrong_password_refused, admin_sees_the_board, dial_call_appears_and_ends,
         screenshot_of_a_live_board, non_admin_action_refused, admin_ends_a_session,
         admin_grants_and_revokes, non_admin_grant_refused, logout_ends_the_login]

passed = failed = 0
try:
    for case in CASES:
        if ONLY and case.__name__ not in ONLY:
            continue
        try:
            case()
            print("ok", case.__name__)
            passed += 1
        except Exception as e:	# noqa: BLE001 - any failure is the case's
            print("FAIL %s: %s" % (case.__name__, str(e).splitlines()[0] if str(e) else repr(e)))
            failed += 1
        sys.stdout.flush()
finally:
    D.quit()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
