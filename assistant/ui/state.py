"""One browser tab's state, kept in server memory only (a `gr.State` holds it; nothing reaches the browser).

The `Session` holds what the orchestrator needs to carry a case on: the questions answered so far, the latest
`Turn` (the answer or re-check on screen), the practitioner's `Edits` (exactly the facts they changed, never a
snapshot of the panel), the pseudonymous session id the audit trail files the case's turns under (a new one per
case: the case marker), and which records of decision it has already kept (so preparing one again writes no second
audit row). Sign-ins are not here: they are the server's (`assistant.web`). "New case" replaces it with a fresh
one (`new_case`) and points the old one at it: an answer still being worked out for the closed case is not
shown in the new one, and a late event that puts the closed session back in the tab's state still reaches the
new one (`session_of`). Shared display helpers for the tabs live here too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..audit import new_session_id
from ..rules.facts import Edits
from ..types import Turn

GENERIC_ERROR = ("Something went wrong on the server, so this was not done. Try again; if it keeps happening, tell "
                 "whoever runs Sharewise (the details are in the server log, not shown here).")


@dataclass
class Session:
    """One browser tab's conversation and login."""

    questions: list[str] = field(default_factory=list)
    turn: Turn | None = None
    edits: Edits = field(default_factory=Edits)
    id: str = field(default_factory=new_session_id)
    records_kept: set[str] = field(default_factory=set)
    successor: Session | None = field(default=None, repr=False, compare=False)  # set by "New case"

    @property
    def closed(self) -> bool:
        """Whether "New case" was chosen: nothing more is added to this case."""
        return self.successor is not None

    def reset(self) -> Session:
        """A new conversation: no questions, turn or edits; a new audit session id."""
        return Session()

    def new_case(self) -> Session:
        """A new case: this one is closed (an answer still on its way to it is not shown) and a fresh session
        takes its place, with no questions, turn or edits and a new audit session id. The
        audit trail keeps everything this case recorded."""
        fresh = self.reset()
        self.successor = fresh
        return fresh


def session_of(value: object) -> Session:
    """The tab's session, created on first use (a callable State default would add a public event); a session
    closed by "New case" stands for the one that replaced it."""
    if not isinstance(value, Session):
        return Session()
    while value.successor is not None:
        value = value.successor
    return value


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def shown(text: object) -> str:
    """Words the practitioner typed, made safe to show in Markdown: HTML escaped (never rendered as
    elements) and Markdown punctuation escaped (never turned into links or formatting). A lone surrogate (which
    cannot be sent as UTF-8 and would break the reply stream) is shown as the replacement character."""
    text = str(text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


class Panel(Protocol):
    """A tab that shows the turn on screen: the chat and the facts tab refresh these after every turn."""

    def outputs(self) -> list[Any]:
        """The components `show` updates."""
        ...

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        """Updates by component for this turn (None: a new conversation, back to empty)."""
        ...
