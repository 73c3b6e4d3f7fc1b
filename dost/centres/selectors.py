"""Reads of the service catalogue and the DOST centres that other apps may use."""

from __future__ import annotations

import datetime as dt
import re
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dost.centres.models import (
    LANGUAGES,
    SEARCH_CONFIGS,
    Centre,
    CentreStaff,
    MobileStop,
    MobileUnit,
    OpeningHours,
    Provider,
    Service,
    ServiceCategory,
)
from dost.entitlements.rules import rule_for_benefit

SEARCH_LIMIT = 20
CATALOGUE_VERSION_KEY = "centres:catalogue-version"
# Longer input is cut, not refused: nobody names a service in more words.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 6
MIN_QUERY_CHARS = 2
# Each query word is also read as the nearest words of the catalogue's
# vocabulary ("pensya" as "pensiya"). Shorter words are only matched as typed:
# a slip in three letters makes another word.
SPELLINGS = 3
CORRECT_FROM_CHARS = 4
# Trigram similarity of a word and a correction, pg_trgm's own default: lower
# lets in more noise than slips ("pensya" and "pensiya" score 0.5).
MIN_SIMILARITY = 0.3
# The words as typed, matched in the reader's language, count on top of a
# match in any language, so that an English reader typing "pension" sees the
# English titles first.
EXACT_WEIGHT = 1.0
# ts_rank's weights of the summary (C) and keywords (B) against the title (A),
# in its order {D, C, B, A}: the title says what the service is.
RANK_WEIGHTS = [0.05, 0.1, 0.3, 1.0]

# The Python twin of the SQL function centres_fold (migration 0002).
_FOLD = str.maketrans("ƏəIıİŞşÇçĞğÖöÜüЁё", "eeiiissccggoouuее")
_WORD = re.compile(r"[^\W_]+")

_SERVICE_COLUMNS = ", ".join(
    f"s.{field.column}" for field in Service._meta.concrete_fields
    if not getattr(field, "generated", False)
)
_CATEGORY_FIELDS = [field.attname for field in ServiceCategory._meta.concrete_fields]
_PROVIDER_FIELDS = [field.attname for field in Provider._meta.concrete_fields]

# One statement: the typed words and their nearest spellings become one
# tsquery, normalised as Azerbaijani (plain), English and Russian words, which
# the GIN index on the stored document of all three languages answers. Words
# are letters and digits only, so they carry no tsquery operator.
_SEARCH_SQL = """
WITH typed AS (
    SELECT word, position FROM unnest(%(words)s::text[]) WITH ORDINALITY AS t(word, position)
), spellings AS (
    SELECT typed.position, typed.word || ':*' AS exact,
           -- Azerbaijani adds endings to words: a correction is a beginning too.
           typed.word || ':*' || coalesce(' | ' || string_agg(near.word || ':*', ' | '), '')
               AS wide
    FROM typed
    LEFT JOIN LATERAL (
        SELECT nearest.word FROM (
            SELECT vocabulary.word, similarity(vocabulary.word, typed.word) AS similarity
            FROM centres_searchword vocabulary
            WHERE char_length(typed.word) >= %(correct_from)s
              -- A word that begins a word of the catalogue is taken as typed.
              AND NOT EXISTS (SELECT FROM centres_searchword known
                              WHERE known.word LIKE typed.word || '%%')
            ORDER BY vocabulary.word <-> typed.word
            LIMIT %(spellings)s
        ) nearest
        WHERE nearest.similarity >= %(similarity)s
    ) near ON true
    GROUP BY typed.position, typed.word
), texts AS (
    SELECT string_agg(exact, ' & ' ORDER BY position) AS exact,
           string_agg('(' || wide || ')', ' & ' ORDER BY position) AS wide
    FROM spellings
), queries AS (
    SELECT to_tsquery(%(reader_config)s::regconfig, exact) AS exact,
           to_tsquery('simple', wide) || to_tsquery('english', wide)
               || to_tsquery('russian', wide) AS wide
    FROM texts
),
-- Rank first, over the narrow columns only; fetch the whole rows of the best.
ranked AS (
    SELECT s.id,
           ts_rank(%(weights)s::real[], s.search_all, q.wide)
           + %(exact)s * ts_rank(%(weights)s::real[], s.search_{language}, q.exact) AS rank,
           -- Of equal matches, the shorter title is the service itself
           -- ("Old-age pension" before "Pension recalculation").
           char_length(s.title_{language}) AS title_length
    FROM centres_service s
    CROSS JOIN queries q
    WHERE s.active AND s.search_all @@ q.wide
    ORDER BY rank DESC, title_length, s.id
    LIMIT %(limit)s
)
SELECT {service_columns}, {category_columns}, {provider_columns}, ranked.rank
FROM ranked
JOIN centres_service s ON s.id = ranked.id
JOIN centres_servicecategory category ON category.code = s.category_id
JOIN centres_provider provider ON provider.code = s.provider_id
ORDER BY ranked.rank DESC, ranked.title_length, s.id
"""


def fold(text: str) -> str:
    """Lower case with Azerbaijani letters spelt plainly, as the search columns are."""
    return text.translate(_FOLD).lower()


def search_words(query: str) -> list[str]:
    """The folded words of a query: letters and digits only, so never an operator."""
    return _WORD.findall(fold((query or "")[:MAX_QUERY_CHARS]))[:MAX_QUERY_WORDS]


def _language(language: str | None) -> str:
    language = (language or "az")[:2]
    return language if language in LANGUAGES else "az"


def _services() -> QuerySet[Service]:
    return Service.objects.filter(active=True).select_related("category", "provider")


def service_list(*, language: str, category: str | None = None) -> QuerySet[Service]:
    """Active services by category, each category's services by title in ``language``."""
    services = _services()
    if category:
        services = services.filter(category_id=category)
    return services.order_by("category__position", "category__code",
                             f"title_{_language(language)}")


def category_detail(code: str) -> ServiceCategory | None:
    return ServiceCategory.objects.filter(code=code).first()


def catalogue_version() -> str:
    """Changes whenever the catalogue does (``services.catalogue_search_refresh``):
    part of the key of every cached rendering of the catalogue."""
    return str(cache.get_or_set(CATALOGUE_VERSION_KEY, lambda: uuid4().hex, None))


def service_detail(code: str) -> Service | None:
    return _services().filter(code=code).first()


def services_search(query: str, *, language: str, limit: int = SEARCH_LIMIT) -> list[Service]:
    """Active services matching ``query`` in any language, best first, as one statement.

    A service matches when every word of the query begins a word of its title,
    keywords or summary in some language (stemmed for English and Russian), or
    is close in spelling to a word of the catalogue's titles and keywords that
    does ("pensya" finds "pensiya", "disabilty" finds "disability"). Each result
    carries ``rank``; matches in ``language`` weigh more. Category and provider
    come with it.
    """
    words = search_words(query)
    if len(" ".join(words)) < MIN_QUERY_CHARS:
        return []
    reader = _language(language)
    sql = _SEARCH_SQL.format(
        service_columns=_SERVICE_COLUMNS,
        category_columns=", ".join(f"category.{name} AS category__{name}"
                                   for name in _CATEGORY_FIELDS),
        provider_columns=", ".join(f"provider.{name} AS provider__{name}"
                                   for name in _PROVIDER_FIELDS),
        language=reader,
    )
    params = {
        "words": words, "correct_from": CORRECT_FROM_CHARS, "spellings": SPELLINGS,
        "similarity": MIN_SIMILARITY,
        "exact": EXACT_WEIGHT, "weights": RANK_WEIGHTS, "limit": limit,
        "reader_config": SEARCH_CONFIGS[reader],
    }
    services = list(Service.objects.raw(sql, params))
    for service in services:
        # Joined in the same statement: set them so that no query follows.
        service.category = ServiceCategory(**_prefixed(service, "category", _CATEGORY_FIELDS))
        service.provider = Provider(**_prefixed(service, "provider", _PROVIDER_FIELDS))
    return services


def _prefixed(service: Service, prefix: str, names: list[str]) -> dict[str, object]:
    return {name: getattr(service, f"{prefix}__{name}") for name in names}


def proactive_services_without_rule() -> dict[str, list[str]]:
    """Active services the catalogue calls proactive that no registered rule fully grants:
    service code → the benefits it names that no rule grants (empty if it names none).

    Rules are registered by the subsystems from their ``AppConfig.ready()``; reading the
    registry here keeps the catalogue honest without dost importing a subsystem. An
    empty result means every service shown as granted without an application is.
    """
    unbacked: dict[str, list[str]] = {}
    for code, benefits in (Service.objects.filter(active=True, proactive=True)
                           .order_by("code").values_list("code", "benefits")):
        missing = [benefit for benefit in benefits if rule_for_benefit(benefit) is None]
        if missing or not benefits:
            unbacked[code] = missing
    return unbacked


def centre_list() -> QuerySet[Centre]:
    """Active DOST centres with their regions and opening hours (``hours``, by weekday)."""
    return (Centre.objects.filter(active=True).select_related("region")
            .prefetch_related(Prefetch("hours", OpeningHours.objects.order_by("weekday"))))


def centre_detail(code: str) -> Centre | None:
    return centre_list().filter(code=code).first()


def centres_offering(service_id: int) -> QuerySet[Centre]:
    """Active centres that offer the service, with their regions and opening hours."""
    return centre_list().filter(services=service_id)


def centre_post(user_id: int) -> CentreStaff | None:
    """The centre an official works at and their usual desk, or None for one without a post."""
    return CentreStaff.objects.select_related("centre").filter(user_id=user_id).first()


def mobile_units_of_centre(centre_code: str) -> QuerySet[MobileUnit]:
    """The active mobile units whose stops the centre's staff plan."""
    return MobileUnit.objects.filter(centre_id=centre_code, active=True).order_by("code")


def mobile_unit_of_centre(*, unit_code: str, centre_code: str) -> MobileUnit | None:
    return mobile_units_of_centre(centre_code).filter(code=unit_code).first()


def mobile_stops_of_centre(*, centre_code: str, since: dt.date) -> QuerySet[MobileStop]:
    """Stops from ``since`` on of the centre's units, cancelled ones too, soonest first."""
    return (MobileStop.objects.filter(unit__centre_id=centre_code, day__gte=since)
            .select_related("unit", "region").order_by("day", "starts_at", "unit_id"))


def mobile_stop_of_centre(*, stop_id: int, centre_code: str) -> MobileStop | None:
    """One stop of the centre's units, or None (also for another centre's stop)."""
    return (MobileStop.objects.filter(pk=stop_id, unit__centre_id=centre_code)
            .select_related("unit").first())


def mobile_stop_by_id(stop_id: int) -> MobileStop | None:
    """Any centre's stop: for administrators, who act at every centre."""
    return MobileStop.objects.filter(pk=stop_id).select_related("unit").first()


def coming_mobile_stops(*, now: dt.datetime, region: str | None = None) -> QuerySet[MobileStop]:
    """Stops not cancelled and not over at ``now``, of active units, in ``region`` if given;
    soonest first, with the unit and region (the public schedule)."""
    local = timezone.localtime(now)
    stops = MobileStop.objects.filter(
        Q(day__gt=local.date()) | Q(day=local.date(), ends_at__gt=local.time()),
        cancelled_at__isnull=True, unit__active=True)
    if region:
        stops = stops.filter(region_id=region)
    return stops.select_related("unit", "region").order_by("day", "starts_at", "unit_id")
