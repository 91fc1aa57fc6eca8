"""extract(), the one entry point: documents parsed in the sandboxed worker, and every broken or hostile file
refused with one line that starts with the file's name and says what to do (exit code 2, no traceback)."""

from __future__ import annotations

import socket

import pytest

from assistant.errors import DocumentRefused
from assistant.ingest.parse_pdf import parse_pdf
from assistant.ingest.sandbox import DEFAULT_LIMITS, Limits, extract, run_worker

from . import make_docs as docs

MB = 1024 * 1024


def _refusal(path, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(DocumentRefused) as caught:
        extract(path, limits)
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(path.name + " "), message
    assert str(path.parent) not in message  # the base name only, not the folder
    assert ": " in message  # what is wrong: what to do
    return message


def test_documents_of_every_kind_come_back_whole(tmp_path):
    pdf = docs.two_column_pdf(tmp_path)
    extracted = extract(pdf)
    assert extracted == parse_pdf(pdf, Limits())  # the worker's answer is the parser's, unchanged by the trip
    for make, kind in ((docs.word_docx, "docx"), (docs.html_page, "html"), (docs.markdown_file, "markdown"),
                       (docs.plain_text, "text")):
        assert extract(make(tmp_path)).kind == kind


@pytest.mark.parametrize(("make", "limits", "says"), [
    (docs.scanned_pdf, Limits(), ("no text layer", "does not offer OCR")),
    (docs.encrypted_pdf, Limits(), ("password-protected", "save an unprotected copy")),
    (docs.truncated_pdf, Limits(), ("damaged or incomplete", "download it again")),
    (docs.zip_bomb_docx, Limits(max_unpacked_bytes=10 * MB), ("zip bomb",)),
    (docs.macro_docx, Limits(), ("macros", "save it as a plain .docx (without macros)")),
    (docs.old_doc, Limits(), ("old binary Word", "save it as .docx")),
    (docs.unknown_binary, Limits(), ("PDF, Word .docx, HTML, Markdown (.md) and plain text (.txt)",)),
    (docs.oversized_text, Limits(max_file_bytes=1000), ("more than the 1000 bytes", "split it")),
])
def test_broken_or_hostile_files_are_refused_in_one_line(tmp_path, make, limits, says):
    message = _refusal(make(tmp_path), limits)
    for words in says:
        assert words in message


def test_paths_that_are_not_documents(tmp_path):
    assert "does not exist" in _refusal(tmp_path / "missing.pdf")
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert "is a folder" in _refusal(folder)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert "is empty" in _refusal(empty)
    fake = tmp_path / "page.pdf"
    fake.write_text("just some words", encoding="utf-8")
    assert "named like a PDF" in _refusal(fake)


def test_a_password_protected_word_file(tmp_path):
    locked = docs.old_doc(tmp_path, "locked.docx")  # Word encrypts a .docx into an OLE container like a .doc
    assert "is password-protected" in _refusal(locked)


def test_a_zip_that_is_not_a_word_file(tmp_path):
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "not a Word document" in _refusal(path)


@pytest.mark.parametrize(("hook", "limits", "says"), [
    (["--selftest-sleep", "60"], Limits(max_seconds=1), "took longer than 1 s to read"),
    (["--selftest-spin", "-"], Limits(max_seconds=1), "1 s of processor time"),
    (["--selftest-memory", "-"], Limits(max_memory_bytes=400 * MB), "400 MB of memory"),
    (["--selftest-exit", "-"], Limits(), "could not be read"),
])
def test_a_worker_over_its_limits_is_stopped_with_one_line(hook, limits, says):
    with pytest.raises(DocumentRefused) as caught:
        run_worker(hook, "report.pdf", limits)
    message = str(caught.value)
    assert message.startswith("report.pdf ") and says in message
    assert "\n" not in message and "Traceback" not in message and "secret/path.py" not in message


def test_the_worker_cannot_open_a_network_connection():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.3)
    try:
        answer = run_worker(["--selftest-network", str(listener.getsockname()[1])], "net", Limits(max_seconds=20))
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    assert set(answer["network"]) == {"create_connection", "raw_socket"}
    assert all(result.startswith("refused") for result in answer["network"].values()), answer
