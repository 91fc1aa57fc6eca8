"""The engine: runs the registered rules in the order of evaluation (rules-spec §11) and assembles the
typed `Determination`. It knows no rule's logic: each flag's order comes from the rules' declarations
(`registry.evaluation_order`), what a rule reads from others comes from its `needs=`, and what a flag says
when nothing decides it from its declared fallback. Same facts, same determination."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..types import (
    FLAG_NAMES,
    Advice,
    Assumption,
    Condition,
    DecisionRecord,
    Determination,
    Emergency,
    Flag,
    Gateway,
    Judgement,
    LegalRef,
    Question,
    Quote,
    Suggestion,
    TraceStep,
    Uncertainty,
)
from . import confidence, consent, dpa_sch1, gateways, plain, questions, transparency, ukgdpr
from .assumptions import QUIET, applicable, with_values
from .facts import Derived, Facts
from .failsafe import Prober, Sensitivity, Watched, relevant, sensitivity
from .registry import FALLBACKS, JUDGEMENTS, RULES, UNCERTAINTIES, Got, Hit, Miss, Outcome, Rule, evaluation_order

MODULES = (gateways, transparency, consent, confidence, dpa_sch1, ukgdpr)  # importing them registers the rules
LAW_VERSION = ("Texts as captured in 2026: DPA 2018 revised to 2026-04-07; DUAA 2025 s.70 in force 2026-02-05; "
               "CWSA 2026 enacted 2026-04-29")
DISCLAIMER = ("This check states which routes the facts entered make available. It does not decide necessity, "
              "proportionality, substantial public interest or reasonable cause: those are your professional "
              "judgement, to be made with your DSL, Caldicott guardian or DPO and recorded.")
# §11: what is evaluated, in this order. "all": every rule of the output is evaluated and each hit counts;
# "first": the first rule that gives a status decides the flag.
PHASES = (("gateways", "all"), ("emergency", "all"), ("consent", "first"), ("public_interest", "first"),
          ("schedule_1", "first"), ("article_6", "all"), ("article_9", "all"), ("article_10", "all"),
          ("transparency", "all"))
Hits = list[tuple[str, Hit]]


def phase_orders(rules: Mapping[str, Rule] = RULES) -> dict[str, list[Rule]]:
    """Each output's rules in evaluation order, derived from their declarations."""
    return {name: evaluation_order([r for r in rules.values() if r.flag == name]) for name, _ in PHASES}


ORDERS = phase_orders()


@dataclass(frozen=True)
class Decision:
    """What decided a flag (or, for the other outputs, every hit), before it becomes a typed `Flag`."""

    status: str
    reason: str
    hits: tuple[tuple[str, Hit], ...]
    condition: str = ""


@dataclass
class Evaluation:
    """One run over one set of facts: every rule's outcome, the flags decided so far, and the trace."""

    facts: Facts
    derived: Derived
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    overridden_by: dict[str, str] = field(default_factory=dict)
    trace: list[TraceStep] = field(default_factory=list)
    tracing: bool = True  # off for the probes that only need the statuses

    def got(self, rule_id: str, needs: Sequence[str]) -> Got:
        return Got.of(rule_id, needs, self.outcomes, self.statuses)

    def evaluate(self, r: Rule) -> Hit | None:
        """Run one rule once (an overridden rule is not applied) and trace it; its hit, or None."""
        if r.id in self.outcomes:
            done = self.outcomes[r.id]
            return done if isinstance(done, Hit) else None
        by = self.overridden_by.get(r.id)
        out: Outcome
        if by:
            out = Miss(f"overridden by {by}")
        else:
            out = r.fn(self.facts, self.derived, self.got(r.id, r.needs)) if r.needs else r.fn(self.facts, self.derived)
        self.outcomes[r.id] = out
        if self.tracing:
            fired = isinstance(out, Hit)
            self.trace.append(TraceStep(r.id, r.label, r.flag, fired, out.reason if isinstance(out, Hit) else out.why,
                                        out.status if isinstance(out, Hit) else None))
        if isinstance(out, Hit):
            for target in r.overrides:
                self.overridden_by.setdefault(target, r.id)
            return out
        return None

    def collect(self, order: Sequence[Rule]) -> Hits:
        """Evaluate every rule; the hits, in order."""
        return [(r.id, h) for r in order for h in [self.evaluate(r)] if h is not None]

    def decide(self, flag: str, order: Sequence[Rule], rules: Mapping[str, Rule] = RULES) -> Decision:
        """The first rule that gives a status decides; the informing hits before it are its grounds (an element
        found not met is no ground for `applies`); rules that `joins=` the decider are part of the decision."""
        infos: Hits = []
        for r in order:
            hit = self.evaluate(r)
            if hit is None:
                continue
            if hit.status is None:
                infos.append((r.id, hit))
                continue
            decisive = [(r.id, hit)]
            for j in (j for j in rules.values() if r.id in j.joins):
                joined = self.evaluate(j)
                if joined is not None and joined.status in (None, hit.status):
                    decisive.append((j.id, joined))
            grounds = [(rid, h) for rid, h in infos if not (hit.status == "applies" and h.element == "not_met")]
            self.statuses[flag] = hit.status
            return Decision(hit.status, " ".join(h.reason for _, h in decisive if h.status),
                            tuple(grounds + decisive), "; ".join(h.condition for _, h in decisive if h.condition))
        fb = FALLBACKS[flag]
        self.statuses[flag] = "undetermined"
        return Decision("undetermined", fb.reason(self.got(f"fallback of {flag}", fb.needs)), tuple(infos))


def _run(facts: Facts, upto: str | None = None,
         only: frozenset[str] | None = None) -> tuple[Evaluation, dict[str, Decision], dict[str, Hits]]:
    """Evaluate the phases in §11's order: all of them, or (untraced) up to and including `upto`; `only` keeps just
    the rules named (what one flag's decision needs)."""
    run = Evaluation(facts, Derived.of(facts), tracing=upto is None)
    decisions: dict[str, Decision] = {}
    hits: dict[str, Hits] = {}
    for name, mode in PHASES:
        order = ORDERS[name] if only is None else [r for r in ORDERS[name] if r.id in only]
        if order or only is None:
            if mode == "first":
                decisions[name] = run.decide(name, order)
                hits[name] = list(decisions[name].hits)
            else:
                hits[name] = run.collect(order)
        if name == upto:
            break
    return run, decisions, hits


def rules_needed(rules: Mapping[str, Rule] = RULES) -> dict[str, frozenset[str]]:
    """For each flag, the rules that must run for it to be decided: its own, and those its rules read (declared
    with `needs=`: a rule id, or a flag's name for all of that flag's rules), with what they need in turn."""
    by_flag: dict[str, set[str]] = {}
    for r in rules.values():
        by_flag.setdefault(r.flag, set()).add(r.id)
    out = {}
    for flag in FLAG_NAMES:
        seen: set[str] = set()
        todo = sorted(by_flag.get(flag, ()))
        while todo:
            rid = todo.pop()
            if rid in seen:
                continue
            seen.add(rid)
            for n in rules[rid].needs + rules[rid].joins:
                todo += sorted(by_flag.get(n, ())) if n in FLAG_NAMES else [n]
            # a rule joining it, or an exception setting it aside, changes its outcome: it must run too
            todo += [j.id for j in rules.values() if rid in j.joins or rid in j.overrides]
        out[flag] = frozenset(seen)
    return out


NEEDS = rules_needed()


def _read_run(facts: Facts, upto: str | None = None,
              only: frozenset[str] | None = None) -> tuple[Evaluation, dict[str, Decision], dict[str, Hits], set[str]]:
    """`_run` on the facts the law asks about here, and every fact read on the way (those read to decide what is
    relevant included)."""
    outer = Watched(facts)
    watched = Watched(relevant(outer))
    run, decisions, hits = _run(watched, upto=upto, only=only)
    return run, decisions, hits, watched.seen | outer.seen  # type: ignore[attr-defined]


def _runner(facts: Facts, upto: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The statuses of the flags decided up to `upto` ("" for those not yet), and the facts read on the way."""
    _, decisions, _, read = _read_run(facts, upto=upto, only=NEEDS.get(upto))
    return tuple(decisions[n].status if n in decisions else "" for n in FLAG_NAMES), frozenset(read)


PROBER = Prober(_runner)


def determine(facts: Facts, quotes: Mapping[str, Sequence[Quote]] | None = None,
              assume: bool = True) -> Determination:
    """Run the rules on the facts. `quotes` maps a rule id to its already-verified corpus quotes.

    Facts not stated are filled by visible assumptions (`assume=False` turns them off). A flag is definite
    only if no unknown fact could change it: otherwise it is `undetermined` and names what would decide it.
    A definite flag that an assumption could change says it rests on that assumption."""
    quotes = quotes or {}
    assumptions: tuple[Assumption, ...] = applicable(facts) if assume else ()
    working = with_values(facts, {a.fact: a.value for a in assumptions}) if assumptions else facts
    run, decisions, hits, read = _read_run(working)
    definite = [n for n in FLAG_NAMES if decisions[n].status != "undetermined"]
    sens = sensitivity(PROBER, working, read, {a.fact for a in assumptions} - QUIET, definite, set(facts.sources))
    decisions = {n: _settled(n, d, sens) if n in FLAG_NAMES else d for n, d in decisions.items()}
    for r in RULES.values():  # a rule's hit that also counts for another output (R-A9-c: Article 9)
        for name in r.also:
            out = run.outcomes.get(r.id)
            if isinstance(out, Hit):
                hits[name].append((r.id, out))

    every_hit = [h for name_hits in _ordered_hits(hits).values() for _, h in name_hits]
    flags = {name: _flag(name, decisions[name], quotes, sens, working) for name in FLAG_NAMES}
    a6 = tuple(Suggestion(rid, h.code, h.text) for rid, h in hits["article_6"] if h.code)
    a9 = Condition("; ".join(h.text for _, h in hits["article_9"] if h.text) or
                   ("none available on the facts entered" if run.derived.special else "not known"),
                   tuple(rid for rid, _ in hits["article_9"]))
    a10 = Condition(hits["article_10"][0][1].text, ("R-A10",)) if hits["article_10"] else \
        Condition("not needed" if run.derived.criminal is False else "not known")
    gws = tuple(Gateway(gateways.KEYS[rid], h.status or "", h.reason, rid, RULES[rid].refs)
                for rid, h in hits["gateways"])
    advice = tuple(Advice(rid, h.reason) for rid, h in hits["transparency"])
    emergency = next((Emergency(rid, h.reason) for rid, h in hits["emergency"]), None)

    general = ["J3"] if working.get("personal_data") is not False else []
    if working.get("child_harm_level") in ("reasonable_cause_significant_harm", "unsure_if_reasonable_cause"):
        general.append("J1")
    judgements = _judgements([*every_hit, Hit(judgement=tuple(general))])
    if working.get("protected_person_age") == "disputed":
        judgements += (Judgement("J11", JUDGEMENTS["J11"]),)
    return Determination(
        consent=flags["consent"], public_interest=flags["public_interest"], schedule_1=flags["schedule_1"],
        article_6=a6, article_9=a9, article_10=a10, gateways=gws, transparency=advice, emergency=emergency,
        judgements=judgements, ask=tuple(dict.fromkeys(a for h in every_hit for a in h.ask)),
        uncertainty=_uncertainties(every_hit), scope=_scope(working),
        record=_record(working, run.derived, flags, a6, a9, a10, advice),
        rules_fired=tuple(dict.fromkeys(t.rule for t in run.trace if t.fired)), facts=facts,
        trace=tuple(run.trace), law_version=LAW_VERSION, disclaimer=DISCLAIMER,
        assumptions=assumptions, questions=_questions(working, sens, facts))


MAX_QUESTIONS = 5


def _settled(flag: str, decision: Decision, sens: Sensitivity) -> Decision:
    """A definite status that an unknown fact could still change is not definite: it becomes undetermined
    and names what would decide it (never a wording that bars sharing on facts not settled)."""
    if decision.status == "undetermined" or flag not in sens.unproved:
        return decision
    deciding = _deciding(flag, sens) or [questions.topic(f) for f in sorted(sens.unproved[flag], key=questions.rank)]
    return Decision("undetermined", "Not settled: it depends on " + plain._join(deciding) + ".",
                    tuple((rid, h) for rid, h in decision.hits if h.status is None), "")


def _deciding(flag: str, sens: Sensitivity) -> list[str]:
    """What would settle the flag, in words: the unknown facts some value of which changes it, most decisive
    first."""
    return [questions.topic(f) for f in sorted(sens.changes, key=questions.rank)
            if flag in sens.changes[f] and f in sens.unknown]


def _questions(working: Facts, sens: Sensitivity, given: Facts) -> tuple[Question, ...]:
    """Only what could change a flag, most decisive first (unknown facts, more flags first; then the values assumed
    or read from the words, by decisiveness), at most MAX_QUESTIONS. A flag withdrawn as unproved always has its
    open facts among them."""
    changes = {f: set(flags) for f, flags in sens.changes.items()}
    if given.get("emergency") is True and "emergency" in given.sources:
        changes.pop("emergency", None)  # danger first: no answer switches off an emergency the words describe
    for flag, facts_open in sens.unproved.items():
        if not any(flag in flags and f in sens.unknown for f, flags in changes.items()):
            for f in facts_open:
                changes.setdefault(f, set()).add(flag)
    # Unknown facts first, those that could change more flags first. Then the values in force that the practitioner
    # has not given (assumed, or read from their words), to confirm what a flag rests on: the most decisive first,
    # whatever their source. Not by how many flags each could change: the threshold facts (emergency, harm to an
    # adult, a s.47 request) each reach two flags on every case below the threshold and are seldom wrong, so
    # ranked by that they fill the five places and a misreading of what decides a flag (the kinds of information,
    # the recipient, whose information it is) is never shown.
    order = sorted(changes, key=lambda f: (0, -len(changes[f]), questions.rank(f)) if f in sens.unknown
                   else (1, 0, questions.rank(f)))
    # Danger first: when danger is suspected and not settled, "is anyone in immediate danger?" is asked first,
    # whether or not it could change a flag.
    if given.get("danger_suspected") is True and not working.known("emergency"):
        order = ["emergency", *[f for f in order if f != "emergency"]]
        changes.setdefault("emergency", set())
    out = []
    for fact in order[:MAX_QUESTIONS]:
        text, options = questions.question_for(fact)
        source = "assumed" if fact in sens.assumed else given.sources.get(fact, "")
        out.append(Question(fact, text, options, working.get(fact), source,
                            tuple(n for n in FLAG_NAMES if n in changes[fact])))
    return tuple(out)


def _ordered_hits(hits: dict[str, Hits]) -> dict[str, Hits]:
    """The hits whose asks, judgements and uncertainties the whole determination lists: the three flags
    first, then the suggestions and advice, the gateways and the emergency."""
    order = ("consent", "public_interest", "schedule_1", "article_6", "article_9", "article_10", "transparency",
             "gateways", "emergency")
    return {name: hits[name] for name in order}


def _flag(name: str, decision: Decision, quotes: Mapping[str, Sequence[Quote]], sens: Sensitivity,
          working: Facts) -> Flag:
    ids = tuple(dict.fromkeys(rid for rid, _ in decision.hits))
    hits = [h for _, h in decision.hits]
    refs: tuple[LegalRef, ...] = tuple(dict.fromkeys(ref for rid in ids for ref in RULES[rid].refs))
    decided_by = next((rid for rid, h in reversed(decision.hits) if h.status), None)
    rests_on = tuple(f for f, flags in sens.changes.items() if name in flags and f in sens.assumed) \
        if decision.status != "undetermined" else ()
    words = plain.sentence(name, decision.status, decided_by, _deciding(name, sens),
                           [questions.assumed_words(f, working.get(f)) for f in rests_on])
    return Flag(name=name, status=decision.status, reason=decision.reason, rule_ids=ids, references=refs,
                quotes=tuple(q for rid in ids for q in quotes.get(rid, ())), judgements=_judgements(hits),
                ask=tuple(dict.fromkeys(a for h in hits for a in h.ask)), uncertainty=_uncertainties(hits),
                condition=decision.condition, plain=words, rests_on=rests_on)


def _judgements(hits: Iterable[Hit]) -> tuple[Judgement, ...]:
    ids = sorted({j for h in hits for j in h.judgement}, key=lambda j: int(j[1:]))
    return tuple(Judgement(j, JUDGEMENTS[j]) for j in ids)


def _uncertainties(hits: Iterable[Hit]) -> tuple[Uncertainty, ...]:
    ids = sorted({u for h in hits for u in h.uncertainty}, key=lambda u: int(u.split("-")[1]))
    return tuple(Uncertainty(u, *UNCERTAINTIES[u]) for u in ids)


def _scope(f: Facts) -> str:
    j = f.get("jurisdiction")
    if j and j != "England":
        return (f"You are in {j}: UK GDPR and the DPA 2018 apply, but this guidance is for England; your nation's "
                "safeguarding procedures may differ (e.g. Wales Safeguarding Procedures; in Scotland a child of 12 or "
                "over is presumed able to consent, DPA 2018 s.208).")
    return "England" if j == "England" else "England assumed: say if you work elsewhere in the UK."


def _words(value: object) -> str:
    return str(value).replace("_", " ") if value not in (None, False) else ""


def _record(f: Facts, derived: Derived, flags: Mapping[str, Flag], a6: Sequence[Suggestion], a9: Condition,
            a10: Condition, advice: Sequence[Advice]) -> DecisionRecord:
    """Golden rule 7: the record of the decision, prefilled from the facts and the flags as plain text. The
    decision, the reasons, who was consulted and the date are the practitioner's."""
    consent_, s1 = flags["consent"], flags["schedule_1"]
    reason_18_2 = derived.p18_reason
    routes = [s1.condition] if s1.condition else []
    routes += [c.text for c in (a9, a10) if c.text not in ("not needed", "not known")]
    return DecisionRecord(
        what=", ".join(_words(c) for c in sorted(f.get("data_categories") or ())),
        with_whom=_words(f.get("recipient")),
        purpose=_words(f.get("purpose")),
        article_6="; ".join(s.text for s in a6),
        condition=" | ".join(routes),
        consent="; ".join(p for p in (f"consent: {_words(f.get('consent_status')) or 'not known'}",
                                      f"consent flag: {_words(consent_.status)}",
                                      f"para 18(2) reason {reason_18_2}" if reason_18_2 else "") if p),
        public_interest=flags["public_interest"].reason,
        statutory_gateway=f.get("request_basis") or "",
        family_informed=next((a.advice for a in advice), ""),
    )
