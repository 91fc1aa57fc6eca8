"""Binding the rules' quotes to the corpus, once, when the corpus is loaded.

A rule names the guidance passages it rests on as text; here each is located in the loaded corpus and
passed through the one quote verification that answers use. A passage that is not verbatim in the
corpus is dropped and logged, never shown. The rules themselves never read the corpus.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from .corpus import Corpus
from .quotes import make_quote, verify_quote
from .rules.registry import RULES
from .types import Quote

log = logging.getLogger(__name__)

RuleQuotes = Mapping[str, tuple[Quote, ...]]


def bind_rule_quotes(corpus: Corpus) -> dict[str, tuple[Quote, ...]]:
    """Every rule's quotes as verified corpus quotes, by rule id."""
    out: dict[str, tuple[Quote, ...]] = {}
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
                        found.append(q)
                    break
            else:
                log.warning("rule %s: a quote is not in the corpus and is not shown", rid)
        out[rid] = tuple(found)
    return out
