"""How well names are found: `python -m assistant.name_metrics FILE.yaml [--show]`.

FILE.yaml is a list of items with `text`, `names` (each personal name as typed), `identifiers` (other identifying
values as typed) and `terms` (legal and agency terms that are not names). Printed:

* name recall: share of gold name spans overlapped by a predicted name span;
* name precision: share of predicted name spans overlapping a gold name span;
* terms tagged: share of `terms` spans overlapped by a predicted name (false positives on legal and agency terms),
  and the share of items without a name that got any predicted name;
* identifiers kept: share of gold identifiers fully covered by the non-name findings of `pii.find_identifiers`
  (what `redact` replaces), so a name finding never takes an identifier's place;
* the cost of finding names per item.

With --show, every miss is listed. Gold spans are located in the text as typed (exact, whole words; if a span is not
found so, case-insensitively).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .pii import NAME, find_identifiers


def locate(text: str, surface: str) -> list[tuple[int, int]]:
    """Every whole-word occurrence of `surface` in `text` (exact case first, then any case)."""
    if not surface:
        return []
    pattern = r"(?<!\w)" + re.escape(surface) + r"(?!\w)"
    found = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not found:
        found = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return found


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


def _covered(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Every non-space character of `a` inside one of `spans`."""
    return all(any(s <= i < e for s, e in spans) for i in range(*a))


@dataclass
class Scores:
    items: int = 0
    names: int = 0
    names_found: int = 0
    predicted: int = 0
    predicted_right: int = 0
    terms: int = 0
    terms_tagged: int = 0
    nameless_items: int = 0
    nameless_tagged: int = 0
    identifiers: int = 0
    identifiers_kept: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _share(a: int, b: int, empty: float) -> float:
        return a / b if b else empty

    @property
    def recall(self) -> float:
        return self._share(self.names_found, self.names, 1.0)

    @property
    def precision(self) -> float:
        return self._share(self.predicted_right, self.predicted, 1.0)

    @property
    def terms_fp(self) -> float:
        return self._share(self.terms_tagged, self.terms, 0.0)

    @property
    def nameless_fp(self) -> float:
        return self._share(self.nameless_tagged, self.nameless_items, 0.0)

    @property
    def identifiers_recall(self) -> float:
        return self._share(self.identifiers_kept, self.identifiers, 1.0)

    def report(self) -> str:
        ms = 1000 * self.seconds / max(self.items, 1)
        return "\n".join([
            f"items                 {self.items}",
            f"name recall           {self.recall:.3f}  ({self.names_found}/{self.names} gold names overlapped)",
            f"name precision        {self.precision:.3f}  ({self.predicted_right}/{self.predicted} predicted names)",
            f"terms tagged as names {self.terms_fp:.3f}  ({self.terms_tagged}/{self.terms} legal/agency terms)",
            f"no-name items tagged  {self.nameless_fp:.3f}  ({self.nameless_tagged}/{self.nameless_items} items)",
            f"identifiers kept      {self.identifiers_recall:.3f}  ({self.identifiers_kept}/{self.identifiers})",
            f"cost                  {ms:.1f} ms an item (identifiers and names)",
        ])


def score(items: list[dict]) -> Scores:
    out = Scores()
    for item in items:
        text = str(item.get("text") or "")
        label = str(item.get("id") or out.items)
        out.items += 1
        t0 = time.perf_counter()
        found = find_identifiers(text)
        out.seconds += time.perf_counter() - t0
        predicted = [(f.start, f.end) for f in found if f.kind == NAME]
        others = [(f.start, f.end) for f in found if f.kind != NAME]
        gold_names = [span for n in dict.fromkeys(item.get("names") or []) for span in locate(text, str(n))]
        for n in item.get("names") or []:
            if not locate(text, str(n)):
                out.misses.append(f"{label}: gold name {n!r} is not in the text")
        for span in gold_names:
            out.names += 1
            if _overlaps(span, predicted):
                out.names_found += 1
            else:
                out.misses.append(f"{label}: name missed   {text[span[0]:span[1]]!r}  in: {text}")
        for span in predicted:
            out.predicted += 1
            if _overlaps(span, gold_names):
                out.predicted_right += 1
            else:
                out.misses.append(f"{label}: not a name    {text[span[0]:span[1]]!r}  in: {text}")
        for term in dict.fromkeys(item.get("terms") or []):
            for span in locate(text, str(term)):
                out.terms += 1
                if _overlaps(span, predicted):
                    out.terms_tagged += 1
                    out.misses.append(f"{label}: term tagged   {term!r}  in: {text}")
        if not gold_names:
            out.nameless_items += 1
            out.nameless_tagged += bool(predicted)
        for ident in dict.fromkeys(item.get("identifiers") or []):
            for span in locate(text, str(ident)):
                out.identifiers += 1
                if _covered(span, others):
                    out.identifiers_kept += 1
                else:
                    out.misses.append(f"{label}: identifier not redacted {ident!r}  in: {text}")
    return out


def load(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("items", data) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise SystemExit(f"{path}: expected a list of items")
    return [i for i in items if isinstance(i, dict)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.name_metrics", description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="YAML items with text, names, identifiers, terms")
    parser.add_argument("--show", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    from .names import name_finder

    t0 = time.perf_counter()
    name_finder()
    loaded = time.perf_counter() - t0
    scores = score(load(args.file))
    print(scores.report())
    print(f"finder built in       {loaded:.2f} s")
    if args.show:
        print("\n".join(scores.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
