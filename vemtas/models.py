"""Targeted state social assistance: a household's case from application to award.

The citizen-facing record is the e-application (``dost.applications``); the case
holds what the system needs to decide it: the household as the applicant
confirmed it, what they declared, the state of the cross-checks at other
institutions, the discrepancies found, the living-conditions assessment, and the
award the proactive engine made.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    # Waiting for the cross-checks to run.
    CHECKING = "checking", _("being checked with other institutions")
    # A source did not answer: asked again later; never decided on what is missing.
    WAITING = "waiting", _("waiting for an institution's answer")
    VISIT = "visit", _("waiting for the home visit")
    # Nothing disagreed: the engine awards it on its next run for the applicant.
    ELIGIBLE = "eligible", _("eligible, award being made")
    AWARDED = "awarded", _("awarded")
    REFUSED = "refused", _("refused")


OPEN_STATES = (CaseState.CHECKING, CaseState.WAITING, CaseState.VISIT, CaseState.ELIGIBLE)


class Channel(models.TextChoices):
    PORTAL = "portal", _("e-Social portal")
    KIOSK = "kiosk", _("kiosk at a DOST centre")


class Case(models.Model):
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="tssa_case")
    applicant = models.ForeignKey("registry.Person", on_delete=models.PROTECT,
                                  related_name="tssa_cases", db_index=False)
    # The registered legal representative who submitted it, when not the applicant.
    submitted_by = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", db_index=False)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="tssa_cases", db_index=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.PORTAL)
    applied_on = models.DateField(_("applied on"))
    # One year from the first of the month of application.
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    declared_income = models.DecimalField(_("declared average monthly income"), max_digits=12,
                                          decimal_places=2)
    declared_business = models.BooleanField(_("declared a business or self-employment"),
                                            default=False)
    # Average monthly income the award counts: the greater of the declared and the found.
    income_counted = models.DecimalField(_("income counted, per month"), max_digits=12,
                                         decimal_places=2, null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices,
                             default=CaseState.CHECKING)
    # Cross-checks: how many times the sources were asked, when next, which did not answer.
    attempts = models.PositiveSmallIntegerField(_("cross-check attempts"), default=0)
    retry_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    waiting_for = ArrayField(models.CharField(max_length=32), default=list, blank=True,
                             verbose_name=_("sources not answered"))
    checked_at = models.DateTimeField(_("cross-checked at"), null=True, blank=True)
    # Average monthly income the sources found (the 12 months before the application).
    found_income = models.DecimalField(_("income found, per month"), max_digits=12,
                                       decimal_places=2, null=True, blank=True)
    # What each source answered, for the report staff and the citizen read beside the
    # declaration: ``{source: [{kind, person, amount, detail, on}, ...]}``.
    findings = models.JSONField(_("what the sources found"), default=dict, blank=True)
    visit_required = models.BooleanField(_("home visit required"), default=True)
    # What the award was computed from, kept for the explanation.
    members_counted = models.PositiveSmallIntegerField(_("members counted"), null=True,
                                                       blank=True)
    criterion = models.DecimalField(_("needs criterion"), max_digits=8, decimal_places=2,
                                    null=True, blank=True)
    amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2,
                                 null=True, blank=True)
    award = models.ForeignKey("entitlements.Award", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", db_index=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # A refusal for a false declaration blocks a new application for a year.
    false_declaration = models.BooleanField(_("false declaration found"), default=False)
    # Staff who overturned the system's decision, and why (also in the decision log).
    overturned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    overturn_reason = models.TextField(_("reason for overturning"), blank=True)
    renewal_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="renewals")
    renewal_invited_at = models.DateTimeField(_("invited to renew at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), db_default=Now())

    class Meta:
        verbose_name = _("targeted assistance case")
        verbose_name_plural = _("targeted assistance cases")
        indexes = [
            models.Index(fields=["applicant", "-applied_on"], name="tssacase_applicant_idx"),
            models.Index(fields=["household"], name="tssacase_household_idx"),
            # The cross-checker's work: cases to check, oldest first.
            models.Index(fields=["retry_at", "id"], name="tssacase_to_check_idx",
                         condition=Q(state__in=["checking", "waiting"])),
            models.Index(fields=["state", "created_at"], name="tssacase_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CaseState.values),
                                   name="tssacase_state_valid"),
            models.CheckConstraint(condition=Q(declared_income__gte=0),
                                   name="tssacase_income_gte_0"),
            # One open case per household (or per person living alone).
            models.UniqueConstraint(fields=["household"], name="tssacase_one_open_household",
                                    condition=Q(state__in=[s.value for s in OPEN_STATES])),
            models.UniqueConstraint(fields=["applicant"], name="tssacase_one_open_applicant",
                                    condition=Q(state__in=[s.value for s in OPEN_STATES])),
        ]

    def __str__(self) -> str:
        return f"TSSA case {self.pk} ({self.state})"


class CaseMember(models.Model):
    """A member of the household as the registry showed it, and whether the applicant
    confirmed that they live there."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members",
                             db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    confirmed = models.BooleanField(_("lives in the household"), default=True)

    class Meta:
        verbose_name = _("member of the household")
        verbose_name_plural = _("members of the household")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="tssamember_once"),
        ]
        indexes = [models.Index(fields=["person"], name="tssamember_person_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.person_id}"


class Ground(models.TextChoices):
    """Why a case is refused: each a ground the law gives (see DOMAIN.md)."""

    INCOME_UNDECLARED = "income_undeclared", _("income found above the income declared")
    BUSINESS_UNDECLARED = "business_undeclared", _("a business that was not declared")
    HOUSEHOLD_MISMATCH = "household_mismatch", _(
        "household members differ from the civil registry")
    INCOME_ABOVE_CRITERION = "income_above_criterion", _(
        "average monthly income not below the needs criterion for the household")
    LARGE_TRANSACTIONS = "large_transactions", _(
        "purchases or sales in the last 12 months above 12 living minimums")
    VEHICLE = "vehicle", _("a vehicle other than a rehabilitation vehicle from the state")
    REAL_ESTATE = "real_estate", _(
        "two or more properties of the same purpose at different addresses")
    UTILITIES = "utilities", _("utility and communication costs per member above the limit")
    IDLE_MEMBER = "idle_member", _(
        "an able-bodied member neither works nor is registered as a job seeker, "
        "without a valid reason")
    REFUSED_JOBS = "refused_jobs", _("a member refused two suitable jobs")
    ASSESSMENT = "assessment", _("the home visit found conditions that disagree with the "
                                 "declaration")


# Grounds that mean the declaration was false: a new application is refused for a year.
FALSE_DECLARATION_GROUNDS = (Ground.INCOME_UNDECLARED, Ground.BUSINESS_UNDECLARED,
                             Ground.HOUSEHOLD_MISMATCH, Ground.ASSESSMENT)


class Discrepancy(models.Model):
    """One disagreement between what the household declared and what a source holds."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="discrepancies",
                             db_index=False)
    ground = models.CharField(_("ground"), max_length=32, choices=Ground.choices)
    # The bridge source (``dost.bridge.sources``) that answered, or "assessment".
    source = models.CharField(_("source"), max_length=32)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", db_index=False)
    declared = models.CharField(_("declared"), max_length=300, blank=True)
    found = models.CharField(_("found"), max_length=300, blank=True)
    found_at = models.DateTimeField(_("found at"), db_default=Now())

    class Meta:
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        indexes = [models.Index(fields=["case"], name="tssadiscrepancy_case_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ground__in=Ground.values),
                                   name="tssadiscrepancy_ground_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.ground}"

    @property
    def declared_text(self) -> str:
        return fact_text(self.declared)

    @property
    def found_text(self) -> str:
        return fact_text(self.found)


# What the checks write instead of a figure, in the reader's language.
_FACT_WORDS = {
    "member": _("lives in the household"),
    "not_member": _("not declared as a member"),
    "not_in_household": _("not a member of the household in the civil registry"),
    "no_business": _("no business"),
    "idle": _("not working and not registered as a job seeker"),
}


def fact_text(value: str) -> str:
    """A declared or found value as people read it: a figure or a register's own words as
    they are, a code of the checks in words."""
    if value.startswith("died:"):
        from dost.formatting import format_date

        return str(_("died on %(date)s") % {"date": format_date(value.removeprefix("died:"))})
    word = _FACT_WORDS.get(value)
    return str(word) if word is not None else value


class SigningKey(models.Model):
    """A social worker's Ed25519 key, issued and revoked by an administrator.

    Only the public key is stored in the clear; the private key is kept encrypted
    with the server's key-encryption secret and used only to sign that worker's
    assessments. A revoked key signs nothing more, and what it signed stays
    verifiable, showing when it was revoked.
    """

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="signing_keys")
    public_key = models.BinaryField(_("public key"))
    private_key_encrypted = models.BinaryField(editable=False)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), db_default=Now())
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            # One key in force per worker.
            models.UniqueConstraint(fields=["worker"], condition=Q(revoked_at__isnull=True),
                                    name="signingkey_one_active"),
        ]

    def __str__(self) -> str:
        return self.fingerprint[:16]


class AssessmentState(models.TextChoices):
    UNASSIGNED = "unassigned", _("not assigned")
    SCHEDULED = "scheduled", _("visit scheduled")
    SIGNED = "signed", _("signed")


class Assessment(models.Model):
    """The social worker's assessment of the household's living conditions."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="assessment")
    state = models.CharField(_("state"), max_length=12, choices=AssessmentState.choices,
                             default=AssessmentState.UNASSIGNED)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="tssa_assessments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    visit_at = models.DateTimeField(_("visit at"), null=True, blank=True)
    # The findings, as the worker recorded them.
    members_present = models.PositiveSmallIntegerField(_("members found living there"),
                                                       null=True, blank=True)
    conditions = models.TextField(_("living conditions"), blank=True)
    matches_declaration = models.BooleanField(_("conditions agree with the declaration"),
                                              null=True, blank=True)
    disagreement = models.TextField(_("what disagrees"), blank=True)
    # The signed statement: a canonical JSON manifest of the findings and every file's
    # SHA-256, and the worker's Ed25519 signature of it.
    manifest = models.TextField(_("signed manifest"), blank=True)
    signature = models.BinaryField(_("signature"), null=True, blank=True)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="assessments")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), db_default=Now())

    class Meta:
        verbose_name = _("living-conditions assessment")
        verbose_name_plural = _("living-conditions assessments")
        indexes = [
            models.Index(fields=["worker", "state"], name="tssaassessment_worker_idx"),
            models.Index(fields=["state", "created_at"], name="tssaassessment_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=AssessmentState.values),
                                   name="tssaassessment_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=AssessmentState.SIGNED)
                | (Q(signature__isnull=False) & Q(signing_key__isnull=False)
                   & ~Q(manifest="")),
                name="tssaassessment_signed_has_signature"),
        ]

    def __str__(self) -> str:
        return f"assessment of case {self.case_id} ({self.state})"


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    VIDEO = "video", _("video")
    AUDIO = "audio", _("audio")


class AssessmentMedia(models.Model):
    """A photo, video or audio file recorded at the visit, with its SHA-256."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="media",
                                   db_index=False)
    kind = models.CharField(_("kind"), max_length=8, choices=MediaKind.choices)
    file = models.FileField(_("file"), upload_to="tssa/assessments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), db_default=Now())

    class Meta:
        verbose_name = _("assessment file")
        verbose_name_plural = _("assessment files")
        indexes = [models.Index(fields=["assessment"], name="tssamedia_assessment_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MediaKind.values),
                                   name="tssamedia_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.original_name


class ChangeKind(models.TextChoices):
    BIRTH = "birth", _("birth in the household")
    DEATH = "death", _("death in the household")
    JOB = "job", _("a member started work")
    VEHICLE = "vehicle", _("a vehicle registered in the household")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("being applied")
    CHANGED = "changed", _("award changed")
    STOPPED = "stopped", _("award stopped")
    UNCHANGED = "unchanged", _("no change to the award")


class Change(models.Model):
    """A change in an awarded household that re-checks the award from its month.

    ``members_counted`` and ``monthly_income`` are the household as it stands after
    the change; the engine's TSSA rule offers a new period of the award from
    ``effective_from`` when the amount they give differs, ending the earlier one.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes",
                             db_index=False)
    kind = models.CharField(_("change"), max_length=8, choices=ChangeKind.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", db_index=False)
    occurred_on = models.DateField(_("occurred on"))
    effective_from = models.DateField(_("effective from"))
    members_counted = models.PositiveSmallIntegerField(_("members counted"))
    monthly_income = models.DecimalField(_("monthly income counted"), max_digits=12,
                                         decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=ChangeState.choices,
                             default=ChangeState.PENDING)
    award = models.ForeignKey("entitlements.Award", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", db_index=False)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), db_default=Now())

    class Meta:
        verbose_name = _("change in the household")
        verbose_name_plural = _("changes in the household")
        indexes = [
            models.Index(fields=["case", "effective_from"], name="tssachange_case_idx"),
            models.Index(fields=["state"], name="tssachange_pending_idx",
                         condition=Q(state="pending")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(effective_from__day=1),
                                   name="tssachange_from_first_day"),
            # The same event recorded once for a case.
            models.UniqueConstraint(fields=["case", "kind", "person", "occurred_on"],
                                    nulls_distinct=False, name="tssachange_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.occurred_on}"
