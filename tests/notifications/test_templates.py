from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.functional import lazy

from dost.errors import DomainError
from dost.notifications.templates import (
    register_benefit_title,
    register_template,
    render_message,
)

# A "translation" that is simply the active language, so tests need no catalogue.
active_language = lazy(translation.get_language, str)


def _language_probe(context) -> str:
    return f"{translation.get_language()}: {context['word']}"


def test_message_is_rendered_under_the_recipients_language(template_registry):
    register_template("probe", _language_probe)

    texts = {
        language: render_message("probe", {"word": "salam"}, language)
        for language in ("az", "en", "ru")
    }

    assert texts == {"az": "az: salam", "en": "en: salam", "ru": "ru: salam"}


def test_rendering_leaves_the_callers_language_active(template_registry):
    register_template("probe", _language_probe)

    with translation.override("en"):
        render_message("probe", {"word": "x"}, "ru")
        assert translation.get_language() == "en"


def test_unsupported_language_falls_back_to_the_default(template_registry, settings):
    register_template("probe", _language_probe)

    assert render_message("probe", {"word": "x"}, "de") == f"{settings.LANGUAGE_CODE}: x"


def test_award_message_names_the_benefit_in_the_recipients_language(template_registry):
    register_benefit_title("probe-benefit", active_language())

    text = render_message("award_granted", {"benefit": "probe-benefit", "amount": 250}, "ru")

    assert "ru" in text
    assert "probe-benefit" not in text


def test_award_message_without_a_registered_title_names_the_benefit_code():
    text = render_message("award_granted", {"benefit": "unknown-benefit", "amount": 250}, "en")

    assert "unknown-benefit" in text
    assert "250 AZN" in text


@pytest.mark.parametrize(("language", "amount"), [("en", "250.50"), ("az", "250,50")])
def test_award_amount_is_written_in_the_recipients_notation(language, amount):
    text = render_message("award_granted", {"benefit": "b", "amount": "250.5"}, language)

    assert f"{amount} AZN" in text


def test_test_template_renders_without_context():
    assert render_message("test", {}, "az").startswith("DOST")


def test_unknown_template_is_refused():
    with pytest.raises(DomainError) as refusal:
        render_message("no-such-template", {}, "az")

    assert refusal.value.code == "unknown_template"


def test_another_renderer_under_a_taken_code_is_refused(template_registry):
    register_template("probe", _language_probe)
    register_template("probe", _language_probe)  # the same one again: harmless

    with pytest.raises(ValueError, match="already registered"):
        register_template("probe", lambda context: "impostor")
