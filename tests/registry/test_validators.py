import pytest
from django.core.exceptions import ValidationError

from dost.registry.validators import (
    iban_with_checksum,
    name_key,
    normalize_phone,
    validate_fin,
    validate_iban,
    validate_phone,
)


@pytest.mark.parametrize("fin", ["5ZK2M7T", "0000000", "ABCDEFG", "Z9Y8X7W"])
def test_well_formed_fin_passes(fin):
    validate_fin(fin)


@pytest.mark.parametrize(
    "fin", ["", "5ZK2M7", "5ZK2M7TT", "5zk2m7t", "5ZK2M7I", "O123456", "5ZK 2M7", "5ZK-M7T"]
)
def test_malformed_fin_is_refused(fin):
    with pytest.raises(ValidationError):
        validate_fin(fin)


@pytest.mark.parametrize(
    "typed", ["050 111 22 33", "+994 50 111-22-33", "994501112233", "(050) 1112233"]
)
def test_phone_numbers_as_typed_become_e164(typed):
    assert normalize_phone(typed) == "+994501112233"


@pytest.mark.parametrize("phone", ["+994401112233", "+99450111223", "+7501112233"])
def test_non_azerbaijani_mobile_is_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_iban_check_digits_are_verified():
    iban = iban_with_checksum(("AZ", "NABZ00000000137010001944"))
    validate_iban(iban)
    wrong = iban[:2] + ("00" if iban[2:4] != "00" else "01") + iban[4:]
    with pytest.raises(ValidationError):
        validate_iban(wrong)


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Məmmədov", "Mammadov", "MƏMMƏDOV", "Memmedov", "Mamedov", "Мамедов"], "mamadov"),
        (["Xəlilov", "Khalilov", "Xelilov", "Халилов"], "galilov"),
        (["Qasımov", "Gasimov", "Qasimov", "Гасымов"], "gasimov"),
        (["Hüseynov", "Huseynov", "Гусейнов"], "gusaynov"),
        (["Əliyev", "Aliyev", "Eliyev", "Aliev", "Алиев"], "aliav"),
        (["İsmayılov", "Ismayilov", "Исмаилов"], "ismailov"),
        (["Hacıyev", "Hajiyev", "Гаджиев", "Gadzhiev"], "gaciav"),
        (["Cəfərov", "Jafarov", "Cafarov", "Джафаров"], "cafarov"),
        (["Məhərrəmov", "Maharramov", "Магеррамов"], "magaramov"),
        (["Kazımov", "Kazimov", "Кязимов"], "kazimov"),
        (["Gülnarə", "Gulnara", "Гюльнара"], "gulnara"),
        (["Şahbazov", "Shahbazov", "Шахбазов"], "sagbazov"),
        (["Çingiz", "Chingiz", "Чингиз"], "cingiz"),
        (["Bağırov", "Bagirov", "Baghirov", "Багиров"], "bagirov"),
        (["Rəşad", "Rashad", "Reşad", "Рашад"], "rasad"),
    ],
)
def test_spellings_of_one_name_share_a_key(spellings, key):
    assert {name_key(spelling) for spelling in spellings} == {key}


@pytest.mark.parametrize(
    ("one", "other"),
    [("Məmmədov", "Məmmədova"), ("Əliyev", "Quliyev"), ("Aysel", "Aygün"), ("Elnur", "Elmir")],
)
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize("value", ["", "   ", "123", "—"])
def test_a_name_without_letters_has_an_empty_key(value):
    assert name_key(value) == ""
