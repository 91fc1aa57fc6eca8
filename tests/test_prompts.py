import pytest

from assistant.prompts import PromptError, render


def test_templates_render_with_their_values():
    assert "immediate danger" in render("danger_banner", reason="a knife tonight")
    assert render("no_grounded_answer").startswith("**No grounded answer")


def test_a_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(PromptError, match="needs the value 'reason'"):
        render("danger_banner")


def test_a_missing_template_is_an_error():
    with pytest.raises(PromptError, match="missing"):
        render("no_such_template")
