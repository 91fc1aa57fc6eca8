"""Who is calling, checked on the server for every privileged action.

`Web` holds what the server knows about people: the configured accounts, the live logins, the throttle, and the
downloads on offer. `caller(request)` reads the login cookie (or, for someone not signed in, the browser's random
client cookie) from the request Gradio or Starlette hands a handler; `require(request, *roles)` is the first line
of every privileged handler and raises `NotAllowed` unless the caller's login has one of the roles. Nothing the
browser sends is believed beyond the cookie's random token, which only the server can map to an account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SharewiseError
from .accounts import Account, Accounts, Role
from .downloads import Downloads, private_root
from .logins import LoginStore, Throttle

LOGIN_COOKIE = "sw_login"
CLIENT_COOKIE = "sw_client"


class NotAllowed(SharewiseError):
    """A privileged action by someone not signed in with a role allowed to do it."""

    exit_code = 13


@dataclass(frozen=True)
class Caller:
    account: Account | None
    owner: str  # the key files made for this caller are offered under (login token or client cookie)
    address: str
    token: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        return self.account.name if self.account else "anonymous"


class Web:
    """The server's people: accounts, logins, the throttle and the downloads on offer."""

    def __init__(self, accounts: Accounts | None = None, root: Path | None = None):
        self.accounts = accounts or Accounts()
        self.logins = LoginStore()
        self.throttle = Throttle()
        self.downloads = Downloads(root or private_root())
        self.uploads: dict[str, set[str]] = {}  # login token -> upload paths it made (staff app only)

    def caller(self, request: Any) -> Caller:
        cookies = _cookies(request)
        token = cookies.get(LOGIN_COOKIE, "")
        login = self.logins.get(token) if token else None
        client = getattr(request, "client", None)
        address = getattr(client, "host", None) or "?"
        if login is not None:
            return Caller(login.account, "login:" + token, address, token)
        return Caller(None, "client:" + cookies[CLIENT_COOKIE] if cookies.get(CLIENT_COOKIE) else "", address)

    def require(self, request: Any, *roles: Role) -> Caller:
        who = self.caller(request)
        if who.account is None:
            raise NotAllowed("Sign in first (your sign-in may have expired): open /login.")
        if who.account.role not in roles:
            raise NotAllowed(f"This is for the {' or the '.join(roles)} only; you are signed in as "
                             f"{who.account.role}.")
        return who


def _cookies(request: Any) -> dict[str, str]:
    """Cookies of a Starlette request or a gr.Request (None: no cookies)."""
    if request is None:
        return {}
    cookies = getattr(request, "cookies", None)
    if isinstance(cookies, dict):
        return cookies
    inner = getattr(request, "request", None)
    return dict(getattr(inner, "cookies", {}) or {}) if inner is not None else {}
