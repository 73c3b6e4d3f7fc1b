"""The citizen's PIN for the 142 phone line: set or change it, and see whether it is locked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dost.accounts.decorators import own_person, role_required
from dost.accounts.models import Role
from dost.accounts.phone_pin import phone_pin_set
from dost.accounts.selectors import phone_pin_of_person
from dost.errors import DomainError
from esocial.phone_pin.forms import PhonePinForm


@role_required(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def phone_pin(request: HttpRequest) -> HttpResponse:
    """Always the signed-in citizen's own PIN: the address names nobody."""
    person = own_person(request)
    form = PhonePinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                phone_pin_set(person=person, pin=form.cleaned_data["pin"])
            except DomainError as refusal:
                form.add_error("pin", refusal.message)
            else:
                messages.success(request, _("Your phone PIN is saved. Call 142 and choose the "
                                            "voice menu to use it."))
                return redirect("esocial:phone_pin")
        status = 400
    return render(request, "esocial/phone_pin/edit.html",
                  {"form": form, "phone_pin": phone_pin_of_person(person.pk)}, status=status)
