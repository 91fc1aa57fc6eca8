"""The fixed texts that frame what the assistant says, loaded by name from prompts/."""

from __future__ import annotations

from pathlib import Path
from string import Template

from .errors import SharewiseError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(SharewiseError):
    """A template is missing, or a variable it needs was not given."""


def render(name: str, prompts_dir: Path = PROMPTS_DIR, **values: object) -> str:
    """Fill prompts/<name>.md. A missing variable is an error, never a blank."""
    path = prompts_dir / f"{name}.md"
    try:
        template = Template(path.read_text(encoding="utf-8"))
    except OSError:
        raise PromptError(f"the template {path} is missing; restore it from git") from None
    try:
        return template.substitute({k: str(v) for k, v in values.items()}).strip()
    except KeyError as e:
        raise PromptError(f"the template {name} needs the value {e.args[0]!r}, which was not given") from None
