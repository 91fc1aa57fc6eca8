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
            # A citation number clicked in the answer: the page's script writes its number here (off screen, not
            # hidden, so Gradio keeps it on the page) and this tab shows that passage.
            self.cite = gr.Textbox(show_label=False, container=False, elem_id="cite-pick",
                                   elem_classes=["sw-offscreen"], label="Citation number")

    def outputs(self) -> list[Any]:
        return [self.citation, self.view]

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        choices = citation_choices(turn)
        first = 0 if choices else None
        return {self.citation: gr.update(choices=choices, value=first), self.view: source_view(self.sw, turn, first)}

    def wire(self) -> None:
        self.citation.input(self.on_pick, [self.session, self.citation], [self.view], api_visibility="private")
        self.cite.change(self.on_cite, [self.session, self.cite], [self.citation, self.view],
                        api_visibility="private")

    def on_cite(self, state: object, number: str) -> dict:
        """A citation number clicked in the answer: that passage, and the picker set to it."""
        turn = session_of(state).turn
        try:
            index = int(str(number).strip().split(":")[0]) - 1
        except ValueError:
            return {}
        if turn is None or not 0 <= index < len(turn.answer.quotes):
            return {}
        return {self.citation: gr.update(value=index), self.view: source_view(self.sw, turn, index)}

    def on_pick(self, state: object, index: object) -> dict:
        return {self.view: source_view(self.sw, session_of(state).turn, index)}
