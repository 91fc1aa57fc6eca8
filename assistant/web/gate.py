"""The one door in front of both Gradio apps: every request passes these checks, in this order.

1. **Host allow-list** (DNS rebinding): the Host header must name this server (loopback names, the host it was
   started on, and SHAREWISE_ALLOWED_HOSTS); anything else is refused with 421.
2. **Only the routes the apps need.** Each Gradio app answers a short list of routes (its page, config, assets,
   the queue, heartbeat; the chat's public `ask` API; the staff app's upload); every other Gradio route (deep
   links that write session values to disk, run history, monitoring, the vibe editor, Gradio's own login and
   log-out, the proxy, reset, streaming) is 404 here, whatever Gradio's own settings say.
3. **Sign-in**: the staff app (`/staff`) needs a guardian or evaluator login, the chat needs any login when
   practitioner accounts are configured; a page request without one is sent to /login, anything else gets 401.
   (The handlers check the role again themselves: this door is not the only lock.)
4. **Same origin** for every state-changing request (Origin must be this server): cross-origin POSTs get 403.
5. **Bounded**: a request body over its limit is refused with 413 (the staff app's uploads: one document as large
   as the parsing sandbox reads, 50 MB, and its form around it; anything else 2 MB; counted as it streams, whatever
   Content-Length says; the chat has no upload route at all, and the evaluation upload keeps its own 256 KB cap in
   its handler); the direct `ask` API admits a few calls at a time, and 503 beyond.
6. **Headers**: a full Content-Security-Policy (images only from this server or data: URLs), no framing, no
   sniffing, referrers only within this server, no-store; CORS headers stripped; a random HttpOnly SameSite=Strict
   client cookie, so files made for this browser are offered to it alone.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlparse

from .accounts import STAFF_ROLES
from .guard import CLIENT_COOKIE, LOGIN_COOKIE, Web

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STAFF = "/staff"
MB = 1024 * 1024
# The largest document the guardian may upload: the parsing sandbox's own file limit
# (assistant.ingest.sandbox.Limits().max_file_bytes; a test checks they agree), so the page and
# `sharewise ingest` take the same files. The upload's multipart envelope (boundaries, headers) comes on top.
DOCUMENT_LIMIT = 50 * MB
UPLOAD_LIMIT = DOCUMENT_LIMIT + 64 * 1024  # staff app only: the chat has no upload route
BODY_LIMIT = 2 * 1024 * 1024
API_IN_FLIGHT = 4
CSP = ("default-src 'self'; img-src 'self' data:; media-src 'self' data:; font-src 'self' data:; "
       "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "x-frame-options": "DENY",
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # "no-referrer" makes a browser send `Origin: null` on a form POST
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
# The routes of a Gradio app that its page and the `ask` API use (path within the app, methods).
_COMMON = [
    (r"/", "GET HEAD"), (r"/config/?", "GET"), (r"/gradio_api/info/?", "GET"), (r"/theme\.css", "GET"),
    (r"/(assets|static|svelte)/.+", "GET HEAD"), (r"/favicon\.ico", "GET"), (r"/robots\.txt", "GET"),
    (r"/manifest\.json", "GET"), (r"/gradio_api/heartbeat/[\w-]+", "GET"), (r"/gradio_api/queue/join", "POST"),
    (r"/gradio_api/queue/data", "GET"), (r"/gradio_api/startup-events", "GET"), (r"/gradio_api/cancel", "POST"),
]
# `/call` is not here: its result can be collected by anyone holding the event id. `/run/ask` and the queue are.
_CHAT_ONLY = [(r"/gradio_api/run/ask/?", "POST")]
_STAFF_ONLY = [(r"/gradio_api/upload", "POST"), (r"/gradio_api/upload_progress", "GET")]
_OWN = [(r"/login", "GET POST"), (r"/logout", "POST"), (r"/download/[\w-]+/[^/]+", "GET")]


def _table(rows: list[tuple[str, str]]) -> list[tuple[re.Pattern, set[str]]]:
    return [(re.compile(p + r"\Z"), set(m.split())) for p, m in rows]


CHAT_ROUTES = _table(_COMMON + _CHAT_ONLY)
STAFF_ROUTES = _table(_COMMON + _STAFF_ONLY)
OWN_ROUTES = _table(_OWN)


def _allowed(table: list[tuple[re.Pattern, set[str]]], path: str, method: str) -> bool:
    return any(p.match(path) and method in m for p, m in table)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?\Z")


def _hostname(host: str) -> str:
    """The name in a Host header ("" when the header is not a plain host[:port])."""
    m = _HOST.match(host.strip().lower())
    return m.group(1) if m else ""


class Gate:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: ASGIApp, web: Web, hosts: set[str] | None = None, api_in_flight: int = API_IN_FLIGHT):
        self.app, self.web = app, web
        self.hosts = {"127.0.0.1", "localhost", "[::1]", *(h.lower() for h in (hosts or set()))}
        self.api = asyncio.Semaphore(api_in_flight)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers, method = _headers(scope), scope["method"]
        path = scope.get("path", "/")
        if _hostname(headers.get("host", "")) not in self.hosts:
            await _reply(send, 421, "This server does not answer to that host name.")
            return
        staff = path == STAFF or path.startswith(STAFF + "/")
        inner = (path[len(STAFF):] or "/") if staff else path
        own = not staff and _allowed(OWN_ROUTES, path, method)
        if not own and not _allowed(STAFF_ROUTES if staff else CHAT_ROUTES, inner, method):
            await _reply(send, 404, "Not found.")
            return
        cookies = _cookie_dict(headers.get("cookie", ""))
        login = self.web.logins.get(cookies.get(LOGIN_COOKIE), touch=True)
        if not own:
            need = STAFF_ROLES if staff else (("practitioner", *STAFF_ROLES)
                                               if self.web.accounts.practitioners_sign_in else ())
            if need and (login is None or login.account.role not in need):
                if method in ("GET", "HEAD") and inner == "/":
                    await _redirect(send, "/login?next=" + quote(STAFF + "/" if staff else "/"))
                else:
                    await _reply(send, 401, "Sign in first (your sign-in may have expired).")
                return
        if method not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin is not None and (origin == "null" or urlparse(origin).netloc.lower() !=
                                       headers.get("host", "").lower()):
                await _reply(send, 403, "Cross-origin request refused.")
                return
        limit = UPLOAD_LIMIT if staff and inner.startswith("/gradio_api/upload") else BODY_LIMIT
        try:
            declared = int(headers.get("content-length") or 0)
        except ValueError:
            await _reply(send, 400, "Bad Content-Length.")
            return
        body: bytes | None = b""
        if method not in ("GET", "HEAD"):  # read whole (bounded) before the app sees it, whatever it declared
            body = None if declared > limit else await _read(receive, limit)
            if body is None:
                size = f"{limit // MB} MB" if limit >= MB else f"{limit // 1024} KB"
                await _reply(send, 413, f"That request is too large (the limit is {size}).")
                return
        client_cookie = cookies.get(CLIENT_COOKIE) or ""
        new_client = "" if client_cookie else secrets.token_urlsafe(24)
        if new_client:  # the handlers read the caller's client id from the request's cookies
            scope["headers"] = [*scope.get("headers", []),
                                (b"cookie", f"{CLIENT_COOKIE}={new_client}".encode("latin-1"))]
        upload = login.token if staff and inner == "/gradio_api/upload" and login is not None else ""
        api = not staff and method == "POST" and inner.startswith("/gradio_api/run/")
        await self._pass(scope, _replay(body or b"", receive) if method not in ("GET", "HEAD") else receive, send,
                         new_client, upload, api)

    async def _pass(self, scope: Scope, receive: Receive, send: Send, new_client: str, upload_token: str,
                    api: bool) -> None:
        body: list[bytes] = []
        started: list[Message] = []

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", [])
                        if not k.lower().startswith(b"access-control-") and k.lower() not in
                        {h.encode() for h in HEADERS} | {b"cache-control"}]
                kept += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                path = scope.get("path", "")
                if not re.search(r"/(assets|static|svelte)/", path):
                    kept.append((b"cache-control", b"no-store"))
                if new_client:
                    kept.append((b"set-cookie", f"{CLIENT_COOKIE}={new_client}; HttpOnly; SameSite=Strict; Path=/"
                                 .encode()))
                message["headers"] = kept
                if upload_token:
                    started.append(message)
                    return
            elif upload_token and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                self._bind_uploads(upload_token, b"".join(body), started[0].get("status", 500))
                await send(started[0])
                await send({"type": "http.response.body", "body": b"".join(body)})
                return
            await send(message)

        if api and self.api.locked():
            await _reply(send, 503, "Sharewise is busy: try again in a moment.", retry_after=2)
            return
        if api:
            async with self.api:
                await self.app(scope, receive, wrapped)
        else:
            await self.app(scope, receive, wrapped)

    def _bind_uploads(self, token: str, body: bytes, status: int) -> None:
        if status != 200:
            return
        try:
            paths = json.loads(body)
        except ValueError:
            return
        if isinstance(paths, list):
            self.web.uploads.setdefault(token, set()).update(p for p in paths if isinstance(p, str))


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None once it passes `limit` bytes."""
    chunks, seen = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def inner() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then whatever comes next (a disconnect)

    return inner


def _cookie_dict(raw: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # noqa: BLE001 - a malformed cookie header counts as no cookies
        return {}
    return {k: m.value for k, m in jar.items()}


async def _reply(send: Send, status: int, message: str, retry_after: int | None = None) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()] + [(b"cache-control", b"no-store")]
    if retry_after:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str) -> None:
    headers = [(b"location", location.encode()), (b"content-length", b"0"), (b"cache-control", b"no-store")]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
