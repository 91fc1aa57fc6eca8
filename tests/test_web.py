"""The server's people and files, without a server: logins expire, the throttle backs off, downloads stay bound."""

import subprocess
import sys
from pathlib import Path

from assistant.web.accounts import Account, Accounts
from assistant.web.downloads import Downloads
from assistant.web.logins import LoginStore, Throttle


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_l1_a_login_expires_after_30_idle_minutes_and_after_8_hours_whatever_the_use():
    clock = Clock()
    store = LoginStore(clock)
    idle = store.start(Account("guardian", "guardian"))
    busy = store.start(Account("evaluator", "evaluator"))
    for _ in range(16):  # 16 x 29 minutes of steady use: 7.7 hours
        clock.now += 29 * 60
        assert store.get(busy) is not None
    assert store.get(idle) is None  # 29 minutes... and then more with nothing: gone
    clock.now += 29 * 60  # past 8 hours since sign-in, though used 29 minutes ago
    assert store.get(busy) is None


def test_l1_log_out_ends_the_login_on_the_server():
    store = LoginStore()
    token = store.start(Account("guardian", "guardian"))
    assert store.end(token).account.name == "guardian" and store.get(token) is None


def test_h3_the_wait_doubles_with_each_failure_past_the_free_ones():
    clock = Clock()
    throttle = Throttle(clock, account_free=5, base_s=30)
    waits = []
    for _ in range(8):
        throttle.failed("guardian", "10.0.0.1")
        waits.append(round(throttle.wait("guardian", "10.0.0.1")))
        clock.now += throttle.wait("guardian", "10.0.0.1")
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240]


def test_h3_an_account_is_locked_from_every_address_but_an_address_only_after_many_failures():
    throttle = Throttle(Clock(), account_free=5, address_free=20)
    for n in range(5):
        throttle.failed("guardian", f"203.0.113.{n}")  # a guesser rotating addresses
    assert throttle.wait("guardian", "198.51.100.7") > 0  # the account is locked wherever the next try comes from
    assert throttle.wait("u", "203.0.113.1") == 0  # another user at one of those addresses is not
    for n in range(20):
        throttle.failed(f"user{n}", "192.0.2.9")  # spraying many accounts from one address
    assert throttle.wait("someone-else", "192.0.2.9") > 0


def test_accounts_come_from_the_environment_and_wrong_passwords_match_nothing():
    people = Accounts.from_env({"SHAREWISE_AUTH": "u:p1", "SHAREWISE_GUARDIAN_PASSWORD": "g1"})
    assert people.practitioners_sign_in
    assert people.check("u", "p1") == Account("u", "practitioner")
    assert people.check("guardian", "g1") == Account("guardian", "guardian")
    assert people.check("guardian", "p1") is None and people.check("evaluator", "") is None
    assert not Accounts.from_env({}).practitioners_sign_in and Accounts.from_env({}).check("x", "y") is None


def test_l7_a_download_is_for_its_owner_once_if_marked_and_gone_after_an_hour(tmp_path):
    clock = Clock()
    downloads = Downloads(tmp_path, clock=clock)
    path = downloads.folder("exports") / "audit-export.csv"
    path.write_text("seq\n")
    url = downloads.offer(path, "login:abc", once=True)
    offer_id = url.split("/")[2]
    assert downloads.take(offer_id, "client:someone-else") is None
    assert downloads.take(offer_id, "login:abc").path == path
    assert downloads.take(offer_id, "login:abc") is None  # once
    record = downloads.folder("records") / "record.md"
    record.write_text("# r")
    later = downloads.offer(record, "client:b").split("/")[2]
    clock.now += 3601
    assert downloads.take(later, "client:b") is None and not record.exists()


def test_m1_the_private_folder_is_removed_when_the_server_process_ends():
    code = "from assistant.web.downloads import private_root; r = private_root(); (r / 'f').write_text('x'); print(r)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    root = Path(out.stdout.strip())
    assert root.name.startswith("sharewise-") and not root.exists()
