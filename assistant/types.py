"""The types that cross module borders: corpus and retrieval results, the rules check's determination and
one turn of a conversation. Plain frozen dataclasses; JSON is made from them only at the edges (audit,
`--json`, the API). No framework type crosses a module border."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the facts vocabulary lives with the rules; only its type is named here
    from .rules.facts import Edits, Facts


@dataclass(frozen=True)
class Section:
    """A run of body text under one heading path; offsets into the document text."""

    path: tuple[str, ...]
    start: int
    end: int

    @property
    def label(self) -> str:
        return " › ".join(self.path)


@dataclass(frozen=True)
class Source:
    """One registry entry of corpus/sources.toml."""

    id: str
    title: str
    kind: str
    publisher: str
    url: str
    version: str
    licence: str
    attribution: str
    currency: str
    editorial: tuple[str, ...] = ()
    section_urls: tuple[tuple[str, str], ...] = ()
    date: str = ""  # the edition's date, YYYY-MM-DD (or a year) when known
    checked_on: str = ""  # when someone last checked this is still the current edition, YYYY-MM-DD
    supersedes: tuple[str, ...] = ()  # ids of the sources this one replaces
    local: bool = False  # loaded by `sharewise ingest` into the local corpus folder (not bundled)
    pages: tuple[int, ...] = ()  # a PDF's page starts in the text of record (offsets); () when not paged
    original_sha256: str = ""  # the ingested file's own hash (the text of record is hashed on the Document)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page an offset of the text of record falls on, for a paged (PDF) source."""
        if not self.pages:
            return None
        import bisect

        return bisect.bisect_right(self.pages, offset)


@dataclass(frozen=True)
class Document:
    source: Source
    text: str
    sections: tuple[Section, ...]
    sha256: str

    @property
    def id(self) -> str:
        return self.source.id

    def section_at(self, offset: int) -> Section | None:
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
        return None


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    section: tuple[str, ...]
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...] = ()  # (start, end) document offsets of each sentence

    def embed_text(self) -> str:
        """What the embedder and BM25 see: the nearest headings, then the passage."""
        return " › ".join(self.section[-2:]) + "\n" + self.text


@dataclass(frozen=True)
class Passage:
    chunk: Chunk
    score: float
    dense_score: float
    bm25_score: float

    def to_json(self) -> dict:
        c = self.chunk
        return {"chunk_id": c.id, "doc_id": c.doc_id, "section": " › ".join(c.section), "text": c.text,
                "start": c.start, "end": c.end, "score": round(self.score, 6),
                "dense_score": round(self.dense_score, 6), "bm25_score": round(self.bm25_score, 6)}


@dataclass(frozen=True)
class Quote:
    text: str
    doc_id: str
    doc_title: str
    section: str
    start: int
    end: int
    score: float
    url: str = ""
    # From the registry, when the source or this passage is superseded, not (shown to be) in force, or a
    # gloss rather than the law's own words; "" when nothing is known against it.
    currency: str = ""
    page: int | None = None  # the PDF page the quote starts on (None: the source is not paged)
    publisher: str = ""  # who issued the source, shown with the citation

    def to_json(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 6)
        return d


@dataclass(frozen=True)
class Scope:
    """Whether a question is about what the sources cover (England; children's safeguarding information
    sharing and the law extracts held), and why not when it is not."""

    in_scope: bool = True
    reason: str = ""
    # Declined only for what the bundled sources lack (a contact, a deadline, a local form, other guidance): a
    # document the partnership loaded that answers closely is quoted instead.
    coverage: bool = False

    def to_json(self) -> dict:
        return {"in_scope": self.in_scope, "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    question: str
    grounded: bool
    quotes: tuple[Quote, ...]
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float] = field(default_factory=dict)
    message: str = ""
    expansions: tuple[str, ...] = ()
    relevance: float = 0.0  # best sentence similarity: what the grounded/declined decision rests on
    scope: Scope = Scope()
    weak: bool = False  # in scope, but the closest guidance is a weaker match: shown marked as such
    follow_up: bool = False  # read as a follow-up to the previous question (retrieval leaned on it)

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "grounded": self.grounded,
            "message": self.message,
            "scope": self.scope.to_json(),
            "weak_match": self.weak,
            "follow_up": self.follow_up,
            "quotes": [q.to_json() for q in self.quotes],
            "passages": [p.to_json() for p in self.passages],
            "query_expansions": list(self.expansions),
            "relevance": round(self.relevance, 6),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


# ---- The rules check's result: one frozen determination ------------------------------------------

FLAG_NAMES = ("consent", "public_interest", "schedule_1")
STATUSES = ("applies", "does_not_apply", "not_needed", "undetermined")


@dataclass(frozen=True)
class LegalRef:
    """One provision of the law a rule rests on, written at the rule: a label a reader knows and its address."""

    label: str
    url: str

    def to_json(self) -> dict:
        return {"label": self.label, "url": self.url}


@dataclass(frozen=True)
class Judgement:
    """A professional judgement the tool never makes (rules-spec J1-J12)."""

    id: str
    question: str

    def to_json(self) -> dict:
        return {"id": self.id, "question": self.question}


@dataclass(frozen=True)
class Uncertainty:
    """An open legal point (rules-spec U-n) and who can settle it."""

    id: str
    text: str
    ask: str

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "ask": self.ask}


@dataclass(frozen=True)
class Flag:
    """One of the three flags (consent, public_interest, schedule_1) with everything that decided it."""

    name: str
    status: str
    reason: str
    rule_ids: tuple[str, ...] = ()
    references: tuple[LegalRef, ...] = ()
    quotes: tuple[Quote, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    ask: tuple[str, ...] = ()
    uncertainty: tuple[Uncertainty, ...] = ()
    condition: str = ""
    plain: str = ""  # one sentence a teacher can read; codes and paths stay in the details
    rests_on: tuple[str, ...] = ()  # assumed facts this status depends on ("assumed: change if not")

    def to_json(self) -> dict:
        out = {"status": self.status, "plain": self.plain, "reason": self.reason, "rule_ids": list(self.rule_ids),
               "references": [r.to_json() for r in self.references],
               "quotes": [{k: v for k, v in q.to_json().items() if k != "score"} for q in self.quotes],
               "judgement_required": [j.to_json() for j in self.judgements], "ask": list(self.ask),
               "uncertainty": [u.to_json() for u in self.uncertainty], "rests_on": list(self.rests_on)}
        if self.condition:
            out["condition"] = self.condition
        return out


@dataclass(frozen=True)
class Suggestion:
    """An Article 6 basis the facts suggest (never a decision)."""

    rule_id: str
    code: str
    text: str

    def to_json(self) -> dict:
        return {"rule_id": self.rule_id, "code": self.code, "text": self.text}


@dataclass(frozen=True)
class Condition:
    """The Article 9 condition or Article 10 route the facts point to."""

    text: str
    rule_ids: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"text": self.text, "rule_ids": list(self.rule_ids)}


@dataclass(frozen=True)
class Gateway:
    """A statutory gateway and whether it is available on the facts."""

    key: str
    status: str
    reason: str
    rule_id: str
    references: tuple[LegalRef, ...] = ()

    def to_json(self) -> dict:
        return {"status": self.status, "reason": self.reason, "rule_id": self.rule_id,
                "references": [r.to_json() for r in self.references]}


@dataclass(frozen=True)
class Advice:
    """Telling the family (transparency)."""

    rule_id: str
    advice: str

    def to_json(self) -> dict:
        return {"rule_id": self.rule_id, "advice": self.advice}


@dataclass(frozen=True)
class Emergency:
    """Immediate danger: the banner that comes first and that nothing switches off."""

    rule_id: str
    banner: str

    def to_json(self) -> dict:
        return {"rule_id": self.rule_id, "banner": self.banner}


@dataclass(frozen=True)
class TraceStep:
    """One rule evaluated: whether it fired, and the fact or condition it turned on."""

    rule: str
    label: str
    flag: str
    fired: bool
    because: str
    status: str | None = None

    def to_json(self) -> dict:
        out = {"rule": self.rule, "label": self.label, "flag": self.flag, "fired": self.fired,
               "because": self.because}
        if self.fired and self.status:
            out["status"] = self.status
        return out


def _plain_value(value: object) -> object:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Option:
    """One answer to a question, in the facts vocabulary and in plain words."""

    value: object
    label: str

    def to_json(self) -> dict:
        return {"value": _plain_value(self.value), "label": self.label}


@dataclass(frozen=True)
class Question:
    """A fact the tool asks because an answer could change a flag: the fact's name, the question in plain
    words, the choices, the value in force (None: not known) and the words it was read from ("assumed" for
    an assumption), and which flags an answer could change."""

    fact: str
    question: str
    options: tuple[Option, ...]
    current: object
    source: str
    could_change: tuple[str, ...]

    def to_json(self) -> dict:
        return {"fact": self.fact, "question": self.question, "options": [o.to_json() for o in self.options],
                "current": _plain_value(self.current), "from": self.source, "could_change": list(self.could_change)}


@dataclass(frozen=True)
class Assumption:
    """A default the practitioner did not state, applied visibly: shown as "assumed: change if not"."""

    fact: str
    value: object
    why: str

    def to_json(self) -> dict:
        return {"fact": self.fact, "value": _plain_value(self.value), "why": self.why}


RECORD_FIELDS = ("decision", "what", "with_whom", "purpose", "article_6", "condition", "consent",
                 "public_interest", "statutory_gateway", "family_informed", "reasons", "consulted", "date")


@dataclass(frozen=True)
class DecisionRecord:
    """Golden rule 7: the one schema of the record of a decision, prefilled by the rules check and completed
    by the practitioner. The decision and the reasons are always the practitioner's."""

    decision: str = ""
    what: str = ""
    with_whom: str = ""
    purpose: str = ""
    article_6: str = ""
    condition: str = ""
    consent: str = ""
    public_interest: str = ""
    statutory_gateway: str = ""
    family_informed: str = ""
    reasons: str = ""
    consulted: str = ""
    date: str = ""

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in RECORD_FIELDS}


@dataclass(frozen=True)
class Determination:
    """Everything the rules check concludes on one set of facts. Same facts, same determination."""

    consent: Flag
    public_interest: Flag
    schedule_1: Flag
    article_6: tuple[Suggestion, ...]
    article_9: Condition
    article_10: Condition
    gateways: tuple[Gateway, ...]
    transparency: tuple[Advice, ...]
    emergency: Emergency | None
    judgements: tuple[Judgement, ...]
    ask: tuple[str, ...]
    uncertainty: tuple[Uncertainty, ...]
    scope: str
    record: DecisionRecord
    rules_fired: tuple[str, ...]
    facts: Facts
    trace: tuple[TraceStep, ...]
    law_version: str
    disclaimer: str
    assumptions: tuple[Assumption, ...] = ()
    questions: tuple[Question, ...] = ()
    # Facts are evaluated per data subject (rules-spec §2): the other people whose information the sharing
    # would include (e.g. a parent's health records in a s.47 request), each with its own determination.
    others: tuple[tuple[str, Determination], ...] = ()

    @property
    def flags(self) -> tuple[Flag, Flag, Flag]:
        return (self.consent, self.public_interest, self.schedule_1)

    def to_json(self) -> dict:
        """The `sharewise check --json` object (and `rules` in the answer JSON)."""
        out: dict = {f.name: f.to_json() for f in self.flags}
        out.update({
            "article_6": [s.to_json() for s in self.article_6],
            "article_9": self.article_9.to_json(),
            "article_10": self.article_10.to_json(),
            "gateways": {g.key: g.to_json() for g in self.gateways},
            "transparency": [t.to_json() for t in self.transparency],
            "emergency": self.emergency.to_json() if self.emergency else None,
            "judgement_required": [j.to_json() for j in self.judgements],
            "ask": list(self.ask),
            "questions": [q.to_json() for q in self.questions],
            "assumptions": [a.to_json() for a in self.assumptions],
            "uncertainty": [u.to_json() for u in self.uncertainty],
            "scope": self.scope,
            "record": self.record.to_json(),
            "rules_fired": list(self.rules_fired),
            "facts": self.facts.to_json(),
            "trace": [t.to_json() for t in self.trace],
            "law_version": self.law_version,
            "disclaimer": self.disclaimer,
            "other_subjects": [{"data_subject_role": role, **{f.name: f.to_json() for f in d.flags},
                                "questions": [q.to_json() for q in d.questions],
                                "facts": d.facts.to_json()} for role, d in self.others],
        })
        return out


# ---- One turn of a conversation -----------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    """What one question (or one re-check after an edit) produced, as it was recorded and shown.

    `extracted` are the facts read from the words of the whole conversation; `edits` exactly the facts the
    practitioner changed; `facts` the two combined (what the rules ran on). `audit_seq` is the audit
    record of this turn: feedback and reviews attach to it, never to a position in the chat."""

    question: str
    history: tuple[str, ...]
    answer: Answer
    extracted: Facts
    edits: Edits
    facts: Facts
    determination: Determination
    audit_seq: int | None = None
    kind: str = "answer"  # "answer" or "recheck"
    # One plain-English sentence from a template keyed by the rules check and the best quote (never
    # generated text); "" when nothing grounded was found.
    bottom_line: str = ""

    def to_json(self) -> dict:
        """The answer JSON shared by `sharewise ask --json` and the HTTP/Gradio API."""
        out = {"bottom_line": self.bottom_line, **self.answer.to_json()}
        out["rules"] = self.determination.to_json()
        out["edits"] = self.edits.to_json()
        out["audit_seq"] = self.audit_seq
        return out
