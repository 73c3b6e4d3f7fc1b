from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dost.accounts.models import User
from dost.entitlements.models import Award, ScanRun
from dost.equeue.models import Slot


@pytest.fixture(autouse=True)
def _local_machine(settings):
    # Demo users exist only where DEBUG is on, as `make run` has it.
    settings.DEBUG = True


def test_demo_has_a_country_its_awards_open_queue_slots_and_a_user_per_role(
        db, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", people=2000, stdout=out)
    scan = ScanRun.objects.get()
    assert scan.status == ScanRun.Status.DONE
    assert Award.objects.count() == scan.awarded > 0
    assert Slot.objects.exists()
    assert User.objects.filter(role="citizen").exists()
    assert "Proactive scan" in out.getvalue()


def test_seeding_the_demo_again_adds_no_country_and_no_scan(
        db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", people=500, stdout=StringIO())
    call_command("seed_demo", people=500, stdout=StringIO())
    assert ScanRun.objects.count() == 1
