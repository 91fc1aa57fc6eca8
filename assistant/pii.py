"""Identifiers a practitioner may type by mistake: found, warned about, and redacted on request.

Synthetic test values only in tests (NHS 943 476 5919, NINO JG103759A, postcode LS6 2AB)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = {
    # UK numbers: 0 or +44 (with an optional "(0)"), then 9 or 10 digits with single spaces or hyphens.
    "phone number": re.compile(r"(?<![\d+])(?:\+44[ -]?(?:\(0\)[ -]?)?|0)(?:\d[ -]?){8,9}\d(?!\d)"),
    "NHS number": re.compile(r"\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b"),
    "National Insurance number": re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
                                            r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE),
    "postcode": re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE),
    "date of birth": re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-](19|20)\d{2}|\d{1,2}(st|nd|rd|th)? "
                                r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (19|20)\d{2})\b",
                                re.IGNORECASE),
    "email address": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
}
# A capitalised word followed by a bracketed age ("Jayden (8)") or introduced as a name.
_NAME = re.compile(r"\b(?:called|named|name is|pupil|patient|client)\s+([A-Z][a-z]{2,})\b"
                   r"|\b([A-Z][a-z]{2,})\s\(\d{1,2}\)")
_NOT_NAMES = {"The", "Mum", "Dad", "She", "His", "Her", "They", "When", "What", "Year", "Yr", "GP", "Police"}


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


def find_identifiers(text: str) -> list[Finding]:
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
    for m in _NAME.finditer(text):
        name = m.group(1) or m.group(2)
        start = m.start(1) if m.group(1) else m.start(2)
        if name not in _NOT_NAMES and not any(f.start <= start < f.end for f in found):
            found.append(Finding("name", start, start + len(name), name))
    return sorted(found, key=lambda f: f.start)


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """Replace each identifier with its kind in brackets: '[NHS number]', '[name]'."""
    out, last = [], 0
    for f in findings if findings is not None else find_identifiers(text):
        out.append(text[last:f.start])
        out.append(f"[{f.kind}]")
        last = f.end
    out.append(text[last:])
    return "".join(out)
