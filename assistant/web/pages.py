"""The server's own routes: the sign-in page, sign-in and log-out (POST), and the bound downloads.

Sign-in is one form for every role; the account decides what the login may do (`guard.Web.require`). Every
sign-in, failed sign-in and log-out is written to the audit trail (a failure names the account only if it is
one, never what was typed; refused tries while locked are one record per lock), and wrong passwords are
throttled per account and per address (`logins.Throttle`).
"""

from __future__ import annotations

import html
import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from .guard import LOGIN_COOKIE, Web
from .logins import ABSOLUTE_S

log = logging.getLogger(__name__)

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in: Sharewise</title>
<style>body{{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}
label{{display:block;margin-top:1rem;font-weight:600}}input{{width:100%;padding:.5rem;font-size:1rem;
box-sizing:border-box}}button{{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;background:#0b5394;color:#fff;
border:0;border-radius:.3rem}}.msg{{margin-top:1rem;padding:.6rem;border-left:4px solid #b3261e}}</style>
</head><body><h1>Sharewise</h1><p>{intro}</p>{message}
<form method="post" action="/login"><input type="hidden" name="next" value="{next}">
<label for="username">Account</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<p><small>If a child is in immediate danger, call 999.</small></p></body></html>"""
WRONG = "That account and password do not match."
LOCKED = "Too many wrong passwords: wait {s} seconds and try again."
FULL = "Too many people are signed in right now: try again in a few minutes."


def _next(value: object) -> str:
    text = str(value or "/")
    return text if text in ("/", "/staff", "/staff/") else "/"


def _page(next_path: str, message: str = "", status: int = 200) -> HTMLResponse:
    intro = ("Staff tools: sign in as the Caldicott guardian or an evaluator." if next_path.startswith("/staff")
             else "Sign in to ask Sharewise.")
    shown = f'<p class="msg" role="alert">{html.escape(message)}</p>' if message else ""
    return HTMLResponse(PAGE.format(intro=intro, message=shown, next=html.escape(next_path)), status_code=status)


def add_routes(app: FastAPI, web: Web, audit: Any) -> None:
    """Sign-in, log-out and downloads on `app` (before the Gradio apps are mounted)."""

    def record(kind: str, content: dict) -> None:
        if audit is not None:
            audit.append(kind, content)

    @app.get("/login", include_in_schema=False)
    def login_page(next: str = "/") -> HTMLResponse:  # noqa: A002 - the query parameter's name
        return _page(_next(next))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        name, password = str(form.get("username") or "")[:200], str(form.get("password") or "")[:1000]
        next_path = _next(form.get("next"))
        address = request.client.host if request.client else "?"
        wait = web.throttle.wait(name, address)
        typed = name if web.accounts.known(name) else "(not an account)"  # what anyone types is not stored
        if wait > 0:
            if web.throttle.note_refusal(name, address):  # one record per lock, not one per refused try
                record("login_failed", {"account": typed, "address": address, "why": "throttled"})
            locked = _page(next_path, LOCKED.format(s=math.ceil(wait)), 429)
            locked.headers["Retry-After"] = str(math.ceil(wait))
            return locked
        account = web.accounts.check(name, password)
        if account is None:
            web.throttle.failed(name, address)
            record("login_failed", {"account": typed, "address": address, "why": "wrong password"})
            return _page(next_path, WRONG, 401)
        token = web.logins.start(account)
        if token is None:
            return _page(next_path, FULL, 503)
        web.throttle.succeeded(name, address)
        record("login", {"account": account.name, "role": account.role, "address": address})
        response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(LOGIN_COOKIE, token, max_age=int(ABSOLUTE_S), httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        login = web.logins.end(request.cookies.get(LOGIN_COOKIE))
        if login is not None:
            web.uploads.pop(login.token, None)
            record("logout", {"account": login.account.name, "role": login.account.role})
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(LOGIN_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    @app.get("/download/{offer_id}/{name}", include_in_schema=False)
    def download(offer_id: str, name: str, request: Request) -> Response:
        who = web.caller(request)
        offer = web.downloads.take(offer_id, who.owner) if who.owner else None
        if offer is None or offer.path.name != name:
            return JSONResponse({"error": "Not found (downloads last an hour, for the browser that made them)."},
                                status_code=404)
        cleanup = BackgroundTask(offer.path.unlink, missing_ok=True) if offer.once else None
        return FileResponse(offer.path, filename=offer.path.name, background=cleanup,
                            headers={"Cache-Control": "no-store"})
