import datetime as dt

import pytest

from dost.errors import DomainError
from dost.registry.models import NameKey, Person


def test_registering_a_person_records_source_and_name_keys(make_person):
    person = make_person(fin="5zk2m7t", last_name="Məmmədova")
    assert person.fin == "5ZK2M7T"
    assert person.source_id == "justice"
    assert person.last_name_key == "mamadova"
    assert NameKey.objects.filter(key="mamadova").exists()


@pytest.mark.parametrize("fin", ["12345", "5ZK2M7I", "ÇÇÇÇÇÇÇ", ""])
def test_malformed_fin_is_refused_and_nothing_saved(make_person, fin):
    with pytest.raises(DomainError) as refusal:
        make_person(fin=fin)
    assert refusal.value.code == "invalid_fin"
    assert Person.objects.count() == 0


def test_duplicate_fin_is_refused_and_first_record_kept(make_person):
    first = make_person(fin="5ZK2M7T", first_name="Aynur")
    with pytest.raises(DomainError) as refusal:
        make_person(fin="5zk2m7t", first_name="Impostor")
    assert refusal.value.code == "duplicate_fin"
    assert list(Person.objects.values_list("first_name", flat=True)) == ["Aynur"]
    first.refresh_from_db()
    assert first.first_name == "Aynur"


def test_future_birth_date_is_refused(make_person):
    with pytest.raises(DomainError):
        make_person(birth_date=dt.date.today() + dt.timedelta(days=1))
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("bank_account", "AZ00XXXX"), ("region", "atlantis"), ("sex", "X")],
)
def test_bad_fields_are_refused(make_person, field, value):
    with pytest.raises(DomainError):
        make_person(**{field: value})
    assert Person.objects.count() == 0
