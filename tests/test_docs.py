from assistant.settings import Settings

from .conftest import REPO


def test_readme_documents_every_setting():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for env, _, _ in Settings.describe():
        assert f"`{env}`" in readme, f"{env} missing from README"


def test_readme_shows_the_two_commands_first():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.index("make run") < readme.index("## Command line")
    assert readme.index("make test") < readme.index("## Command line")


def test_ci_runs_make_test():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def _make_dry_run(target):
    import shutil
    import subprocess

    import pytest

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # -n: print the commands, run none; -B: as on a fresh clone, every install step is due.
    return subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, check=True,
                          timeout=60).stdout


def test_make_run_installs_what_serving_needs_with_progress_and_no_test_extras():
    import tomllib

    run = _make_dry_run("run")
    installs = [line for line in run.splitlines() if "pip install" in line]
    assert any("-r requirements-pinned.txt" in line and "--require-hashes" in line for line in installs)
    assert any(line.rstrip().endswith("-e .") for line in installs)
    assert not any("[test]" in line or "--quiet" in line or " -q " in line for line in installs), installs
    assert "install 1/3" in run and "sharewise index" in run and "sharewise serve" in run
    test = _make_dry_run("test")
    assert '-e ".[test]"' in test and "chromium" in test and "pytest" in test

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    serving = " ".join(project["dependencies"]).lower()
    for tool in ("pytest", "hypothesis", "playwright", "ruff", "mypy"):
        assert tool not in serving and any(d.startswith(tool) for d in project["optional-dependencies"]["test"])
