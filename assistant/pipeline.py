"""The orchestrator: the only code that orders the stages of a turn and writes it to the audit trail.

`Sharewise.answer(question, history, edits)` runs clean -> retrieve -> quotes -> extract -> edits ->
rules -> audit and returns a `Turn`; `Sharewise.recheck(turn, edits)` re-runs the rules step on the same
words with new edits. Both record the turn before returning it (an `AuditError` means: do not show it).
The chat, the API and the CLI call only these two. `find_guidance` is the retrieval and quoting stages
alone, unrecorded, for evaluation and benchmarks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
import time
from collections.abc import Sequence

from .audit import AuditStore
from .checking import RulesCheck
from .corpus import Corpus, load_corpus_for
from .danger_model import DangerModel
from .embedding import Embedder, load_embedder
from .errors import IndexCorrupt, IndexMissing, IndexStale, SharewiseError
from .followup import read_follow_up
from .index import LoadedIndex, build_index, live_dir, load_index
from .inputs import clean_question
from .quotes import score_sentences, select_quotes
from .render.bottom_line import bottom_line
from .retrieve import HybridRetriever
from .rules.danger import detect_danger
from .rules.facts import Edits, Facts
from .scope import classify as classify_scope
from .scope_model import REASON as SCOPE_MODEL_REASON
from .scope_model import ScopeModel
from .second_embedder import SecondEmbedder, load_second_embedder
from .settings import Settings
from .types import Answer, DecisionRecord, Scope, Turn

log = logging.getLogger(__name__)

WEAKER_MATCH = (
    "A weaker match: this is the closest guidance Sharewise holds, and it may not answer your question exactly. "
    "Check it against your question, and ask your designated safeguarding lead (DSL) if it does not.")

NO_GROUNDED_ANSWER = (
    "No grounded answer in the guidance held. Sharewise found nothing in its sources that answers this "
    "closely enough to quote. Speak to your designated safeguarding lead (DSL), your Caldicott guardian or "
    "your Data Protection Officer; if a child is in immediate danger, call 999.")


def scope_message(scope: Scope) -> str:
    """What a declined, out-of-scope question is told: why, and where to go instead."""
    from .prompts import render

    return render("out_of_scope", plain=True, reason=scope.reason)


def load_second(settings: Settings) -> SecondEmbedder | None:
    """The second embedder, unless the settings turn it off."""
    return load_second_embedder(settings.torch_threads) if settings.second_model else None


def ensure_index(settings: Settings, corpus: Corpus, embedder: Embedder, rebuild: bool = False,
                 progress: bool = True, second: SecondEmbedder | None = None) -> tuple[LoadedIndex, dict | None]:
    """Load the index, building it first if asked, missing, stale or damaged. Returns (index, build stats)."""
    stats = None
    if not rebuild:
        try:
            return load_index(settings.index_dir, corpus, embedder, settings, second), None
        except (IndexMissing, IndexStale, IndexCorrupt) as e:
            log.warning("rebuilding the index: %s", e)
    stats = build_index(corpus, embedder, settings, settings.index_dir, progress=progress, second=second)
    return load_index(settings.index_dir, corpus, embedder, settings, second), stats


@dataclasses.dataclass(frozen=True)
class Library:
    """The corpus and the index built from it, and what is derived from both: swapped as one when a new index is
    built (`sharewise ingest`), so an answer reads one library from start to end."""

    corpus: Corpus
    index: LoadedIndex
    retriever: HybridRetriever
    rows: dict[str, int]
    manifest_sha256: str

    @classmethod
    def of(cls, settings: Settings, corpus: Corpus, embedder: Embedder, index: LoadedIndex,
           second: SecondEmbedder | None) -> Library:
        return cls(corpus=corpus, index=index,
                   retriever=HybridRetriever(index, embedder, corpus.glossary, settings, second=second,
                                             superseded=corpus.superseded(),
                                             local_docs=frozenset(d.id for d in corpus.documents.values()
                                                                  if d.source.local)),
                   rows={c.id: row for row, c in enumerate(index.chunks)},
                   manifest_sha256=hashlib.sha256(json.dumps(index.manifest, sort_keys=True).encode()).hexdigest())


class Sharewise:
    """A loaded corpus, model and index (and, when answers are shown to anyone, an audit store)."""

    def __init__(self, settings: Settings, corpus: Corpus, embedder: Embedder, index: LoadedIndex,
                 rules: RulesCheck | None = None, second: SecondEmbedder | None = None):
        self.settings, self.embedder, self.second = settings, embedder, second
        self.library = Library.of(settings, corpus, embedder, index, second)
        self.rules = rules or RulesCheck(corpus)
        self.danger: DangerModel | None = None  # learned in open(); tests may leave it out
        self.scope_model: ScopeModel | None = None  # likewise (needs both embedders)
        self.audit: AuditStore | None = None  # set by with_audit(): the app and `ask` (never `eval`)
        self._refresh_lock = threading.Lock()
        self._seen = self._sources_seen()  # what the library in use was built from (see refresh)
        self._refused: tuple | None = None  # what the last refused refresh saw (not tried again until it changes)

    # What the current library holds (an answer takes `self.library` once and reads that).
    @property
    def corpus(self) -> Corpus:
        return self.library.corpus

    @property
    def index(self) -> LoadedIndex:
        return self.library.index

    @property
    def retriever(self) -> HybridRetriever:
        return self.library.retriever

    @property
    def manifest_sha256(self) -> str:
        return self.library.manifest_sha256

    def refresh(self) -> bool:
        """Load the index `current` now points to, if it is not the one in use, and swap it in whole; answers
        already running finish on the old one. True when it swapped. A build that does not load (half-written,
        damaged, or built from another corpus than the folders now hold) is not used: the old one stays."""
        with self._refresh_lock:
            seen = self._sources_seen()
            if self.library.index.folder is None or seen in (self._seen, self._refused):
                return False
            try:
                corpus = load_corpus_for(self.settings)
                index = load_index(self.settings.index_dir, corpus, self.embedder, self.settings, self.second)
            except SharewiseError as e:
                # Said once, not every 2 s: tried again when the index or the registry changes again.
                self._refused = seen
                log.warning("a new index in %s is not used yet: %s", self.settings.index_dir, e)
                return False
            self.library, self._seen = Library.of(self.settings, corpus, self.embedder, index, self.second), seen
            log.info("now answering from the index build %s (%d documents)", index.folder, len(corpus.documents))
            return True

    def _sources_seen(self) -> tuple:
        """What a new library would be built from: the live index build and the local registry's version (a
        changed registry alone, e.g. a new "supersedes", changes the currency notes and the ranking)."""
        from .ingest.registry import REGISTRY

        try:
            registry = (self.settings.local_corpus_dir / REGISTRY).stat().st_mtime_ns
        except OSError:
            registry = 0
        return live_dir(self.settings.index_dir), registry

    def watch_index(self, every: float = 2.0) -> threading.Event:
        """Check for a new index build every `every` seconds, in a daemon thread, until the returned event is set."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every):
                try:
                    self.refresh()
                except Exception:  # the watcher must outlive any one bad build
                    log.exception("checking for a new index failed")

        threading.Thread(target=loop, name="sharewise-index-watch", daemon=True).start()
        return stop

    @classmethod
    def open(cls, settings: Settings, build: bool = False) -> Sharewise:
        """Load everything; with build=True a missing or stale index is rebuilt, else it is an error."""
        corpus = load_corpus_for(settings)
        embedder = load_embedder(settings.model_dir, settings.torch_threads)
        second = load_second(settings)
        if build:
            index, _ = ensure_index(settings, corpus, embedder, second=second)
        else:
            index = load_index(settings.index_dir, corpus, embedder, settings, second)
        sw = cls(settings, corpus, embedder, index, second=second)
        sw.danger = DangerModel.open(embedder)
        if second is not None:
            sw.scope_model = ScopeModel.open(embedder, second, corpus.glossary)
        return sw

    def with_audit(self) -> Sharewise:
        """Record every turn from now on; fails closed (AuditError) if the store cannot be opened."""
        self.audit = AuditStore(self.settings.data_dir, self.settings.retention_days)
        return self

    # ---- the two entry points ---------------------------------------------------------------------
    def answer(self, question: object, history: Sequence[object] = (), edits: Edits | None = None,
               session: str = "") -> Turn:
        """Answer a question in a conversation: retrieval with the earlier turns, the rules on all the words
        with the practitioner's edits on top, recorded before it is returned."""
        text = clean_question(question, self.settings.max_question_chars)
        earlier = tuple(clean_question(h, self.settings.max_question_chars) for h in history if str(h).strip())
        library = self.library
        found = self.find_guidance(text, earlier, library=library)
        t0 = time.perf_counter()
        # A follow-up keeps the facts of the case it continues; a new topic or a new case starts from its own words.
        follow = read_follow_up(found.question, earlier)
        conversation = (*(follow.thread if follow.carries_facts else ()), found.question)
        read = self._danger_kept(self.rules.read(conversation), (*earlier, found.question), conversation)
        extracted = self._suspect_danger(read, found.question)
        checked = self.rules.check(extracted, edits, self.rules.others(conversation, read))
        timings = {**found.timings_ms, "rules": (time.perf_counter() - t0) * 1000}
        found = dataclasses.replace(found, timings_ms=timings)
        turn = Turn(question=found.question, history=earlier, answer=found, extracted=checked.extracted,
                    edits=edits or Edits(), facts=checked.facts, determination=checked.determination,
                    bottom_line=bottom_line(found, checked.determination))
        return self._recorded(turn, session, manifest_sha256=library.manifest_sha256)

    def recheck(self, turn: Turn, edits: Edits, session: str = "") -> Turn:
        """The practitioner changed facts: the same words and quotes, the rules run again, recorded."""
        checked = self.rules.check(turn.extracted, edits, turn.determination.others)
        again = dataclasses.replace(turn, edits=edits, facts=checked.facts, determination=checked.determination,
                                    kind="recheck", audit_seq=None,
                                    bottom_line=bottom_line(turn.answer, checked.determination))
        return self._recorded(again, session, answer_seq=turn.audit_seq)

    def keep_record(self, record: DecisionRecord, turn: Turn | None, session: str = "") -> int | None:
        """A record of decision the practitioner downloads is kept in the audit trail too, redacted."""
        if self.audit is None:
            return None
        from .pii import redact

        fields = {k: redact(v) if v else v for k, v in record.to_json().items()}
        return self.audit.append("record", {"record": fields, "answer_seq": turn.audit_seq if turn else None},
                                 session)

    def feedback(self, audit_seq: int, liked: bool, comment: str = "", session: str | None = None) -> int | None:
        """A thumbs up or down on the answer recorded as `audit_seq` (never a position in a chat). Only an answer,
        and (when `session` is given) only one given in that session: feedback cannot be pinned on someone else's
        answer or on a record that is not an answer. None when it is refused or there is no audit trail."""
        if self.audit is None:
            return None
        from .review import add_feedback

        found = self.audit.record_of(audit_seq)
        if found is None or found[0] != "answer" or (session is not None and found[1] != session):
            return None
        return add_feedback(self.audit, audit_seq, liked, comment)

    # ---- stages ------------------------------------------------------------------------------------
    def find_guidance(self, question: object, history: tuple[str, ...] = (), top_k: int | None = None,
                      mode: str = "hybrid", use_glossary: bool = True, use_second: bool = True,
                      use_provisions: bool = True, use_scope: bool = True, use_shapes: bool = True,
                      library: Library | None = None) -> Answer:
        """Retrieval and verified quotes only (no rules, not recorded): what evaluation measures. The `use_*`
        switches turn one part off, for `eval --compare`."""
        lib = library or self.library
        t0 = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        history = tuple(clean_question(h, self.settings.max_question_chars) for h in history if str(h).strip())
        found = lib.retriever.retrieve(text, history, top_k=top_k, mode=mode, use_glossary=use_glossary,
                                        use_second=use_second, use_provisions=use_provisions)
        scope = self._scope(text, history, found.question_vectors, found.follow_up.is_follow_up) if use_scope \
            else Scope()
        t1 = time.perf_counter()
        scored = score_sentences(lib.index, found.passages, found.sentence_sims, lib.rows,
                                 self.settings.quote_rank_bonus)
        # Relevance is the best plain MiniLM similarity, without the rank bonus: comparable across questions,
        # on the scale the threshold was set on.
        best_row = max((row for _, row in scored), key=lambda row: float(found.relevance_sims[row]), default=None)
        best = float(found.relevance_sims[best_row]) if best_row is not None else 0.0
        closest = (found.passages[0].chunk.doc_id if found.passages else "",
                   lib.index.sentences[best_row].doc_id if best_row is not None else "")
        covered = self._local_cover(scope, lib, closest, best)
        # Answered only from a local document that the bundled texts would have declined: shown as the nearest
        # passage, which may not answer exactly (a close local passage is not always an answer).
        local_only, scope = covered is not scope, covered
        # Out of scope: declined by what the question asks about. In scope: a close match is answered, a
        # weaker one is shown marked as weaker (never a silent "no grounded answer"), and only a question
        # nothing in the sources comes near is declined.
        weak = scope.in_scope and (local_only or self.settings.weak_relevance <= best < self.settings.min_relevance)
        answerable = scope.in_scope and best >= min(self.settings.min_relevance, self.settings.weak_relevance)
        quotes = select_quotes(lib.corpus, lib.index, scored, self.settings.min_quote_score,
                               self.settings.max_quotes, self.settings.quote_margin,
                               self.settings.quote_item_chars, shapes=use_shapes) if answerable else []
        grounded = answerable and bool(quotes)
        message = (WEAKER_MATCH if weak else "") if grounded else (NO_GROUNDED_ANSWER if scope.in_scope else
                                                                   scope_message(scope))
        t2 = time.perf_counter()
        timings = {**found.timings_ms, "retrieve": (t1 - t0) * 1000, "quotes": (t2 - t1) * 1000,
                   "total": (t2 - t0) * 1000}
        return Answer(question=text, grounded=grounded, quotes=tuple(quotes), passages=tuple(found.passages),
                      timings_ms=timings, message=message, expansions=found.expansions, relevance=best,
                      scope=scope, weak=weak and grounded, follow_up=found.follow_up.is_follow_up)

    def _scope(self, text: str, history: tuple[str, ...], vectors, follow_up: bool) -> Scope:
        """The rule table first (it says why); then the learned second look, for a question the table has no words
        for (not for a follow-up, whose own words are too few). Never declines a text that describes danger."""
        if detect_danger(text):
            return Scope()  # danger first: a child in danger is answered wherever, and whatever else, it names
        scope = classify_scope(text, history)
        if scope.in_scope and self.scope_model is not None and vectors is not None and not follow_up \
                and self.scope_model.declines(*vectors):
            return Scope(False, SCOPE_MODEL_REASON, coverage=True)
        return scope

    def _local_cover(self, scope: Scope, lib: Library, closest: tuple[str, ...], best: float) -> Scope:
        """A question declined only because the bundled sources lack what it asks (a contact, a deadline, a local
        form) is answered when the first passage or the closest sentence is in a document the partnership loaded,
        and the match is a close one."""
        if scope.in_scope or not scope.coverage or best < self.settings.min_relevance:
            return scope
        docs = [lib.corpus.document(d) for d in closest]
        return Scope() if any(d is not None and d.source.local for d in docs) else scope

    def _danger_kept(self, read: Facts, whole: tuple[str, ...], conversation: tuple[str, ...]) -> Facts:
        """Danger first: a new topic starts the case's facts afresh, and a later message saying "it's not an
        emergency" reads the thread without one, but an emergency any one message described is never dropped."""
        if read.get("emergency") is True or len(whole) == 1:  # one message: `read` is already that message alone
            return read
        for message in whole:  # each on its own: a denial in one message does not cancel danger in another
            alone = self.rules.read((message,))
            if alone.get("emergency") is True:
                return Facts({**read.values, "emergency": True},
                             {**read.sources, "emergency": alone.sources.get("emergency", "an earlier message")})
        return read

    def _suspect_danger(self, extracted: Facts, question: str) -> Facts:
        """Danger first: if the model reads danger the words did not plainly show, the rules ask about it first."""
        if self.danger is None or extracted.get("emergency") is not None or not self.danger.suspects(self.embedder,
                                                                                                     question):
            return extracted
        return Facts({**extracted.values, "danger_suspected": True},
                     {**extracted.sources, "danger_suspected": "the way this is worded (a second check for danger)"})

    def _recorded(self, turn: Turn, session: str, answer_seq: int | None = None,
                  manifest_sha256: str | None = None) -> Turn:
        """Write the turn to the audit trail before anyone sees it (AuditError: do not show it), with the index it
        was answered from."""
        if self.audit is None:
            return turn
        from . import __version__

        seq = self.audit.record_turn(session, turn, manifest_sha256 or self.manifest_sha256, __version__,
                                     answer_seq=answer_seq)
        return dataclasses.replace(turn, audit_seq=seq)
