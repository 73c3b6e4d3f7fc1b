"""The hash-chained decision log: appending, the database's refusals, verification."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from dost.accounts.models import Role, User
from dost.audit.decisions import (
    decision_batch_close,
    decision_batch_open,
    decision_log_reset,
    decision_record,
    entry_insert_sql,
)
from dost.audit.models import (
    ZERO_HASH,
    AccessRecord,
    Channel,
    DecisionBatch,
    DecisionChainHead,
    DecisionEntry,
)
from dost.audit.selectors import decision_receipts, decisions_of_person
from dost.audit.verification import decision_log_verify
from tests.conftest import PASSWORD

# Three decisions the way the engine appends them: one statement, one batch.
_THREE_AWARDS = entry_insert_sql(select_sql="""
    SELECT 'award' AS kind, NULL::bigint AS person_id, g AS award_id,
           'old_age_pension' AS subject, 'pensions.old_age' AS decided_by,
           jsonb_build_object('amount', (300 + g)::text) AS details,
           audit_facts_hash(jsonb_build_object('age', 65), '{"pension_age": 65}') AS facts_hash
    FROM generate_series(%(_first)s, %(_first)s + 2) g
""") + " RETURNING id"


def _record(subject: str = "2026-0000001", **changes) -> DecisionEntry:
    fields = {"kind": "application", "subject": subject, "decided_by": "official:7",
              "details": {"status": "approved", "reason": ""}, "facts": {"income": "310.00"}}
    fields.update(changes)
    return decision_record(**fields)


def _append_awards(first_award_id: int = 1) -> tuple[int, list[int]]:
    """A batch of three award decisions written set-based; its id and its entries' ids."""
    with transaction.atomic():
        batch = decision_batch_open()
        with connection.cursor() as cursor:
            cursor.execute(_THREE_AWARDS, {"_batch": batch, "_first": first_award_id})
            entries = sorted(row[0] for row in cursor.fetchall())
        decision_batch_close(batch)
    return batch, entries


def _verify(*args: str) -> tuple[int, str]:
    """Run the command: its exit status and its output."""
    out = io.StringIO()
    try:
        call_command("verify_decision_log", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def _verify_json() -> tuple[int, dict]:
    status, output = _verify("--json")
    return status, json.loads(output.strip().splitlines()[-1])


@contextmanager
def _triggers_off(table: str, which: str = "USER") -> Iterator[None]:
    """What someone with the tables' owner rights could do to rewrite history.

    ``ALL`` also switches off the foreign keys' checks (deleting a batch that
    entries name).
    """
    with connection.cursor() as cursor:
        _check_pending_constraints(cursor)
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {which}")
        try:
            yield
        finally:
            _check_pending_constraints(cursor)
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {which}")


def _check_pending_constraints(cursor) -> None:
    # ALTER TABLE refuses while foreign-key checks are pending: run them now, as a
    # commit would, then defer again (entries are written before their batch).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# Appending


def test_a_decision_is_written_with_its_own_batch_at_the_next_position(db):
    entry = _record()
    batch = DecisionBatch.objects.get(pk=entry.batch_id)
    assert (batch.position, batch.entries, batch.previous_hash) == (1, 1, ZERO_HASH)
    head = DecisionChainHead.objects.get()
    assert (head.position, head.batch_hash) == (1, batch.batch_hash)
    stored = DecisionEntry.objects.get(pk=entry.pk)
    assert (stored.kind, stored.subject, stored.decided_by) == (
        "application", "2026-0000001", "official:7")
    assert stored.entry_hash == entry.entry_hash and len(stored.entry_hash) == 64
    assert stored.recorded_at == entry.recorded_at


def test_an_appended_batch_chains_to_the_previous_one(db):
    first = _record("2026-0000001")
    batch, entries = _append_awards()
    earlier = DecisionBatch.objects.get(pk=first.batch_id)
    later = DecisionBatch.objects.get(pk=batch)
    assert later.position == earlier.position + 1
    assert later.previous_hash == earlier.batch_hash
    assert later.entries == 3
    assert list(DecisionEntry.objects.filter(batch_id=batch).order_by("id")
                .values_list("award_id", flat=True)) == [1, 2, 3]
    assert DecisionChainHead.objects.get().batch_hash == later.batch_hash


def test_closing_a_batch_without_entries_does_nothing(db):
    _record()
    head_before = DecisionChainHead.objects.values_list("position", "batch_hash").get()
    with transaction.atomic():
        assert decision_batch_close(decision_batch_open()) is None
    assert DecisionBatch.objects.count() == 1
    assert DecisionChainHead.objects.values_list("position", "batch_hash").get() == head_before


def test_the_facts_are_hashed_not_stored(db):
    entry = _record(facts={"phone": "+994501112233"})
    other = _record("2026-0000002", facts={"phone": "+994557654321"})
    assert entry.facts_hash != other.facts_hash
    assert "+99450" not in json.dumps(DecisionEntry.objects.get(pk=entry.pk).details)


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError):
        _record(kind="whim")
    assert not DecisionEntry.objects.exists()


def test_an_entry_cannot_commit_without_its_batch(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        batch = decision_batch_open()
        with connection.cursor() as cursor:
            cursor.execute(_THREE_AWARDS, {"_batch": batch, "_first": 1})
            # What a commit would check: the batch was never closed.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# The hash functions


def _entry_hash(**changes) -> str:
    values = {"kind": "award", "person_id": 1, "award_id": None, "subject": "a",
              "decided_by": "b", "details": "{}", "facts_hash": ZERO_HASH,
              "recorded_at": "2026-11-23 10:00:00.123456+04"}
    values.update(changes)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT audit_entry_hash(%(kind)s, %(person_id)s, %(award_id)s, %(subject)s, "
            "%(decided_by)s, %(details)s::jsonb, %(facts_hash)s, %(recorded_at)s::timestamptz)",
            values)
        return cursor.fetchone()[0]


def test_text_cannot_run_into_the_next_field(db):
    assert _entry_hash(subject="a\x1fb", decided_by="c") != _entry_hash(subject="a",
                                                                      decided_by="b\x1fc")
    assert _entry_hash(subject="a\\", decided_by="b") != _entry_hash(subject="a",
                                                                   decided_by="\\b")


def test_a_missing_value_differs_from_the_word_null(db):
    assert _entry_hash(award_id=None) != _entry_hash(award_id=0)
    assert _entry_hash(subject=None) != _entry_hash(subject="null")
    assert _entry_hash(subject=None) != _entry_hash(subject="\\N")


def test_the_entry_hash_does_not_depend_on_the_session_time_zone(db):
    baku = _entry_hash()
    _sql("SET LOCAL TIME ZONE 'America/New_York'")
    assert _entry_hash() == baku
    assert _entry_hash(recorded_at="2026-11-23 06:00:00.123456+00") == baku
    assert _entry_hash(recorded_at="2026-11-23 06:00:00.123457+00") != baku


# The database refuses changes


@pytest.mark.parametrize("statement", [
    "UPDATE audit_decisionentry SET details = '{\"amount\": \"9999\"}'",
    "DELETE FROM audit_decisionentry",
    "UPDATE audit_decisionbatch SET batch_hash = repeat('a', 64)",
    "DELETE FROM audit_decisionbatch",
    "TRUNCATE audit_decisionentry, audit_decisionbatch",
])
def test_the_database_refuses_to_change_the_log(db, statement):
    _append_awards()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        # The test database lets the suite empty the tables; this transaction does not.
        _sql("SET LOCAL dost.audit_truncate = ''")
        # Deferred foreign-key checks pending in this transaction would refuse a TRUNCATE
        # first (as a commit would have run them).
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
        _sql(statement)
    assert DecisionEntry.objects.count() == 3
    assert decision_log_verify().intact


def test_the_orm_cannot_change_an_entry_either(db):
    entry = DecisionEntry.objects.get(pk=_record().pk)
    entry.details = {"status": "rejected"}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save(update_fields=["details"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DecisionEntry.objects.filter(pk=entry.pk).delete()


def test_replacing_the_population_restarts_the_chain(db):
    _record()
    _append_awards()
    with transaction.atomic():
        # As outside the test suite: the tables refuse TRUNCATE unless told otherwise.
        _sql("SET LOCAL dost.audit_truncate = ''")
        with connection.cursor() as cursor:
            _check_pending_constraints(cursor)
        decision_log_reset()
    assert not DecisionEntry.objects.exists() and not DecisionBatch.objects.exists()
    assert DecisionChainHead.objects.values_list("position", "batch_hash").get() == (
        0, ZERO_HASH)
    assert _record().batch.position == 1
    assert decision_log_verify().intact


# Verification


def test_an_intact_log_exits_0_and_reports_its_counts(db):
    _record()
    _append_awards()
    status, report = _verify_json()
    assert status == 0
    assert report["intact"] is True
    assert (report["entries"], report["batches"], report["first_altered"]) == (4, 2, None)
    assert report["seconds"] >= 0 and "entries_per_second" in report


def test_the_human_line_says_intact(db):
    _append_awards()
    status, output = _verify()
    assert status == 0
    assert output.startswith("Decision log intact: 3 entries in 1 batches")


def test_an_empty_log_is_intact(db):
    status, report = _verify_json()
    assert status == 0
    assert (report["intact"], report["entries"], report["batches"]) == (True, 0, 0)


def test_verification_does_not_depend_on_the_session_time_zone(db):
    _append_awards()
    _sql("SET LOCAL TIME ZONE 'Pacific/Kiritimati'")
    assert decision_log_verify().intact


def test_an_edited_entry_is_named_as_the_first_altered(db):
    _record()
    batch, entries = _append_awards()
    _append_awards(first_award_id=4)
    with _triggers_off("audit_decisionentry"):
        _sql("UPDATE audit_decisionentry SET details = details || '{\"amount\": \"999\"}' "
             "WHERE id = %s", [entries[1]])
    status, report = _verify_json()
    assert status == 1
    assert report["intact"] is False
    assert (report["first_altered"], report["first_altered_batch"]) == (entries[1], batch)


def test_of_two_edited_entries_the_smaller_id_is_named(db):
    _, entries = _append_awards()
    with _triggers_off("audit_decisionentry"):
        _sql("UPDATE audit_decisionentry SET subject = 'x' WHERE id = ANY(%s)",
             [[entries[2], entries[1]]])
    assert _verify_json()[1]["first_altered"] == entries[1]


def test_an_entry_rewritten_with_a_matching_hash_is_found_by_its_batch(db):
    _record()
    _, entries = _append_awards()
    with _triggers_off("audit_decisionentry"):
        _sql("""UPDATE audit_decisionentry SET decided_by = 'official:1',
                entry_hash = audit_entry_hash(kind, person_id, award_id, subject, 'official:1',
                                              details, facts_hash, recorded_at)
                WHERE id = %s""", [entries[2]])
    status, report = _verify_json()
    assert status == 1
    # The batch no longer matches: its first entry is named.
    assert report["first_altered"] == entries[0]


def test_a_deleted_entry_is_found_by_its_batch(db):
    _record()
    batch, entries = _append_awards()
    with _triggers_off("audit_decisionentry"):
        _sql("DELETE FROM audit_decisionentry WHERE id = %s", [entries[0]])
    status, report = _verify_json()
    assert status == 1
    assert (report["first_altered"], report["first_altered_batch"]) == (entries[1], batch)
    assert report["entries"] == 3


def test_a_batch_whose_only_entry_was_deleted_is_named(db):
    entry = _record()
    _append_awards()
    with _triggers_off("audit_decisionentry"):
        _sql("DELETE FROM audit_decisionentry WHERE id = %s", [entry.pk])
    status, report = _verify_json()
    assert status == 1
    assert (report["first_altered"], report["first_altered_batch"]) == (None, entry.batch_id)


def test_an_edited_batch_hash_is_found(db):
    _record()
    batch, entries = _append_awards()
    _append_awards(first_award_id=4)
    with _triggers_off("audit_decisionbatch"):
        _sql("UPDATE audit_decisionbatch SET batch_hash = repeat('a', 64) WHERE id = %s",
             [batch])
    status, report = _verify_json()
    assert status == 1
    assert (report["first_altered"], report["first_altered_batch"]) == (entries[0], batch)


def test_a_deleted_batch_leaves_its_entries_named(db):
    _record()
    batch, entries = _append_awards()
    _append_awards(first_award_id=4)
    with _triggers_off("audit_decisionbatch", "ALL"):
        _sql("DELETE FROM audit_decisionbatch WHERE id = %s", [batch])
    report = decision_log_verify()
    assert not report.intact
    assert (report.first_altered, report.first_altered_batch) == (entries[0], batch)


def test_a_removed_last_batch_is_found_by_the_head(db):
    _record()
    batch, _ = _append_awards()
    with _triggers_off("audit_decisionentry"), _triggers_off("audit_decisionbatch", "ALL"):
        _sql("DELETE FROM audit_decisionentry WHERE batch_id = %s", [batch])
        _sql("DELETE FROM audit_decisionbatch WHERE id = %s", [batch])
    report = decision_log_verify()
    assert not report.intact
    assert not report.head_intact
    assert report.first_altered is None


def test_the_altered_line_names_the_entry(db):
    _, entries = _append_awards()
    with _triggers_off("audit_decisionentry"):
        _sql("UPDATE audit_decisionentry SET kind = 'refusal' WHERE id = %s", [entries[0]])
    status, output = _verify()
    assert status == 1
    assert f"first altered entry D-{entries[0]}" in output


# Reading


def test_receipts_of_awards_come_in_one_query(db, django_assert_num_queries):
    _, entries = _append_awards()
    _record(kind="stop", award_id=2, subject="old_age_pension", decided_by="registry.death")
    with django_assert_num_queries(1):
        receipts = decision_receipts([1, 2, 404])
    assert set(receipts) == {1, 2}
    assert [r.kind for r in receipts[2]] == ["award", "stop"]
    first = receipts[1][0]
    assert (first.reference, first.position) == (f"D-{entries[0]}", 1)
    assert first.entry_hash == DecisionEntry.objects.get(pk=entries[0]).entry_hash
    assert receipts[2][1].position == 2
    assert decision_receipts([]) == {}


def test_a_persons_decisions_are_newest_first(alice):
    older = _record(person_id=alice.person_id)
    newer = _record("2026-0000002", person_id=alice.person_id)
    _record("2026-0000003")
    assert [entry.pk for entry in decisions_of_person(alice.person_id)] == [newer.pk, older.pk]


# Concurrency: real connections, real commits


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_writers_at_once_leave_an_intact_chain_with_consecutive_positions():
    writers, per_writer = 2, 15
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            start.wait(timeout=10)
            for step in range(per_writer):
                if step % 2:
                    with transaction.atomic():
                        batch = decision_batch_open()
                        with connection.cursor() as cursor:
                            cursor.execute(_THREE_AWARDS, {"_batch": batch,
                                                           "_first": number * 1000 + step * 3})
                        decision_batch_close(batch)
                else:
                    _record(f"W{number}-{step}")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    positions = list(DecisionBatch.objects.order_by("position")
                     .values_list("position", flat=True))
    assert positions == list(range(1, writers * per_writer + 1))
    assert DecisionChainHead.objects.get().position == writers * per_writer
    report = decision_log_verify()
    assert report.intact
    assert report.entries == writers * (per_writer // 2 * 3 + (per_writer + 1) // 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_a_batch_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        decision_batch_close(decision_batch_open())


# The back-office


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def test_the_admin_shows_the_log_but_offers_no_change(client, administrator, alice):
    entry = _record(person_id=alice.person_id)
    client.force_login(administrator)
    for model in ("decisionentry", "decisionbatch"):
        assert client.get(reverse(f"admin:audit_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:audit_{model}_add")).status_code == 403
    change = reverse("admin:audit_decisionentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"subject": "rewritten"}).status_code == 403
    delete = reverse("admin:audit_decisionbatch_delete", args=[entry.batch_id])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DecisionEntry.objects.get(pk=entry.pk).subject == entry.subject


def test_opening_a_citizens_decision_in_the_admin_is_in_their_access_log(client, administrator,
                                                                          alice):
    entry = _record(person_id=alice.person_id)
    client.force_login(administrator)
    client.get(reverse("admin:audit_decisionentry_changelist"))
    # The list shows whom the decision is about: a look of its own, logged as a list.
    listed = AccessRecord.objects.get()
    client.get(reverse("admin:audit_decisionentry_change", args=[entry.pk]))
    record = AccessRecord.objects.exclude(pk=listed.pk).get()
    assert (record.person_id, record.actor, record.channel) == (
        alice.person_id, administrator, Channel.ADMIN)
