"""Identifiers a practitioner may type by mistake: found, warned about, and redacted in everything stored.

Two kinds. Strong identifiers (NHS and NI numbers, postcodes, phone numbers, dates of birth, emails, other ID
numbers) are found by pattern, fast, on any length of text. People's names are found by `names.NameFinder`
(spaCy's recogniser, a given-name gazetteer and context, with the corpus's own terms allowed), kind "name".
`redact()` replaces both in whatever is stored; the retrieval query is never changed for a name.

Synthetic test values only in tests (NHS 943 476 5919, NINO JG103759A, postcode LS6 2AB)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = {
    # UK numbers: 0 or +44 (with an optional "(0)"), then 9 or 10 digits with single spaces or hyphens.
    "phone number": re.compile(r"(?<![\d+])(?:\+44[ -]?(?:\(0\)[ -]?)?|0)(?:\d[ -]?){8,9}\d(?!\d)"),
    # Ten digits with at most one space, dot, hyphen or slash between any two (943 476 5919, 943.476.5919,
    # 943 4765 919): the check digit decides NHS number or other ID number.
    "NHS number": re.compile(r"(?<![\d.])\d(?:[ .\-/]?\d){9}(?![\d])"),
    "National Insurance number": re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
                                            r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE),
    "postcode": re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE),
    "date of birth": re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-](19|20)\d{2}|\d{1,2}(st|nd|rd|th)? "
                                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (19|20)\d{2})\b",
                                re.IGNORECASE),
    "email address": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
}
NAME = "name"


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


def _nhs_valid(digits: str) -> bool:
    """Modulus 11 check digit of an NHS number."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# No-break, zero-width and other Unicode spaces read as spaces; other invisible characters (which hide an identifier
# from a pattern and from the eye) are dropped. Offsets of findings refer to `plain(text)`, and redact uses it.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000]")  # zero-width space: a space
_INVISIBLE = re.compile(r"[\u200c\u200d\ufeff\u00ad]")


def plain(text: str) -> str:
    """The text with Unicode spaces as plain spaces and invisible characters removed (what is stored)."""
    return _INVISIBLE.sub("", _SPACES.sub(" ", text))


def find_strong_identifiers(text: str) -> list[Finding]:
    """Everything but names: linear-time patterns, safe on text of any length (offsets into `plain(text)`)."""
    text = plain(text)
    found: list[Finding] = []
    for kind, pattern in _PATTERNS.items():
        for m in pattern.finditer(text):
            if kind == "NHS number" and not _nhs_valid(re.sub(r"\D", "", m.group(0))):
                kind_here = "ID number"  # ten digits that fail the check digit: still redacted, as an ID
            else:
                kind_here = kind
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(Finding(kind_here, m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda f: f.start)


def find_identifiers(text: str, names: bool = True) -> list[Finding]:
    """Strong identifiers first, then (unless `names` is False) people's names not inside one of them."""
    text = plain(text)
    found = find_strong_identifiers(text)
    if names and text:
        from .names import find_names

        for span in find_names(text):
            if not any(f.start < span.end and span.start < f.end for f in found):
                found.append(Finding(NAME, span.start, span.end, span.text))
        found.sort(key=lambda f: f.start)
    return found


def strong(findings: list[Finding]) -> list[Finding]:
    """The findings that are not names: those a question is held back for."""
    return [f for f in findings if f.kind != NAME]


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """Replace each identifier with its kind in brackets: '[NHS number]', '[name]' (in `plain(text)`, the text
    findings' offsets refer to)."""
    text = plain(text)
    out, last = [], 0
    for f in findings if findings is not None else find_identifiers(text):
        out.append(text[last:f.start])
        out.append(f"[{f.kind}]")
        last = f.end
    out.append(text[last:])
    return "".join(out)
