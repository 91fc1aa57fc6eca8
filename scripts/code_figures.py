"""Code-shape figures for the redesign's closing note: module sizes, longest functions, long lines,
and string-key lookups on results that cross module borders. Run: python scripts/code_figures.py [ROOT]"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# Keys of the answer/rules JSON that used to be passed between modules as dicts.
RESULT_KEYS = {"rules", "facts", "quotes", "passages", "question", "grounded", "status", "reason", "rule_ids",
               "references", "judgement_required", "ask", "uncertainty", "emergency", "banner", "record",
               "article_6", "article_9", "article_10", "gateways", "transparency", "trace", "rules_fired", "scope",
               "disclaimer", "consent", "public_interest", "schedule_1", "doc_id", "doc_title", "section", "start",
               "end", "text", "url", "condition", "flags", "from", "value", "advice", "timings_ms"}


def main(root: Path) -> None:
    files = sorted((root / "assistant").rglob("*.py"))
    sizes, funcs, long_lines, lookups = [], [], 0, 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root)
        lines = text.splitlines()
        sizes.append((len(lines), str(rel)))
        long_lines += sum(len(line) > 120 for line in lines)
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                funcs.append((node.end_lineno - node.lineno + 1, f"{rel}:{node.name}"))
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                    and node.slice.value in RESULT_KEYS:
                lookups += 1
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in RESULT_KEYS:
                lookups += 1
    print("largest modules:", ", ".join(f"{p} {n}" for n, p in sorted(sizes, reverse=True)[:5]))
    print("longest functions:", ", ".join(f"{p} {n}" for n, p in sorted(funcs, reverse=True)[:5]))
    print("lines over 120 characters:", long_lines)
    print("string-key lookups of result keys in assistant/:", lookups)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
