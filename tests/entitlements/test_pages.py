from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dost.entitlements.models import ScanRun
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.tasks import scan_launch
from dost.registry.models import FamilyRelation


def _give_birth(alice, make_person):
    baby = make_person(fin="1BBY777", first_name="Nərgiz",
                       birth_date=dt.date.today() - dt.timedelta(days=2))
    FamilyRelation.objects.create(person=baby, relative=alice.person, kind="parent",
                                  source_id="justice")
    entitlements_for_people(people=[alice.person_id], on=dt.date.today())


def test_citizen_sees_their_award_with_reasons_and_sources(client, alice, make_person):
    _give_birth(alice, make_person)
    client.force_login(alice)
    body = client.get(reverse("esocial:my_awards"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lump-sum childbirth allowance" in body
    assert "Nərgiz" in body
    assert "Law on social benefits" in body


def test_citizen_sees_only_their_own_awards(client, alice, bob, make_person):
    _give_birth(alice, make_person)
    client.force_login(bob)
    body = client.get(reverse("esocial:my_awards"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nərgiz" not in body


def test_staff_starts_a_scan_and_sees_its_progress(client, charlie,
                                                   django_capture_on_commit_callbacks):
    client.force_login(charlie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("entitlements:scan_create"))
    scan = ScanRun.objects.get()
    assert response["Location"] == reverse("entitlements:scan_detail", args=[scan.pk])
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in page


def test_citizens_and_agents_cannot_start_scans(client, alice, agent):
    for user in (alice, agent):
        client.force_login(user)
        assert client.post(reverse("entitlements:scan_create")).status_code == 403
    assert not ScanRun.objects.exists()


def test_staff_see_that_a_scan_looked_again_only_at_who_may_have_changed(
        client, charlie, make_person, settings, django_capture_on_commit_callbacks):
    settings.PROACTIVE_SCAN_RECORDING_MARGIN_SECONDS = 0
    make_person()
    for day in (23, 24):
        with django_capture_on_commit_callbacks(execute=True):
            scan = scan_launch(on=dt.date(2026, 11, day))
    client.force_login(charlie)
    page = client.get(reverse("entitlements:scan_detail", args=[scan.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 people who may have changed since the scan as of" in page
