"""Writes of the service catalogue: loading it from its version-controlled file."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import uuid4

import yaml
from django.apps import apps as django_apps
from django.apps.registry import Apps
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.centres.models import (
    DEFAULT_DESKS,
    LANGUAGES,
    WORKING_WEEK,
    Channel,
    DataGroup,
    MobileStop,
    MobileUnit,
)
from dost.centres.selectors import CATALOGUE_VERSION_KEY
from dost.errors import DomainError
from dost.registry.selectors import regions

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
# Benefit codes, as entitlement rules name them (``childbirth_allowance``).
_BENEFIT = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


class CatalogueError(Exception):
    """The catalogue file cannot be loaded; the message says which entry and why."""


@dataclass(frozen=True)
class CatalogueCounts:
    providers: int
    categories: int
    services: int
    centres: int


def catalogue_load(*, path: Path = CATALOGUE_PATH, apps: Apps = django_apps) -> CatalogueCounts:
    """Upsert providers, categories, services and centres from ``path``, matched by code.

    Idempotent: a second run with the same file changes nothing. Rows that are
    not in the file (a service added in the back-office) are left alone. The
    whole file is checked first and loaded in one transaction, so a bad entry
    changes nothing. A data migration passes its ``apps`` so that the loader
    works with the models as they were at that migration (keys the models do
    not have yet are skipped).
    """
    try:
        catalogue = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueError(_("The catalogue file cannot be read: %(error)s")
                             % {"error": error}) from error

    Provider = apps.get_model("centres", "Provider")
    ServiceCategory = apps.get_model("centres", "ServiceCategory")
    Service = apps.get_model("centres", "Service")
    Centre = apps.get_model("centres", "Centre")
    Region = apps.get_model("registry", "Region")

    providers = [_provider_row(entry) for entry in catalogue.get("providers", [])]
    categories = [_category_row(entry) for entry in catalogue.get("categories", [])]
    # A file may refer to providers and categories loaded before.
    provider_codes = ({row["code"] for row in providers}
                      | set(Provider.objects.values_list("code", flat=True)))
    category_codes = ({row["code"] for row in categories}
                      | set(ServiceCategory.objects.values_list("code", flat=True)))
    services = [_service_row(entry, categories=category_codes, providers=provider_codes)
                for entry in catalogue.get("services", [])]
    regions = set(Region.objects.values_list("code", flat=True))
    centres = [_centre_row(entry, regions=regions) for entry in catalogue.get("centres", [])]
    for kind, rows in (("provider", providers), ("category", categories),
                       ("service", services), ("centre", centres)):
        _require_unique(kind, rows)

    with transaction.atomic():
        known_centres = set(Centre.objects.values_list("code", flat=True))
        known_services = set(Service.objects.values_list("code", flat=True))
        _upsert(Provider, providers)
        _upsert(ServiceCategory, categories)
        _upsert(Service, services)
        # Desks are the administrators' once a centre exists: a reload does not undo them.
        _upsert(Centre, centres, create_only={"desks"})
        _new_centres_and_services_set_up(
            apps,
            centres=[row for row in centres if row["code"] not in known_centres],
            service_codes=[row["code"] for row in services
                           if row["code"] not in known_services and row["bookable"]],
        )
        catalogue_search_refresh()
    return CatalogueCounts(providers=len(providers), categories=len(categories),
                           services=len(services), centres=len(centres))


def catalogue_search_refresh() -> None:
    """Rebuild the vocabulary misspelt search words are corrected against.

    Call it after any change to services' titles, keywords or active flags
    (catalogue_load does). Until then search still finds new words spelt
    right; only their misspellings are not corrected. It also retires the
    cached renderings of the catalogue.
    """
    cache.set(CATALOGUE_VERSION_KEY, uuid4().hex, None)
    with connection.cursor() as cursor:
        # The vocabulary comes after the first catalogue load in the migrations.
        cursor.execute("SELECT to_regclass('centres_searchword') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute("REFRESH MATERIALIZED VIEW centres_searchword")


def _new_centres_and_services_set_up(apps: Apps, *, centres: list[dict[str, Any]],
                                     service_codes: list[str]) -> None:
    """Give centres new to the database their hours, Monday to Friday, and every bookable
    service; offer bookable services new to the database at every centre.

    Only what is new: hours and services that administrators changed since stay as they
    are. In the migrations before centres kept weekday hours (centres 0008) there is
    nothing to set up: that migration's data step does it for the centres then known.
    """
    try:
        OpeningHours = apps.get_model("centres", "OpeningHours")
    except LookupError:
        return
    Centre = apps.get_model("centres", "Centre")
    Service = apps.get_model("centres", "Service")
    OpeningHours.objects.bulk_create(
        [OpeningHours(centre_id=row["code"], weekday=weekday, opens_at=row["opens_at"],
                      closes_at=row["closes_at"])
         for row in centres for weekday in WORKING_WEEK],
        ignore_conflicts=True,
    )
    bookable = Service.objects.filter(bookable=True)
    every_bookable = list(bookable.values_list("pk", flat=True))
    new_bookable = list(bookable.filter(code__in=service_codes).values_list("pk", flat=True))
    pairs = {(row["code"], service_id) for row in centres for service_id in every_bookable}
    if new_bookable:
        pairs |= {(centre, service_id)
                  for centre in Centre.objects.values_list("code", flat=True)
                  for service_id in new_bookable}
    Offered = Centre.services.through
    Offered.objects.bulk_create(
        [Offered(centre_id=centre, service_id=service_id) for centre, service_id in pairs],
        ignore_conflicts=True,
    )


def _upsert(model: type[models.Model], rows: list[dict[str, Any]], *,
            create_only: frozenset[str] | set[str] = frozenset()) -> None:
    """One INSERT ... ON CONFLICT (code) DO UPDATE for all rows of a table.

    Columns in ``create_only`` are written for new rows and left alone on existing ones.
    """
    if not rows:
        return
    columns = {field.attname for field in model._meta.concrete_fields
               if not getattr(field, "generated", False) and not field.auto_created}
    objects = [model(**{key: value for key, value in row.items() if key in columns})
               for row in rows]
    update = sorted(key for key in rows[0]
                    if key in columns and key != "code" and key not in create_only)
    model._default_manager.bulk_create(objects, update_conflicts=True, unique_fields=["code"],
                              update_fields=update)


def _require_unique(kind: str, rows: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row["code"] in seen:
            raise CatalogueError(_("The %(kind)s code %(code)s appears twice.")
                                 % {"kind": kind, "code": row["code"]})
        seen.add(row["code"])


def _code(entry: dict[str, Any], kind: str) -> str:
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise CatalogueError(_("A %(kind)s has a missing or malformed code: %(code)r.")
                             % {"kind": kind, "code": code})
    return code


def _texts(entry: dict[str, Any], field: str, code: str, *,
           required: bool = True) -> dict[str, str]:
    """``field_az``, ``field_en``, ``field_ru`` from ``{field: {az, en, ru}}``."""
    texts = entry.get(field) or {}
    row = {}
    for language in LANGUAGES:
        text = texts.get(language, "") if isinstance(texts, dict) else ""
        if not isinstance(text, str) or (required and not text.strip()):
            raise CatalogueError(_("%(code)s: %(field)s has no %(language)s text.")
                                 % {"code": code, "field": field, "language": language})
        row[f"{field}_{language}"] = " ".join(text.split())
    return row


def _provider_row(entry: dict[str, Any]) -> dict[str, Any]:
    code = _code(entry, "provider")
    return {"code": code, **_texts(entry, "name", code)}


def _category_row(entry: dict[str, Any]) -> dict[str, Any]:
    code = _code(entry, "category")
    return {"code": code, "position": int(entry.get("position", 0)), **_texts(entry, "name", code)}


def _service_row(entry: dict[str, Any], *, categories: set[str],
                 providers: set[str]) -> dict[str, Any]:
    code = _code(entry, "service")
    if entry.get("category") not in categories:
        raise CatalogueError(_("%(code)s: unknown category %(value)r.")
                             % {"code": code, "value": entry.get("category")})
    if entry.get("provider") not in providers:
        raise CatalogueError(_("%(code)s: unknown provider %(value)r.")
                             % {"code": code, "value": entry.get("provider")})
    channels = list(entry.get("channels") or [])
    unknown = set(channels) - set(Channel.values)
    if not channels or unknown:
        raise CatalogueError(_("%(code)s: channels must be some of %(allowed)s.")
                             % {"code": code, "allowed": ", ".join(Channel.values)})
    required_data = list(entry.get("required_data") or [])
    if set(required_data) - set(DataGroup.values):
        raise CatalogueError(_("%(code)s: required data must be some of %(allowed)s.")
                             % {"code": code, "allowed": ", ".join(DataGroup.values)})
    application_code = entry.get("application_code") or ""
    if application_code and not _CODE.match(application_code):
        raise CatalogueError(_("%(code)s: malformed application code %(value)r.")
                             % {"code": code, "value": application_code})
    steps = []
    for number, step in enumerate(entry.get("steps") or [], start=1):
        texts = _texts({"step": step}, "step", f"{code} step {number}")
        steps.append({language: texts[f"step_{language}"] for language in LANGUAGES})
    if not steps:
        raise CatalogueError(_("%(code)s: a service needs at least one step.") % {"code": code})
    proactive = bool(entry.get("proactive", False))
    if proactive != (Channel.PROACTIVE in channels):
        raise CatalogueError(_("%(code)s: a proactive service, and only such a service, has "
                               "the proactive channel.") % {"code": code})
    benefits = entry.get("benefits") or []
    if not isinstance(benefits, list) or not all(
            isinstance(benefit, str) and _BENEFIT.match(benefit) for benefit in benefits):
        raise CatalogueError(_("%(code)s: benefits must be a list of benefit codes.")
                             % {"code": code})
    # Whether a registered rule grants them is checked against the rule registry
    # (selectors.proactive_services_without_rule), not here: the loader also runs in
    # migrations, and dost never imports the subsystems that register rules.
    if proactive != bool(benefits):
        raise CatalogueError(_("%(code)s: a proactive service, and only such a service, names "
                               "the benefits it grants.") % {"code": code})
    return {
        "code": code,
        "category_id": entry["category"],
        "provider_id": entry["provider"],
        **_texts(entry, "title", code),
        **_texts(entry, "summary", code),
        **_texts(entry, "eligibility", code),
        **_texts(entry, "legal_basis", code),
        **_texts(entry, "keywords", code, required=False),
        "steps": steps,
        "channels": channels,
        "proactive": proactive,
        "benefits": benefits,
        "required_data": required_data,
        "application_code": application_code,
        "bookable": bool(entry.get("bookable", False)),
        "active": bool(entry.get("active", True)),
    }


def _centre_row(entry: dict[str, Any], *, regions: set[str]) -> dict[str, Any]:
    code = _code(entry, "centre")
    if entry.get("region") not in regions:
        raise CatalogueError(_("%(code)s: unknown region %(value)r.")
                             % {"code": code, "value": entry.get("region")})
    try:
        opens_at = dt.time.fromisoformat(str(entry.get("opens_at", "09:00")))
        closes_at = dt.time.fromisoformat(str(entry.get("closes_at", "18:00")))
    except ValueError as error:
        raise CatalogueError(_("%(code)s: opening hours must be HH:MM.")
                             % {"code": code}) from error
    if opens_at >= closes_at:
        raise CatalogueError(_("%(code)s: a centre must open before it closes.")
                             % {"code": code})
    desks = entry.get("desks", DEFAULT_DESKS)
    if not isinstance(desks, int) or isinstance(desks, bool) or desks < 1:
        raise CatalogueError(_("%(code)s: a centre needs a whole number of desks, at least "
                               "one.") % {"code": code})
    return {
        "code": code,
        "region_id": entry["region"],
        **_texts(entry, "name", code),
        **_texts(entry, "address", code),
        # The hours of a centre new to the database, Monday to Friday; after that its
        # hours are kept per weekday in the back-office. (Centres had these two columns
        # before centres 0010: a migration of that time loads them as they were.)
        "opens_at": opens_at,
        "closes_at": closes_at,
        "desks": desks,
        "active": bool(entry.get("active", True)),
    }


# --- mobile units ("Mobil DOST") -------------------------------------------------------------


class StopRefusal(StrEnum):
    UNIT_INACTIVE = "unit_inactive"
    REGION_UNKNOWN = "region_unknown"
    PLACE_MISSING = "place_missing"
    ENDS_BEFORE_START = "ends_before_start"
    IN_THE_PAST = "in_the_past"
    OVERLAPS = "overlaps"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_BEGUN = "already_begun"


def _stop_refused(code: StopRefusal) -> DomainError:
    messages = {
        StopRefusal.UNIT_INACTIVE: _("This mobile unit is out of service: it takes no stops."),
        StopRefusal.REGION_UNKNOWN: _("Choose a region from the list."),
        StopRefusal.PLACE_MISSING: _("Say where the unit stops, in Azerbaijani at least."),
        StopRefusal.ENDS_BEFORE_START: _("A stop must end after it starts."),
        StopRefusal.IN_THE_PAST: _("A stop cannot be planned in the past: choose a later day "
                                   "or time."),
        StopRefusal.OVERLAPS: _("The unit has another stop at that time. A unit can be in one "
                                "place at a time: choose another time."),
        StopRefusal.ALREADY_CANCELLED: _("This stop is already cancelled."),
        StopRefusal.ALREADY_BEGUN: _("This stop has already begun: it can no longer be "
                                     "cancelled."),
    }
    return DomainError(messages[code], code=code.value)


def _starts(day: dt.date, time: dt.time) -> dt.datetime:
    """A stop's day and time as an aware datetime in the centres' time zone."""
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())


@dataclass(frozen=True)
class StopPlace:
    """Where a unit stops, as the public schedule says it in each language."""

    az: str
    en: str = ""
    ru: str = ""


@transaction.atomic
def mobile_stop_add(*, unit: MobileUnit, region_id: str, day: dt.date, starts_at: dt.time,
                    ends_at: dt.time, place: StopPlace, actor_id: int) -> MobileStop:
    """Plan a stop of a mobile unit; it appears on the public schedule at once.

    Refuses a unit out of service, an unknown region, a stop without a place, one that
    ends before it starts, one in the past, and one overlapping another stop of the
    unit. The unit's row is locked for the check, so two officials planning the same
    unit at once cannot both slip in; the exclusion constraint backs it.
    """
    unit = MobileUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.active:
        raise _stop_refused(StopRefusal.UNIT_INACTIVE)
    if not regions().filter(code=region_id).exists():
        raise _stop_refused(StopRefusal.REGION_UNKNOWN)
    texts = {language: " ".join((getattr(place, language) or "").split())
             for language in LANGUAGES}
    if not texts["az"]:
        raise _stop_refused(StopRefusal.PLACE_MISSING)
    if ends_at <= starts_at:
        raise _stop_refused(StopRefusal.ENDS_BEFORE_START)
    now = timezone.now()
    if _starts(day, starts_at) <= now:
        raise _stop_refused(StopRefusal.IN_THE_PAST)
    clash = MobileStop.objects.filter(unit=unit, day=day, cancelled_at__isnull=True,
                                      starts_at__lt=ends_at, ends_at__gt=starts_at)
    if clash.exists():
        raise _stop_refused(StopRefusal.OVERLAPS)
    try:
        with transaction.atomic():
            return MobileStop.objects.create(
                unit=unit, region_id=region_id, day=day, starts_at=starts_at, ends_at=ends_at,
                place_az=texts["az"], place_en=texts["en"], place_ru=texts["ru"],
                created_by_id=actor_id, created_at=now)
    except IntegrityError as exc:
        raise _stop_refused(StopRefusal.OVERLAPS) from exc


@transaction.atomic
def mobile_stop_cancel(*, stop_id: int, actor_id: int) -> MobileStop:
    """Cancel a stop that has not begun; it leaves the public schedule and stays on record."""
    stop = MobileStop.objects.select_for_update().get(pk=stop_id)
    if stop.cancelled_at is not None:
        raise _stop_refused(StopRefusal.ALREADY_CANCELLED)
    now = timezone.now()
    if _starts(stop.day, stop.starts_at) <= now:
        raise _stop_refused(StopRefusal.ALREADY_BEGUN)
    stop.cancelled_at = now
    stop.cancelled_by_id = actor_id
    stop.save(update_fields=["cancelled_at", "cancelled_by"])
    return stop
