"""The single citizen record and the facts the state holds about each person.

Every fact carries the institution it came from (``source``) and when it was
received (``recorded_at``), so a citizen can see where the state got it.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import BrinIndex, GistIndex, OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dost.registry.validators import validate_fin, validate_iban, validate_phone


class TranslatedName(models.Model):
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "az")[:2]
        return getattr(self, f"name_{language}", None) or self.name_az


class Source(TranslatedName):
    """An institution that supplies facts (civil registry, tax service, a bank...)."""

    code = models.SlugField(primary_key=True, max_length=32)

    class Meta:
        verbose_name = _("source institution")
        verbose_name_plural = _("source institutions")


class EconomicRegion(TranslatedName):
    code = models.SlugField(primary_key=True, max_length=32)

    class Meta:
        verbose_name = _("economic region")
        verbose_name_plural = _("economic regions")


class Region(TranslatedName):
    """A district or city, grouped into the economic regions of the 2021 decree."""

    code = models.SlugField(primary_key=True, max_length=32)
    economic_region = models.ForeignKey(
        EconomicRegion, on_delete=models.PROTECT, related_name="regions"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Fact(models.Model):
    """Where a fact came from and when the state received it."""

    # Few distinct sources: an index on them would cost every insert and help no query.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True


class Household(Fact):
    """People living together and sharing a household (one set of utility meters)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="households")
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.region_id} {self.address}"


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class Language(models.TextChoices):
    AZ = "az", "Azərbaycanca"
    EN = "en", "English"
    RU = "ru", "Русский"


class Person(Fact):
    """One per human, keyed by FIN. ``source`` is the civil registry entry."""

    fin = models.CharField(_("FIN"), max_length=7, unique=True, validators=[validate_fin])
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=120, blank=True)
    # Spelling-insensitive keys (see validators.name_key) used by name look-up.
    first_name_key = models.CharField(max_length=100, editable=False)
    last_name_key = models.CharField(max_length=100, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    death_date = models.DateField(_("date of death"), null=True, blank=True)

    phone = models.CharField(_("mobile phone"), max_length=13, blank=True,
                             validators=[validate_phone])
    phone_source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", db_index=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="residents")
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", db_index=False)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices,
                                default=Language.AZ)
    bank_account = models.CharField(_("bank account (IBAN)"), max_length=28, blank=True,
                                    validators=[validate_iban])
    bank_account_source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+", db_index=False)
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="members")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key", "birth_date"],
                         name="person_name_key_idx"),
            # A first name alone, or with a year of birth ("Aysel 1990"), is one range.
            models.Index(fields=["first_name_key", "birth_date"],
                         name="person_first_name_birth_idx"),
            models.Index(fields=["phone"], name="person_phone_idx", condition=~Q(phone="")),
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
            # Rows arrive in time order, so a tiny BRIN index finds what changed since the
            # last scan (see dost.entitlements.incremental).
            BrinIndex(fields=["recorded_at"], name="person_recorded_brin"),
            BrinIndex(fields=["updated_at"], name="person_updated_brin"),
            models.Index(fields=["death_date"], name="person_death_date_idx",
                         condition=Q(death_date__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__regex=r"^[0-9A-HJ-NP-Z]{7}$"), name="person_fin_format"
            ),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(death_date__gte=models.F("birth_date")),
                name="person_death_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fin} {self.last_name} {self.first_name}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def is_alive(self) -> bool:
        return self.death_date is None


class NameKey(models.Model):
    """Every distinct name key in the registry.

    Typo-tolerant look-up runs trigram similarity over this small vocabulary
    and then an exact index look-up over people, which stays fast at millions
    of rows where a trigram scan over every person would not.
    """

    key = models.CharField(max_length=100, primary_key=True)

    class Meta:
        # Nearest keys first (ORDER BY key <-> word): a GiST index answers without a
        # similarity threshold to set, and without comparing every key.
        indexes = [GistIndex(OpClass("key", name="gist_trgm_ops"), name="namekey_trgm_gist_idx")]

    def __str__(self) -> str:
        return self.key


class RelationKind(models.TextChoices):
    PARENT = "parent", _("parent")
    SPOUSE = "spouse", _("spouse")
    GUARDIAN = "guardian", _("guardian")


class FamilyRelation(Fact):
    """``relative`` is the ``kind`` of ``person`` (the mother is the parent of the child).

    Spouses are stored in both directions so either side is one index look-up.
    """

    # Both directions are served by the composite indexes below.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations",
                               db_index=False)
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relatives_of",
                                 db_index=False)
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("family relation")
        verbose_name_plural = _("family relations")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"],
                                    name="family_relation_unique"),
            models.CheckConstraint(condition=~Q(person=models.F("relative")),
                                   name="family_relation_not_self"),
        ]
        indexes = [models.Index(fields=["relative", "kind"], name="relation_relative_kind_idx"),
                   BrinIndex(fields=["recorded_at"], name="relation_recorded_brin")]

    def __str__(self) -> str:
        return f"{self.relative_id} is {self.kind} of {self.person_id}"


class EndReason(models.TextChoices):
    RESIGNATION = "resignation", _("resignation")
    STAFF_CUT = "staff_cut", _("staff reduction")
    LIQUIDATION = "liquidation", _("liquidation of the employer")
    FIXED_TERM_END = "fixed_term_end", _("end of a fixed-term contract")
    DISMISSAL = "dismissal", _("dismissal")
    RETIREMENT = "retirement", _("retirement")
    DEATH = "death", _("death")


class EmploymentSpell(Fact):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment_spells",
                               db_index=False)
    employer_name = models.CharField(_("employer"), max_length=200)
    employer_tin = models.CharField(_("employer's TIN"), max_length=10)
    occupation_code = models.CharField(_("occupation code"), max_length=4)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=20,
                                  choices=EndReason.choices, blank=True)
    monthly_wage = models.DecimalField(_("monthly wage"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("employment spell")
        verbose_name_plural = _("employment spells")
        indexes = [
            models.Index(fields=["person", "started_on"], name="spell_person_idx"),
            models.Index(fields=["person"], name="spell_current_idx",
                         condition=Q(ended_on__isnull=True)),
            # An employer's personnel record: its current staff, by its TIN.
            models.Index(fields=["employer_tin", "started_on"], name="spell_employer_current_idx",
                         condition=Q(ended_on__isnull=True)),
            BrinIndex(fields=["recorded_at"], name="spell_recorded_brin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="spell_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} {self.started_on}–{self.ended_on or ''}"


class Contribution(Fact):
    """Social-insurance contributions paid for a person in one calendar year."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contributions",
                               db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    insured_months = models.PositiveSmallIntegerField(_("insured months"))
    wage_total = models.DecimalField(_("insured wages"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("contributions"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("social-insurance contribution")
        verbose_name_plural = _("social-insurance contributions")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="contribution_person_year"),
            models.CheckConstraint(condition=Q(insured_months__lte=12),
                                   name="contribution_months_in_year"),
        ]
        indexes = [BrinIndex(fields=["recorded_at"], name="contribution_recorded_brin")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class DisabilityStatus(Fact):
    """A finding of the medical-social expert commission (MSEC).

    Degrees: I 81–100 %, II 61–80 %, III 31–60 %; 30 % or less is no disability.
    ``valid_until`` is empty for an indefinite finding.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE,
                               related_name="disability_statuses", db_index=False)
    percent = models.PositiveSmallIntegerField(_("functional impairment, %"))
    determined_on = models.DateField(_("determined on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    cause = models.CharField(_("cause"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("disability status")
        verbose_name_plural = _("disability statuses")
        indexes = [models.Index(fields=["person", "-determined_on"], name="disability_person_idx"),
                   BrinIndex(fields=["recorded_at"], name="disability_recorded_brin")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=31, percent__lte=100), name="disability_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gt=models.F("determined_on")),
                name="disability_valid_after_determined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent} % from {self.determined_on}"

    @property
    def degree(self) -> int:
        if self.percent >= 81:
            return 1
        if self.percent >= 61:
            return 2
        return 3


class Study(Fact):
    """A period of study reported by the education authority (source ``education``).

    Full-time study after 18 keeps a child's survivor's pension up to 23.
    ``ended_on`` is empty while the studies go on: a planned end is not a fact.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="studies",
                               db_index=False)
    institution = models.CharField(_("educational institution"), max_length=200, blank=True)
    full_time = models.BooleanField(_("full-time"), default=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        indexes = [models.Index(fields=["person", "started_on"], name="study_person_idx"),
                   BrinIndex(fields=["recorded_at"], name="study_recorded_brin")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="study_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.started_on}–{self.ended_on or ''}"



class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("being checked")
    VERIFIED = "verified", _("confirmed and corrected")
    REJECTED = "rejected", _("not confirmed")


class CorrectionRequest(models.Model):
    """A citizen's report that a fact about them is wrong.

    It changes nothing in the registry by itself: staff check it against the
    source institution, and only a verified request corrects the fact.
    ``fact`` is a key of ``dost.registry.corrections.CORRECTABLE_FACTS``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE,
                               related_name="correction_requests", db_index=False)
    fact = models.CharField(_("fact"), max_length=32)
    # What the registry showed when the citizen reported it.
    current_value = models.CharField(_("value in the registry"), max_length=300, blank=True)
    proposed_value = models.TextField(_("what the citizen says is right"))
    document = models.FileField(_("supporting document"), upload_to="corrections/%Y/%m/",
                                blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.OPEN)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    resolution_note = models.TextField(_("answer to the citizen"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = [
            models.Index(fields=["person", "-created_at"], name="correction_person_idx"),
            models.Index(fields=["created_at"], name="correction_open_idx",
                         condition=Q(status="open")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "verified", "rejected"]),
                                   name="correction_status_valid"),
            # One report of a fact at a time: a second would only be checked twice.
            models.UniqueConstraint(fields=["person", "fact"], condition=Q(status="open"),
                                    name="correction_one_open_per_fact"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.fact} {self.status}"


__all__ = [
    "Contribution", "CorrectionRequest", "CorrectionStatus", "DisabilityStatus", "EconomicRegion",
    "EmploymentSpell", "FamilyRelation", "Household", "NameKey", "Person", "Region", "Source",
]
