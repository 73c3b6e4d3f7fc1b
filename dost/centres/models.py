"""DOST centres and the ministry's catalogue of services they and the portal offer.

Catalogue text is kept in the three languages of the portal side by side
(``*_az``, ``*_en``, ``*_ru``): a service is one row, whatever the reader's
language, and search can look in all three at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import CombinedExpression
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LANGUAGES = ("az", "en", "ru")


class Translated(models.Model):
    """Reads ``<field>_<language>`` in the active language, falling back to Azerbaijani."""

    class Meta:
        abstract = True

    def translated(self, field: str) -> str:
        language = (get_language() or "az")[:2]
        if language not in LANGUAGES:
            language = "az"
        return getattr(self, f"{field}_{language}") or getattr(self, f"{field}_az")


class ServiceCategory(Translated):
    """An area of the catalogue: labour, employment, social protection, social security."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class Provider(Translated):
    """The institution of the ministry that renders a service."""

    code = models.SlugField(primary_key=True, max_length=40)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class Fold(models.Func):
    """Lower case with the Azerbaijani letters spelt in plain Latin (ə→e, ş→s, ı→i ...).

    People type "issiz" for "işsiz" and "elillik" for "əlillik": folding both
    the catalogue and the query makes those spellings meet. ``centres_fold`` is
    an immutable SQL function (migration 0002), so it may feed stored columns
    and indexes; ``dost.centres.selectors.fold`` is its Python twin.
    """

    function = "centres_fold"
    output_field = models.TextField()


# Azerbaijani has no stemmer in PostgreSQL: its words are matched as typed
# (folded) and by prefix; misspellings are corrected before the search.
SEARCH_CONFIGS = {"az": "simple", "en": "english", "ru": "russian"}


def _document(language: str) -> CombinedExpression:
    config = SEARCH_CONFIGS[language]
    return (
        SearchVector(Fold(f"title_{language}"), config=config, weight="A")
        + SearchVector(Fold(f"keywords_{language}"), config=config, weight="B")
        + SearchVector(Fold(f"summary_{language}"), config=config, weight="C")
    )


class Channel(models.TextChoices):
    PORTAL = "portal", _("e-Social portal")
    CENTRE = "centre", _("DOST centre")
    CALL_CENTRE = "call_centre", _("142 call centre")
    MOBILE = "mobile", _("mobile application")
    PROACTIVE = "proactive", _("granted without application")


class DataGroup(models.TextChoices):
    """Groups of facts the state already holds about a person (see the registry)."""

    IDENTITY = "identity", _("Identity: name, FIN, date of birth")
    ADDRESS = "address", _("Registered address")
    FAMILY = "family", _("Family: births, marriages, deaths, guardianship")
    EMPLOYMENT = "employment", _("Labour contracts and employment history")
    CONTRIBUTIONS = "contributions", _("Social insurance contributions and pension capital")
    DISABILITY = "disability", _("Disability status")
    INCOME = "income", _("Income from tax and benefit records")
    PROPERTY = "property", _("Real estate and vehicles")
    EDUCATION = "education", _("Education and qualifications")
    HEALTH = "health", _("Medical referrals and sick notes")
    BANK_ACCOUNT = "bank_account", _("Bank account or card")
    BENEFITS = "benefits", _("Pensions and benefits already paid")
    VETERAN = "veteran", _("Veteran and martyr family status")


class Service(Translated):
    """One service of the ministry's catalogue."""

    code = models.SlugField(_("code"), unique=True, max_length=80)
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT,
                                 related_name="services", verbose_name=_("category"))
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services",
                                 verbose_name=_("provider"),
                                 help_text=_("The institution that renders the service."))
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    summary_az = models.TextField(_("summary (Azerbaijani)"))
    summary_en = models.TextField(_("summary (English)"))
    summary_ru = models.TextField(_("summary (Russian)"))
    # Other words people use for the service (synonyms, colloquial and old names).
    keywords_az = models.CharField(_("keywords (Azerbaijani)"), max_length=500, blank=True)
    keywords_en = models.CharField(_("keywords (English)"), max_length=500, blank=True)
    keywords_ru = models.CharField(_("keywords (Russian)"), max_length=500, blank=True)
    eligibility_az = models.TextField(_("who may use it (Azerbaijani)"))
    eligibility_en = models.TextField(_("who may use it (English)"))
    eligibility_ru = models.TextField(_("who may use it (Russian)"))
    legal_basis_az = models.CharField(_("legal basis (Azerbaijani)"), max_length=500)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=500)
    legal_basis_ru = models.CharField(_("legal basis (Russian)"), max_length=500)
    # Steps in order, each {"az": ..., "en": ..., "ru": ...}.
    steps = models.JSONField(_("steps"), default=list)
    channels = ArrayField(models.CharField(max_length=20, choices=Channel.choices),
                          verbose_name=_("channels"), default=list)
    proactive = models.BooleanField(_("granted proactively"), default=False)
    # The codes of the benefits whose entitlement rules grant a proactive service
    # (dost.entitlements.rules.rule_for_benefit): a service is shown as granted without
    # an application only when a registered rule grants each of them. A database default
    # too, for rows written by raw SQL (the search benchmark's variants).
    benefits = ArrayField(models.CharField(max_length=64), verbose_name=_("benefits granted"),
                          default=list, blank=True, db_default=[])
    # Facts the state already holds and uses (registry fact groups, e.g. "identity",
    # "address", "contributions"): the citizen is never asked for them.
    required_data = ArrayField(models.CharField(max_length=40, choices=DataGroup.choices),
                               verbose_name=_("data used"),
                               default=list, blank=True)
    # The e-application this service opens, when it can be applied for online.
    application_code = models.CharField(_("e-application"), max_length=80, blank=True)
    # Whether a DOST centre visit for this service can be booked in the e-queue.
    bookable = models.BooleanField(_("bookable in the e-queue"), default=False)
    active = models.BooleanField(_("active"), default=True)

    # Kept by PostgreSQL from the text above, so that a search is one indexed
    # statement: a weighted document (title, keywords, summary) per language,
    # and the three together, which the search matches and ranks by. The one
    # in the reader's language adds to the rank. Misspelt words are corrected
    # against the words of titles and keywords first (the materialized view
    # centres_searchword, migration 0005).
    search_az = models.GeneratedField(expression=_document("az"),
                                      output_field=SearchVectorField(), db_persist=True)
    search_en = models.GeneratedField(expression=_document("en"),
                                      output_field=SearchVectorField(), db_persist=True)
    search_ru = models.GeneratedField(expression=_document("ru"),
                                      output_field=SearchVectorField(), db_persist=True)
    search_all = models.GeneratedField(
        expression=_document("az") + _document("en") + _document("ru"),
        output_field=SearchVectorField(), db_persist=True,
    )

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            # The catalogue changes seldom: entries go straight into the index
            # rather than into a pending list that every search would scan.
            GinIndex(fields=["search_all"], name="centres_service_search_all",
                     fastupdate=False),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def summary(self) -> str:
        return self.translated("summary")

    @property
    def eligibility(self) -> str:
        return self.translated("eligibility")

    @property
    def legal_basis(self) -> str:
        return self.translated("legal_basis")

    @property
    def keywords(self) -> str:
        return self.translated("keywords")

    @property
    def translated_steps(self) -> list[str]:
        language = (get_language() or "az")[:2]
        return [step.get(language) or step["az"] for step in self.steps]

    @property
    def data_groups(self) -> list[StrOrPromise]:
        """Labels of the facts the state already holds for this service."""
        labels = dict(DataGroup.choices)
        return [labels.get(group, group) for group in self.required_data]

    @property
    def channel_labels(self) -> list[StrOrPromise]:
        labels = dict(Channel.choices)
        return [labels.get(channel, channel) for channel in self.channels]


class Weekday(models.IntegerChoices):
    """ISO weekdays, as PostgreSQL's ``extract(isodow ...)`` numbers them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


# What a centre gets when nobody has said otherwise (a new centre in the catalogue file).
DEFAULT_DESKS = 4
WORKING_WEEK = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY,
                Weekday.FRIDAY)


class Centre(Translated):
    """A DOST centre, where citizens are served in person.

    Its opening hours (one row per weekday it opens), the services it offers, its
    number of desks and its staff are kept by administrators; the e-queue's slots are
    made from the hours, with as many places as the centre has desks.
    """

    code = models.SlugField(primary_key=True, max_length=40)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    address_az = models.CharField(_("address (Azerbaijani)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300)
    address_ru = models.CharField(_("address (Russian)"), max_length=300)
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT,
                               related_name="centres", verbose_name=_("region"))
    desks = models.PositiveSmallIntegerField(
        _("desks"), default=DEFAULT_DESKS,
        help_text=_("Desks serving citizens at once: each new e-queue time slot has as many "
                    "places."))
    services = models.ManyToManyField(Service, related_name="centres", blank=True,
                                      verbose_name=_("services offered"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("DOST centre")
        verbose_name_plural = _("DOST centres")
        constraints = [
            models.CheckConstraint(condition=Q(desks__gte=1), name="centres_centre_has_a_desk"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")

    @property
    def address(self) -> str:
        return self.translated("address")

    @property
    def opening_times(self) -> list[OpeningTimes]:
        """The week's hours, consecutive days with the same hours together ("Monday–Friday
        09:00–18:00"). Reads ``hours`` (prefetch it for a list of centres)."""
        times: list[OpeningTimes] = []
        for row in sorted(self.hours.all(), key=lambda row: row.weekday):
            last = times[-1] if times else None
            if (last is not None and last.last_day + 1 == row.weekday
                    and (last.opens_at, last.closes_at) == (row.opens_at, row.closes_at)):
                times[-1] = dataclasses.replace(last, last_day=row.weekday)
            else:
                times.append(OpeningTimes(row.weekday, row.weekday, row.opens_at, row.closes_at))
        return times


@dataclasses.dataclass(frozen=True)
class OpeningTimes:
    """Days of the week, ``first_day`` to ``last_day``, with the same hours."""

    first_day: int
    last_day: int
    opens_at: dt.time
    closes_at: dt.time

    @property
    def days(self) -> str:
        first, last = Weekday(self.first_day).label, Weekday(self.last_day).label
        return str(first) if self.first_day == self.last_day else f"{first}–{last}"


class OpeningHours(models.Model):
    """When a centre receives citizens on one day of the week; a day without a row is closed."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="hours",
                               verbose_name=_("centre"))
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["centre", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["centre", "weekday"],
                                    name="centres_hours_one_row_per_day"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")),
                                   name="centres_hours_open_before_closing"),
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7),
                                   name="centres_hours_iso_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise ValidationError({"closes_at": _("A centre must open before it closes.")})


class CentreStaff(models.Model):
    """An official's post: the centre they work at (one), and the desk they usually sit at."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="centre_post", verbose_name=_("official"),
                                limit_choices_to={"role": "staff"})
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="staff",
                               verbose_name=_("centre"))
    desk = models.PositiveSmallIntegerField(_("usual desk"), null=True, blank=True)

    class Meta:
        ordering = ["centre", "desk", "user"]
        verbose_name = _("centre staff member")
        verbose_name_plural = _("centre staff")
        constraints = [
            models.CheckConstraint(condition=Q(desk__isnull=True) | Q(desk__gte=1),
                                   name="centres_staff_desk_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.centre_id}"

    def clean(self) -> None:
        if self.desk is not None and self.centre_id and self.desk > self.centre.desks:
            raise ValidationError({"desk": _("The centre has only %(desks)s desks.")
                                   % {"desks": self.centre.desks}})


class MobileUnit(Translated):
    """A "Mobil DOST" vehicle that takes a centre's services to the regions on a schedule."""

    code = models.SlugField(_("code"), primary_key=True, max_length=40)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="mobile_units",
                               verbose_name=_("centre"),
                               help_text=_("The centre whose staff plan the unit's stops."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mobile unit")
        verbose_name_plural = _("mobile units")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.translated("name")


class StopTime(models.Func):
    """``tsrange(day + starts_at, day + ends_at)``: the time of a stop, half-open, so that
    one stop may begin when the unit's previous one ends."""

    output_field = models.Field()

    def __init__(self) -> None:
        super().__init__(F("day"), F("starts_at"), F("ends_at"))

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (start, start_params), (end, end_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions())
        return (f"tsrange({day} + {start}, {day} + {end})",
                [*day_params, *start_params, *day_params, *end_params])


class MobileStop(Translated):
    """Where a mobile unit receives citizens on a day, and when; cancelled stops are kept."""

    unit = models.ForeignKey(MobileUnit, on_delete=models.PROTECT, related_name="stops",
                             verbose_name=_("mobile unit"))
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT,
                               related_name="mobile_stops", verbose_name=_("region"))
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place_az = models.CharField(_("place (Azerbaijani)"), max_length=300)
    # Azerbaijani is required; the other languages fall back to it when left empty.
    place_en = models.CharField(_("place (English)"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (Russian)"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("planned by"))
    created_at = models.DateTimeField(_("planned at"))
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True,
                                     verbose_name=_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["day", "starts_at", "unit"]
        verbose_name = _("mobile unit stop")
        verbose_name_plural = _("mobile unit stops")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")),
                                   name="centres_stop_starts_before_it_ends"),
            # The last line of defence behind the service's own check: one unit cannot be
            # in two places at once, however two officials race to plan it.
            ExclusionConstraint(
                name="centres_stop_unit_not_in_two_places",
                expressions=[("unit", RangeOperators.EQUAL), (StopTime(), RangeOperators.OVERLAPS)],
                condition=Q(cancelled_at__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["day", "region"], condition=Q(cancelled_at__isnull=True),
                         name="centres_stop_coming"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.starts_at:%H:%M}"

    @property
    def place(self) -> str:
        return self.translated("place")

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None
