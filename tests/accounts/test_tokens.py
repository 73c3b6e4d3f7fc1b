from __future__ import annotations

import datetime as dt
import hashlib
import re
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from rest_framework.test import APIClient

from dost.accounts.models import Institution, InstitutionToken, Role, User, hash_token
from dost.audit.models import AccessRecord, Channel

COMMAND = "create_institution_token"
MINISTRY = "Ministry of Justice"


def make_token(name: str = MINISTRY, *scopes: str) -> str:
    out = StringIO()
    call_command(COMMAND, name, "--scopes", *(scopes or ("events:write", "registry:read")),
                 stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def person_url(fin: str, reason: str | None = "checking a pension claim") -> str:
    url = f"/api/v1/registry/persons/{fin}/"
    return f"{url}?reason={reason}" if reason is not None else url


def token_client(raw: str) -> APIClient:
    # Answers in English, which the assertions read; the site's default is Azerbaijani.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


# --- the management command -------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_a_raw_key_and_stores_only_its_sha256():
    raw = make_token()

    assert raw
    assert len(raw.split()) == 1
    token = InstitutionToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8]
    assert sorted(token.scopes) == ["events:write", "registry:read"]
    assert token.institution.name == MINISTRY


@pytest.mark.django_db
def test_raw_key_is_in_no_token_column():
    raw = make_token()

    row = InstitutionToken.objects.values().get()
    for column, value in row.items():
        assert raw not in str(value), column


@pytest.mark.django_db
def test_running_the_command_twice_creates_the_institution_once():
    first = make_token()
    second = make_token()

    assert first != second
    assert Institution.objects.filter(name=MINISTRY).count() == 1
    assert InstitutionToken.objects.filter(institution__name=MINISTRY).count() == 2


@pytest.mark.django_db
def test_unknown_scope_is_refused_and_nothing_is_created():
    with pytest.raises(CommandError, match="everything:write"):
        make_token(MINISTRY, "registry:read", "everything:write")

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_no_scopes_is_refused():
    # argparse refuses ``--scopes`` with no value; the command surfaces that as CommandError.
    with pytest.raises(CommandError):
        call_command(COMMAND, MINISTRY, "--scopes", stdout=StringIO(), stderr=StringIO())

    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_empty_scope_list_is_refused():
    with pytest.raises(CommandError):
        call_command(COMMAND, MINISTRY, scopes=[], stdout=StringIO(), stderr=StringIO())

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   "])
def test_empty_institution_name_is_refused(name):
    with pytest.raises(CommandError):
        make_token(name, "registry:read")

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


# --- the API with a token ---------------------------------------------------------------


def test_token_with_registry_read_reads_a_record_and_is_logged(alice):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url(alice.person.fin, "court case 12/2024"))

    assert response.status_code == 200
    assert response.json()["fin"] == alice.person.fin
    record = AccessRecord.objects.get()
    assert record.person == alice.person
    assert record.channel == Channel.API
    assert record.institution.name == MINISTRY
    assert record.actor is None
    assert record.reason == "court case 12/2024"


def test_token_use_is_stamped(alice):
    raw = make_token(MINISTRY, "registry:read")

    token_client(raw).get(person_url(alice.person.fin))

    assert InstitutionToken.objects.get().last_used_at is not None


def test_token_without_registry_read_is_forbidden_and_not_logged(alice):
    raw = make_token(MINISTRY, "events:write", "awards:read")

    response = token_client(raw).get(person_url(alice.person.fin))

    assert response.status_code == 403
    assert "Məmmədova" not in response.content.decode()
    assert "Alica" not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_wrong_token_is_unauthorised(alice):
    make_token(MINISTRY, "registry:read")

    response = token_client("not-the-right-key").get(person_url(alice.person.fin))

    assert response.status_code == 401
    assert not AccessRecord.objects.exists()


def test_revoked_token_is_unauthorised(alice):
    raw = make_token(MINISTRY, "registry:read")
    InstitutionToken.objects.update(revoked_at=timezone.now())

    response = token_client(raw).get(person_url(alice.person.fin))

    assert response.status_code == 401
    assert not AccessRecord.objects.exists()


def test_no_credentials_is_unauthorised(alice):
    response = APIClient().get(person_url(alice.person.fin))

    assert response.status_code == 401


@pytest.mark.parametrize("reason", [None, "", "%20%20"])
def test_token_look_up_without_a_reason_is_refused_and_not_logged(alice, reason):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url(alice.person.fin, reason))

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not AccessRecord.objects.exists()


def test_token_look_up_of_unknown_fin_is_not_found_and_not_logged(alice):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url("9ZZZZZZ"))

    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_token_look_up_ignores_fin_case(alice):
    raw = make_token(MINISTRY, "registry:read")

    response = token_client(raw).get(person_url(alice.person.fin.lower()))

    assert response.status_code == 200
    assert response.json()["fin"] == alice.person.fin


# --- the events an institution may push ---------------------------------------------------


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


@pytest.mark.django_db
def test_kind_preset_gives_the_institution_its_event_types():
    run(COMMAND, MINISTRY, "--scopes", "events:write", "--kind", "civil_registry")

    institution = Institution.objects.get()
    assert institution.event_types == ["birth", "death", "death_annulled", "marriage"]


@pytest.mark.django_db
def test_event_types_can_be_listed_one_by_one():
    run(COMMAND, "State Labour Inspectorate", "--scopes", "events:write",
        "--event-types", "employment_start, employment_end")

    assert Institution.objects.get().event_types == ["employment_end", "employment_start"]


@pytest.mark.django_db
def test_an_unknown_event_type_is_refused_and_nothing_is_created():
    with pytest.raises(CommandError, match="divorce"):
        run(COMMAND, MINISTRY, "--scopes", "events:write", "--event-types", "birth,divorce")

    assert not Institution.objects.exists()
    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_kind_and_event_types_together_are_refused():
    with pytest.raises(CommandError):
        run(COMMAND, MINISTRY, "--kind", "civil_registry", "--event-types", "birth")

    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(CommandError):
        run(COMMAND, MINISTRY, "--kind", "tax_service")

    assert not InstitutionToken.objects.exists()


@pytest.mark.django_db
def test_a_new_token_without_event_types_keeps_the_institutions():
    run(COMMAND, MINISTRY, "--scopes", "events:write", "--kind", "civil_registry")

    run(COMMAND, MINISTRY, "--scopes", "awards:read")

    assert Institution.objects.get().event_types == [
        "birth", "death", "death_annulled", "marriage"]


@pytest.mark.django_db
def test_a_pushing_token_for_an_institution_without_event_types_is_warned_about():
    _raw, told = run(COMMAND, MINISTRY, "--scopes", "events:write")

    assert "--kind" in told


@pytest.mark.django_db
def test_a_reading_token_is_not_warned_about_event_types():
    _raw, told = run(COMMAND, MINISTRY, "--scopes", "registry:read")

    assert "--kind" not in told


# --- expiry -------------------------------------------------------------------------------


@pytest.fixture
def frozen_now(db, monkeypatch):
    """Stops the clock the token check reads at a chosen moment (the real one at first)."""
    moment = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])
    return moment


@pytest.mark.django_db
def test_a_new_token_expires_after_the_configured_days(settings):
    settings.INSTITUTION_TOKEN_DAYS = 30

    make_token()

    token = InstitutionToken.objects.get()
    assert token.expires_at - token.created_at == dt.timedelta(days=30)


def test_an_expired_token_is_unauthorised_and_told_so(alice, frozen_now):
    raw = make_token(MINISTRY, "registry:read")
    InstitutionToken.objects.update(expires_at=frozen_now[0])

    response = token_client(raw).get(person_url(alice.person.fin))

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert not AccessRecord.objects.exists()


def test_a_token_a_second_before_expiry_still_works(alice, frozen_now):
    raw = make_token(MINISTRY, "registry:read")
    InstitutionToken.objects.update(expires_at=frozen_now[0] + dt.timedelta(seconds=1))

    response = token_client(raw).get(person_url(alice.person.fin))

    assert response.status_code == 200


def test_an_unknown_token_is_not_told_it_expired(alice):
    response = token_client("not-the-right-key").get(person_url(alice.person.fin))

    assert response.status_code == 401
    assert "expired" not in response.json()["detail"]


# --- rotation -----------------------------------------------------------------------------

ROTATE = "rotate_institution_token"


def rotate(prefix: str, *options: str) -> str:
    # After "--": a prefix made before keys stopped starting with "-" may start with one.
    return run(ROTATE, *options, "--", prefix)[0]


def test_rotation_gives_a_token_with_the_same_institution_scopes_and_rate(alice):
    old_raw = make_token(MINISTRY, "registry:read", "awards:read")
    InstitutionToken.objects.update(rate="100/min")

    new_raw = rotate(old_raw[:8])

    assert new_raw != old_raw
    new = InstitutionToken.objects.get(prefix=new_raw[:8])
    old = InstitutionToken.objects.get(prefix=old_raw[:8])
    assert new.institution == old.institution
    assert new.scopes == old.scopes
    assert new.rate == "100/min"
    assert new.rotated_from == old
    assert token_client(new_raw).get(person_url(alice.person.fin)).status_code == 200


def test_the_old_token_works_during_the_grace_period_and_not_after(alice, frozen_now):
    old_raw = make_token(MINISTRY, "registry:read")
    new_raw = rotate(old_raw[:8], "--grace-hours", "2")

    frozen_now[0] += dt.timedelta(hours=2) - dt.timedelta(seconds=1)
    during = token_client(old_raw).get(person_url(alice.person.fin))
    frozen_now[0] += dt.timedelta(seconds=1)
    after = token_client(old_raw).get(person_url(alice.person.fin))
    new = token_client(new_raw).get(person_url(alice.person.fin))

    assert during.status_code == 200
    assert after.status_code == 401
    assert "expired" in after.json()["detail"]
    assert new.status_code == 200


def test_the_grace_period_is_a_day_by_default(frozen_now):
    old_raw = make_token()

    rotate(old_raw[:8])

    old = InstitutionToken.objects.get(prefix=old_raw[:8])
    assert old.expires_at == frozen_now[0] + dt.timedelta(hours=24)


def test_rotation_never_lengthens_the_old_tokens_life(frozen_now):
    old_raw = make_token()
    ends_soon = frozen_now[0] + dt.timedelta(hours=1)
    InstitutionToken.objects.update(expires_at=ends_soon)

    rotate(old_raw[:8], "--grace-hours", "48")

    assert InstitutionToken.objects.get(prefix=old_raw[:8]).expires_at == ends_soon


def test_a_rotation_without_grace_ends_the_old_token_at_once(alice):
    old_raw = make_token(MINISTRY, "registry:read")

    rotate(old_raw[:8], "--grace-hours", "0")

    assert token_client(old_raw).get(person_url(alice.person.fin)).status_code == 401


@pytest.mark.django_db
def test_a_token_is_rotated_once_then_its_successor_is():
    old_raw = make_token()
    new_raw = rotate(old_raw[:8])

    with pytest.raises(CommandError, match=new_raw[:8]):
        rotate(old_raw[:8])

    assert InstitutionToken.objects.count() == 2
    assert rotate(new_raw[:8])


def test_new_keys_never_start_with_a_dash(monkeypatch):
    keys = iter(["-starts-with-a-dash", "plain-key"])
    monkeypatch.setattr("secrets.token_urlsafe", lambda _length: next(keys))

    assert InstitutionToken.new_raw_key() == "plain-key"


@pytest.mark.django_db
def test_a_prefix_starting_with_a_dash_can_be_rotated():
    make_token()
    InstitutionToken.objects.update(prefix="-Ab12cd3")

    assert rotate("-Ab12cd3")
    assert InstitutionToken.objects.count() == 2


@pytest.mark.django_db
def test_rotating_an_unknown_prefix_is_refused():
    make_token()

    with pytest.raises(CommandError, match="zzzzzzzz"):
        rotate("zzzzzzzz")

    assert InstitutionToken.objects.count() == 1


@pytest.mark.django_db
def test_rotating_a_revoked_token_is_refused():
    old_raw = make_token()
    InstitutionToken.objects.update(revoked_at=timezone.now())

    with pytest.raises(CommandError):
        rotate(old_raw[:8])

    assert InstitutionToken.objects.count() == 1


@pytest.mark.django_db
def test_a_negative_grace_period_is_refused_and_changes_nothing():
    old_raw = make_token()
    before = InstitutionToken.objects.get().expires_at

    with pytest.raises(CommandError):
        rotate(old_raw[:8], "--grace-hours", "-1")

    assert InstitutionToken.objects.get().expires_at == before
    assert InstitutionToken.objects.count() == 1


@pytest.mark.django_db
def test_a_prefix_two_tokens_share_is_refused():
    first = make_token()
    make_token()
    # Prefixes are random: make the clash instead of waiting for one.
    InstitutionToken.objects.update(prefix=first[:8])

    with translation.override("en"), pytest.raises(CommandError, match="Several"):
        rotate(first[:8])

    assert InstitutionToken.objects.count() == 2


def _administrator(client) -> None:
    user = User.objects.create_user(username="root", password="x-correct-horse-9",
                                    role=Role.ADMIN, is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)


@pytest.mark.django_db
def test_the_back_office_rotates_a_token_and_shows_the_new_key_once(client):
    old_raw = make_token()
    old = InstitutionToken.objects.get()
    _administrator(client)

    response = client.post("/backoffice/admin/accounts/institutiontoken/",
                           {"action": "rotate", "_selected_action": [old.pk]})

    assert response.status_code == 200
    new = InstitutionToken.objects.get(rotated_from=old)
    shown = re.findall(r"<code>([^<]+)</code>", response.content.decode())
    assert [hash_token(raw) for raw in shown] == [new.key_hash]
    assert old_raw not in response.content.decode()


@pytest.mark.django_db
def test_the_back_office_refuses_to_rotate_a_revoked_token(client):
    make_token()
    InstitutionToken.objects.update(revoked_at=timezone.now())
    _administrator(client)

    response = client.post("/backoffice/admin/accounts/institutiontoken/",
                           {"action": "rotate",
                            "_selected_action": [InstitutionToken.objects.get().pk]},
                           follow=True)

    assert "revoked" in response.content.decode()
    assert InstitutionToken.objects.count() == 1


# --- throttling ---------------------------------------------------------------------------


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"institution": "2/min"}}


def test_a_token_over_its_rate_is_told_to_retry_later(alice, two_a_minute):
    client = token_client(make_token(MINISTRY, "registry:read"))

    answers = [client.get(person_url(alice.person.fin)) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 0 < int(answers[2]["Retry-After"]) <= 60
    assert AccessRecord.objects.count() == 2


def test_another_token_is_served_while_one_is_throttled(alice, two_a_minute):
    busy = token_client(make_token(MINISTRY, "registry:read"))
    other = token_client(make_token("State Tax Service", "registry:read"))
    for _ in range(3):
        busy.get(person_url(alice.person.fin))

    assert other.get(person_url(alice.person.fin)).status_code == 200


def test_a_tokens_own_rate_overrides_the_default(alice):
    client = token_client(make_token(MINISTRY, "registry:read"))
    InstitutionToken.objects.update(rate="1/min")

    answers = [client.get(person_url(alice.person.fin)).status_code for _ in range(2)]

    assert answers == [200, 429]


def test_a_token_under_the_default_rate_is_not_throttled(alice):
    client = token_client(make_token(MINISTRY, "registry:read"))

    answers = {client.get(person_url(alice.person.fin)).status_code for _ in range(5)}

    assert answers == {200}


def test_a_citizens_session_is_not_counted_as_a_token(client, alice, two_a_minute):
    client.force_login(alice)

    answers = {client.get("/api/v1/me/").status_code for _ in range(4)}

    assert answers == {200}


@pytest.mark.django_db
def test_the_command_sets_a_tokens_own_rate():
    run(COMMAND, MINISTRY, "--scopes", "registry:read", "--rate", "600/min")

    assert InstitutionToken.objects.get().rate == "600/min"


@pytest.mark.django_db
@pytest.mark.parametrize("rate", ["600", "fast", "0/min", "600/fortnight"])
def test_a_malformed_rate_is_refused_and_nothing_is_created(rate):
    with pytest.raises(CommandError):
        run(COMMAND, MINISTRY, "--scopes", "registry:read", "--rate", rate)

    assert not InstitutionToken.objects.exists()
