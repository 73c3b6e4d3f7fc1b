from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from dost.centres.models import LANGUAGES, Centre, Channel, DataGroup, Service
from dost.centres.selectors import proactive_services_without_rule
from dost.centres.services import CatalogueError, catalogue_load
from dost.entitlements.rules import rule_for_benefit

from .conftest import service_yaml

TEXT_FIELDS = ("title", "summary", "eligibility", "legal_basis")


@pytest.fixture(autouse=True)
def _english_messages():
    # Refusals are matched by their English wording.
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_catalogue_is_loaded_with_every_language_filled():
    services = list(Service.objects.select_related("provider"))
    assert len(services) >= 64
    for service in services:
        for field in TEXT_FIELDS:
            for language in LANGUAGES:
                assert getattr(service, f"{field}_{language}").strip(), (service.code, field)
        assert service.steps
        for step in service.steps:
            assert all(step[language].strip() for language in LANGUAGES), service.code
        assert all(getattr(service.provider, f"name_{language}") for language in LANGUAGES)
        assert set(service.required_data) <= set(DataGroup.values)


@pytest.mark.django_db
def test_catalogue_covers_the_four_areas_with_proactive_and_bookable_services():
    categories = set(Service.objects.values_list("category_id", flat=True))
    assert categories == {"labour", "employment", "social-protection", "social-security"}
    assert Service.objects.get(code="childbirth-allowance").proactive
    assert Service.objects.get(code="old-age-pension").proactive
    assert Service.objects.filter(bookable=True).count() >= 10
    assert dict(Service.objects.exclude(application_code="")
                .values_list("application_code", "code")) == {
        "unemployment_insurance": "unemployment-insurance",
        "targeted_social_assistance": "targeted-social-assistance",
        "disability_referral_status": "disability-assessment",
        "pension_recalculation": "pension-recalculation",
    }


@pytest.mark.django_db
def test_seven_dost_centres_open_nine_to_six_on_working_days_in_known_regions():
    centres = list(Centre.objects.select_related("region").prefetch_related("hours"))
    assert len(centres) == 7
    for centre in centres:
        assert [(hours.weekday, hours.opens_at.hour, hours.closes_at.hour)
                for hours in sorted(centre.hours.all(), key=lambda hours: hours.weekday)] == [
            (weekday, 9, 18) for weekday in (1, 2, 3, 4, 5)]
        assert all(getattr(centre, f"address_{language}") for language in LANGUAGES)
        assert centre.region.name_az


@pytest.mark.django_db
def test_second_load_changes_nothing():
    def snapshot():
        return sorted(Service.objects.values_list(
            "id", "code", "title_az", "title_en", "title_ru", "channels", "steps"))

    before = snapshot()
    counts = catalogue_load()
    assert counts.services == len(before)
    assert snapshot() == before


@pytest.mark.django_db
def test_load_restores_an_edited_service_and_keeps_others():
    Service.objects.filter(code="old-age-pension").update(title_en="Changed")
    catalogue_load()
    assert Service.objects.get(code="old-age-pension").title_en == "Old-age labour pension"


def test_a_file_with_a_missing_translation_changes_nothing(load_catalogue):
    before = Service.objects.count()
    with pytest.raises(CatalogueError, match="ru"):
        load_catalogue("services:\n" + service_yaml(
            "new-service", title_az="Yeni", title_en="New", title_ru="''"))
    assert Service.objects.count() == before


def test_unknown_category_provider_or_region_is_refused(load_catalogue):
    with pytest.raises(CatalogueError, match="category"):
        load_catalogue("services:\n" + service_yaml(
            "x-service", title_az="A", title_en="B", title_ru="C", category="nope"))
    with pytest.raises(CatalogueError, match="provider"):
        load_catalogue("services:\n" + service_yaml(
            "x-service", title_az="A", title_en="B", title_ru="C", provider="nope"))
    with pytest.raises(CatalogueError, match="region"):
        load_catalogue("""
        centres:
        - code: mars-1
          region: mars
          name: {az: Mars, en: Mars, ru: Марс}
          address: {az: Mars, en: Mars, ru: Марс}
        """)
    assert not Service.objects.filter(code="x-service").exists()
    assert not Centre.objects.filter(code="mars-1").exists()


def test_a_proactive_service_must_say_so_in_its_channels(load_catalogue):
    text = service_yaml("half-proactive", title_az="A", title_en="B", title_ru="C")
    with pytest.raises(CatalogueError, match="proactive"):
        load_catalogue("services:\n" + text.replace("channels: [portal]",
                                                    "channels: [portal]\n      proactive: true"))


def test_a_duplicated_code_is_refused(load_catalogue):
    entry = service_yaml("twice", title_az="A", title_en="B", title_ru="C")
    with pytest.raises(CatalogueError, match="twice"):
        load_catalogue("services:\n" + entry + entry)


@pytest.mark.django_db
def test_command_loads_the_catalogue_and_says_what_it_loaded():
    out = StringIO()
    call_command("catalogue_load", stdout=out)
    assert f"{Service.objects.count()} services" in out.getvalue()
    assert "7 centres" in out.getvalue()


def test_command_refuses_a_bad_file_with_its_reason(tmp_path, db):
    path = tmp_path / "catalogue.yaml"
    path.write_text("services: [{code: Bad Code}]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="malformed code"):
        call_command("catalogue_load", path=path)


@pytest.mark.django_db
def test_every_service_called_proactive_is_granted_by_a_registered_rule():
    proactive = Service.objects.filter(proactive=True)
    assert proactive.count() >= 10
    for service in proactive:
        assert service.benefits, service.code
        for benefit in service.benefits:
            assert rule_for_benefit(benefit) is not None, (service.code, benefit)
    assert proactive_services_without_rule() == {}


@pytest.mark.django_db
def test_only_proactive_services_name_benefits_or_the_proactive_channel():
    for service in Service.objects.filter(proactive=False):
        assert service.benefits == [], service.code
        assert Channel.PROACTIVE not in service.channels, service.code


@pytest.mark.django_db
def test_catalogue_names_the_benefits_each_proactive_service_grants():
    assert Service.objects.get(code="pensioner-funeral-grant").benefits == ["funeral_grant"]
    assert Service.objects.get(code="funeral-allowance").benefits == ["funeral_allowance"]
    assert Service.objects.get(code="disability-benefit").benefits == ["disability_benefit"]
    assert not Service.objects.get(code="war-veteran-presidential-pension").proactive


def proactive_yaml(code: str, benefits: str) -> str:
    entry = service_yaml(code, title_az="A", title_en="B", title_ru="C")
    return entry.replace("channels: [portal]", "channels: [proactive]\n      proactive: true"
                                               f"\n      benefits: {benefits}")


def test_the_check_names_a_proactive_service_no_rule_grants(load_catalogue):
    load_catalogue("services:\n" + proactive_yaml("not-granted", "[childbirth_allowance, "
                                                                 "no_such_benefit]"))

    assert proactive_services_without_rule() == {"not-granted": ["no_such_benefit"]}


def test_a_proactive_service_must_name_the_benefits_it_grants(load_catalogue):
    with pytest.raises(CatalogueError, match="names the benefits"):
        load_catalogue("services:\n" + proactive_yaml("no-benefits", "[]"))
    assert not Service.objects.filter(code="no-benefits").exists()


def test_a_service_granted_on_application_names_no_benefits(load_catalogue):
    entry = service_yaml("on-application", title_az="A", title_en="B", title_ru="C")
    with pytest.raises(CatalogueError, match="names the benefits"):
        load_catalogue("services:\n" + entry.replace(
            "channels: [portal]", "channels: [portal]\n      benefits: [childbirth_allowance]"))


def test_a_malformed_benefit_code_is_refused(load_catalogue):
    with pytest.raises(CatalogueError, match="benefit codes"):
        load_catalogue("services:\n" + proactive_yaml("bad-benefit", "[Childbirth Allowance]"))
