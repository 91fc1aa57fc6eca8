"""The Source tab: each quote of the answer on screen, shown in its section of the published text.

The citations are the turn's verified quotes (`turn.answer.quotes`), in the order the answer numbers them;
choosing one shows the passage with the quote highlighted, and the source's licence and currency.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..render import source_html
from ..types import Turn
from .state import session_of

PLACEHOLDER = "<p>Choose a citation to see the passage in its section.</p>"


def citation_choices(turn: Turn | None) -> list[tuple[str, int]]:
    """(label, index) for each quote of the turn, numbered as the answer numbers them."""
    if turn is None:
        return []
    return [(f"[{n}] {q.doc_title} — {q.section}", n - 1) for n, q in enumerate(turn.answer.quotes, start=1)]


def source_view(sw, turn: Turn | None, index: object) -> str:
    """The passage of quote `index` in its section, highlighted (a placeholder when there is none)."""
    quotes = turn.answer.quotes if turn else ()
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(quotes):
        return PLACEHOLDER
    return source_html(sw.corpus, quotes[index])


class SourceTab:
    """The citation picker and the source view."""

    def __init__(self, sw, session: gr.State):
        self.sw, self.session = sw, session
        with gr.Tab("Source", id="source"):
            self.citation = gr.Dropdown([], value=None, label="Citation", elem_id="citation")
            self.view = gr.HTML(PLACEHOLDER, elem_id="source-view")

    def outputs(self) -> list[Any]:
        return [self.citation, self.view]

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        choices = citation_choices(turn)
        first = 0 if choices else None
        return {self.citation: gr.update(choices=choices, value=first), self.view: source_view(self.sw, turn, first)}

    def wire(self) -> None:
        self.citation.input(self.on_pick, [self.session, self.citation], [self.view], api_visibility="private")

    def on_pick(self, state: object, index: object) -> dict:
        return {self.view: source_view(self.sw, session_of(state).turn, index)}
