"""The fixed texts that frame what the assistant says, loaded by name from prompts/ and filled with Jinja2.

prompts/ holds the wording (Markdown text templates); assistant/render decides where each text goes. A template
that is missing, or a variable it uses that was not given, is a `PromptError`: a text never renders with a blank
where a value should be (`StrictUndefined`). The values are inserted as given: whoever passes text that is not
ours (a quote, a question) escapes it for the output format first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2

from .errors import SharewiseError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(SharewiseError):
    """A template is missing or malformed, or a variable it needs was not given."""


@lru_cache(maxsize=8)
def _environment(prompts_dir: Path) -> jinja2.Environment:
    # Markdown and plain text, not HTML: no autoescape here (assistant/render escapes for each format).
    return jinja2.Environment(loader=jinja2.FileSystemLoader(prompts_dir), undefined=jinja2.StrictUndefined,
                              autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def render(name: str, prompts_dir: Path = PROMPTS_DIR, **values: object) -> str:
    """Fill prompts/<name>.md. A missing variable is an error, never a blank."""
    path = prompts_dir / f"{name}.md"
    try:
        template = _environment(prompts_dir).get_template(f"{name}.md")
    except jinja2.TemplateNotFound:
        raise PromptError(f"the template {path} is missing; restore it from git") from None
    except jinja2.TemplateSyntaxError as e:
        raise PromptError(f"the template {path} is malformed at line {e.lineno}: {e.message}") from None
    try:
        return template.render(**values).strip()
    except jinja2.UndefinedError as e:
        found = re.search(r"'([^']+)' is undefined", str(e))
        what = found.group(1) if found else str(e)
        raise PromptError(f"the template {name} needs the value {what!r}, which was not given") from None
