from __future__ import annotations

import pytest

from dost.centres.models import Service
from dost.centres.selectors import services_search

from .conftest import service_yaml

pytestmark = pytest.mark.django_db


def codes(query: str, language: str = "az", limit: int = 20) -> list[str]:
    return [service.code for service in services_search(query, language=language, limit=limit)]


@pytest.mark.parametrize("query", ["pensya", "pensiyya", "pensiya"])
def test_misspelt_pension_finds_the_old_age_pension(query):
    assert "old-age-pension" in codes(query)


def test_english_query_finds_the_azerbaijani_service():
    found = services_search("disability", language="az")
    assert "disability-benefit" in [service.code for service in found]
    assert Service.objects.get(code="disability-benefit").title_az.startswith("Əlilliyə")


def test_russian_query_finds_pensions():
    assert "old-age-pension" in codes("пенсия", "ru")[:3]


@pytest.mark.parametrize(("query", "expected"), [
    ("pens", "old-age-pension"),
    ("işsiz", "unemployment-insurance"),
    ("issiz", "unemployment-insurance"),
    ("elillik", "disability-benefit"),
    ("безработ", "unemployment-insurance"),
])
def test_partial_and_plainly_spelt_words_match(query, expected):
    assert expected in codes(query)


def test_stemmed_english_words_match():
    assert codes("unemployment benefits", "en")[0] == "unemployment-insurance"


def test_best_match_comes_first():
    assert codes("childbirth allowance", "en")[0] == "childbirth-allowance"
    assert codes("ünvanlı sosial yardım", "az")[0] == "targeted-social-assistance"


def test_keywords_find_a_service_by_another_name():
    assert "rehabilitation-aids" in codes("wheelchair", "en")
    assert "old-age-pension" in codes("təqaüd", "az")


@pytest.mark.parametrize("query", ["", "   ", "a", "!!!", "--", "&|!:*()"])
def test_empty_or_meaningless_query_finds_nothing(query):
    assert codes(query) == []


@pytest.mark.parametrize("query", [
    "'; DROP TABLE centres_service; --",
    "pension' OR 1=1 --",
    "pensiya & !yardım | (x:*)",
    "pension " * 2000,
    "\x00\\%_",
])
def test_hostile_or_very_long_input_is_harmless(query):
    before = Service.objects.count()
    found = services_search(query, language="en")
    assert len(found) <= 20
    assert Service.objects.count() == before


def test_matches_in_the_readers_language_rank_higher(load_catalogue):
    load_catalogue("services:\n"
                   + service_yaml("zorbex-az", title_az="Zorbex yardımı", title_en="Help",
                                  title_ru="Помощь")
                   + service_yaml("zorbex-en", title_az="Yardım", title_en="Zorbex help",
                                  title_ru="Помощь"))
    assert codes("zorbex", "az")[:2] == ["zorbex-az", "zorbex-en"]
    assert codes("zorbex", "en")[:2] == ["zorbex-en", "zorbex-az"]


def test_inactive_services_are_not_found():
    Service.objects.filter(code="old-age-pension").update(active=False)
    assert "old-age-pension" not in codes("pensiya")


def test_limit_is_respected():
    assert len(codes("pensiya", limit=3)) == 3


def test_search_is_one_statement_with_category_and_provider(django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        found = services_search("pensya", language="az")
        assert found[0].category.name_en == "Social security"
        assert found[0].provider.name_en == "State Social Protection Fund"
    assert "centres_searchword" in queries.captured_queries[0]["sql"]


def test_new_titles_are_corrected_once_the_catalogue_is_loaded(load_catalogue):
    load_catalogue("services:\n" + service_yaml("quokka-care", title_az="Kvokka qayğısı",
                                                 title_en="Quokka care",
                                                 title_ru="Уход за квоккой"))
    assert "quokka-care" in codes("kvoka")
