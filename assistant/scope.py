"""Is a question about what the sources cover? `classify(question, history) -> Scope`.

The sources cover England: children's safeguarding information sharing and extracts of the DPA 2018, UK
GDPR and statutory gateways. A question is out of scope when it asks about something they hold nothing
on: another jurisdiction, another regime (FOI, subject access timescales, Care Act adult duties), a
clinical, employment or IT question, a timescale or phone number the sources do not give, or nothing to
do with safeguarding. Similarity to the corpus cannot tell these apart (near misses score as high as
real questions), so the decision is made from what the question names, by the rule table in
`assistant/data/scope.toml` (each rule documented there). Deterministic, offline, no model.

A follow-up ("and if shes 17?") is read together with the questions it follows, so it inherits their
scope, unless it names an out-of-scope thing itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .types import Scope

TABLE = Path(__file__).parent / "data" / "scope.toml"

COVERAGE = ("Sharewise's sources cover England: children's safeguarding information sharing, and extracts of "
            "the DPA 2018, UK GDPR and statutory gateways.")

# A question that opens like this, or names nothing of its own, continues the one before it.
_FOLLOW_UP = re.compile(r"^(and|but|so|ok|okay|also|or|then|what about|how about|what if|even if|if s?he|if they|"
                        r"is that|does that|does it|is it|would that|would it)\b")
# ...unless it says it starts afresh ("ok different question - ...").
_FRESH_START = re.compile(r"\b(different|new|separate|another|unrelated|other) (thing|question|topic|case|query|one)\b"
                          r"|\bchanging (the )?subject\b")
_FOLLOW_UP_WORDS = 5  # a question this short is read with the one before it
_CONTEXT_TURNS = 4  # how far back a chain of follow-ups is followed
_APOSTROPHES = str.maketrans("", "", "'’‘`")
_INLINE_CUE = re.compile(r"@([a-z_]+)")  # a cue named in the table: "@share"


@dataclass(frozen=True)
class Rule:
    """One row of the table: fires when every group matches and `unless` does not."""

    id: str
    about: str
    groups: tuple[re.Pattern[str], ...]
    unless: re.Pattern[str] | None
    coverage: bool = False  # declined only because the bundled sources lack it (a local document may hold it)

    def fires(self, text: str) -> bool:
        return all(g.search(text) for g in self.groups) and not (self.unless and self.unless.search(text))

    def reason(self) -> str:
        return f"This asks about {self.about}; {COVERAGE}"


@dataclass(frozen=True)
class Table:
    rules: tuple[Rule, ...]
    topic: re.Pattern[str]

    def first_firing(self, text: str) -> Rule | None:
        return next((r for r in self.rules if r.fires(text)), None)


# A question naming nothing in the field at all (and following on from nothing).
UNRELATED = "This does not look like a question about safeguarding, information sharing or data protection; " + COVERAGE


def classify(question: str, history: tuple[str, ...] = ()) -> Scope:
    """Whether `question` is one the sources can answer; `history` is the conversation's earlier questions,
    oldest first (as `Sharewise.answer` receives them). In scope: `Scope(True, "")`; otherwise the reason is
    one sentence naming what was asked about and what the sources cover."""
    table = load_table()
    text = normalise(question)
    own = table.first_firing(text)
    context = _context(table, history)
    if context and _follows_on(table, text):
        joined = " ".join((*context, text))
        rule = table.first_firing(joined) or own
        if rule:
            return Scope(in_scope=False, reason=rule.reason(), coverage=rule.coverage)
        return Scope() if table.topic.search(joined) else Scope(in_scope=False, reason=UNRELATED)
    if own:
        return Scope(in_scope=False, reason=own.reason(), coverage=own.coverage)
    return Scope() if table.topic.search(text) else Scope(in_scope=False, reason=UNRELATED)


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("clare's" -> "clares"), whitespace collapsed."""
    return " ".join(str(text).lower().translate(_APOSTROPHES).split())


def _follows_on(table: Table, text: str) -> bool:
    if _FRESH_START.search(text):
        return False
    return bool(_FOLLOW_UP.match(text)) or len(text.split()) <= _FOLLOW_UP_WORDS or not table.topic.search(text)


def _context(table: Table, history: tuple[str, ...]) -> tuple[str, ...]:
    """The earlier questions a follow-up continues: back to the last one that stands on its own."""
    out: list[str] = []
    for earlier in reversed(history[-_CONTEXT_TURNS:]):
        said = normalise(earlier)
        if not said:
            continue
        out.insert(0, said)
        if not _follows_on(table, said):
            break
    return tuple(out)


@cache
def load_table(path: Path = TABLE) -> Table:
    """The rule table, compiled once. A malformed table is a packaging bug: say which rule and why."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    raw_cues: dict[str, list[str]] = data["cues"]
    cues: dict[str, str] = {}

    def cue(name: str, where: str) -> str:
        if name not in cues:
            if name not in raw_cues or name == where:
                raise ValueError(f"{path.name}: {where} refers to unknown cue '@{name}'")
            cues[name] = expand(raw_cues[name], name)
        return cues[name]

    def expand(patterns: list[str], where: str) -> str:
        # "@name" alone is the whole cue; "@name" inside a pattern is the cue as one group there.
        parts = [cue(p[1:], where) if _INLINE_CUE.fullmatch(p) else
                 _INLINE_CUE.sub(lambda m: f"(?:{cue(m[1], where)})" if m[1] in raw_cues else m[0], p)
                 for p in patterns]
        return "|".join(f"(?:{p})" for p in parts)

    def compiled(patterns: list[str], where: str) -> re.Pattern[str]:
        try:
            return re.compile(expand(patterns, where))
        except re.error as e:
            raise ValueError(f"{path.name}: {where} has a bad pattern: {e}") from e

    rules = []
    for row in data["rule"]:
        if not row.get("about") or not row.get("doc") or not row.get("all"):
            raise ValueError(f"{path.name}: rule {row.get('id')!r} needs an about, a doc and at least one group")
        groups = tuple(compiled(g, row["id"]) for g in row["all"])
        rules.append(Rule(id=row["id"], about=row["about"], groups=groups,
                          unless=compiled(row["unless"], row["id"]) if row.get("unless") else None,
                          coverage=bool(row.get("coverage", False))))
    return Table(rules=tuple(rules), topic=compiled(raw_cues["topic"], "topic"))
