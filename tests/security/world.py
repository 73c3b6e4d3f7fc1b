"""One small country with a user of every role and objects of two citizens, built once per module.

The access matrix makes a request per route and role; building this for each of
them would cost far more than the requests. Everything is set up through the
services, as users would, inside a transaction the module rolls back at its end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from unittest.mock import patch

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from callcentre.ivr.services import ivr_call_begin, ivr_call_identified, ivr_handover_request
from callcentre.models import IvrHandover
from callcentre.services import call_note_add
from disability.models import (
    AidItem,
    AidRequest,
    Assessment,
    Commission,
    CommissionMember,
    CommissionProfile,
    DocumentRequest,
    FacilityDoctor,
    HealthFacility,
    Referral,
)
from disability.services.aids import aid_request_create
from disability.services.assessments import assessment_propose
from disability.services.document_requests import document_request_ask
from disability.services.referrals import ReferralSubmission, referral_submit
from dost.accounts.models import Institution, Role, Scope, User
from dost.accounts.services import citizen_account_create, institution_token_create
from dost.applications.models import Application, ApplicationDocument
from dost.applications.services import application_submit
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.bridge.models import EventState, EventType, InboundEvent
from dost.bridge.services import event_receive
from dost.carecall.models import FollowUp, RatingRequest
from dost.carecall.services import follow_up_take, rating_reply_receive
from dost.centres.models import (
    WORKING_WEEK,
    Centre,
    CentreStaff,
    MobileStop,
    MobileUnit,
    OpeningHours,
    Service,
)
from dost.centres.services import StopPlace, mobile_stop_add
from dost.certificates.models import Certificate
from dost.certificates.services import certificate_issue
from dost.complaints.models import Category, Complaint, UnitMember
from dost.complaints.models import Channel as ComplaintChannel
from dost.complaints.services import complaint_open
from dost.entitlements.models import Award, ScanRun
from dost.entitlements.services import entitlements_for_people
from dost.entitlements.tasks import scan_launch
from dost.equeue.models import Booking, Slot
from dost.equeue.services import booking_create, slots_open
from dost.registry.models import (
    CorrectionRequest,
    DisabilityStatus,
    EmploymentSpell,
    FamilyRelation,
    Person,
)
from dost.registry.services import correction_request_create, person_register
from tests.documents import image_bytes, pdf_bytes
from vemtas.assessments import assessment_assign, assessment_media_add
from vemtas.models import Assessment as HomeVisit
from vemtas.models import Case, CaseState
from vemtas.signing import key_issue

ANONYMOUS = "anonymous"
CITIZEN_A = "citizen_a"
CITIZEN_B = "citizen_b"
STAFF = "staff"
AGENT = "agent"
EXPERT = "expert"
DOCTOR = "doctor"
EMPLOYER = "employer"
INSTITUTION = "institution"
ADMIN = "admin"
# The institution that owns nothing of what INSTITUTION may reach.
OTHER_INSTITUTION = "other_institution"

ROLES = (ANONYMOUS, CITIZEN_A, CITIZEN_B, STAFF, AGENT, EXPERT, DOCTOR, EMPLOYER, INSTITUTION,
         ADMIN)
# Whose objects a role's own objects are not: "own" routes are tried with both.
# The DOCTOR user's facility is the one whose system calls as INSTITUTION; OTHER_INSTITUTION's
# is another facility.
OTHER_PARTY = {CITIZEN_A: CITIZEN_B, CITIZEN_B: CITIZEN_A, INSTITUTION: OTHER_INSTITUTION,
               DOCTOR: OTHER_INSTITUTION}

_ROLE_OF_USER = {
    STAFF: Role.STAFF, AGENT: Role.AGENT, EXPERT: Role.EXPERT, DOCTOR: Role.DOCTOR,
    EMPLOYER: Role.EMPLOYER, ADMIN: Role.ADMIN,
}
VALID_IBAN = "AZ21NABZ00000000137010001944"
PASSWORD = "correct-horse-battery-9"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    session_keys: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    documents: dict[str, ApplicationDocument] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)
    corrections: dict[str, CorrectionRequest] = field(default_factory=dict)
    awards: dict[str, Award] = field(default_factory=dict)
    aid_requests: dict[str, AidRequest] = field(default_factory=dict)
    # A disability case before the EXPERT user's commission, with the assessment they proposed.
    case: Referral | None = None
    proposal: Assessment | None = None
    # A referral of each facility (by party: the DOCTOR user's facility is INSTITUTION's), each
    # with a commission's open request for more documents.
    referrals: dict[str, Referral] = field(default_factory=dict)
    document_requests: dict[str, DocumentRequest] = field(default_factory=dict)
    # Life events each institution sent (by party), and one held for staff to review.
    events: dict[str, InboundEvent] = field(default_factory=dict)
    held_event: InboundEvent | None = None
    scan: ScanRun | None = None
    # A complaint of each citizen, to the unit the STAFF user works in.
    complaints: dict[str, Complaint] = field(default_factory=dict)
    # A planned stop of a mobile unit of the centre the STAFF user works at.
    mobile_stop: MobileStop | None = None
    # CareCall: citizen A rated the AGENT user's call 1; the AGENT user took the follow-up.
    follow_up: FollowUp | None = None
    # Citizen A, identified on the voice menu, asked for an agent.
    handover: IvrHandover | None = None
    # Each citizen's application for targeted social assistance, and its case.
    tssa_cases: dict[str, Case] = field(default_factory=dict)
    # A home visit of another household's case, given to the STAFF user, with one photo.
    visit: HomeVisit | None = None

    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """A browser signed in as ``role``, and no other cookie; an institution's has its token.

        One client per role for the module: a new client loads the middleware again,
        which costs more than the request (WhiteNoise indexes every static file).
        """
        client = self.clients.get(role)
        if client is None:
            headers = ({"Authorization": f"Token {self.tokens[INSTITUTION]}"}
                       if role == INSTITUTION else None)
            client = self.clients[role] = Client(headers=headers)
        # What the last request left (a language, a signed-out session) is forgotten.
        client.cookies = SimpleCookie()
        if role in self.session_keys:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_keys[role]
        return client


def _signed_in(user: User) -> str:
    """A stored session of ``user``, as signing in leaves it; returns its key."""
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _citizen(world: World, party: str, *, fin: str, first_name: str, sex: str) -> User:
    person = person_register(fin=fin, first_name=first_name, last_name="Məmmədli", sex=sex,
                             birth_date=dt.date(1990, 1, 1), source="justice", region="nasimi",
                             phone="+99450111223" + str(len(world.people)))
    user = citizen_account_create(person=person, password=PASSWORD)
    world.people[party] = person
    return user


def _official(role: str) -> User:
    user = User.objects.create_user(username=f"matrix-{role}", password=PASSWORD,
                                    role=_ROLE_OF_USER[role], is_staff=role == ADMIN,
                                    is_superuser=role == ADMIN)
    if _ROLE_OF_USER[role] in settings.TWO_FACTOR_ROLES:
        # So the matrix checks the view's own decision, not the second-factor redirect;
        # with recovery codes, as setting up the authenticator leaves them.
        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    return user


def _employ(person: Person) -> None:
    EmploymentSpell.objects.create(
        person=person, employer_name="Bakı Tekstil", employer_tin="1234567890",
        occupation_code="7531", started_on=dt.date(2010, 3, 1), ended_on=None,
        monthly_wage=Decimal("800"), source_id="labour")


def _give_birth(mother: Person, *, fin: str, today: dt.date) -> Award:
    baby = person_register(fin=fin, first_name="Nərgiz", last_name="Məmmədli", sex="F",
                           birth_date=today - dt.timedelta(days=2), source="justice",
                           region="nasimi")
    FamilyRelation.objects.create(person=baby, relative=mother, kind="parent",
                                  source_id="justice")
    entitlements_for_people(people=[mother.pk], on=today)
    return Award.objects.get(person=mother, basis_person=baby)


def _first_slot(today: dt.date) -> Slot:
    centre = Centre.objects.create(
        code="matrix-1", name_az="Mərkəz", name_en="Centre", name_ru="Центр",
        address_az="Ünvan", address_en="Address", address_ru="Адрес", region_id="nasimi")
    OpeningHours.objects.bulk_create(
        OpeningHours(centre=centre, weekday=weekday, opens_at=dt.time(9), closes_at=dt.time(18))
        for weekday in WORKING_WEEK)
    centre.services.set(Service.objects.filter(bookable=True))
    # Tomorrow onwards: today's slots may already be past.
    slots_open(start=today + dt.timedelta(days=1), days=7, centre=centre)
    return Slot.objects.filter(centre=centre).order_by("day", "starts_at").first()


def build_world() -> World:
    world = World()
    today = timezone.localdate()
    world.users[CITIZEN_A] = _citizen(world, CITIZEN_A, fin="5MTX0A1", first_name="Aygün",
                                      sex="F")
    world.users[CITIZEN_B] = _citizen(world, CITIZEN_B, fin="5MTX0B2", first_name="Bahar",
                                      sex="F")
    for role in _ROLE_OF_USER:
        world.users[role] = _official(role)
    for role, user in world.users.items():
        world.session_keys[role] = _signed_in(user)
    for party, name in ((INSTITUTION, "Matrix Ministry"), (OTHER_INSTITUTION, "Other Agency")):
        token, raw_key = institution_token_create(name=name, scopes=list(Scope.values))
        world.tokens[party] = raw_key
        world.institutions[party] = token.institution

    slot = _first_slot(today)
    service = Service.objects.filter(bookable=True, active=True).order_by("pk").first()
    assert service is not None, "the catalogue has no bookable service"
    for party, baby_fin in ((CITIZEN_A, "5MTXBA1"), (CITIZEN_B, "5MTXBB2")):
        person = world.people[party]
        user = world.users[party]
        _employ(person)
        # An award gives the person an SMS, a bank request and a decision in the log too.
        world.awards[party] = _give_birth(person, fin=baby_fin, today=today)
        # Who may download a certificate is the question here, not how it looks: rendering
        # with WeasyPrint would take a good part of the whole matrix's time.
        with patch("dost.certificates.services._render_pdf", return_value=pdf_bytes()):
            world.certificates[party] = certificate_issue(person=person,
                                                          kind="employment_record",
                                                          language="en")
        application = application_submit(
            person=person, type_code="pension_recalculation",
            data={"reason": "service_missing", "details": "A job is missing."},
            files={"document_service_record": SimpleUploadedFile(
                "labour-book.pdf", pdf_bytes(), content_type="application/pdf")},
            submitted_by=user)
        world.applications[party] = application
        world.documents[party] = application.documents.get()
        world.corrections[party] = correction_request_create(
            person=person, fact="bank_account", proposed_value=VALID_IBAN,
            document=SimpleUploadedFile("bank.pdf", pdf_bytes(), content_type="application/pdf"))
        world.bookings[party] = booking_create(person_id=person.pk, service_id=service.pk,
                                               slot_id=slot.pk)
    world.scan = scan_launch(on=today)
    _backoffice_world(world, centre=slot.centre, today=today)
    _send_events(world, today=today)
    _admin_rows(world)
    _request_aids(world, today=today)
    _disability_world(world, today=today)
    _complaints_world(world)
    _carecall_world(world)
    _ivr_world(world)
    _tssa_world(world)
    _visit_world(world, today=today)
    return world


def _visit_world(world: World, *, today: dt.date) -> None:
    """A case waiting for its home visit, which the STAFF user (who has a signing key) is
    to make tomorrow; a photo is added, the findings are not recorded yet."""
    applicant = person_register(fin="5MTXV01", first_name="Səbinə", last_name="Məmmədli",
                                sex="F", birth_date=dt.date(1984, 4, 4), source="justice",
                                region="nasimi")
    application = Application.objects.create(person=applicant, status="submitted",
                                             type_code="targeted_social_assistance")
    case = Case.objects.create(application=application, applicant=applicant,
                               applied_on=today, period_start=today.replace(day=1),
                               period_end=today.replace(day=1) + dt.timedelta(days=364),
                               declared_income=Decimal("100"), state=CaseState.VISIT)
    staff = world.users[STAFF]
    key_issue(worker=staff, issued_by=world.users[ADMIN])
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    visit = assessment_assign(assessment=HomeVisit.objects.create(case=case), worker=staff,
                              visit_at=tomorrow, actor=world.users[ADMIN])
    assessment_media_add(assessment=visit, worker=staff, kind="photo", upload=SimpleUploadedFile(
        "home.png", image_bytes("PNG"), content_type="image/png"))
    world.visit = visit


def _tssa_world(world: World) -> None:
    for party in (CITIZEN_A, CITIZEN_B):
        application = application_submit(
            person=world.people[party], type_code="targeted_social_assistance",
            data={"monthly_income": "120", "truthful": "on"}, submitted_by=world.users[party])
        world.tssa_cases[party] = Case.objects.get(application=application)


def _ivr_world(world: World) -> None:
    call = ivr_call_begin(call_sid="CAmatrix0001")
    ivr_call_identified(call, person=world.people[CITIZEN_A], user_id=world.users[CITIZEN_A].pk)
    world.handover = ivr_handover_request(call)


def _carecall_world(world: World) -> None:
    person = world.people[CITIZEN_A]
    agent = world.users[AGENT]
    note = call_note_add(person=person, agent=agent, topic="payment", outcome="Explained.")
    request = RatingRequest.objects.get(subject=f"call:{note.pk}")
    result = rating_reply_receive(sid="SMmatrix0001", from_number=request.phone, body="1")
    assert result.follow_up is not None
    world.follow_up = follow_up_take(follow_up_id=result.follow_up.pk, agent=agent)


def _backoffice_world(world: World, *, centre: Centre, today: dt.date) -> None:
    """The STAFF user works at the citizens' centre, at desk 1; its mobile unit has a stop."""
    CentreStaff.objects.create(user=world.users[STAFF], centre=centre, desk=1)
    unit = MobileUnit.objects.create(code="matrix-unit", centre=centre, name_az="Mobil DOST",
                                     name_en="Mobile DOST", name_ru="Мобильный DOST")
    world.mobile_stop = mobile_stop_add(
        unit=unit, region_id="nasimi", day=today + dt.timedelta(days=2),
        starts_at=dt.time(10), ends_at=dt.time(12), place=StopPlace(az="Meydan"),
        actor_id=world.users[STAFF].pk)


def _complaints_world(world: World) -> None:
    """The STAFF user answers the service-quality unit's complaints; each citizen made one."""
    category = Category.objects.get(code="service_quality")
    UnitMember.objects.create(unit_id=category.unit_id, user=world.users[STAFF])
    for party in (CITIZEN_A, CITIZEN_B):
        world.complaints[party] = complaint_open(
            person=world.people[party], category=category, text="Kept waiting.",
            channel=ComplaintChannel.PORTAL)


def _disability_world(world: World, *, today: dt.date) -> None:
    """A facility, a commission with the EXPERT user as a member, and a referral of a person of
    its own before it, which the EXPERT user has assessed (awaiting a second expert)."""
    facility = HealthFacility.objects.create(
        code="matrix-clinic", name_az="Klinika", name_en="Clinic", name_ru="Клиника",
        region_id="nasimi", institution=world.institutions[INSTITUTION])
    FacilityDoctor.objects.create(user=world.users[DOCTOR], facility=facility)
    Commission.objects.create(code="matrix-msec", profile=CommissionProfile.GENERAL,
                              economic_region_id="baku", name_az="TSEK", name_en="MSEC",
                              name_ru="МСЭК")
    patient = person_register(fin="5MTXR01", first_name="Rəşad", last_name="Məmmədli", sex="M",
                              birth_date=dt.date(1975, 2, 2), source="justice", region="nasimi")
    world.case = referral_submit(facility=facility, on=today, submission=ReferralSubmission(
        fin=patient.fin, diagnoses=["G35"], treatment_months=8, limitations={"mobility": 3},
        documents=[SimpleUploadedFile("discharge.pdf", pdf_bytes())],
        doctor_name="Samir Rzayev", approved_by=["Aynur Quliyeva"]))
    expert = world.users[EXPERT]
    CommissionMember.objects.create(user=expert, commission=world.case.commission)
    world.proposal = assessment_propose(
        referral=world.case, expert=expert,
        percentages={world.case.diagnoses.get().pk: 60}, cause="general_illness",
        duration="2y", next_review_on=today + dt.timedelta(days=730), lost_working_capacity=0)
    _facility_referrals(world, facility=facility, today=today)


def _facility_referrals(world: World, *, facility: HealthFacility, today: dt.date) -> None:
    """A referral of the DOCTOR user's facility and one of another, each asked for documents."""
    other = HealthFacility.objects.create(
        code="matrix-other-clinic", name_az="Xəstəxana", name_en="Hospital",
        name_ru="Больница", region_id="nasimi", institution=world.institutions[OTHER_INSTITUTION])
    for party, referring, fin in ((INSTITUTION, facility, "5MTXR02"),
                                  (OTHER_INSTITUTION, other, "5MTXR03")):
        patient = person_register(fin=fin, first_name="Elçin", last_name="Məmmədli", sex="M",
                                  birth_date=dt.date(1970, 7, 7), source="justice",
                                  region="nasimi")
        referral = referral_submit(facility=referring, on=today, submission=ReferralSubmission(
            fin=patient.fin, diagnoses=["I10"], treatment_months=7, limitations={"work": 2},
            documents=[SimpleUploadedFile("discharge.pdf", pdf_bytes())],
            doctor_name="Samir Rzayev", approved_by=["Aynur Quliyeva"]))
        world.referrals[party] = referral
        world.document_requests[party] = document_request_ask(
            referral=referral, expert=world.users[EXPERT], question="The cardiologist's letter.")
    world.referrals[DOCTOR] = world.referrals[INSTITUTION]
    world.document_requests[DOCTOR] = world.document_requests[INSTITUTION]


def _request_aids(world: World, *, today: dt.date) -> None:
    """Each citizen with a disability finding and a request for an aid."""
    crutches = AidItem.objects.get(code="crutches")
    for party in (CITIZEN_A, CITIZEN_B):
        person = world.people[party]
        DisabilityStatus.objects.create(person=person, percent=70,
                                        determined_on=today - dt.timedelta(days=30),
                                        source_id="msec")
        world.aid_requests[party] = aid_request_create(person=person, item=crutches, on=today)


def _admin_rows(world: World) -> None:
    """A row for each admin model the rest leaves empty, so its change page shows one."""
    staff = world.users[STAFF]
    access_record(person_id=world.people[CITIZEN_A].pk, actor_id=staff.pk,
                  channel=Channel.BACKOFFICE, what=Subject.REGISTRY_RECORD,
                  reason="Checking a claim")
    EmailAddress.objects.create(user=staff, email="staff@dost.example.az", primary=True)
    Group.objects.create(name="Matrix reviewers")
    every_day = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    PeriodicTask.objects.create(name="matrix", task="matrix.noop", interval=every_day)
    CrontabSchedule.objects.create(minute="0", hour="3")
    SolarSchedule.objects.create(event="sunrise", latitude=40.4, longitude=49.9)
    ClockedSchedule.objects.create(clocked_time=timezone.now())


def _send_events(world: World, *, today: dt.date) -> None:
    for party, citizen, event_id in ((INSTITUTION, CITIZEN_A, "matrix-a"),
                                     (OTHER_INSTITUTION, CITIZEN_B, "matrix-b")):
        world.events[party], _created = event_receive(
            institution=world.institutions[party], event_id=event_id,
            type=EventType.EMPLOYMENT_START, occurred_on=today - dt.timedelta(days=10),
            data={"fin": world.people[citizen].fin, "employer_name": "Gəncə Şərab",
                  "employer_tin": "5555555555", "occupation_code": "2411",
                  "monthly_wage": Decimal("950.00")})
    # A death reported years after the day is unusual: held until staff have checked it.
    late = person_register(fin="5MTXD01", first_name="Rauf", last_name="Məmmədli", sex="M",
                           birth_date=dt.date(1950, 5, 5), source="justice", region="nasimi")
    world.held_event, _created = event_receive(
        institution=world.institutions[INSTITUTION], event_id="matrix-late-death",
        type=EventType.DEATH, occurred_on=today - dt.timedelta(days=3 * 365),
        data={"fin": late.fin})
    assert world.held_event.state == EventState.HELD
