"""The only module that knows the order of the stages: question -> retrieve -> quotes -> answer."""

from __future__ import annotations

import hashlib
import json
import logging
import time

from .corpus import Corpus, load_corpus
from .embedding import Embedder, load_embedder
from .errors import IndexCorrupt, IndexMissing, IndexStale
from .index import LoadedIndex, build_index, load_index
from .inputs import clean_question
from .quotes import score_sentences, select_quotes
from .retrieve import HybridRetriever
from .settings import Settings
from .types import Answer

log = logging.getLogger(__name__)

NO_GROUNDED_ANSWER = (
    "No grounded answer in the guidance held. Sharewise found nothing in its sources that answers this "
    "closely enough to quote. Speak to your designated safeguarding lead (DSL), your Caldicott guardian or "
    "your Data Protection Officer; if a child is in immediate danger, call 999.")


def ensure_index(settings: Settings, corpus: Corpus, embedder: Embedder, rebuild: bool = False,
                 progress: bool = True) -> tuple[LoadedIndex, dict | None]:
    """Load the index, building it first if asked, missing, stale or damaged. Returns (index, build stats)."""
    stats = None
    if not rebuild:
        try:
            return load_index(settings.index_dir, corpus, embedder, settings), None
        except (IndexMissing, IndexStale, IndexCorrupt) as e:
            log.warning("rebuilding the index: %s", e)
    stats = build_index(corpus, embedder, settings, settings.index_dir, progress=progress)
    return load_index(settings.index_dir, corpus, embedder, settings), stats


class Sharewise:
    """A loaded corpus, model and index, ready to answer questions."""

    def __init__(self, settings: Settings, corpus: Corpus, embedder: Embedder, index: LoadedIndex):
        self.settings, self.corpus, self.embedder, self.index = settings, corpus, embedder, index
        self.retriever = HybridRetriever(index, embedder, corpus.glossary, settings)
        self._rows = {c.id: row for row, c in enumerate(index.chunks)}
        self.audit = None  # an AuditStore when answers must be recorded (app and `ask`; never `eval`)
        self.manifest_sha256 = hashlib.sha256(json.dumps(index.manifest, sort_keys=True).encode()).hexdigest()

    def with_audit(self) -> "Sharewise":
        """Record every answer from now on; fails closed if the store cannot be opened."""
        from .audit import AuditStore

        self.audit = AuditStore(self.settings.data_dir, self.settings.retention_days)
        return self

    def record(self, session: str, result: dict) -> None:
        """Write the answer to the audit trail before anyone sees it (AuditError: do not show it)."""
        if self.audit is not None:
            from . import __version__

            self.audit.record_answer(session, result, self.manifest_sha256, __version__)

    @classmethod
    def open(cls, settings: Settings, build: bool = False) -> "Sharewise":
        """Load everything; with build=True a missing or stale index is rebuilt, else it is an error."""
        corpus = load_corpus(settings.corpus_dir)
        embedder = load_embedder(settings.model_dir, settings.torch_threads)
        if build:
            index, _ = ensure_index(settings, corpus, embedder)
        else:
            index = load_index(settings.index_dir, corpus, embedder, settings)
        return cls(settings, corpus, embedder, index)

    def ask(self, question: object, history: tuple[str, ...] = (), top_k: int | None = None,
            mode: str = "hybrid", use_glossary: bool = True) -> Answer:
        t0 = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        history = tuple(clean_question(h, self.settings.max_question_chars) for h in history if str(h).strip())
        found = self.retriever.retrieve(text, history, top_k=top_k, mode=mode, use_glossary=use_glossary)
        t1 = time.perf_counter()
        scored = score_sentences(self.index, found.passages, found.sentence_sims, self._rows,
                                 self.settings.quote_rank_bonus)
        # Relevance is the best plain similarity, without the rank bonus: comparable across questions.
        best = max((float(found.sentence_sims[row]) for _, row in scored), default=0.0)
        grounded = best >= self.settings.min_relevance
        quotes = select_quotes(self.corpus, self.index, scored, self.settings.min_quote_score,
                               self.settings.max_quotes, self.settings.quote_margin,
                               self.settings.quote_item_chars) if grounded else []
        grounded = grounded and bool(quotes)
        t2 = time.perf_counter()
        timings = {**found.timings_ms, "retrieve": (t1 - t0) * 1000, "quotes": (t2 - t1) * 1000,
                   "total": (t2 - t0) * 1000}
        return Answer(question=text, grounded=grounded, quotes=tuple(quotes), passages=tuple(found.passages),
                      timings_ms=timings, message="" if grounded else NO_GROUNDED_ANSWER,
                      expansions=found.expansions, relevance=best)

    def ask_with_rules(self, question: object, history: tuple[str, ...] = (),
                       fact_overrides: dict | None = None) -> dict:
        """The answer JSON of `ask --json`, with the rules check under `rules`. Facts are read from the
        whole conversation (so follow-ups keep them), then the practitioner's own edits win."""
        from .rules import check_facts
        from .rules.extract import extract_facts
        from .rules.facts import merge_facts

        answer = self.ask(question, history)
        facts = merge_facts(extract_facts("\n".join((*history, answer.question))), fact_overrides)
        out = answer.to_json()
        out["rules"] = check_facts(facts, self.settings.corpus_dir)
        return out
