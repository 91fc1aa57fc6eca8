"""The deterministic rules check: consent, public interest and DPA 2018 Schedule 1 flags.

`check_facts(facts)` is the library function the chat, the CLI and the evaluations call.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .engine import check
from .facts import Facts, FactsError, parse_facts
from .registry import RULES

__all__ = ["check_facts", "check_text", "parse_facts", "Facts", "FactsError", "RULES", "rule_quotes"]


@lru_cache(maxsize=4)
def rule_quotes(corpus_dir: str) -> dict[str, list[dict]]:
    """Every rule's quotes, located in the corpus and passed through the one quote verification.
    A quote that is not verbatim in the corpus is dropped and logged, never shown."""
    import logging

    from ..corpus import load_corpus
    from ..quotes import make_quote, verify_quote

    corpus = load_corpus(Path(corpus_dir))
    out: dict[str, list[dict]] = {}
    for rid, r in RULES.items():
        found = []
        for text in r.quotes:
            # The published text has non-breaking spaces where a rule's quote has plain ones: find the
            # passage tolerating that, then quote the corpus's own characters.
            pattern = re.compile(re.escape(text).replace("\\ ", r"[\s\u00a0]+"))
            for doc in corpus.documents.values():
                m = pattern.search(doc.text)
                if m:
                    q = make_quote(corpus, doc.id, m.start(), m.end(), 1.0)
                    if verify_quote(corpus, q):
                        found.append({k: v for k, v in q.to_json().items() if k != "score"})
                    break
            else:
                logging.getLogger(__name__).warning("rule %s: a quote is not in the corpus and is not shown", rid)
        out[rid] = found
    return out


def check_facts(facts: Facts, corpus_dir: Path | None = None) -> dict:
    """Run the rules check on confirmed facts; quotes come from corpus_dir (default: the settings' corpus)."""
    if corpus_dir is None:
        from ..settings import Settings

        corpus_dir = Settings.from_env().corpus_dir
    quotes = rule_quotes(str(corpus_dir))
    return check(facts, lambda rid: quotes.get(rid, []))


def check_text(text: str, corpus_dir: Path | None = None) -> dict:
    """Extract facts from free text (deterministically), then run the rules check on them."""
    from .extract import extract_facts

    return check_facts(extract_facts(text), corpus_dir)
