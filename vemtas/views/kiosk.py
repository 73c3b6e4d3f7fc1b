"""The kiosk at DOST centres: apply for targeted social assistance with the ID card and a code.

Step 1 the FIN from the ID card, step 2 the code texted to the phone on record,
step 3 the application form, then a confirmation with the reference number.
Nobody is signed in: the kiosk keeps its steps under one session key
(``KIOSK_KEY``), which it drops after the application is filed, on "Start
again", and when the kiosk has been left idle (``IDLE_TIMEOUT``, checked here on
every request and in the browser by ``static/js/kiosk.js``). No page may be
cached: the next person at the kiosk must not go back to the last one's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dost.applications.registry import application_type
from dost.applications.selectors import facts_shown, open_application_of_type, prefilled_facts
from dost.applications.services import InvalidApplication, application_form
from dost.errors import DomainError
from vemtas.applications import CODE as APPLICATION_TYPE
from vemtas.forms_kiosk import CodeForm, FinForm
from vemtas.kiosk import (
    CODE_VALID_FOR,
    IDLE_TIMEOUT,
    SentCode,
    identified_person,
    kiosk_application_submit,
    kiosk_code_check,
    kiosk_code_send,
)

KIOSK_KEY = "vemtas_kiosk"
# The reference of the application just filed, shown once on the confirmation page.
DONE_KEY = "vemtas_kiosk_done"
# The confirmation page goes back to the first step sooner.
DONE_IDLE_SECONDS = 60
# Codes that cannot be tried again: the person must ask for a new one.
_CODE_SPENT = frozenset({"code_expired", "too_many_attempts"})


def _render(request: HttpRequest, template: str, context: dict[str, Any], *,
            step: int | None, status: int = 200,
            idle_seconds: int = int(IDLE_TIMEOUT.total_seconds())) -> HttpResponse:
    return render(request, f"vemtas/kiosk/{template}", {
        **context, "step": step, "steps": 3, "idle_seconds": idle_seconds,
        "idle_minutes": max(1, idle_seconds // 60),
    }, status=status)


def _forget(request: HttpRequest) -> None:
    """End the kiosk session: what it knew of the person goes.

    A kiosk is nobody's signed-in browser, so its whole session is thrown away
    and a new key issued; should someone be signed in on it, only the kiosk's
    keys go, and their sign-in is not touched.
    """
    request.session.pop(KIOSK_KEY, None)
    request.session.pop(DONE_KEY, None)
    if not request.user.is_authenticated:
        request.session.flush()


def _state(request: HttpRequest) -> dict[str, Any] | None:
    """The kiosk's steps so far, or None; an idle kiosk forgets them here."""
    state = request.session.get(KIOSK_KEY)
    if not isinstance(state, dict):
        return None
    now = timezone.now()
    try:
        seen = dt.datetime.fromisoformat(state.get("seen", ""))
    except (TypeError, ValueError):
        seen = None
    if seen is None or now - seen > IDLE_TIMEOUT:
        _forget(request)
        messages.info(request, _("The kiosk was left idle, so it has started again."))
        return None
    state["seen"] = now.isoformat()
    request.session[KIOSK_KEY] = state
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    state["seen"] = timezone.now().isoformat()
    request.session[KIOSK_KEY] = state


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the FIN on the ID card; a code is texted to the phone on record."""
    _state(request)  # an idle kiosk's leftovers are cleared and it says so
    form = FinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fin = form.cleaned_data["fin"]
        try:
            sent = kiosk_code_send(fin=fin)
        except DomainError as refusal:
            form.add_error("fin", refusal.message)
        else:
            # A new person at the kiosk: nothing of anyone before them is kept.
            request.session.pop(KIOSK_KEY, None)
            request.session.cycle_key()
            _save(request, {"fin": fin, "sent": sent.to_session(), "person_id": None})
            return redirect("kiosk:code")
    return _render(request, "start.html", {"form": form}, step=1,
                   status=400 if form.is_bound else 200)


def _render_code(request: HttpRequest, state: dict[str, Any], form: CodeForm, *,
                 status: int = 200) -> HttpResponse:
    sent = SentCode.from_session(state.get("sent"))
    return _render(request, "code.html", {
        "form": form, "sent": sent,
        "code_minutes": int(CODE_VALID_FOR.total_seconds() // 60),
    }, step=2, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the SMS. A wrong one counts; an expired or spent one must be
    replaced by a new one."""
    state = _state(request)
    if state is None or not state.get("fin"):
        return redirect("kiosk:start")
    if state.get("person_id"):
        return redirect("kiosk:apply")
    form = CodeForm(request.POST or None)
    if request.method != "POST":
        return _render_code(request, state, form)
    sent = SentCode.from_session(state.get("sent"))
    if sent is None:
        form.add_error(None, _("Ask for a new code."))
    elif form.is_valid():
        try:
            person = kiosk_code_check(sent=sent, code=form.cleaned_data["code"])
        except DomainError as refusal:
            if refusal.code in _CODE_SPENT:
                state["sent"] = None
                _save(request, state)
            form.add_error("code", refusal.message)
        else:
            # Identified: the code is used up, and the session gets a new key.
            request.session.cycle_key()
            _save(request, {"fin": state["fin"], "sent": None, "person_id": person.pk})
            return redirect("kiosk:apply")
    return _render_code(request, state, form, status=400)


@never_cache
@require_POST
def code_again(request: HttpRequest) -> HttpResponse:
    """A new code to the same ID card's phone (the old one stops working)."""
    state = _state(request)
    if state is None or not state.get("fin"):
        return redirect("kiosk:start")
    if state.get("person_id"):
        return redirect("kiosk:apply")
    try:
        sent = kiosk_code_send(fin=state["fin"])
    except DomainError as refusal:
        form = CodeForm()
        form.add_error(None, refusal.message)
        return _render_code(request, state, form, status=400)
    state["sent"] = sent.to_session()
    _save(request, state)
    messages.success(request, _("A new code has been sent."))
    return redirect("kiosk:code")


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Step 3: the household as the registry holds it, and the application form."""
    state = _state(request)
    person = identified_person(state.get("person_id")) if state else None
    if state is None or person is None:
        return redirect("kiosk:start")
    kind = application_type(APPLICATION_TYPE)
    open_one = open_application_of_type(person_id=person.pk, type_code=kind.code)
    form = None
    if request.method == "POST" and open_one is None:
        try:
            application = kiosk_application_submit(person=person, data=request.POST)
        except InvalidApplication as refusal:
            form = refusal.form
        except DomainError as refusal:
            form = application_form(kind=kind, person=person, data=request.POST)
            form.is_valid()
            form.add_error(None, refusal.message)
        else:
            _forget(request)
            request.session[DONE_KEY] = application.reference
            return redirect("kiosk:done")
    if form is None:
        form = application_form(kind=kind, person=person)
    return _render(request, "apply.html", {
        "kind": kind,
        "person": person,
        "facts": facts_shown(prefilled_facts(kind, person)),
        "form": form,
        "open_application": open_one,
    }, step=3, status=400 if form.is_bound and form.errors else 200)


@never_cache
@require_http_methods(["GET"])
def done(request: HttpRequest) -> HttpResponse:
    """The reference number, shown once; the kiosk has already forgotten the person."""
    reference = request.session.pop(DONE_KEY, None)
    if not reference:
        return redirect("kiosk:start")
    return _render(request, "done.html", {"reference": reference}, step=None,
                   idle_seconds=DONE_IDLE_SECONDS)


@never_cache
@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    """"Start again", or the browser's idle timer: forget everything and go to step 1."""
    _forget(request)
    if request.POST.get("idle"):
        messages.info(request, _("The kiosk was left idle, so it has started again."))
    return redirect("kiosk:start")
