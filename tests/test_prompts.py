import pytest

from assistant.prompts import PromptError, render


def test_templates_render_with_their_values():
    assert "immediate danger" in render("danger_banner", reason="a knife tonight")
    assert render("danger_banner", reason="Call 999 now.").endswith("** Call 999 now.")
    assert render("no_grounded_answer").startswith("**No grounded answer")


def test_the_plain_rendering_is_the_same_wording_without_markup():
    marked = render("danger_banner", reason="x")
    plain = render("danger_banner", reason="x", plain=True)
    assert "**" not in plain and plain == marked.replace("**", "")


def test_a_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(PromptError, match="needs the value 'reason'"):
        render("danger_banner")
    with pytest.raises(PromptError, match="needs the value 'footer'"):
        render("record", fields=[], flags=[], no_check="", quotes=[], no_quotes="", intro="")


def test_a_missing_template_is_an_error():
    with pytest.raises(PromptError, match="missing"):
        render("no_such_template")


def test_a_malformed_template_is_an_error(tmp_path):
    (tmp_path / "broken.md").write_text("{% if x %}never closed", encoding="utf-8")
    with pytest.raises(PromptError, match="malformed"):
        render("broken", prompts_dir=tmp_path, x=1)
    (tmp_path / "ok.md").write_text("Hello {{ who }}.", encoding="utf-8")
    assert render("ok", prompts_dir=tmp_path, who="<DSL>") == "Hello <DSL>."
