"""The console's search with what the caller says besides the name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dost.audit.models import AccessRecord

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def namesakes(make_person):
    """Three men called Əli Məmmədov: two born in 1985, one in 1990."""
    return {
        "sumgait": make_person(fin="1AAAAAA", first_name="Əli", last_name="Məmmədov", sex="M",
                               birth_date=dt.date(1985, 3, 15), region="sumgait",
                               patronymic="Vaqif oğlu"),
        "ganja": make_person(fin="2BBBBBB", first_name="Əli", last_name="Məmmədov", sex="M",
                             birth_date=dt.date(1985, 11, 2), region="ganja",
                             patronymic="Elçin oğlu"),
        "younger": make_person(fin="3CCCCCC", first_name="Əli", last_name="Məmmədov", sex="M",
                               birth_date=dt.date(1990, 7, 1), region="nasimi",
                               patronymic="Rauf oğlu"),
    }


def _search(agent_client, **params):
    return agent_client.get(reverse("callcentre:console"), params, **EN)


def _listed(response, people) -> list[str]:
    """Who the page lists, in its order, by the link to open them."""
    page = response.content.decode()
    links = {page.find(reverse("callcentre:open", args=[person.fin])): person.fin
             for person in people}
    return [fin for position, fin in sorted(links.items()) if position >= 0]


def test_year_of_birth_narrows_and_only_those_listed_see_the_search(agent_client, namesakes):
    response = _search(agent_client, q="Memmedov Eli", birth_year="1985")
    assert response.status_code == 200
    assert set(_listed(response, namesakes.values())) == {"1AAAAAA", "2BBBBBB"}
    logged = set(AccessRecord.objects.values_list("person__fin", flat=True))
    assert logged == {"1AAAAAA", "2BBBBBB"}


def test_region_narrows_in_any_spelling(agent_client, namesakes):
    for region in ("Sumqayıt", "Sumgait", "Сумгайыт"):
        response = _search(agent_client, q="Mammadov Ali", birth_year="1985", region=region)
        assert _listed(response, namesakes.values()) == ["1AAAAAA"], region


def test_fathers_name_puts_the_caller_first(agent_client, namesakes):
    response = _search(agent_client, q="Məmmədov Əli", birth_year="1985", patronymic="Elçin")
    assert _listed(response, namesakes.values()) == ["2BBBBBB", "1AAAAAA"]
    assert "Elçin oğlu" in response.content.decode()


def test_the_box_alone_carries_name_patronymic_and_year(agent_client, namesakes):
    response = _search(agent_client, q="Мамедов Али Вагиф оглы 1985")
    assert _listed(response, namesakes.values()) == ["1AAAAAA", "2BBBBBB"]


def test_the_box_alone_still_finds_by_name(agent_client, namesakes):
    response = _search(agent_client, q="Məmmədov Əli")
    assert len(_listed(response, namesakes.values())) == 3


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "Məmmədov Əli", "birth_year": "2999"}, "birth_year",
         "The year of birth cannot be in the future."),
        ({"q": "Məmmədov Əli 2999"}, "q", "The year of birth cannot be in the future."),
        ({"q": "Məmmədov Əli", "birth_year": "1850"}, "birth_year",
         "Check the year of birth: 1850 is too long ago."),
        ({"q": "Məmmədov Əli", "birth_year": "nineteen"}, "birth_year",
         "Write the year of birth with four digits, for example 1985."),
        ({"q": "Məmmədov Əli", "region": "Atlantis"}, "region",
         "Unknown region “Atlantis”: choose one from the list."),
        ({"q": "Məmmədov Əli 1985", "birth_year": "1990"}, "q",
         "The date of birth is given twice and differs: 1990, 1985."),
        ({"q": "Məmmədov Əli 85"}, "q", "“85” is neither a name nor a date of birth"),
    ],
)
def test_bad_narrowing_is_refused_with_a_clear_message_and_nobody_listed(
        agent_client, namesakes, params, field, message):
    response = _search(agent_client, **params)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message.replace("“", "&ldquo;")[:20] in response.content.decode() or (
        message in response.content.decode())
    assert _listed(response, namesakes.values()) == []
    assert not AccessRecord.objects.exists()


def test_the_region_field_offers_the_regions(agent_client):
    page = agent_client.get(reverse("callcentre:console"), **EN).content.decode()
    assert 'list="console-regions"' in page
    assert '<option value="Sumgait">' in page
    az_page = agent_client.get(reverse("callcentre:console")).content.decode()
    assert '<option value="Sumqayıt">' in az_page


def test_the_narrowing_fields_follow_the_box_in_keyboard_order(agent_client):
    page = agent_client.get(reverse("callcentre:console"), **EN).content.decode()
    order = [page.find(f'id="id_{name}"') for name in ("q", "birth_year", "region",
                                                        "patronymic")]
    assert -1 not in order and order == sorted(order)
    assert page.find('id="id_patronymic"') < page.find('type="submit" class="button">Search')


def test_console_search_queries_do_not_grow_with_the_people_found(
        agent_client, make_person, django_assert_max_num_queries):
    for number in range(15):
        make_person(fin=f"4{number:02d}DDDD", first_name="Əli", last_name="Məmmədov", sex="M",
                    birth_date=dt.date(1985, 1, 1 + number), region="sumgait")
    with django_assert_max_num_queries(12):
        response = _search(agent_client, q="Memmedov Eli 1985", region="Sumgait",
                           patronymic="Vaqif")
    assert response.status_code == 200
    assert AccessRecord.objects.count() == 15
