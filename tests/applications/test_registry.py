from __future__ import annotations

import pytest
from django import forms

from dost.applications.form_base import ApplicationForm
from dost.applications.registry import (
    ApplicationType,
    application_type,
    application_types,
    register_application_type,
    unregister_application_type,
)


def _nothing(person):
    return {}


class _EmptyForm(ApplicationForm):
    pass


def test_subsystems_register_their_application_types():
    codes = {kind.code for kind in application_types()}
    assert {"unemployment_insurance", "pension_recalculation",
            "targeted_social_assistance"} <= codes


def test_registering_the_same_type_again_changes_nothing():
    kind = application_type("unemployment_insurance")
    register_application_type(kind)
    assert application_type("unemployment_insurance") is kind


def test_a_second_type_under_a_taken_code_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        register_application_type(ApplicationType(
            code="unemployment_insurance", title="Other", form_class=_EmptyForm,
            prefill=_nothing))


def test_a_form_that_cannot_take_the_applicant_is_refused():
    with pytest.raises(TypeError):
        ApplicationType(code="plain_form", title="Plain", form_class=forms.Form,
                        prefill=_nothing)


def test_an_unknown_code_is_a_lookup_error():
    with pytest.raises(LookupError):
        application_type("no_such_service")


def test_a_type_can_be_registered_and_removed():
    kind = register_application_type(ApplicationType(
        code="test_service", title="Test", form_class=_EmptyForm, prefill=_nothing))
    try:
        assert application_type("test_service") is kind
    finally:
        unregister_application_type("test_service")
    with pytest.raises(LookupError):
        application_type("test_service")
