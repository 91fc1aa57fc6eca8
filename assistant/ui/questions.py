"""The questions that settle the flags, as one-tap choices under the conversation.

The rules check names up to five facts whose answer could change a flag (`determination.questions`, most
decisive first; an assumed fact is one of them when it could change a flag, shown with its value marked
"(assumed)"). Each is a `gr.Radio` whose label is the question (so it is announced as one question) and whose
choices are the answers in plain words, by index; an age question is a number box instead. Tapping an answer goes
through the facts tab's edit path (`facts.edit`: one edit, re-checked by the orchestrator and audited), then the
rules panel, the facts panel, the record and these questions are refreshed: the answered question goes, new ones
may come. Nothing here can switch off the emergency banner (`Edits.apply` keeps danger in the words first).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import gradio as gr

from ..errors import SharewiseError
from ..render import FLAG_TITLES, current_mark
from ..types import Question, Turn
from . import facts
from .state import GENERIC_ERROR, Panel, Session, session_of, shown

log = logging.getLogger(__name__)

SLOTS = 5
HEADING = ("**Questions that could change the rules check.** Tap the answer that fits; the check runs again at "
           "once (you can undo it in the Facts tab).")
STALE = "That question was already answered or has changed: choose again from the questions shown now."


# ---- plain handlers -------------------------------------------------------------------------------------------

def choices(q: Question) -> list[tuple[str, int]]:
    """A question's answers as radio choices (label, index); the value in force is marked "(assumed)" or
    "(read from “…”)"."""
    mark = current_mark(q)
    at = current_index(q)
    return [(f"{o.label} {mark}" if n == at and mark else o.label, n) for n, o in enumerate(q.options)]


def current_index(q: Question) -> int | None:
    """Which answer is in force now (None: not known, or none of the choices)."""
    if q.current is None:
        return None
    current = sorted(q.current) if isinstance(q.current, (set, frozenset)) else q.current
    for n, o in enumerate(q.options):
        if o.value == current and type(o.value) is type(current):
            return n
    return None


def is_age(q: Question) -> bool:
    """An age question has no fixed choices: it is a number."""
    return not q.options


def question_info(q: Question) -> str:
    """The line under a question: what it could change, and where the value in force came from."""
    could = ", ".join(FLAG_TITLES.get(f, f) for f in q.could_change)
    info = f"Your answer could change: {could}." if could else ""
    mark = current_mark(q)
    if is_age(q) and q.current is not None:
        info += f" Now: {q.current} {mark}".rstrip()
    return info.strip()


def shown_facts(turn: Turn | None) -> list[str]:
    """The facts asked about on screen, slot by slot (what a tap in a slot answers)."""
    return [q.fact for q in (turn.determination.questions[:SLOTS] if turn else ())]


def question_of(turn: Turn | None, fact: str) -> Question | None:
    """The question about `fact` in the turn on screen (None if it is no longer asked)."""
    for q in turn.determination.questions if turn else ():
        if q.fact == fact:
            return q
    return None


def answer_value(q: Question, choice: Any) -> Any:
    """The fact's value for a tapped choice (an index) or a typed age. Raises SharewiseError if it is neither."""
    if is_age(q):
        if choice is None or choice == "":
            raise SharewiseError("Type the age as a whole number of years.")
        try:
            age = float(choice)
        except (TypeError, ValueError):
            raise SharewiseError("Type the age as a whole number of years.") from None
        if age != int(age):
            raise SharewiseError("Type the age as a whole number of years.")
        return int(age)
    if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(q.options):
        raise SharewiseError(STALE)
    return q.options[choice].value


def answer(sw, session: Session, fact: str, choice: Any) -> Turn | None:
    """The practitioner answered the question about `fact`: exactly that edit, through the facts tab's edit
    path (re-checked by the orchestrator, audited). A question no longer on screen is refused (SharewiseError),
    so a late tap never answers a different question."""
    q = question_of(session.turn, fact)
    if q is None:
        raise SharewiseError(STALE)
    return facts.edit(sw, session, fact, answer_value(q, choice))


# ---- the component ----------------------------------------------------------------------------------------------

class QuestionsBox:
    """Up to five question groups under the conversation, each a radio (or, for an age, a number box)."""

    def __init__(self, sw, session: gr.State):
        self.sw, self.session = sw, session
        self.shown = gr.State([])  # the facts asked, slot by slot, as last shown (server memory only)
        with gr.Column(elem_id="check-questions"):
            self.heading = gr.Markdown(HEADING, visible=False, elem_id="check-questions-heading")
            self.radios = [gr.Radio([], value=None, label=f"Question {n + 1}", visible=False,
                                    elem_id=f"check-question-{n + 1}") for n in range(SLOTS)]
            self.ages = [gr.Number(value=None, label=f"Question {n + 1}", precision=0, minimum=0, maximum=130,
                                   visible=False, elem_id=f"check-question-{n + 1}-age") for n in range(SLOTS)]
            self.note = gr.Markdown(visible=False, elem_id="check-questions-note")
        self.panels: list[Panel] = []

    def outputs(self) -> list[Any]:
        return [self.shown, self.heading, *self.radios, *self.ages, self.note]

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        asked = turn.determination.questions[:SLOTS] if turn else ()
        out: dict[Any, Any] = {self.shown: shown_facts(turn), self.heading: gr.update(visible=bool(asked)),
                               self.note: gr.update(value="", visible=False)}
        for n in range(SLOTS):
            out.update(self._slot(n, asked[n] if n < len(asked) else None))
        return out

    def _slot(self, n: int, q: Question | None) -> dict[Any, Any]:
        """One slot's two components: the radio for a question with choices, the number box for an age."""
        hidden = gr.update(label=f"Question {n + 1}", choices=[], value=None, info=None, visible=False)
        hidden_age = gr.update(label=f"Question {n + 1}", value=None, info=None, visible=False)
        if q is None:
            return {self.radios[n]: hidden, self.ages[n]: hidden_age}
        if is_age(q):
            return {self.radios[n]: hidden, self.ages[n]: gr.update(
                label=q.question, info=question_info(q), visible=True,
                value=q.current if isinstance(q.current, int) and not isinstance(q.current, bool) else None)}
        return {self.ages[n]: hidden_age, self.radios[n]: gr.update(
            label=q.question, choices=choices(q), value=current_index(q), info=question_info(q), visible=True)}

    def wire(self, panels: Sequence[Panel]) -> None:
        """Events; `panels` (the facts tab, the record) are refreshed from each answer too."""
        self.panels = list(panels)
        outputs = [self.session, *self.outputs(), *[c for p in self.panels for c in p.outputs()]]
        for n in range(SLOTS):
            on = functools.partial(self.on_answer, n)
            self.radios[n].input(on, [self.session, self.shown, self.radios[n]], outputs, api_visibility="private")
            self.ages[n].submit(on, [self.session, self.shown, self.ages[n]], outputs, api_visibility="private")

    def on_answer(self, slot: int, state: object, asked: Sequence[str] | None, choice: Any) -> dict:
        """A tap (or a typed age) in question `slot`: re-check with that answer and refresh everything shown."""
        session = session_of(state)
        facts_shown = list(asked or [])
        try:
            if not 0 <= slot < len(facts_shown):
                raise SharewiseError(STALE)
            turn = answer(self.sw, session, facts_shown[slot], choice)
        except SharewiseError as e:
            return self._refused(session, f"**That answer was not applied:** {shown(e)}")
        except Exception:  # noqa: BLE001 - the UI edge
            log.exception("answering a question failed")
            return self._refused(session, shown(GENERIC_ERROR))
        out: dict[Any, Any] = {self.session: session, **self.show(turn)}
        for panel in self.panels:
            out.update(panel.show(turn))
        return out

    def _refused(self, session: Session, why: str) -> dict:
        out: dict[Any, Any] = {self.session: session, **self.show(session.turn)}
        for panel in self.panels:
            out.update(panel.show(session.turn))
        out[self.note] = gr.update(value=why, visible=True)
        return out
