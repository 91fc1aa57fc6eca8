"""Shared helpers for tests of the served app: a live server on loopback, HTTP calls, and signed-in requests."""

from __future__ import annotations

import http.cookiejar
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from assistant.web.accounts import Account, Accounts
from assistant.web.guard import CLIENT_COOKIE, LOGIN_COOKIE, Web


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(sw, accounts: Accounts | None = None, queue: tuple[int, int] = (2, 64)):
    """A live server (chat at /, staff tools at /staff) on a free loopback port; `.close()` stops it."""
    from assistant.web.server import start

    return start(sw, "127.0.0.1", free_port(), accounts or Accounts(), queue=queue)


def accounts(practitioner: tuple[str, str] | None = None, guardian: str = "", evaluator: str = "") -> Accounts:
    env = {"SHAREWISE_GUARDIAN_PASSWORD": guardian, "SHAREWISE_EVALUATOR_PASSWORD": evaluator}
    return Accounts.from_env(env, practitioner=practitioner)


def call(url, method="GET", data=None, headers=None, opener=None):
    """(status, body, headers) of one request; an HTTP error status is returned, not raised."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        r = (opener or urllib.request.build_opener(NoRedirect)).open(req, timeout=60)
        return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ARG002 - urllib's signature
        return None


def signed_in(base: str, name: str, password: str, headers: dict | None = None):
    """An opener carrying the login cookie for `name` (asserts the sign-in worked)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    status, body, _ = call(base + "/login", "POST", f"username={name}&password={password}".encode(),
                           {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}, opener)
    assert status == 303, (status, body[:300])
    return opener


@dataclass
class FakeClient:
    host: str = "127.0.0.1"


@dataclass
class FakeRequest:
    """What a handler reads from gr.Request: the cookies and the client's address."""

    cookies: dict[str, str] = field(default_factory=dict)
    client: FakeClient = field(default_factory=FakeClient)


def request_as(web: Web, role: str | None, name: str | None = None) -> FakeRequest:
    """A request from someone signed in with `role` (None: not signed in, with a browser cookie only)."""
    if role is None:
        return FakeRequest({CLIENT_COOKIE: "browser-" + (name or "x")})
    token = web.logins.start(Account(name or role, role))  # type: ignore[arg-type]
    assert token
    return FakeRequest({LOGIN_COOKIE: token, CLIENT_COOKIE: "browser-" + (name or role)})
