"""Signed-in sessions kept on the server, and the throttle on wrong passwords.

A login is a random token in an HttpOnly, SameSite=Strict cookie; the server keeps what it stands for (the
account and role), so the browser can claim nothing. A login expires 8 hours after sign-in or after 30 minutes
without use, and ends at once on log-out. The store is bounded: when it is full of live logins a new sign-in is
refused (never is a live login evicted to make room).

The throttle counts failures per account and per address (the address is the client as the server sees it:
`X-Forwarded-For` counts only from proxies listed in FORWARDED_ALLOW_IPS). Past a few failures in a window each
further failure doubles the wait. An account under attack is locked for everyone; an address is locked only after
many more failures, so one person guessing one account does not lock out every other user behind the same address.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .accounts import Account

ABSOLUTE_S = 8 * 3600.0
IDLE_S = 30 * 60.0
CAPACITY = 5000


@dataclass
class Login:
    account: Account
    started: float
    seen: float
    token: str = field(repr=False)


class LoginStore:
    """Tokens to logins, with expiry; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, absolute_s: float = ABSOLUTE_S,
                 idle_s: float = IDLE_S, capacity: int = CAPACITY):
        self.clock, self.absolute_s, self.idle_s, self.capacity = clock, absolute_s, idle_s, capacity
        self._logins: dict[str, Login] = {}
        self._lock = threading.Lock()

    def _live(self, login: Login, now: float) -> bool:
        return now - login.started < self.absolute_s and now - login.seen < self.idle_s

    def start(self, account: Account) -> str | None:
        """A new login's token; None when the store is full of live logins."""
        now = self.clock()
        with self._lock:
            for token in [t for t, x in self._logins.items() if not self._live(x, now)]:
                del self._logins[token]
            if len(self._logins) >= self.capacity:
                return None
            token = secrets.token_urlsafe(32)
            self._logins[token] = Login(account, now, now, token)
            return token

    def get(self, token: str | None, touch: bool = True) -> Login | None:
        """The live login for a token (its idle clock restarted), or None."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            login = self._logins.get(token)
            if login is None:
                return None
            if not self._live(login, now):
                del self._logins[token]
                return None
            if touch:
                login.seen = now
            return login

    def end(self, token: str | None) -> Login | None:
        with self._lock:
            return self._logins.pop(token, None) if token else None


@dataclass
class _Count:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0
    strikes: int = 0
    noted: float = 0.0  # the lock a refused try was last recorded under


class Throttle:
    """Wrong-password throttle per account and per address, with doubling backoff."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, window_s: float = 900.0,
                 account_free: int = 5, address_free: int = 20, base_s: float = 30.0, max_s: float = 3600.0):
        self.clock, self.window_s = clock, window_s
        self.free = {"account": account_free, "address": address_free}
        self.base_s, self.max_s = base_s, max_s
        self._counts: dict[tuple[str, str], _Count] = {}
        self._lock = threading.Lock()

    def wait(self, account: str, address: str) -> float:
        """Seconds until a sign-in may be tried for this account from this address (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [c.locked_until - now for c in (self._counts.get(k) for k in self._keys(account, address)) if c]
        return max([0.0, *waits])

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(account, address):
                c = self._counts.setdefault(key, _Count())
                c.failures = [t for t in c.failures if now - t < self.window_s] + [now]
                if len(c.failures) >= self.free[key[0]]:
                    c.strikes += 1
                    c.locked_until = now + min(self.max_s, self.base_s * 2 ** (c.strikes - 1))
            if len(self._counts) > 100_000:  # bounded: forget the oldest quiet keys
                quiet = [k for k, c in self._counts.items() if c.locked_until < now]
                for k in quiet[: len(quiet) // 2]:
                    del self._counts[k]

    def note_refusal(self, account: str, address: str) -> bool:
        """Whether a refused try under the current lock is the first one (the only one worth recording)."""
        with self._lock:
            first = False
            for key in self._keys(account, address):
                c = self._counts.get(key)
                if c and c.locked_until > self.clock() and c.noted != c.locked_until:
                    c.noted, first = c.locked_until, True
            return first

    def succeeded(self, account: str, address: str) -> None:
        with self._lock:
            for key in self._keys(account, address):
                self._counts.pop(key, None)

    @staticmethod
    def _keys(account: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("account", (account or "").strip().lower()), ("address", address or "?")
