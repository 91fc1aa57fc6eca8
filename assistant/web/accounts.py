"""Who may sign in, and as what: the accounts configured for this server.

Roles: a practitioner asks (the chat); the Caldicott guardian reviews the audit trail and may run evaluations;
an evaluator runs evaluations. Accounts come from the environment (or the `serve` command's options):
`SHAREWISE_AUTH=user:password` (practitioners; unset, the chat is open on loopback), `SHAREWISE_GUARDIAN_PASSWORD`
(account `guardian`) and `SHAREWISE_EVALUATOR_PASSWORD` (account `evaluator`). Passwords are compared in constant
time; an unknown account costs the same comparison as a known one.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Role = Literal["practitioner", "guardian", "evaluator"]
STAFF_ROLES: tuple[Role, ...] = ("guardian", "evaluator")


@dataclass(frozen=True)
class Account:
    name: str
    role: Role


@dataclass(frozen=True)
class Accounts:
    """The configured accounts (name -> role and password)."""

    entries: tuple[tuple[Account, str], ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, practitioner: tuple[str, str] | None = None
                 ) -> Accounts:
        env = os.environ if environ is None else environ
        entries: list[tuple[Account, str]] = []
        if practitioner is None and env.get("SHAREWISE_AUTH"):
            user, _, password = env["SHAREWISE_AUTH"].partition(":")
            practitioner = (user, password) if user and password else None
        if practitioner:
            entries.append((Account(practitioner[0], "practitioner"), practitioner[1]))
        for name, var in (("guardian", "SHAREWISE_GUARDIAN_PASSWORD"), ("evaluator", "SHAREWISE_EVALUATOR_PASSWORD")):
            if env.get(var):
                entries.append((Account(name, name), env[var]))  # type: ignore[arg-type]  # name is the role
        return cls(tuple(entries))

    @property
    def practitioners_sign_in(self) -> bool:
        """Whether the chat needs a sign-in (a practitioner account is configured)."""
        return any(a.role == "practitioner" for a, _ in self.entries)

    def check(self, name: str, password: str) -> Account | None:
        """The account if the password is right; None otherwise (same work either way)."""
        given = (password or "").encode("utf-8", "surrogatepass")
        found = None
        for account, secret in self.entries:
            same_name = hmac.compare_digest(account.name.encode("utf-8", "surrogatepass"),
                                            (name or "").encode("utf-8", "surrogatepass"))
            right = hmac.compare_digest(secret.encode("utf-8", "surrogatepass"), given)
            if same_name and right and found is None:
                found = account
        if not self.entries:
            hmac.compare_digest(b"-", given)
        return found

    def known(self, name: str) -> bool:
        return any(a.name == name for a, _ in self.entries)
