"""Who looked at a citizen's data, when, through which channel and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import JSONField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    BACKOFFICE = "backoffice", _("DOST back-office")
    ADMIN = "admin", _("administration site")
    CALLCENTRE = "callcentre", _("142 call centre")
    MSEC = "msec", _("expert commission")
    API = "api", _("institution via the Digital Bridge")
    # The citizen themself on the 142 line's automated menus, after their FIN and PIN.
    IVR = "ivr", _("you, by phone (142 automated line)")
    EMPLOYER = "employer", _("your employer")


class Subject(models.TextChoices):
    """What was looked at, as the citizen reads it in their access log."""

    REGISTRY_RECORD = "registry_record", _("registry record (identity, family, work, insurance)")
    AWARDS = "awards", _("awards and benefits")
    DISABILITY_CASE = "disability_case", _("disability case (medical information, without your "
                                           "name, seen by the expert commission)")
    COMPLAINTS = "complaints", _("complaints and appeals")
    EMPLOYMENT = "employment", _("employment record (job, occupation, wage)")
    CITIZEN_VIEW = "citizen_view", _("overview of your awards, applications, payments, "
                                     "queue tickets, complaints and messages")
    ASSISTANCE_CASE = "assistance_case", _("targeted social assistance case (your household, "
                                           "what you declared, what institutions hold, the "
                                           "home visit)")
    REGISTERS = "registers", _("other institutions' registers (property, vehicles, "
                               "businesses, purchases, bills, job seeking)")


class AccessRecord(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE,
                               related_name="access_records")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    what = models.CharField(_("what was seen"), max_length=64, choices=Subject.choices)
    reason = models.CharField(_("stated reason"), max_length=500)
    at = models.DateTimeField(_("when"), default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("data access record")
        verbose_name_plural = _("data access records")
        indexes = [models.Index(fields=["person", "-at"], name="access_person_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | Q(institution__isnull=False),
                name="access_has_accessor",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="access_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"

    @property
    def accessor_label(self) -> str:
        if self.channel == Channel.IVR:
            # The citizen heard their own data: the channel says how.
            return str(_("you"))
        if self.institution_id:
            return str(self.institution)
        return self.actor.get_role_display() if self.actor else ""

    @property
    def actor_name(self) -> str:
        """The official's name as the citizen sees it; none for an expert of a commission,
        who assesses without knowing whom, and whom the person must not be able to reach."""
        if self.actor is None or self.channel in (Channel.MSEC, Channel.IVR):
            return ""
        return self.actor.get_full_name() or self.actor.username


def channel_for_role(role: str) -> str:
    """The channel a signed-in official's look comes through, as the citizen sees it."""
    return {"agent": Channel.CALLCENTRE, "expert": Channel.MSEC}.get(role, Channel.BACKOFFICE)


# The hash-chained decision log. Entries are written by raw SQL (the proactive
# engine appends them in its award statement), so the columns that can carry a
# default carry it in the database; the hashes are computed by the SQL
# functions the migration creates (``audit_entry_hash`` and friends), never in
# Python, so writers and verification cannot disagree. Database triggers refuse
# UPDATE, DELETE and TRUNCATE on entries and batches: the log only grows.

ZERO_HASH = "0" * 64


class HashField(models.CharField):
    """A hex SHA-256: ``char(64)``, as every value has exactly 64 characters."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["max_length"] = 64
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def db_type(self, connection) -> str:
        return "char(64)"


class DecisionKind(models.TextChoices):
    AWARD = "award", _("award")
    STOP = "stop", _("stop of a payment")
    CHANGE = "change", _("change of amount")
    SWITCH = "switch", _("switch to another benefit")
    RESTORE = "restore", _("restoration")
    ANNUL = "annul", _("annulment")
    REFUSAL = "refusal", _("refusal")
    APPLICATION = "application", _("decision on an application")
    CORRECTION = "correction", _("decision on a reported wrong fact")
    HOLD = "hold", _("payment held")
    EVENT_REVIEW = "event_review", _("decision on a life event held for review")
    ASSIGNMENT = "assignment", _("assignment of a case to an expert commission")
    ASSESSMENT = "assessment", _("disability assessment")
    AID = "aid", _("decision on a request for a rehabilitation aid")
    COMPLAINT = "complaint", _("answer to a complaint or appeal")
    VISIT_ASSIGNMENT = "visit_assignment", _("home visit given to a social worker")
    HOME_VISIT = "home_visit", _("signed assessment of living conditions")


def _statement_time() -> models.Func:
    # One value for a whole statement: the column and the hash see the same time.
    return models.Func(function="statement_timestamp", output_field=models.DateTimeField())


class DecisionBatch(models.Model):
    """One appended group of decisions (a scan chunk, an event, a staff action).

    ``batch_hash`` covers ``previous_hash`` (the batch before it in ``position``
    order) and the ``entry_hash`` of each of its entries in id order. The id is
    drawn from the sequence before the entries are written, so they can name it.
    """

    id = models.BigAutoField(primary_key=True)
    position = models.BigIntegerField(_("position in the chain"), unique=True)
    previous_hash = HashField(_("previous batch's hash"))
    batch_hash = HashField(_("batch hash"))
    entries = models.IntegerField(_("entries"))
    closed_at = models.DateTimeField(_("closed at"), db_default=_statement_time())

    class Meta:
        verbose_name = _("decision batch")
        verbose_name_plural = _("decision batches")
        constraints = [
            models.CheckConstraint(condition=Q(position__gte=1), name="decisionbatch_position"),
            models.CheckConstraint(condition=Q(entries__gte=1), name="decisionbatch_not_empty"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} ({self.entries})"


class DecisionEntry(models.Model):
    """One decision, automated or human, with the hash of its own content.

    ``award_id`` is a plain number, not a foreign key: the log outlives and
    never constrains the awards it speaks of. ``facts_hash`` commits to the
    facts and parameters the decision relied on without copying them here
    (they stay with the award or application, which may be corrected later).
    """

    id = models.BigAutoField(primary_key=True)
    batch = models.ForeignKey(DecisionBatch, on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    award_id = models.BigIntegerField(_("award"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=64, blank=True, db_default="")
    decided_by = models.CharField(_("decided by"), max_length=120)
    details = models.JSONField(_("details"), blank=True, db_default=Value({}, JSONField()))
    facts_hash = HashField(_("hash of the facts relied on"), db_default=ZERO_HASH)
    entry_hash = HashField(_("entry hash"))
    recorded_at = models.DateTimeField(_("recorded at"), db_default=_statement_time())

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            # Closing a batch and verifying read a batch's entries in id order.
            models.Index(fields=["batch", "id"], name="decision_batch_idx"),
            models.Index(fields=["award_id"], name="decision_award_idx",
                         condition=Q(award_id__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DecisionKind.values),
                                   name="decision_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"D-{self.pk} {self.kind} {self.subject}"

    @property
    def reference(self) -> str:
        return f"D-{self.pk}"


class DecisionChainHead(models.Model):
    """The chain's last position and hash: the one row an append locks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    position = models.BigIntegerField(_("last position"), default=0)
    batch_hash = HashField(_("last batch hash"), default=ZERO_HASH)

    class Meta:
        verbose_name = _("decision chain head")
        verbose_name_plural = _("decision chain head")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="decisionchainhead_single")]

    def __str__(self) -> str:
        return f"#{self.position}"
