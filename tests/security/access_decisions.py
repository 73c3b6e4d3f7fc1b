"""Who may reach each route: a declared decision per role, checked by ``test_access_matrix``.

Every route of the URL configuration needs an entry here (or, for the Django
admin, in the admin tables below): a new page, endpoint or admin model fails
the suite until its author decides who gets in. The decisions:

- ``allow``: the role gets in (any answer but a refusal, validation errors included);
- ``refuse``: sign-in page for the anonymous, 403 or 404 for a signed-in role,
  401 or 403 from the API;
- ``own``: the role gets in to its own object and is refused another's (citizen A
  to A's application and not B's; an institution to its own event). The URL is
  built twice, from the role's object and from the other party's.

A route with objects in its URL names a factory that builds the URL's
arguments from the objects of a party (see ``tests.security.world``); roles
that own nothing there are shown the objects of ``subject`` (citizen A).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from tests.security.world import (
    ADMIN,
    AGENT,
    ANONYMOUS,
    CITIZEN_A,
    CITIZEN_B,
    DOCTOR,
    EMPLOYER,
    EXPERT,
    INSTITUTION,
    ROLES,
    STAFF,
    World,
)

ALLOW = "allow"
REFUSE = "refuse"
OWN = "own"

Factory = Callable[[World, str], Mapping[str, Any]]


@dataclass(frozen=True)
class Access:
    decisions: Mapping[str, str]
    method: str = "GET"
    kwargs: Factory | None = None
    query: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    # API routes refuse with 401/403 (404 for another's object), never a sign-in page.
    api: bool = False
    subject: str = CITIZEN_A


CITIZENS = (CITIZEN_A, CITIZEN_B)
SIGNED_IN = tuple(role for role in ROLES if role not in {ANONYMOUS, INSTITUTION})
BACKOFFICE = (STAFF, ADMIN)
RECORD_READERS = (STAFF, AGENT, ADMIN)
TWO_FACTOR = (STAFF, AGENT, EXPERT, ADMIN)


def decided(*, allow: tuple[str, ...] = (), own: tuple[str, ...] = ()) -> dict[str, str]:
    """Every role refused except those named."""
    return {role: ALLOW if role in allow else OWN if role in own else REFUSE for role in ROLES}


def public(**options: Any) -> Access:
    return Access(decided(allow=ROLES), **options)


def signed_in(**options: Any) -> Access:
    return Access(decided(allow=SIGNED_IN), **options)


def nobody(**options: Any) -> Access:
    return Access(decided(), **options)


def citizens(**options: Any) -> Access:
    """The signed-in citizen's own pages, which name no object: there is no one else's to ask."""
    return Access(decided(allow=CITIZENS), **options)


def citizens_own(kwargs: Factory, **options: Any) -> Access:
    return Access(decided(own=CITIZENS), kwargs=kwargs, **options)


def backoffice(**options: Any) -> Access:
    return Access(decided(allow=BACKOFFICE), **options)


# --- object factories: URL arguments from a party's objects ----------------------------------


def constant(**kwargs: Any) -> Factory:
    return lambda world, party: kwargs


def fin(world: World, party: str) -> dict[str, Any]:
    return {"fin": world.people[party].fin}


def application(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.applications[party].pk}


def application_document(world: World, party: str) -> dict[str, Any]:
    document = world.documents[party]
    return {"pk": document.application_id, "document_pk": document.pk}


def certificate(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.certificates[party].pk}


def certificate_code(world: World, party: str) -> dict[str, Any]:
    return {"code": world.certificates[party].code}


def booking(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.bookings[party].pk}


def mobile_stop(world: World, party: str) -> dict[str, Any]:
    assert world.mobile_stop is not None
    return {"pk": world.mobile_stop.pk}


def correction(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.corrections[party].pk}


def scan(world: World, party: str) -> dict[str, Any]:
    assert world.scan is not None
    return {"pk": world.scan.pk}


def event(world: World, party: str) -> dict[str, Any]:
    return {"event_id": world.events[party].event_id}


def held_event(world: World, party: str) -> dict[str, Any]:
    assert world.held_event is not None
    return {"pk": world.held_event.pk}


def aid_request(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.aid_requests[party].pk}


def aid_request_approval(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.aid_requests[party].pk, "step": "approve"}


def complaint(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.complaints[party].pk}


def tssa_case(world: World, party: str) -> dict[str, Any]:
    return {"pk": world.tssa_cases[party].pk}


def visit(world: World, party: str) -> dict[str, Any]:
    assert world.visit is not None
    return {"pk": world.visit.pk}


def visit_case(world: World, party: str) -> dict[str, Any]:
    assert world.visit is not None
    return {"pk": world.visit.case_id}


def visit_file(world: World, party: str) -> dict[str, Any]:
    assert world.visit is not None
    return {"pk": world.visit.pk, "media_pk": world.visit.media.get().pk}


def handover(world: World, party: str) -> dict[str, Any]:
    assert world.handover is not None
    return {"pk": world.handover.pk}


def follow_up(world: World, party: str) -> dict[str, Any]:
    assert world.follow_up is not None
    return {"pk": world.follow_up.pk}


def msec_case(world: World, party: str) -> dict[str, Any]:
    assert world.case is not None
    return {"case_number": world.case.case_number}


def msec_document(world: World, party: str) -> dict[str, Any]:
    return {**msec_case(world, party), "number": 1}


def msec_proposal(world: World, party: str) -> dict[str, Any]:
    assert world.proposal is not None
    return {**msec_case(world, party), "pk": world.proposal.pk}


def facility_case(world: World, party: str) -> dict[str, Any]:
    return {"case_number": world.referrals[party].case_number}


def facility_document(world: World, party: str) -> dict[str, Any]:
    return {**facility_case(world, party), "number": 1}


def facility_request(world: World, party: str) -> dict[str, Any]:
    return {**facility_case(world, party), "pk": world.document_requests[party].pk}


def citizen_user(world: World, party: str) -> dict[str, Any]:
    return {"id": world.users[party].pk}


def person_on_site(world: World, party: str) -> dict[str, Any]:
    return {"content_type_id": ContentType.objects.get_for_model(world.people[party]).pk,
            "object_id": world.people[party].pk}


REASON = "reason=checking+a+claim"

# --- the decisions, by URL name (namespace:name), or by pattern for unnamed routes -----------

DECISIONS: dict[str, Access] = {
    # Health checks for the load balancer.
    "healthz": public(),
    "readyz": public(),
    "set_language": public(method="POST", data={"language": "en", "next": "/"}),
    # Sign-in (allauth). Pages of the sign-in flow itself are open; those about the
    # signed-in account send the anonymous to sign in. Institutions have no session.
    "account_login": public(),
    "account_logout": public(),
    "account_inactive": public(),
    "account_signup": public(),  # says sign-up is closed: accounts come from the registry
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_email_verification_sent": public(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key": public(kwargs=constant(uidb36="1", key="no-such-key")),
    "account_reset_password_from_key_done": public(),
    "account_confirm_email": public(kwargs=constant(key="no-such-key")),
    # Steps of a sign-in in progress (by code, which is off; by a second factor): with
    # none, the anonymous are sent to sign in and whoever is signed in to their home.
    "account_confirm_login_code": signed_in(),
    "mfa_index": signed_in(),
    "mfa_authenticate": signed_in(),
    "mfa_reauthenticate": signed_in(),
    "mfa_activate_totp": signed_in(),
    # Only who has a second factor can remove it or see its recovery codes (404 otherwise);
    # new codes are made after signing in again, by anyone signed in.
    "mfa_deactivate_totp": Access(decided(allow=TWO_FACTOR)),
    "mfa_view_recovery_codes": Access(decided(allow=TWO_FACTOR)),
    "mfa_download_recovery_codes": Access(decided(allow=TWO_FACTOR)),
    "mfa_generate_recovery_codes": signed_in(),
    # API: documentation is public; data needs a citizen's session or an institution's token.
    "schema": public(api=True),
    "api-docs": public(api=True),
    "api-redoc": public(api=True),
    "api-me": Access(decided(allow=CITIZENS), api=True),
    "api-person": Access(decided(allow=(*RECORD_READERS, INSTITUTION), own=CITIZENS), api=True,
                         kwargs=fin, query=REASON),
    "bridge:events": Access(decided(allow=(INSTITUTION,)), api=True, method="POST"),
    # An institution reads back only its own events: another's event id answers 404.
    "bridge:event": Access(decided(own=(INSTITUTION,)), api=True, kwargs=event,
                           subject=INSTITUTION),
    "bridge:citizen-awards": Access(decided(allow=(INSTITUTION,)), api=True, kwargs=fin,
                                    query=REASON),
    # Twilio's delivery reports: only a request signed with our Twilio token gets in.
    "notifications:twilio-status": nobody(api=True, method="POST"),
    # Back-office pages.
    "registry:citizen_search": Access(decided(allow=RECORD_READERS), query="q=Məmmədli"),
    "registry:citizen_record": Access(decided(allow=RECORD_READERS), kwargs=fin),
    # The 142 agent console: agents (and the administrator) only. Without a stated reason the
    # citizen's pages send the agent to the reason form, which is still getting in.
    "callcentre:console": Access(decided(allow=(AGENT, ADMIN)), query="q=Məmmədli"),
    "callcentre:open": Access(decided(allow=(AGENT, ADMIN)), kwargs=fin, method="POST",
                              data={"reason": "callback"}),
    "callcentre:view": Access(decided(allow=(AGENT, ADMIN)), kwargs=fin),
    "callcentre:note_add": Access(decided(allow=(AGENT, ADMIN)), kwargs=fin, method="POST"),
    "callcentre:complaint_add": Access(decided(allow=(AGENT, ADMIN)), kwargs=fin,
                                       method="POST"),
    "callcentre:visit": Access(decided(allow=(AGENT, ADMIN)), kwargs=fin),
    # A caller the voice menu put through (citizen A, identified): any agent may take them.
    "callcentre:handover_take": Access(decided(allow=(AGENT, ADMIN)), kwargs=handover,
                                       method="POST"),
    # The 142 line's voice menu: Twilio's voice webhooks. Twilio signs in with nothing, so no
    # role is asked to: only a request signed with our Twilio token gets in.
    "callcentre:ivr_start": nobody(api=True, method="POST"),
    "callcentre:ivr_language": nobody(api=True, method="POST"),
    "callcentre:ivr_fin": nobody(api=True, method="POST"),
    "callcentre:ivr_pin": nobody(api=True, method="POST"),
    "callcentre:ivr_menu": nobody(api=True, method="POST"),
    # CareCall: agents see their own scores and the centres', staff and admins all; the
    # follow-up list names citizens to agents and staff. The follow-up is the one the AGENT user
    # took: only its taker (and the administrator) open it, any other agent gets a 404.
    "callcentre:carecall": Access(decided(allow=(AGENT, STAFF, ADMIN))),
    "callcentre:carecall_follow_ups": Access(decided(allow=(AGENT, STAFF, ADMIN))),
    "callcentre:carecall_follow_up": Access(decided(allow=(AGENT, ADMIN)), kwargs=follow_up),
    "callcentre:carecall_follow_up_take": Access(decided(allow=(AGENT, ADMIN)), kwargs=follow_up,
                                                 method="POST"),
    "callcentre:carecall_follow_up_close": Access(decided(allow=(AGENT, ADMIN)),
                                                  kwargs=follow_up, method="POST"),
    # Twilio's inbound SMS (the replies): only a request signed with our Twilio token gets in.
    "callcentre:carecall_sms": nobody(api=True, method="POST"),
    "entitlements:scan_list": backoffice(),
    "entitlements:scan_create": backoffice(method="POST"),
    "entitlements:scan_detail": backoffice(kwargs=scan),
    "entitlements:scan_resume": backoffice(kwargs=scan, method="POST"),
    # Complaints: the STAFF user works in the unit of both citizens' complaints; the admin sees
    # every unit.
    "complaints_backoffice:dashboard": backoffice(),
    "complaints_backoffice:new": backoffice(),
    "complaints_backoffice:unit": backoffice(kwargs=constant(code="service")),
    "complaints_backoffice:complaint": backoffice(kwargs=complaint),
    "complaints_backoffice:take": backoffice(kwargs=complaint, method="POST"),
    "complaints_backoffice:answer": backoffice(kwargs=complaint, method="POST"),
    "complaints_backoffice:reject": backoffice(kwargs=complaint, method="POST"),
    # The DOST Index in the back-office: officials read it; only administrators recompute it
    # (an empty month field is a 400 with the form, still getting in).
    "index_backoffice:dashboard": backoffice(),
    "index_backoffice:centre": backoffice(kwargs=constant(code="baku-1")),
    "index_backoffice:compute": Access(decided(allow=(ADMIN,)), method="POST"),
    # The centres' back-office: the STAFF user works at the citizens' centre (matrix-1), at
    # desk 1; its queue today is empty and its tickets are for later days, so calling and
    # ending visits are refused with a message (a redirect: they got in). Staff of another
    # centre get a 404 (tests/backoffice).
    "backoffice:home": backoffice(),
    "backoffice:queue": backoffice(),
    "backoffice:call_next": backoffice(method="POST", data={"centre": "matrix-1", "desk": "1"}),
    "backoffice:served": backoffice(kwargs=booking, method="POST"),
    "backoffice:no_show": backoffice(kwargs=booking, method="POST"),
    "backoffice:mobile": backoffice(),
    "backoffice:stop_cancel": backoffice(kwargs=mobile_stop, method="POST"),
    # The mobile units' schedule is public.
    "centres:mobile_stops": public(query="region=nasimi"),
    "bridge_review:queue": backoffice(),
    "bridge_review:event": backoffice(kwargs=held_event),
    "bridge_review:apply": backoffice(kwargs=held_event, method="POST"),
    "bridge_review:reject": backoffice(kwargs=held_event, method="POST"),
    "esocial:staff_applications": backoffice(),
    "esocial:staff_application": backoffice(kwargs=application),
    "esocial:staff_application_status": backoffice(kwargs=application, method="POST"),
    "esocial:staff_application_message": backoffice(kwargs=application, method="POST"),
    "esocial:staff_application_document": backoffice(kwargs=application_document),
    "esocial:staff_corrections": backoffice(),
    "esocial:staff_correction": backoffice(kwargs=correction),
    "esocial:staff_correction_document": backoffice(kwargs=correction),
    # The citizen portal: public pages.
    "esocial:home": public(),
    "esocial:service_list": public(),
    "esocial:service_search": public(query="q=pensiya"),
    "esocial:service_detail": public(kwargs=constant(code="old-age-pension")),
    "esocial:certificate_verify": public(),
    # Anyone holding a certificate's code may check it: that is what the code is for.
    "esocial:certificate_verify_code": public(kwargs=certificate_code),
    "esocial:pension_calculator": public(),
    "esocial:wage_calculator": public(),
    "esocial:opendata_index": public(),
    "esocial:opendata_csv": public(kwargs=constant(dataset="programme-statistics")),
    "esocial:opendata_json": public(kwargs=constant(dataset="programme-statistics")),
    "esocial:opendata_chart": public(kwargs=constant(dataset="programme-statistics")),
    "esocial:opendata_dataset": public(kwargs=constant(dataset="programme-statistics")),
    # The DOST Index: counts only, for anyone; a month not computed is a 400, still getting in.
    "esocial:dost_index": public(),
    "esocial:dost_index_centre": public(kwargs=constant(code="baku-1")),
    # The citizen portal: the signed-in citizen's own data.
    "esocial:my_data": citizens(),
    "esocial:access_log": citizens(),
    # The PIN for the 142 phone line: always the signed-in citizen's own (an empty form is
    # refused with 400: they got in).
    "esocial:phone_pin": citizens(method="POST"),
    "esocial:my_awards": citizens(),
    "pensions:capital": citizens(),
    # An employer's own page names no object: it shows the employer the account is linked to
    # (an administrator, linked to none, sees that it is not linked).
    "employment:employer": Access(decided(allow=(EMPLOYER, ADMIN))),
    "esocial:queue_mine": citizens(),
    "complaints:mine": citizens(),
    "complaints:new": citizens(),
    "complaints:detail": citizens_own(complaint),
    "esocial:queue_book": citizens(),
    "esocial:queue_ticket": citizens_own(booking),
    "esocial:queue_move": citizens_own(booking),
    "esocial:queue_cancel": citizens_own(booking, method="POST"),
    "esocial:certificate_list": citizens(),
    "esocial:certificate_issue": citizens(method="POST"),
    "esocial:certificate_download": citizens_own(certificate),
    "esocial:certificate_revoke": citizens_own(certificate, method="POST"),
    "esocial:application_list": citizens(),
    "esocial:application_new": citizens(kwargs=constant(code="pension_recalculation")),
    "esocial:application_detail": citizens_own(application),
    "esocial:application_message": citizens_own(application, method="POST"),
    "esocial:application_withdraw": citizens_own(application, method="POST"),
    "esocial:application_document": citizens_own(application_document),
    # Targeted social assistance: the citizen's cases (the applicant's, or the representative's
    # who applied); another's case answers 404.
    "assistance:case_list": citizens(),
    "assistance:case_detail": citizens_own(tssa_case),
    # The kiosk at DOST centres: for whoever stands at it, signed in or not (it signs nobody
    # in). Without the earlier steps each step sends back to the first, which is getting in.
    "kiosk:start": public(),
    "kiosk:code": public(),
    "kiosk:code_again": public(method="POST"),
    "kiosk:apply": public(),
    "kiosk:done": public(),
    "kiosk:restart": public(method="POST"),
    # Home visits of targeted social assistance (back-office): centre staff and administrators
    # read any visit and (re)assign it; only the worker given the visit (the STAFF user)
    # records it, adds its files and signs it, anyone else is refused (403). Empty forms are
    # refused (400) and change nothing; so is signing before the findings are recorded.
    "vemtas_visits:visits": backoffice(),
    "vemtas_visits:assessment": backoffice(kwargs=visit),
    "vemtas_visits:assign": backoffice(kwargs=visit, method="POST"),
    "vemtas_visits:findings": Access(decided(allow=(STAFF,)), kwargs=visit, method="POST"),
    "vemtas_visits:media_add": Access(decided(allow=(STAFF,)), kwargs=visit, method="POST"),
    "vemtas_visits:submit": Access(decided(allow=(STAFF,)), kwargs=visit, method="POST"),
    "vemtas_visits:media_file": backoffice(kwargs=visit_file),
    # Targeted social assistance cases (back-office): centre staff and administrators read any
    # case and may overturn a decided one or assign its visit; the world's cases are not
    # decided and the forms are empty, so both are refused (400) and change nothing.
    "vemtas_staff:queue": backoffice(),
    "vemtas_staff:case": backoffice(kwargs=tssa_case),
    "vemtas_staff:overturn": backoffice(kwargs=tssa_case, method="POST"),
    "vemtas_staff:assign": backoffice(kwargs=visit_case, method="POST"),
    # Disability: the citizen's own register entries and aids (no address names a person;
    # a request is always the signed-in citizen's), and the back-office register and aids.
    "disability:home": citizens(),
    "disability:aids": citizens(),
    "disability:aid_request": citizens(method="POST", kwargs=constant(code="crutches")),
    "disability_backoffice:register": backoffice(),
    "disability_backoffice:aid_requests": backoffice(),
    "disability_backoffice:aid_request": backoffice(kwargs=aid_request),
    "disability_backoffice:aid_request_step": backoffice(kwargs=aid_request_approval,
                                                         method="POST"),
    # The expert commission: members only (an administrator belongs to none: 403). The
    # EXPERT user proposed the world's assessment, so confirming it is refused as their own
    # (400: they got in); empty forms are refused (400) and change nothing.
    "msec:index": Access(decided(allow=(EXPERT,))),
    "msec:combine": Access(decided(allow=(EXPERT,)), query="p=60&p=40"),
    "msec:case": Access(decided(allow=(EXPERT,)), kwargs=msec_case),
    "msec:document": Access(decided(allow=(EXPERT,)), kwargs=msec_document),
    "msec:propose": Access(decided(allow=(EXPERT,)), kwargs=msec_case, method="POST"),
    "msec:confirm": Access(decided(allow=(EXPERT,)), kwargs=msec_proposal, method="POST"),
    "msec:withdraw": Access(decided(allow=(EXPERT,)), kwargs=msec_proposal, method="POST"),
    "msec:request_documents": Access(decided(allow=(EXPERT,)), kwargs=msec_case,
                                     method="POST"),
    # Supervision of the commissions: the permission to reassign cases, which in the world
    # only the administrator has.
    "disability_supervision:open_cases": Access(decided(allow=(ADMIN,))),
    "disability_supervision:reassign": Access(decided(allow=(ADMIN,)), kwargs=msec_case),
    # The doctor's pages: doctors of a facility only (an administrator belongs to none: 403),
    # each case their own facility's: another facility's answers 404. An empty answer is
    # refused (400) and changes nothing.
    "referrals:index": Access(decided(allow=(DOCTOR,))),
    "referrals:new": Access(decided(allow=(DOCTOR,))),
    "referrals:icd_search": Access(decided(allow=(DOCTOR,)), query="q=G35"),
    "referrals:detail": Access(decided(own=(DOCTOR,)), kwargs=facility_case, subject=DOCTOR),
    "referrals:document": Access(decided(own=(DOCTOR,)), kwargs=facility_document,
                                 subject=DOCTOR),
    "referrals:answer": Access(decided(own=(DOCTOR,)), kwargs=facility_request, subject=DOCTOR,
                               method="POST"),
    # A health facility's system (INSTITUTION's is one) sends referrals and reads back its own.
    "api-referrals": Access(decided(allow=(INSTITUTION,)), api=True, method="POST"),
    "api-referral": Access(decided(own=(INSTITUTION,)), api=True, kwargs=facility_case,
                           subject=INSTITUTION),
}

# --- the Django admin, as one group --------------------------------------------------------
#
# Only administrators get in (the admin lets in ``is_staff`` users, which only
# administrators are); everyone else is sent to its sign-in page. Each model
# registered in the admin is declared with what an administrator may do to it:
# most of the CEIS is read-only there, since it changes through its services.

# Read-only models (and tokens, which are revoked, never deleted) show their change page
# to an administrator but refuse the add and delete pages.
NO_ADD_OR_DELETE = frozenset({"changelist", "change", "history", "redirect"})
EDITABLE = NO_ADD_OR_DELETE | {"add", "delete"}
ADMIN_MODELS: dict[str, frozenset[str]] = {
    "auth.group": EDITABLE,
    "django_celery_beat.periodictask": EDITABLE,
    "django_celery_beat.clockedschedule": EDITABLE,
    "django_celery_beat.crontabschedule": EDITABLE,
    "django_celery_beat.solarschedule": EDITABLE,
    "django_celery_beat.intervalschedule": EDITABLE,
    "account.emailaddress": EDITABLE,
    "mfa.authenticator": EDITABLE,
    "accounts.user": EDITABLE,
    "accounts.institution": EDITABLE,
    "accounts.institutiontoken": NO_ADD_OR_DELETE,
    "registry.person": NO_ADD_OR_DELETE,
    "registry.source": EDITABLE,
    "registry.economicregion": EDITABLE,
    "registry.region": EDITABLE,
    "audit.accessrecord": NO_ADD_OR_DELETE,
    "audit.decisionentry": NO_ADD_OR_DELETE,
    "audit.decisionbatch": NO_ADD_OR_DELETE,
    "notifications.smsmessage": NO_ADD_OR_DELETE,
    "payments.bankrequest": NO_ADD_OR_DELETE,
    "payments.paymentschedule": NO_ADD_OR_DELETE,
    "payments.payment": NO_ADD_OR_DELETE,
    "applications.application": NO_ADD_OR_DELETE,
    "disability.commission": EDITABLE,
    "disability.healthfacility": EDITABLE,
    "disability.aiditem": EDITABLE,
    "complaints.unit": EDITABLE,
    "centres.centre": EDITABLE,
    "centres.mobileunit": EDITABLE,
    "complaints.category": EDITABLE,
    "employment.employer": EDITABLE,
    # Other institutions' registers, as the Digital Bridge reads them: only read here.
    "bridge.realestate": NO_ADD_OR_DELETE,
    "bridge.vehicle": NO_ADD_OR_DELETE,
    "bridge.business": NO_ADD_OR_DELETE,
    "bridge.largetransaction": NO_ADD_OR_DELETE,
    "bridge.utilitybill": NO_ADD_OR_DELETE,
    "bridge.jobseeker": NO_ADD_OR_DELETE,
    "bridge.absence": NO_ADD_OR_DELETE,
    # Signing keys are issued on the add page and revoked by an action, never deleted;
    # assessments and their files are only read there.
    "vemtas.signingkey": NO_ADD_OR_DELETE | {"add"},
    "vemtas.assessment": NO_ADD_OR_DELETE,
    "vemtas.assessmentmedia": NO_ADD_OR_DELETE,
}

ADMIN_ONLY = decided(allow=(ADMIN,))
ADMIN_SITE: dict[str, Access] = {
    "admin:index": Access(ADMIN_ONLY),
    # The admin's sign-in hands over to the site's (with the second factor): the anonymous
    # are sent there, an administrator to the admin's index, anyone else refused.
    "admin:login": Access(ADMIN_ONLY),
    # Whoever is not signed in to the admin is sent to its index, which asks them to.
    "admin:logout": public(method="POST"),
    "admin:password_change": Access(ADMIN_ONLY),
    "admin:password_change_done": Access(ADMIN_ONLY),
    "admin:jsi18n": Access(ADMIN_ONLY),
    "admin:app_list": Access(ADMIN_ONLY, kwargs=constant(app_label="registry")),
    # No ModelAdmin declares autocomplete fields, so it refuses every request (403).
    "admin:autocomplete": nobody(),
    # "View on site" leads to a model's own page; no model registered here has one (404).
    "admin:view_on_site": nobody(kwargs=person_on_site),
    "admin:auth_user_password_change": Access(ADMIN_ONLY, kwargs=citizen_user),
}
# The admin's last pattern answers every other address under it: 404 or a sign-in page.
ADMIN_CATCH_ALL = nobody(kwargs=constant(url="no-such-page/"))

ADMIN_ACTIONS = ("changelist", "add", "history", "delete", "change")


def admin_model_routes() -> dict[str, tuple[str, str]]:
    """URL name (or unnamed pattern's suffix) of each registered model's routes: (model, action)."""
    routes: dict[str, tuple[str, str]] = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for action in ADMIN_ACTIONS:
            routes[f"admin:{info}_{action}"] = (label, action)
        routes[f"{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"] = (
            label, "redirect")
    return routes


def _admin_object(label: str) -> Factory:
    def kwargs(world: World, party: str) -> dict[str, Any]:
        # The world's first row will do: the admin decides by the user, not by the row.
        # With no row at all (payments), the change page sends an administrator to the
        # index, which still tells "in" from "refused".
        model = apps.get_model(label)
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return {"object_id": str(first if first is not None else 0)}

    return kwargs


def admin_declaration(key: str, admin_prefix: str) -> Access | None:
    """The decision for a route of the admin site, or None when it is not declared."""
    if key in ADMIN_SITE:
        return ADMIN_SITE[key]
    relative = key.removeprefix(admin_prefix)
    if relative == "(?P<url>.*)$":
        return ADMIN_CATCH_ALL
    model_route = admin_model_routes().get(key) or admin_model_routes().get(relative)
    if model_route is None:
        return None
    label, action = model_route
    if label not in ADMIN_MODELS:
        return None
    allowed = action in ADMIN_MODELS[label]
    needs_object = action not in {"changelist", "add"}
    return Access(ADMIN_ONLY if allowed else decided(),
                  kwargs=_admin_object(label) if needs_object else None)


def stale_admin_declarations() -> list[str]:
    registered = {model._meta.label_lower for model in admin.site._registry}
    return sorted(set(ADMIN_MODELS) - registered)
