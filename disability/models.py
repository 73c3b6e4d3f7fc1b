"""Disability assessment: e-referrals, anonymised review by expert commissions, the
register of persons with disabilities, and rehabilitation aids.

A referral carries the person's identity, the referring facility and the doctors
only as ciphertext (``encrypted_fields``, keys from the environment, see
``FIELD_ENCRYPTION_KEYS``). Look-ups that need them use keyed hashes
(``pseudonym``), never the plain value. Experts work on the case number, the age
band, the sex and the medical content. The register and the aids belong to the
person in the clear: they are the state's record of a decision already taken,
seen by the person and by centre staff, never by an expert.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from dost.registry.models import EconomicRegion, Person, Region, TranslatedName


class IcdCode(models.Model):
    """One ICD-10 code a referral may name (loaded by a migration with its source).

    Reference data that only migrations write: the table is created and filled by
    migrations 0001 and 0002, and the model is unmanaged so that nothing else empties
    or reloads it (a test database is flushed between transactional tests, and
    reloading 12,000 codes each time would cost seconds a test).
    """

    code = models.CharField(_("ICD-10 code"), max_length=8, primary_key=True)
    title = models.CharField(_("title"), max_length=300)
    chapter = models.CharField(_("chapter"), max_length=8)

    class Meta:
        managed = False
        verbose_name = _("ICD-10 code")
        verbose_name_plural = _("ICD-10 codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class HealthFacility(TranslatedName):
    """A health facility whose medical advisory commission refers patients to MSEC.

    Its own information system calls the API with the token of ``institution``.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    institution = models.OneToOneField(
        "accounts.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="health_facility", verbose_name=_("institution (API)"),
    )

    class Meta:
        verbose_name = _("health facility")
        verbose_name_plural = _("health facilities")


class FacilityDoctor(models.Model):
    """A doctor of a facility's medical advisory commission, who signs in to ``/referrals/``."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="facility_doctor")
    facility = models.ForeignKey(HealthFacility, on_delete=models.PROTECT, related_name="doctors")

    class Meta:
        verbose_name = _("facility doctor")
        verbose_name_plural = _("facility doctors")

    def __str__(self) -> str:
        return f"{self.user} · {self.facility}"


class CommissionProfile(models.TextChoices):
    GENERAL = "general", _("general")
    PAEDIATRIC = "paediatric", _("children")
    PSYCHIATRIC = "psychiatric", _("mental health")


class Commission(TranslatedName):
    """A medical-social expert commission (MSEC) that assesses referrals."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    profile = models.CharField(_("profile"), max_length=16, choices=CommissionProfile.choices,
                               default=CommissionProfile.GENERAL)
    economic_region = models.ForeignKey(EconomicRegion, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("takes new cases"), default=True)
    # Kept by the services that open and close cases, in the same statement: the
    # draw weighs commissions by it without counting the referral table.
    open_cases = models.PositiveIntegerField(_("open cases"), default=0)

    class Meta:
        verbose_name = _("expert commission")
        verbose_name_plural = _("expert commissions")


class CommissionMember(models.Model):
    """An expert of one commission: they see that commission's cases and nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="commission_member")
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="members")

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")

    def __str__(self) -> str:
        return f"{self.user} · {self.commission}"


class AgeBand(models.TextChoices):
    UNDER_3 = "0-2", _("under 3")
    CHILD = "3-6", _("3 to 6")
    SCHOOL = "7-13", _("7 to 13")
    TEEN = "14-17", _("14 to 17")
    YOUNG = "18-29", _("18 to 29")
    ADULT = "30-44", _("30 to 44")
    MIDDLE = "45-59", _("45 to 59")
    OLDER = "60+", _("60 and over")


class ReferralKind(models.TextChoices):
    INITIAL = "initial", _("initial assessment")
    REPEAT = "repeat", _("repeat assessment")


class ReferralState(models.TextChoices):
    ASSIGNED = "assigned", _("with the commission")
    DOCUMENTS_REQUESTED = "documents_requested", _("more documents requested")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("awaiting a second expert")
    DECIDED = "decided", _("decided")


OPEN_STATES = (ReferralState.ASSIGNED, ReferralState.DOCUMENTS_REQUESTED,
               ReferralState.AWAITING_CONFIRMATION)


class Referral(models.Model):
    """An e-referral, anonymised on acceptance: the case an expert commission assesses.

    The ``*_encrypted`` fields and ``approved_by`` hold ciphertext at rest. The
    ``*_key`` fields are keyed hashes (HMAC-SHA256 with ``PSEUDONYM_KEY``) that
    let the services find a person's or a facility's referrals without storing
    who they are.
    """

    case_number = models.CharField(_("case number"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=ReferralKind.choices)
    state = models.CharField(_("state"), max_length=24, choices=ReferralState.choices,
                             default=ReferralState.ASSIGNED)
    # Identity, encrypted field by field.
    person_fin = EncryptedCharField(_("FIN"), max_length=7)
    facility_code = EncryptedCharField(_("referring facility"), max_length=32)
    doctor_name = EncryptedCharField(_("referring doctor"), max_length=200)
    approved_by = EncryptedTextField(_("approved by (medical advisory commission)"))
    # Keyed hashes for look-ups.
    person_key = models.CharField(max_length=64, editable=False)
    facility_key = models.CharField(max_length=64, editable=False)
    # What the expert sees.
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=[("F", _("female")), ("M", _("male"))])
    treatment_months = models.PositiveSmallIntegerField(
        _("months of treatment"), validators=[MaxValueValidator(600)])
    clinical_summary = models.TextField(_("clinical summary"), blank=True)
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="referrals")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["commission", "state", "-submitted_at"],
                         name="referral_commission_idx"),
            models.Index(fields=["person_key"], name="referral_person_idx"),
            models.Index(fields=["facility_key", "-submitted_at"], name="referral_facility_idx"),
        ]
        constraints = [
            # One open referral a person: a second waits for the first decision.
            models.UniqueConstraint(fields=["person_key"], condition=Q(decided_at__isnull=True),
                                    name="referral_one_open_per_person"),
        ]
        permissions = [("reassign_referral", _("Can reassign a referral to another commission"))]

    def __str__(self) -> str:
        return self.case_number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Diagnosis(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="diagnoses")
    icd = models.ForeignKey(IcdCode, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("ICD-10 code"))
    principal = models.BooleanField(_("principal diagnosis"), default=False)

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        constraints = [
            models.UniqueConstraint(fields=["referral", "icd"], name="diagnosis_once_per_referral"),
        ]

    def __str__(self) -> str:
        return self.icd_id


class LimitationDomain(models.TextChoices):
    """Domains of functioning, after the ICF's activities and participation."""

    MOBILITY = "mobility", _("mobility")
    SELF_CARE = "self_care", _("self-care")
    VISION = "vision", _("vision")
    HEARING = "hearing", _("hearing")
    COMMUNICATION = "communication", _("communication")
    LEARNING = "learning", _("learning and applying knowledge")
    BEHAVIOUR = "behaviour", _("behaviour and relationships")
    WORK = "work", _("work and daily activities")


class Severity(models.IntegerChoices):
    """ICF qualifiers."""

    NONE = 0, _("no difficulty")
    MILD = 1, _("mild difficulty")
    MODERATE = 2, _("moderate difficulty")
    SEVERE = 3, _("severe difficulty")
    COMPLETE = 4, _("complete difficulty")


class Limitation(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="limitations")
    domain = models.CharField(_("domain"), max_length=16, choices=LimitationDomain.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)

    class Meta:
        verbose_name = _("functional limitation")
        verbose_name_plural = _("functional limitations")
        constraints = [
            models.UniqueConstraint(fields=["referral", "domain"],
                                    name="limitation_once_per_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.severity}"



class MedicalDocument(models.Model):
    """A medical document, stripped of its metadata before it is stored.

    The file is kept in the row (not on disk) so that it goes and comes with
    its referral's transaction, and under a neutral name: an uploaded file's
    own name often is the patient's.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")
    number = models.PositiveSmallIntegerField(_("number"))
    content_type = models.CharField(_("type"), max_length=32)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("medical document")
        verbose_name_plural = _("medical documents")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="document_number_unique"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
            self.content_type, "bin")
        return f"{self.referral.case_number}-{self.number}.{extension}"



class DocumentRequest(models.Model):
    """An expert's request to the referring facility for more documents.

    The facility answers without either side learning who the other is: the
    facility sees the case number and the question, the expert the documents.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE,
                                 related_name="document_requests")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    question = models.TextField(_("what is needed"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("request for documents")
        verbose_name_plural = _("requests for documents")
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"{self.referral} · {self.asked_at:%Y-%m-%d}"



class Cause(models.TextChoices):
    GENERAL_ILLNESS = "general_illness", _("general illness")
    FROM_CHILDHOOD = "from_childhood", _("disability from childhood")
    WORK_INJURY = "work_injury", _("injury at work")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("occupational disease")
    MILITARY_SERVICE = "military_service", _("military service")
    OTHER_INJURY = "other_injury", _("other injury")


class Duration(models.TextChoices):
    ONE_YEAR = "1y", _("one year")
    TWO_YEARS = "2y", _("two years")
    FIVE_YEARS = "5y", _("five years")
    UNTIL_18 = "until_18", _("until the age of 18")
    INDEFINITE = "indefinite", _("indefinite")


class AssessmentState(models.TextChoices):
    PROPOSED = "proposed", _("awaiting a second expert")
    CONFIRMED = "confirmed", _("confirmed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Assessment(models.Model):
    """One expert's assessment of a case; final once a second expert confirms it.

    ``overall_percent`` is computed by the combination rule from the
    percentages per condition (``AssessedCondition``); ``degree`` is empty for
    a person under 18 ("disability under 18") and for 30 % or less.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=AssessmentState.choices,
                             default=AssessmentState.PROPOSED)
    overall_percent = models.PositiveSmallIntegerField(
        _("functional impairment, %"), validators=[MaxValueValidator(100)])
    degree = models.PositiveSmallIntegerField(_("degree"), null=True, blank=True,
                                              validators=[MinValueValidator(1),
                                                          MaxValueValidator(3)])
    under_18 = models.BooleanField(_("disability under 18"), default=False)
    cause = models.CharField(_("cause"), max_length=24, choices=Cause.choices)
    duration = models.CharField(_("duration"), max_length=12, choices=Duration.choices)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    lost_working_capacity = models.PositiveSmallIntegerField(
        _("loss of professional working capacity, %"), default=0,
        validators=[MaxValueValidator(100)])
    notes = models.TextField(_("reasoning"), blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=models.F("assessed_by")),
                name="assessment_confirmed_by_another_expert",
            ),
            models.CheckConstraint(condition=Q(overall_percent__lte=100),
                                   name="assessment_percent_range"),
            models.UniqueConstraint(fields=["referral"], condition=Q(state="proposed"),
                                    name="assessment_one_proposed_per_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.referral} · {self.overall_percent} %"



class AssessedCondition(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="conditions")
    diagnosis = models.ForeignKey(Diagnosis, on_delete=models.CASCADE, related_name="+")
    percent = models.PositiveSmallIntegerField(_("impairment, %"),
                                               validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("assessed condition")
        verbose_name_plural = _("assessed conditions")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100) & Q(percent__gte=0),
                                   name="assessed_condition_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.diagnosis} · {self.percent} %"



class RegisterEntry(models.Model):
    """The register of persons with disabilities: one entry a determination.

    Written when a commission's decision becomes final. It names no referral:
    nothing in plain text links a case number to a person. ``status`` is the
    registry's finding it produced (none for 30 % or less, which is no
    disability). Education and employment are as the registry held them on
    the day of determination.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disability_register")
    status = models.OneToOneField("registry.DisabilityStatus", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="register_entry")
    facility = models.ForeignKey(HealthFacility, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("referring facility"))
    determined_on = models.DateField(_("date of determination"))
    kind = models.CharField(_("initial or repeat"), max_length=8, choices=ReferralKind.choices)
    percent = models.PositiveSmallIntegerField(_("functional impairment, %"))
    degree = models.PositiveSmallIntegerField(_("degree"), null=True, blank=True)
    under_18 = models.BooleanField(_("disability under 18"), default=False)
    cause = models.CharField(_("cause"), max_length=24, choices=Cause.choices)
    duration = models.CharField(_("duration"), max_length=12, choices=Duration.choices)
    next_assessment_on = models.DateField(_("next assessment"), null=True, blank=True)
    lost_working_capacity = models.PositiveSmallIntegerField(
        _("loss of professional working capacity, %"), default=0)
    in_education = models.BooleanField(_("in education"), default=False)
    employed = models.BooleanField(_("employed"), default=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    reminded_60_on = models.DateField(_("reminded 60 days before"), null=True, blank=True)
    reminded_30_on = models.DateField(_("reminded 30 days before"), null=True, blank=True)
    certificate = models.ForeignKey("certificates.Certificate", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register of persons with disabilities")
        indexes = [
            models.Index(fields=["person", "-determined_on"], name="register_person_idx"),
            models.Index(fields=["next_assessment_on"], name="register_next_assessment_idx",
                         condition=Q(next_assessment_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.percent} % from {self.determined_on}"



class ReferralInvitation(models.Model):
    """A facility asked to refer a person again before their next assessment is due."""

    entry = models.OneToOneField(RegisterEntry, on_delete=models.CASCADE,
                                 related_name="invitation")
    facility = models.ForeignKey(HealthFacility, on_delete=models.PROTECT,
                                 related_name="invitations")
    due_on = models.DateField(_("assessment due on"))
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    # When the facility's new referral for the person arrived (found by their pseudonym).
    fulfilled_at = models.DateTimeField(_("referred again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for a new referral")
        verbose_name_plural = _("requests for new referrals")

    def __str__(self) -> str:
        return f"{self.facility} · {self.due_on}"



class AidCategory(models.TextChoices):
    MOBILITY = "mobility", _("mobility")
    SELF_CARE = "self_care", _("self-care")
    VISION = "vision", _("vision")
    HEARING = "hearing", _("hearing")
    COMMUNICATION = "communication", _("communication")


class AidItem(TranslatedName):
    """An item of the catalogue of rehabilitation aids."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=AidCategory.choices)
    # The functional impairment a finding must reach for the item.
    minimum_percent = models.PositiveSmallIntegerField(_("minimum impairment, %"), default=31)
    # How long the item serves before a replacement may be asked for.
    service_years = models.PositiveSmallIntegerField(_("service life, years"), default=3)
    returnable = models.BooleanField(_("returned when no longer needed"), default=False)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("rehabilitation aid")
        verbose_name_plural = _("rehabilitation aids")
        ordering = ["category", "code"]


class AidRequestState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    DELIVERED = "delivered", _("delivered")
    RETURNED = "returned", _("returned")


# Still being processed. A delivered aid is not open: once its service life is over, a
# replacement is a new request while the person keeps the worn one.
AID_OPEN_STATES = (AidRequestState.REQUESTED, AidRequestState.APPROVED)


class AidRequest(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aid_requests")
    item = models.ForeignKey(AidItem, on_delete=models.PROTECT, related_name="requests")
    status = models.ForeignKey("registry.DisabilityStatus", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("finding it rests on"))
    state = models.CharField(_("state"), max_length=12, choices=AidRequestState.choices,
                             default=AidRequestState.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("request for an aid")
        verbose_name_plural = _("requests for aids")
        constraints = [
            models.UniqueConstraint(fields=["person", "item"],
                                    condition=Q(state__in=["requested", "approved"]),
                                    name="aid_request_one_open_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.state}"



class AidRequestStep(models.Model):
    """Each step of a request, as the citizen sees it on the portal."""

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="steps")
    state = models.CharField(_("state"), max_length=12, choices=AidRequestState.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("step of a request for an aid")
        verbose_name_plural = _("steps of requests for aids")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.state} · {self.at:%Y-%m-%d}"



class Reassignment(models.Model):
    """A supervisor's move of a case to another commission, with the reason recorded."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reassignments")
    from_commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="+")
    to_commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")

    def __str__(self) -> str:
        return f"{self.referral}: {self.from_commission} → {self.to_commission}"
