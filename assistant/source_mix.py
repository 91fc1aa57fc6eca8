"""Local and national side by side: when the passages shown all come from the partnership's own documents (or all
from the bundled national texts, while local ones are loaded), the other side's best passage takes the last place if
it ranks close behind, or if it is relevant in its own right (its best sentence as close to the question as an answer
must be), so a practitioner sees the local procedure and the law or national advice it rests on."""

from __future__ import annotations

from collections.abc import Callable, Mapping

# "Close behind": its fused score at least this share of the last shown passage's. Set on the dev half of
# evals/local (5 "both" questions: a small sample); the held-out half was not used to set it.
CLOSE = 0.90


def mix_sources(order: list[int], fused: Mapping[int, float], is_local: list[bool], top_k: int,
                relevant: Callable[[int], bool] = lambda row: False) -> list[int]:
    """`order` cut to top_k, with one place given to the other side when it is close behind or relevant (see
    module)."""
    shown = order[:top_k]
    if len(shown) < 2 or len(order) <= top_k:
        return shown
    sides = {is_local[r] for r in shown}
    if len(sides) == 2:
        return shown
    other = next((r for r in order[top_k:] if is_local[r] not in sides), None)
    if other is None or (fused.get(other, 0.0) < CLOSE * fused.get(shown[-1], 0.0) and not relevant(other)):
        return shown
    return shown[:-1] + [other]
