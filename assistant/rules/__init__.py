"""The deterministic rules check: on given facts, whether consent, the public interest test or a DPA 2018
Schedule 1 condition makes sharing available, with the Article 6/9/10 routes, gateways and advice.

The package is pure: it reads no file, no environment and no clock, and imports nothing outside itself but
`assistant.types` and `assistant.errors`. Call it as

    facts = parse_facts({"consent_status": "refused", ...})    # or extract_facts(text) from .extract
    determination = determine(facts, bind_rule_quotes(corpus))  # quotes optional: rule id -> verified quotes
    determination.to_json()                                     # the `sharewise check --json` object

Same facts (and quotes), same `Determination`."""

from __future__ import annotations

from .engine import determine
from .facts import Edits, Facts, FactsError, parse_facts
from .registry import RULES

__all__ = ["determine", "Edits", "Facts", "FactsError", "parse_facts", "RULES"]
