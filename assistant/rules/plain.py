"""One plain-English sentence per flag, for a teacher with two minutes: what the flag means for them, keyed by
the rule that decided it. Rule ids, paragraph codes and addresses stay in the details and the JSON. A
sentence that bars sharing is used only for a status the facts settle; an unsettled flag says what would
decide it."""

from __future__ import annotations

from collections.abc import Sequence

# (flag, deciding rule id) -> sentence; (flag, status) -> the sentence when no rule-specific one is written.
BY_RULE: dict[tuple[str, str], str] = {
    ("consent", "R-C0"): "Consent is not needed: the information does not identify anyone.",
    ("consent", "R-C4"): "You cannot rely on this consent: it came from the person suspected of causing the harm.",
    ("consent", "R-C1"): "Valid consent has been given for this sharing.",
    ("consent", "R-C6"): "Consent was refused, so it is not your basis for sharing, but a refusal does not by "
                         "itself stop you sharing: see the other two checks.",
    ("consent", "R-C7"): "Consent is not the route here (it cannot be had, or asking would put the child at "
                         "risk): sharing rests on another basis.",
    ("consent", "R-C10"): "You do not need consent: the risk of significant harm means another lawful basis "
                          "applies. Tell the family if it is safe to.",
    ("public_interest", "R-PI0"): "No duty of confidence arises: the information does not identify anyone.",
    ("public_interest", "R-PI1"): "No duty of confidence stands in the way: the information is not confidential.",
    ("public_interest", "R-PI2"): "No breach of confidence: the sharing is within what the person agreed to.",
    ("public_interest", "R-PI3"): "The law (or a court order) sets the duty of confidence aside for this "
                                  "disclosure: share only what it covers.",
    ("public_interest", "R-GW-privreq"): "A private person's request is not a reason to share: without the "
                                         "person's consent or a specific legal basis, do not disclose.",
    ("public_interest", "R-PI4"): "Sharing without consent is justified in the public interest if you judge the "
                                  "risk is as you describe: share only what is needed.",
    ("public_interest", "R-PI5"): "On these facts, respect the refusal: the concern does not reach the level "
                                  "that overrides it. If you judge otherwise, get advice and record why.",
    ("schedule_1", "R-S1-0"): "No extra condition is needed: the information is not health, criminal or other "
                              "special category information.",
    ("schedule_1", "R-S1-18e"): "Valid explicit consent covers the sensitive details; no Schedule 1 safeguarding "
                                "condition is needed.",
    ("schedule_1", "R-A9-c"): "In an emergency where the person cannot consent, the law protecting vital "
                              "interests covers sharing the sensitive details.",
    ("schedule_1", "R-S1-18"): "The safeguarding condition (DPA 2018 Schedule 1 para 18) lets you share the "
                               "sensitive details without consent, if you judge it necessary.",
    ("schedule_1", "R-S1-19"): "The condition for protecting an adult's economic well-being (Schedule 1 para 19) "
                               "covers sharing the health details.",
    ("schedule_1", "R-S1-ALT-blocked"): "On these facts the refusal stands, so no condition covers the sensitive "
                                        "details: share only non-sensitive information, and get advice.",
    ("schedule_1", "R-S1-NONE"): "On these facts no condition covers the sensitive details: share only "
                                 "non-sensitive information, and get advice.",
}
BY_STATUS: dict[str, str] = {
    "applies": "This route is open on the facts given.",
    "does_not_apply": "This route is not open on the facts given.",
    "not_needed": "This is not needed on the facts given.",
    "undetermined": "Not settled yet.",
}
UNSETTLED = {
    "consent": "Whether consent is your route is not settled yet",
    "public_interest": "Whether sharing without consent is justified is not settled yet",
    "schedule_1": "Whether a condition covers the sensitive details is not settled yet",
}


def sentence(flag: str, status: str, decided_by: str | None, deciding: Sequence[str] = (),
             assumed: Sequence[str] = ()) -> str:
    """The flag in one plain sentence. `deciding`: what would settle an unsettled flag, in plain words;
    `assumed`: the assumed facts a settled status rests on."""
    if status == "undetermined":
        text = UNSETTLED[flag] + (": it depends on " + _join(deciding) + "." if deciding else ".")
    else:
        text = BY_RULE.get((flag, decided_by or ""), BY_STATUS[status])
    if assumed and status != "undetermined":
        text += " (This rests on an assumption: " + _join(assumed) + ". Change it if it is not right.)"
    return text


def _join(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
