"""Checking a question before any work is done on it."""

from __future__ import annotations

import unicodedata

from .errors import InputError

_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def clean_question(text: object, max_chars: int) -> str:
    """The question as text, or an InputError whose message tells the user what to do."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("The question is not valid UTF-8 text. Retype it, or paste it as plain text.") from None
    if not isinstance(text, str):
        raise InputError("The question must be text.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: what Python makes of non-UTF-8 bytes on the command line.
        raise InputError("The question is not valid UTF-8 text. Retype it, or paste it as plain text.") from None
    # Control characters and bidirectional overrides (which can make text display reversed) are removed.
    text = "".join(ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI))
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise InputError("The question is empty. Type a question about sharing information, for example: "
                         "\"Do I need consent to share a concern with children's social care?\"")
    if len(text) > max_chars:
        raise InputError(f"The question is {len(text):,} characters long; the limit is {max_chars:,}. "
                         "Shorten it to the situation and what you need to decide. No names are needed.")
    return text
