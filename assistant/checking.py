"""The rules step of a turn: facts read from the words of the conversation, the practitioner's edits on
top, and the pure rules check on the result. It needs the corpus (to bind the rules' quotes once) but no
model, so `sharewise check` runs it without loading one. The orchestrator (pipeline.py) and the CLI call it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from .corpus import Corpus
from .rule_quotes import bind_rule_quotes
from .rules import determine
from .rules.extract import extract_facts
from .rules.extract_subjects import extract_subjects
from .rules.facts import Edits, Facts
from .types import Determination, Quote


@dataclass(frozen=True)
class Checked:
    """What the rules step produced: the facts read, the facts in force, and the determination on them."""

    extracted: Facts
    facts: Facts
    determination: Determination


class RulesCheck:
    """The rules check bound to one loaded corpus (its quotes located and verified once)."""

    def __init__(self, corpus: Corpus):
        self.quotes: dict[str, tuple[Quote, ...]] = bind_rule_quotes(corpus)

    def read(self, conversation: Sequence[str]) -> Facts:
        """Facts read from the words of the whole conversation, oldest first, so follow-ups keep them."""
        return extract_facts(_text(conversation))

    def run(self, facts: Facts) -> Determination:
        return determine(facts, self.quotes)

    def others(self, conversation: Sequence[str], main: Facts | None = None) -> tuple[tuple[str, Determination], ...]:
        """The other people whose own information the sharing would include, each checked on its own facts
        (rules-spec §2: facts are evaluated per data subject). `main`: what `read` gave for the same words."""
        return tuple((s.role, self.run(s.facts)) for s in extract_subjects(_text(conversation), main))

    def check(self, extracted: Facts, edits: Edits | None = None,
              others: tuple[tuple[str, Determination], ...] = ()) -> Checked:
        """The practitioner's edits apply to the main data subject; the others keep the facts their words give."""
        facts = (edits or Edits()).apply(extracted)
        determination = self.run(facts)
        if others:
            determination = dataclasses.replace(determination, others=others)
        return Checked(extracted, facts, determination)


def _text(conversation: Sequence[str]) -> str:
    return "\n".join(t for t in conversation if t)
