import pytest

from dost.registry.selectors import find_people, people_by_name, person_by_fin


@pytest.fixture
def people(make_person):
    return {
        "elnur": make_person(fin="1AAAAAA", first_name="Elnur", last_name="Məmmədov", sex="M",
                             phone="0501234567"),
        "aysel": make_person(fin="2BBBBBB", first_name="Aysel", last_name="Məmmədova",
                             phone="+994551234567"),
        "rashad": make_person(fin="3CCCCCC", first_name="Rəşad", last_name="Xəlilov", sex="M"),
    }


def test_fin_lookup_ignores_case(people):
    assert person_by_fin("1aaaaaa") == people["elnur"]


def test_phone_lookup_accepts_local_format(people):
    assert find_people("050 123 45 67") == [people["elnur"]]


def test_name_lookup_tolerates_typos_and_transliteration(people):
    assert people_by_name("Mammadov Elnur")[0] == people["elnur"]
    assert people_by_name("Elnur Mamedov")[0] == people["elnur"]
    assert people_by_name("Khalilov Rashad")[0] == people["rashad"]
    assert people_by_name("Xelilof Reşad")[0] == people["rashad"]


def test_single_word_finds_all_with_that_name(people):
    assert set(people_by_name("Məmmədov")) >= {people["elnur"]}
    assert people_by_name("Aysel") == [people["aysel"]]


def test_unknown_name_finds_nobody(people):
    assert people_by_name("Zzyzx Qwerty") == []
    assert find_people("") == []
