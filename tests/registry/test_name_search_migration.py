"""The migration that recomputes every name key when ``name_key`` changes."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.db import connection

from dost.registry.models import NameKey, Person
from dost.registry.selectors import people_by_name
from dost.registry.validators import name_key

migration = importlib.import_module("dost.registry.migrations.0008_name_keys_fold_spellings")


def _recompute() -> None:
    migration.recompute_name_keys(None, SimpleNamespace(connection=connection))


def test_stale_keys_are_recomputed_and_the_vocabulary_rebuilt(make_person):
    ali = make_person(fin="1AAAAAA", first_name="Əli", last_name="Məmmədov", sex="M")
    leyla = make_person(fin="2BBBBBB", first_name="Leyla", last_name="Hüseynova")
    # Keys as the old function wrote them ("mammadov", "huseynova"), and its vocabulary.
    Person.objects.filter(pk=ali.pk).update(first_name_key="ali", last_name_key="mammadov")
    Person.objects.filter(pk=leyla.pk).update(last_name_key="huseynova")
    NameKey.objects.all().delete()
    NameKey.objects.bulk_create([NameKey(key=key) for key in ("ali", "mammadov", "leyla",
                                                              "huseynova")])
    updated_at = dict(Person.objects.values_list("pk", "updated_at"))
    # The Russian spelling's key meets nobody before.
    assert not Person.objects.filter(last_name_key=name_key("Мамедов")).exists()

    _recompute()

    keys = dict(Person.objects.values_list("fin", "last_name_key"))
    assert keys == {"1AAAAAA": name_key("Məmmədov"), "2BBBBBB": name_key("Hüseynova")}
    assert set(NameKey.objects.values_list("key", flat=True)) == {
        name_key(name) for name in ("Əli", "Məmmədov", "Leyla", "Hüseynova")}
    # Derived keys are no new fact: nothing is marked changed for the proactive scans.
    assert dict(Person.objects.values_list("pk", "updated_at")) == updated_at
    assert Person.objects.get(last_name_key=name_key("Мамедов")) == ali
    assert people_by_name("Мамедов Али") == [ali]


def test_recomputing_current_keys_changes_nothing(make_person):
    make_person(fin="1AAAAAA", first_name="Rəşad", last_name="Xəlilov", sex="M")
    before = list(Person.objects.values_list("first_name_key", "last_name_key", "updated_at"))
    vocabulary = set(NameKey.objects.values_list("key", flat=True))
    _recompute()
    assert list(Person.objects.values_list("first_name_key", "last_name_key",
                                           "updated_at")) == before
    assert set(NameKey.objects.values_list("key", flat=True)) == vocabulary


def test_recomputing_an_empty_registry_is_harmless(db):
    _recompute()
    assert not NameKey.objects.exists()
