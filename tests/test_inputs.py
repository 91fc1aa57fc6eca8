import subprocess
import sys

import pytest

from assistant.errors import InputError
from assistant.inputs import clean_question


@pytest.mark.parametrize("bad, message", [
    ("", "empty"), ("   \n\t ", "empty"), ("\x00\x00", "empty"),
    ("a" * 100_000, "100,000 characters long; the limit is 8,000"),
    ("caf\udce9", "not valid UTF-8"), (b"caf\xe9", "not valid UTF-8"), (None, "must be text"),
])
def test_bad_questions_get_a_message_that_says_what_to_do(bad, message):
    with pytest.raises(InputError, match=message):
        clean_question(bad, 8000)


def test_control_characters_are_removed_and_text_kept():
    assert clean_question("  Can I\x00 share?\x07 \n", 8000) == "Can I share?"


def run_cli(*args: bytes | str):
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, timeout=60)


@pytest.mark.parametrize("arg, expected", [
    ("", b"The question is empty"),
    ("x" * 100_000, b"the limit is 8,000"),
    (b"caf\xe9 consent?", b"not valid UTF-8"),
])
def test_cli_rejects_bad_questions_without_a_traceback(arg, expected):
    result = run_cli("ask", arg)
    assert result.returncode == 2
    assert expected in result.stderr
    assert b"Traceback" not in result.stderr + result.stdout


def test_ask_without_an_index_names_the_command_to_run(tmp_path):
    result = run_cli("ask", "Do I need consent?")
    assert result.returncode == 5
    assert b"run `sharewise index`" in result.stderr and b"Traceback" not in result.stderr


def test_version_and_help_are_instant_and_true():
    from assistant import __version__
    assert run_cli("--version").stdout.strip() == f"sharewise {__version__}".encode()
    help_text = run_cli("--help").stdout.decode()
    for command in ("index", "ask", "bench"):
        assert command in help_text


def test_missing_model_folder_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SHAREWISE_MODEL_DIR", str(tmp_path / "nowhere"))
    result = run_cli("index")
    assert result.returncode == 4
    assert b"does not exist" in result.stderr and b"SHAREWISE_MODEL_DIR" in result.stderr
    assert b"Traceback" not in result.stderr


def test_top_k_must_be_positive():
    result = run_cli("ask", "--top-k", "0", "Do I need consent?")
    assert result.returncode == 2 and b"--top-k must be 1 or more" in result.stderr


def test_bidirectional_overrides_are_removed():
    assert clean_question("consent \u202eevil\u202c?", 8000) == "consent evil?"
