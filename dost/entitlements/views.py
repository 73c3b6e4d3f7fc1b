"""Staff pages: start a scan and watch its progress."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.entitlements.models import ScanRun
from dost.entitlements.selectors import recent_scans
from dost.entitlements.services import scan_start

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
        scan = scan_start(on=timezone.localdate())
    return redirect("entitlements:scan_detail", pk=scan.pk)
