"""The Rules and Facts tabs: the rules check on screen, and the facts it ran on, which the practitioner can change.

The session keeps `Edits`: a control's `.input` event records exactly that one fact (`edits.set(name, value)`) and
the orchestrator re-checks the turn with them (`sw.recheck`, audited); every other fact is still read from the
words, so a later question still lands. The panel is refilled from `turn.facts` after every answer and re-check,
and its note says which facts are the practitioner's edits and which were read from which words. "Undo my edits"
(or undoing one fact) gives the words back the say, again through a recorded re-check.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import gradio as gr

from ..errors import SharewiseError
from ..render import determination_html
from ..render.wording import UNKNOWN_WORDS, choice_label, fact_name
from ..rules.facts import FACTS, Edits, Facts
from ..types import Turn
from .state import GENERIC_ERROR, Panel, Session, session_of, shown

log = logging.getLogger(__name__)

# The facts panel: the facts the three flags turn on most, editable with ordinary controls.
PANEL = ("protected_person_age", "consent_status", "child_harm_level", "data_categories", "given_in_confidence",
         "already_public_or_readily_available", "emergency", "informing_would_increase_risk_or_prejudice_investigation",
         "purpose", "recipient", "sharer_type", "apd_in_place")
# (words shown, value kept): the values stay the vocabulary's codes, so the rules and the edits read them as before.
BOOL_CHOICES = [(UNKNOWN_WORDS, "unknown"), ("Yes", "yes"), ("No", "no")]
RULES_PLACEHOLDER = "<p>Ask a question to see the rules check.</p>"
NOTE_PLACEHOLDER = ("Facts read from your words appear here; change any of them and the rules check runs again at "
                    "once. Your changes stay until you undo them; every other fact is still read from your words.")


# ---- plain handlers -------------------------------------------------------------------------------------------

def label(name: str) -> str:
    """A fact's name in words ("Who would receive it", never `recipient`)."""
    return fact_name(name)


def choices(name: str) -> list[tuple[str, str]]:
    """A fact's choices as (plain words, code) pairs: "Children's social care (local authority)" is shown and
    `la_childrens_social_care` is the value the rules get."""
    spec = FACTS[name]
    if spec.kind == "bool":
        return list(BOOL_CHOICES)
    words = [(choice_label(name, v), v) for v in spec.values]
    return words if spec.kind == "set" else [(UNKNOWN_WORDS, "unknown"), *words]


def control_value(name: str, value: Any) -> Any:
    """A fact's value as its control shows it."""
    kind = FACTS[name].kind
    if kind == "bool":
        return "unknown" if value is None else ("yes" if value else "no")
    if kind == "set":
        return sorted(value or [])
    if kind == "age":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return value or "unknown"


def panel_values(facts: Facts | None) -> dict[str, Any]:
    """The panel's control values, by fact, for the facts in force."""
    return {name: control_value(name, facts.get(name) if facts else None) for name in PANEL}


def edit_value(name: str, value: Any) -> Any:
    """A control's value as an edit: "unknown", empty or None means the practitioner says "not known"."""
    kind = FACTS[name].kind
    if value in (None, "", "unknown") or (kind == "set" and not value):
        return None
    if kind == "bool":
        return value == "yes" if value in ("yes", "no") else value
    if kind == "set":
        return sorted(value)
    if kind == "age":
        return int(value)
    return value


def said(value: Any, name: str = "") -> str:
    """An edit's value in words (the choice's plain words when the fact is named)."""
    if value is None:
        return "not known"
    if name and name in FACTS and FACTS[name].kind != "age":
        return choice_label(name, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(sorted(str(v) for v in value)) or "none"
    return str(value)


def facts_note(turn: Turn | None, edits: Edits) -> str:
    """Which facts are the practitioner's edits and which were read from which words (Markdown, words escaped)."""
    lines: list[str] = []
    overridden = turn is not None and turn.extracted.get("emergency") is True
    if edits:
        lines.append("**Your edits** (they stay until you undo them):")
        for name, value in edits.values:
            line = f"- **{label(name)}**: {shown(said(value, name))}"
            if name == "emergency" and overridden and value is not True:
                line += (" — *not applied: your words describe immediate danger, and no edit switches the "
                         "emergency off*")
            lines.append(line)
        lines.append("")
    sources = turn.facts.sources if turn else {}
    if sources:
        lines.append("**Read from your words** (check them):")
        lines += [f"- **{label(n)}** from “{shown(words)}”" for n, words in sorted(sources.items())]
    elif turn is not None:
        lines.append("No facts were read from your words yet: set them here.")
    if turn is None and edits:
        lines.append("Your edits apply when you ask a question.")
    return "\n".join(lines) if lines else NOTE_PLACEHOLDER


def edit(sw, session: Session, name: str, value: Any) -> Turn | None:
    """The practitioner changed one fact: record exactly that edit and re-check the turn on screen (recorded).
    If the re-check cannot be recorded the edit is not kept (AuditError propagates)."""
    return _recheck(sw, session, session.edits.set(name, edit_value(name, value)))


def undo(sw, session: Session, name: str) -> Turn | None:
    """Undo one edit: the words of the conversation decide that fact again."""
    return _recheck(sw, session, session.edits.undo(name))


def undo_all(sw, session: Session) -> Turn | None:
    """Undo every edit and re-check: the facts are what the words say."""
    return _recheck(sw, session, Edits())


def _recheck(sw, session: Session, edits: Edits) -> Turn | None:
    if session.turn is not None:
        session.turn = sw.recheck(session.turn, edits, session.id)
    session.edits = edits
    return session.turn


# ---- the tabs ---------------------------------------------------------------------------------------------------

def _control(name: str):
    spec = FACTS[name]
    elem = f"fact-{name.replace('_', '-')}"
    if spec.kind == "bool":
        return gr.Radio(choices(name), value="unknown", label=label(name), info=spec.ask, elem_id=elem)
    if spec.kind == "set":
        return gr.CheckboxGroup(choices(name), label="What the information reveals", info=spec.ask, elem_id=elem)
    if spec.kind == "age":
        return gr.Number(value=None, label="Age of the person to protect (years)", precision=0, minimum=0,
                         maximum=120, info="Leave empty if not known.", elem_id=elem)
    return gr.Dropdown(choices(name), value="unknown", label=label(name), info=spec.ask, elem_id=elem)


class FactsTab:
    """The Rules tab and the Facts tab (both show the rules step of the turn on screen)."""

    def __init__(self, sw, session: gr.State):
        self.sw, self.session = sw, session
        with gr.Tab("Rules", id="rules"):
            self.rules = gr.HTML(RULES_PLACEHOLDER, elem_id="rules-panel")
        with gr.Tab("Facts", id="facts"):
            self.note = gr.Markdown(NOTE_PLACEHOLDER, elem_id="facts-note")
            with gr.Row():
                self.undo_all_button = gr.Button("Undo my edits", elem_id="undo-edits")
                self.undo_pick = gr.Dropdown([], value=None, label="Undo one edit", elem_id="undo-fact")
            self.controls = {name: _control(name) for name in PANEL}
        self.panels: list[Panel] = []

    def outputs(self) -> list[Any]:
        return [self.rules, self.note, self.undo_pick, *self.controls.values()]

    def show(self, turn: Turn | None, edits: Edits | None = None) -> dict[Any, Any]:
        edits = edits if edits is not None else (turn.edits if turn else Edits())
        out: dict[Any, Any] = {
            self.rules: determination_html(turn.determination) if turn else RULES_PLACEHOLDER,
            self.note: facts_note(turn, edits),
            self.undo_pick: gr.update(choices=[(label(n), n) for n, _ in edits.values], value=None),
        }
        values = panel_values(turn.facts if turn else edits.apply(Facts()))
        out.update({self.controls[name]: values[name] for name in PANEL})
        return out

    def wire(self, panels: Sequence[Panel]) -> None:
        """Events; `panels` (the record) are refreshed from each re-check too."""
        self.panels = list(panels)
        outputs = [self.session, *self.outputs(), *[c for p in self.panels for c in p.outputs()]]
        for name, control in self.controls.items():
            # .input, not .change: only the practitioner's own edits count, never the panel being refilled.
            control.input(functools.partial(self.on_edit, name), [self.session, control], outputs,
                          api_visibility="private")
        self.undo_all_button.click(self.on_undo_all, self.session, outputs, api_visibility="private")
        self.undo_pick.input(self.on_undo, [self.session, self.undo_pick], outputs, api_visibility="private")

    def _after(self, session: Session, step) -> dict:
        try:
            turn = step()
        except SharewiseError as e:
            return {**self.show(session.turn, session.edits), self.session: session,
                    self.note: f"**That change was not applied:** {shown(e)}"}
        except Exception:  # noqa: BLE001 - the UI edge
            log.exception("re-checking failed")
            return {**self.show(session.turn, session.edits), self.session: session, self.note: shown(GENERIC_ERROR)}
        out = {**self.show(turn, session.edits), self.session: session}
        if turn is not None:
            for panel in self.panels:
                out.update(panel.show(turn))
        return out

    def on_edit(self, name: str, state: object, value: Any) -> dict:
        session = session_of(state)
        return self._after(session, lambda: edit(self.sw, session, name, value))

    def on_undo_all(self, state: object) -> dict:
        session = session_of(state)
        return self._after(session, lambda: undo_all(self.sw, session))

    def on_undo(self, state: object, name: str | None) -> dict:
        session = session_of(state)
        if not name:
            return {self.session: session}
        return self._after(session, lambda: undo(self.sw, session, name))
