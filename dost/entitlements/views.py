"""Staff pages: start a scan, watch its progress, resume one that failed."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.entitlements.models import ScanRun
from dost.entitlements.selectors import recent_scans
from dost.entitlements.tasks import scan_launch, scan_relaunch
from dost.errors import DomainError

SCAN_OPERATORS = (Role.STAFF, Role.ADMIN)


@role_required(*SCAN_OPERATORS)
def scan_list(request):
    return render(request, "entitlements/scan_list.html", {"scans": recent_scans()})


@role_required(*SCAN_OPERATORS)
def scan_detail(request, pk: int):
    scan = get_object_or_404(ScanRun, pk=pk)
    # htmx polls for the progress fragment alone.
    template = "_scan_progress.html" if request.htmx else "scan_detail.html"
    return render(request, f"entitlements/{template}", {"scan": scan})


@role_required(*SCAN_OPERATORS)
@require_POST
def scan_create(request):
    with transaction.atomic():
        scan = scan_launch(on=timezone.localdate())
    return redirect("entitlements:scan_detail", pk=scan.pk)


@role_required(*SCAN_OPERATORS)
@require_POST
def scan_resume(request, pk: int):
    scan = get_object_or_404(ScanRun, pk=pk)
    try:
        with transaction.atomic():
            chunks = scan_relaunch(scan_run_id=scan.pk)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, ngettext(
            "Scan #%(number)s resumed: %(chunks)s chunk not done is running again.",
            "Scan #%(number)s resumed: %(chunks)s chunks not done are running again.",
            len(chunks)) % {"number": scan.pk, "chunks": len(chunks)})
    return redirect("entitlements:scan_detail", pk=scan.pk)
