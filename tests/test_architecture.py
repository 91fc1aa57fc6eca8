"""The walls of the house, checked on the source: which modules may import which libraries, and that only
the orchestrator writes answers to the audit trail. Each checker is also shown to catch a planted breach."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "assistant"

# library -> the modules allowed to import it (paths relative to assistant/; a folder allows all inside)
WALLS = {
    "gradio": ("ui/", "web/server.py"),  # the server mounts the two Gradio apps; nothing else in web/ needs it
    "gradio_client": ("ui/",),
    "faiss": ("index.py",),
    # LlamaIndex: the corpus, chunking and index modules; baseline.py *is* LlamaIndex's default pipeline,
    # run in its own process only to compare against it.
    "llama_index": ("corpus.py", "chunking.py", "index.py", "baseline.py"),
    "torch": ("embedding.py",),
    "spacy": ("names.py",),
    "sentence_transformers": ("embedding.py",),
}


def _imports(source: str, module: str) -> list[str]:
    """Absolute module names imported by `source`, which is assistant/<module>."""
    tree = ast.parse(source)
    package = ["assistant", *module.removesuffix(".py").split("/")[:-1]]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                out += [name] if node.module else [f"{name}.{a.name}" for a in node.names]
            else:
                out.append(node.module or "")
    return out


def _modules() -> dict[str, str]:
    return {str(p.relative_to(PKG)): p.read_text(encoding="utf-8") for p in sorted(PKG.rglob("*.py"))}


def _allowed(module: str, places: tuple[str, ...]) -> bool:
    return any(module == p or (p.endswith("/") and module.startswith(p)) for p in places)


def wall_breaches(modules: dict[str, str]) -> list[str]:
    out = []
    for module, source in modules.items():
        for name in _imports(source, module):
            top = name.split(".")[0]
            if top in WALLS and not _allowed(module, WALLS[top]):
                out.append(f"{module} imports {name}")
            # Nothing imports the CLI or the UI (the CLI and the server may start the UI; the UI is one package).
            if name.startswith("assistant.cli") and module != "cli.py":
                out.append(f"{module} imports the CLI")
            if name.startswith("assistant.ui") and not (module in ("cli.py", "web/server.py")
                                                         or module.startswith("ui/")):
                out.append(f"{module} imports the UI")
    return out


def rules_breaches(modules: dict[str, str]) -> list[str]:
    """rules/ is pure: stdlib, itself, the package's types and errors; no environment, no files."""
    out = []
    for module, source in modules.items():
        if not module.startswith("rules/"):
            continue
        for name in _imports(source, module):
            top = name.split(".")[0]
            inside = name.startswith(("assistant.rules", "assistant.types", "assistant.errors"))
            if top == "assistant" and not inside:
                out.append(f"{module} imports {name}")
            if top != "assistant" and top not in sys.stdlib_module_names and top != "__future__":
                out.append(f"{module} imports the library {name}")
            if top in ("os", "pathlib", "io", "shutil", "tempfile", "sqlite3", "subprocess"):
                out.append(f"{module} imports {name} (rules read no files or environment)")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                out.append(f"{module} opens a file")
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "read_text", "read_bytes"):
                out.append(f"{module} uses .{node.attr}")
    return out


def audit_writers(modules: dict[str, str]) -> list[str]:
    """Modules outside the orchestrator that write answers or re-checks to the audit trail."""
    out = []
    for module, source in modules.items():
        if module in ("pipeline.py", "audit.py"):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr in ("record_turn", "record_answer"):
                out.append(f"{module} calls {node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and node.args[0].value in ("answer", "recheck"):
                out.append(f"{module} appends an {node.args[0].value} record")
    return out


def test_libraries_stay_behind_their_walls():
    assert wall_breaches(_modules()) == []


def test_the_rules_are_pure():
    assert rules_breaches(_modules()) == []


def test_only_the_orchestrator_records_answers():
    assert audit_writers(_modules()) == []


@pytest.mark.parametrize("planted, checker", [
    ({"retrieve.py": "import faiss\n"}, wall_breaches),
    ({"retrieve.py": "from llama_index.core.schema import TextNode\n"}, wall_breaches),
    ({"pipeline.py": "import gradio as gr\n"}, wall_breaches),
    ({"evaluate.py": "from .ui import app\n"}, wall_breaches),
    ({"review.py": "from . import cli\n"}, wall_breaches),
    ({"rules/consent.py": "from ..settings import Settings\n"}, rules_breaches),
    ({"rules/consent.py": "import os\nX = os.environ.get('A')\n"}, rules_breaches),
    ({"rules/consent.py": "import yaml\n"}, rules_breaches),
    ({"rules/engine.py": "def f():\n    return open('x').read()\n"}, rules_breaches),
    ({"ui/chat.py": "def f(sw, t):\n    sw.audit.record_turn('', t, '', '')\n"}, audit_writers),
    ({"ui/chat.py": "def f(sw):\n    sw.audit.append('answer', {})\n"}, audit_writers),
])
def test_each_checker_catches_a_planted_breach(planted, checker):
    assert checker(planted), f"{checker.__name__} missed {planted}"
