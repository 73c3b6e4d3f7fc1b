"""Finding a caller by name as an agent hears it: spelling variants, slips, and the
facts that narrow (year or date of birth, region) and rank (patronymic)."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.errors import DomainError
from dost.registry.selectors import find_people, people_by_name, people_query

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def people(make_person):
    born_1985 = dt.date(1985, 3, 15)
    return {
        "ali": make_person(fin="1AAAAAA", first_name="Əli", last_name="Məmmədov", sex="M",
                           birth_date=born_1985, region="sumgait", patronymic="Vaqif oğlu"),
        # The same name, born another year, elsewhere, another father.
        "ali_1990": make_person(fin="2BBBBBB", first_name="Əli", last_name="Məmmədov",
                                sex="M", birth_date=dt.date(1990, 7, 1), region="nasimi",
                                patronymic="Rauf oğlu"),
        # The same name and year, another region and father.
        "ali_namesake": make_person(fin="3CCCCCC", first_name="Əli", last_name="Məmmədov",
                                    sex="M", birth_date=dt.date(1985, 11, 2),
                                    region="ganja", patronymic="Elçin oğlu"),
        "rashad": make_person(fin="4DDDDDD", first_name="Rəşad", last_name="Xəlilov", sex="M",
                              birth_date=dt.date(1979, 5, 5), patronymic="Qasım oğlu"),
        "gulnara": make_person(fin="5EEEEEE", first_name="Gülnarə", last_name="Hüseynova",
                               sex="F", birth_date=dt.date(1992, 1, 9),
                               patronymic="Həsən qızı"),
        "ismayil": make_person(fin="6FFFFFF", first_name="Cəfər", last_name="İsmayılov",
                               sex="M", birth_date=dt.date(1960, 2, 2)),
        "aliyev": make_person(fin="7GGGGGG", first_name="Şahin", last_name="Əliyev", sex="M",
                              birth_date=dt.date(1970, 4, 4)),
        "hajiyev": make_person(fin="8HHHHHH", first_name="Çingiz", last_name="Hacıyev",
                               sex="M", birth_date=dt.date(1955, 8, 8)),
        "ayla": make_person(fin="AKKKKKK", first_name="Ayla", last_name="Budaqlı",
                            birth_date=dt.date(1999, 9, 9)),
    }


def _fins(found) -> list[str]:
    return [person.fin for person in found]


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        # ə as e or a
        ("Memmedov Eli", "ali"),
        ("Mammadov Ali", "ali"),
        # ı as i
        ("Ismayilov Cafar", "ismayil"),
        # q as g, ş as sh
        ("Khalilov Rashad", "rashad"),
        # x as kh, h as x
        ("Xalilov Reşad", "rashad"),
        # ü as u, h as g (as Russian spells it)
        ("Guseynova Gulnara", "gulnara"),
        # Cyrillic, in Russian spelling: -ев for -yev, дж for c, double letters dropped
        ("Мамедов Али", "ali"),
        ("Халилов Рашад", "rashad"),
        ("Гусейнова Гюльнара", "gulnara"),
        ("Исмаилов Джафар", "ismayil"),
        ("Алиев Шахин", "aliyev"),
        ("Гаджиев Чингиз", "hajiyev"),
        # English spellings
        ("Hajiyev Chingiz", "hajiyev"),
        ("Aliyev Shahin", "aliyev"),
        ("Jafar Ismayilov", "ismayil"),
    ],
)
def test_each_spelling_variant_finds_the_person(people, typed, who):
    assert people[who].fin in _fins(people_by_name(typed))


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Xəllilov Rəşad", "rashad"),   # a doubled letter
        ("Xəlilv Rəşad", "rashad"),     # a dropped letter
        ("Xəlliov Rəşad", "rashad"),    # two letters swapped
        ("Hüseynvoa Gülnarə", "gulnara"),
        ("Əliyev Şhain", "aliyev"),
        # Two letters swapped at the start of a short name share few trigrams.
        ("Budaqlı Yala", "ayla"),
        ("Budaqlı Ayal", "ayla"),
    ],
)
def test_typing_slips_still_find_the_person(people, typed, who):
    assert people[who].fin in _fins(people_by_name(typed))


def test_birth_year_narrows_to_people_born_that_year(people):
    found = people_by_name("Məmmədov Əli", birth_year=1985)
    assert set(_fins(found)) == {people["ali"].fin, people["ali_namesake"].fin}


def test_region_narrows(people):
    found = people_by_name("Memmedov Eli", birth_year=1985, region_id="sumgait")
    assert _fins(found) == [people["ali"].fin]


def test_patronymic_ranks_the_right_person_first(people):
    for father in ("Vaqif", "Vagif", "Вагиф оглы", "Vaqif oğlu"):
        found = people_by_name("Məmmədov Əli", birth_year=1985, patronymic=father)
        assert _fins(found)[0] == people["ali"].fin, father
    found = people_by_name("Məmmədov Əli", birth_year=1985, patronymic="Elçin")
    assert _fins(found)[0] == people["ali_namesake"].fin


def test_patronymic_ranks_but_does_not_hide_the_others(people):
    found = people_by_name("Məmmədov Əli", birth_year=1985, patronymic="Vaqif")
    assert set(_fins(found)) == {people["ali"].fin, people["ali_namesake"].fin}


def test_date_of_birth_narrows_to_that_day(people):
    found = people_by_name("Məmmədov Əli", birth_date=dt.date(1985, 11, 2))
    assert _fins(found) == [people["ali_namesake"].fin]


def test_one_word_with_a_year(people):
    found = people_by_name("Məmmədov", birth_year=1990)
    assert _fins(found) == [people["ali_1990"].fin]


def test_the_box_carries_the_year_and_the_patronymic(people):
    query = people_query("Məmmədov Əli Vaqif oğlu 1985", today=TODAY)
    assert (query.words, query.birth_year, query.patronymic) == (
        ("Məmmədov", "Əli"), 1985, "Vaqif")
    assert _fins(find_people(query))[0] == people["ali"].fin


def test_a_third_name_word_is_the_patronymic(people):
    query = people_query("Мамедов Али Вагиф 1985", today=TODAY)
    assert (query.words, query.patronymic, query.birth_year) == (
        ("Мамедов", "Али"), "Вагиф", 1985)
    assert _fins(find_people(query))[0] == people["ali"].fin


def test_the_box_carries_a_date_of_birth(people):
    query = people_query("Məmmədov Əli 02.11.1985", today=TODAY)
    assert (query.birth_date, query.birth_year) == (dt.date(1985, 11, 2), 1985)
    assert _fins(find_people(query)) == [people["ali_namesake"].fin]


def test_the_year_field_and_the_box_may_agree(people):
    query = people_query("Məmmədov Əli 1985", birth_year=1985, today=TODAY)
    assert query.birth_year == 1985


def test_region_is_matched_in_any_language_and_spelling(people):
    for typed in ("Sumqayıt", "Sumgait", "sumqayit", "Сумгайыт", " sumgait "):
        query = people_query("Məmmədov Əli", region=typed, today=TODAY)
        assert query.region_id == "sumgait", typed


def test_seven_letters_are_a_fin_first_then_a_name(people, make_person):
    aygunel = make_person(fin="BCDEFGH", first_name="Aygünel", last_name="Zeynalova")
    assert find_people("bcdefgh") == [aygunel]
    # No one has the FIN AYGUNEL: the same letters are a name.
    assert find_people("Aygunel") == [aygunel]


def test_fin_and_phone_still_go_straight_to_the_person(people, make_person):
    assert people_query("1aaaaaa", birth_year=1985, today=TODAY).fin == "1AAAAAA"
    caller = make_person(fin="9JJJJJJ", phone="050 444 55 66")
    query = people_query("050 444 55 66", today=TODAY)
    assert query.phone == "+994504445566"
    assert find_people(query) == [caller]


@pytest.mark.parametrize(
    ("box", "fields", "code"),
    [
        ("Məmmədov Əli 2031", {}, "future_birth_year"),
        ("Məmmədov Əli", {"birth_year": 2031}, "future_birth_year"),
        ("Məmmədov Əli 01.01.2030", {}, "future_birth_date"),
        ("Məmmədov Əli 1812", {}, "birth_year_too_early"),
        ("Məmmədov Əli", {"birth_year": 1850}, "birth_year_too_early"),
        ("Məmmədov Əli", {"region": "Atlantis"}, "unknown_region"),
        ("Məmmədov Əli 1985", {"birth_year": 1986}, "conflicting_birth_dates"),
        ("Məmmədov Əli 1985 1986", {}, "conflicting_birth_dates"),
        ("Məmmədov Əli 01.02.1985 03.04.1985", {}, "conflicting_birth_dates"),
        ("Məmmədov Əli 85", {}, "unreadable_word"),
        ("Məmmədov Əli 31.02.1985", {}, "unreadable_word"),
        ("Məmmədov A1i", {}, "unreadable_word"),
        ("1985", {}, "no_name"),
        ("— , —", {}, "no_name"),
    ],
)
@pytest.mark.django_db
def test_bad_input_is_refused_with_a_reason(box, fields, code):
    with pytest.raises(DomainError) as refusal:
        people_query(box, today=TODAY, **fields)
    assert refusal.value.code == code
    assert str(refusal.value.message)


def test_bad_box_in_the_plain_search_finds_nobody(people):
    # The staff search passes the box as it is: what cannot be parsed matches nobody.
    assert find_people("Məmmədov Əli 2999") == []


def test_unknown_name_finds_nobody_even_with_a_year(people):
    assert people_by_name("Zzyzx Qwerty", birth_year=1985) == []


def test_search_queries_stay_few(people, django_assert_max_num_queries):
    query = people_query("Memmedov Eli Vaqif oğlu 1985", region="Sumqayıt", today=TODAY)
    # The vocabulary look-up (with its trigram threshold, in a savepoint here), the
    # candidates, and the page of people found.
    with django_assert_max_num_queries(6):
        assert _fins(find_people(query)) == [people["ali"].fin]
