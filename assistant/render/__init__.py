"""Everything the practitioner reads, in one place: the chat answer, the rules panel, the source view, the
terminal output and the record of decision, each made from the typed results (`Turn`, `Determination`,
`DecisionRecord`, `Quote`). Wording in wording.py, Markdown in markdown.py, HTML in html.py and record.py,
terminal text in text.py; the fixed texts themselves are in prompts/.
"""

from .html import determination_html, source_html
from .markdown import answer_markdown, md_escape, page_html
from .record import record_html, record_json, record_markdown, record_prefill, record_text, to_json_text
from .text import answer_text, determination_text
from .wording import (
    FLAG_TITLES,
    RECORD_LABELS,
    STATUS_COLOURS,
    STATUS_WORDS,
    assumption_line,
    current_mark,
    flag_line,
    flag_plain,
)

__all__ = ["FLAG_TITLES", "RECORD_LABELS", "STATUS_COLOURS", "STATUS_WORDS", "answer_markdown", "answer_text",
           "assumption_line", "current_mark", "flag_plain",
           "determination_html", "determination_text", "flag_line", "md_escape", "page_html", "record_html",
           "record_json", "record_markdown", "record_prefill", "record_text", "source_html", "to_json_text"]
