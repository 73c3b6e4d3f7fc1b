from __future__ import annotations

import pytest
from django.urls import reverse

from dost.centres.models import Service
from dost.centres.services import catalogue_search_refresh

pytestmark = pytest.mark.django_db

TITLES = {
    "az": "Yaşa görə əmək pensiyası",
    "en": "Old-age labour pension",
    "ru": "Трудовая пенсия по возрасту",
}


def get(client, url: str, language: str = "en", **headers):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_anyone_browses_the_catalogue_in_their_language(client, language):
    response = get(client, reverse("esocial:service_list"), language)
    body = response.content.decode()
    assert response.status_code == 200
    assert TITLES[language] in body
    assert f'<html lang="{language}">' in body
    assert body.count("<h1") == 1


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_anyone_reads_a_service_page_in_their_language(client, language):
    service = Service.objects.get(code="old-age-pension")
    response = get(client, reverse("esocial:service_detail", args=["old-age-pension"]),
                   language)
    body = response.content.decode()
    assert response.status_code == 200
    for field in ("title", "eligibility", "legal_basis"):
        assert getattr(service, f"{field}_{language}") in body
    assert service.steps[0][language] in body


def test_a_category_shows_only_its_services(client):
    body = get(client, reverse("esocial:service_list") + "?category=labour").content.decode()
    assert "Advice on labour law" in body
    assert "Old-age labour pension" not in body


def test_unknown_category_or_service_is_not_found(client):
    assert get(client, reverse("esocial:service_list") + "?category=nope").status_code == 404
    assert get(client, reverse("esocial:service_detail", args=["no-such"])).status_code == 404


def test_inactive_service_is_not_found(client):
    Service.objects.filter(code="old-age-pension").update(active=False)
    url = reverse("esocial:service_detail", args=["old-age-pension"])
    assert get(client, url).status_code == 404


def test_applicable_and_bookable_service_links_to_both(client):
    body = get(client, reverse("esocial:service_detail",
                               args=["targeted-social-assistance"])).content.decode()
    assert 'href="/applications/new/targeted_social_assistance/"' in body
    assert 'href="/queue/book/?service=targeted-social-assistance"' in body
    assert "Baku DOST centre No. 1" in body


def test_proactive_service_says_no_application_is_needed(client):
    body = get(client, reverse("esocial:service_detail",
                               args=["childbirth-allowance"])).content.decode()
    assert "You do not need to apply." in body
    assert "/applications/new/" not in body
    assert "/queue/book/" not in body
    assert "Family: births, marriages, deaths, guardianship" in body


def test_service_list_is_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = get(client, reverse("esocial:service_list"))
    assert response.status_code == 200


def test_service_list_is_served_from_the_cache_until_the_catalogue_changes(
        client, django_assert_num_queries):
    url = reverse("esocial:service_list")
    get(client, url)
    Service.objects.filter(code="old-age-pension").update(title_en="Old-age pension, renamed")
    with django_assert_num_queries(0):
        assert "Old-age labour pension" in get(client, url).content.decode()
    catalogue_search_refresh()
    assert "Old-age pension, renamed" in get(client, url).content.decode()


def test_a_category_of_no_active_service_lists_nothing(client):
    Service.objects.filter(category_id="labour").update(active=False)
    body = get(client, reverse("esocial:service_list") + "?category=labour").content.decode()
    assert 'class="card service-card"' not in body


def test_service_page_is_at_most_three_queries(client, django_assert_num_queries):
    # The service; the centres offering it; their weekday hours, all at once.
    url = reverse("esocial:service_detail", args=["targeted-social-assistance"])
    with django_assert_num_queries(3):
        assert get(client, url).status_code == 200


def test_search_for_htmx_returns_only_the_results(client):
    response = get(client, reverse("esocial:service_search") + "?q=pensya", "az",
                   HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert TITLES["az"] in body
    assert "HX-Request" in response["Vary"]


def test_search_without_javascript_returns_a_whole_page(client):
    response = get(client, reverse("esocial:service_search") + "?q=disability", "az")
    body = response.content.decode()
    assert "<html" in body
    assert body.count("<h1") == 1
    assert Service.objects.get(code="disability-benefit").title_az in body
    assert 'value="disability"' in body


def test_search_page_without_a_query_shows_the_form(client):
    body = get(client, reverse("esocial:service_search")).content.decode()
    assert 'name="q"' in body
    assert "found" not in body


def test_search_tells_when_nothing_is_found_or_the_query_is_too_short(client):
    url = reverse("esocial:service_search")
    assert "0 services found" in get(client, url + "?q=qwertyzxcv").content.decode()
    assert "at least two letters" in get(client, url + "?q=a").content.decode()


def test_search_escapes_what_was_typed(client):
    body = get(client, reverse("esocial:service_search")
               + "?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)</script>" not in body


def test_home_page_has_a_live_search_that_works_without_javascript(client):
    body = get(client, reverse("esocial:home")).content.decode()
    assert "Social protection in one place" in body
    assert f'action="{reverse("esocial:service_search")}"' in body
    assert 'hx-trigger="input changed delay:250ms, search"' in body
    assert '<label for="home-search">' in body
    assert 'id="home-search-results"' in body
    assert 'aria-live="polite"' in body


def test_live_results_show_the_best_few_and_link_to_all(client):
    body = get(client, reverse("esocial:service_search") + "?q=pensiya", "az",
               HTTP_HX_REQUEST="true").content.decode()
    assert body.count("<li>") == 8
    assert "“pensiya” üçün tapılmış ən uyğun nəticələr" in body
    assert 'href="/services/search/?q=pensiya"' in body


def test_few_live_results_are_counted(client):
    body = get(client, reverse("esocial:service_search") + "?q=wheelchair",
               HTTP_HX_REQUEST="true").content.decode()
    assert "1 service found for “wheelchair”." in body
    assert "/services/search/?q=" not in body


def test_a_service_whose_e_application_is_not_built_is_not_offered_online(client):
    body = get(client, reverse("esocial:service_detail",
                               args=["disability-assessment"])).content.decode()
    assert "/applications/new/" not in body
