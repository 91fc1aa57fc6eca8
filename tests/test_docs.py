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
