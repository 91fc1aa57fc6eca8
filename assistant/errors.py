"""The errors Sharewise raises. Each message says what was wrong and what to do."""


class SharewiseError(Exception):
    """Base class: the CLI and UI show the message to the user, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message.split(": run `")[0]  # the cause alone, without the advice


class InputError(SharewiseError):
    """The user's question cannot be used as typed (empty, too long, not text)."""

    exit_code = 2


class CorpusError(SharewiseError):
    """A corpus file or the sources registry is missing or malformed."""

    exit_code = 3


class ModelError(SharewiseError):
    """The local embedding model is missing or cannot be loaded."""

    exit_code = 4


class IndexMissing(SharewiseError):
    """No index has been built yet."""

    exit_code = 5


class IndexStale(SharewiseError):
    """The index was built from another corpus, model or chunker settings."""

    exit_code = 5


class IndexCorrupt(SharewiseError):
    """The index files are damaged: checksum, truncation or dimension mismatch."""

    exit_code = 6


class DocumentRefused(SharewiseError):
    """A file offered to `sharewise ingest` cannot be used (encrypted, scanned, damaged, too big, unknown kind):
    nothing was changed."""

    exit_code = 2
