"""Reads of the service catalogue and the DOST centres that other apps may use."""

from __future__ import annotations

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import Combinable

from dost.centres.models import LANGUAGES, SEARCH_CONFIGS, Centre, Fold, Service

SEARCH_LIMIT = 20
# Longer input is cut, not refused: nobody names a service in more words.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 6
MIN_QUERY_CHARS = 2
# A match in the reader's language counts fully, one in another language less,
# so that an English reader typing "pension" sees the English titles first.
OTHER_LANGUAGE_WEIGHT = 0.6
# Full-text ranks are small numbers (ts_rank of a title word is about 0.6);
# this brings them level with trigram similarity, which runs from 0 to 1.
TEXT_RANK_SCALE = 1.5
TITLE_SIMILARITY_WEIGHT = 0.5
# A slip in a short word costs a large share of its trigrams: "pensya" is 0.57
# like "pensiya", under pg_trgm's default threshold of 0.6.
WORD_SIMILARITY = 0.5

# The Python twin of the SQL function centres_fold (migration 0002).
_FOLD = str.maketrans("ƏəIıİŞşÇçĞğÖöÜüЁё", "eeiiissccggoouuее")
_WORD = re.compile(r"[^\W_]+")


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


def service_detail(code: str) -> Service | None:
    return _services().filter(code=code).first()


def services_search(query: str, *, language: str, limit: int = SEARCH_LIMIT) -> list[Service]:
    """Active services matching ``query`` in any language, best first, as one statement.

    A service matches when all the query's words begin words of its title,
    keywords or summary in some language (full text, stemmed for English and
    Russian), or when the query is close in spelling to words of its title or
    keywords (trigram word similarity: "pensya" finds "pensiya"). Both are
    answered by GIN indexes on columns PostgreSQL keeps up to date, in one
    SELECT (after a SET LOCAL of the similarity threshold). Each match carries
    ``rank``; matches in ``language`` weigh more.
    """
    words = search_words(query)
    text = " ".join(words)
    if len(text) < MIN_QUERY_CHARS:
        return []
    reader = _language(language)
    # Words are letters and digits only, so the raw tsquery holds no operator
    # but the ones written here.
    prefix_query = " & ".join(f"{word}:*" for word in words)
    condition = Q()
    rank: Combinable = Value(0.0, output_field=FloatField())
    for language_code in LANGUAGES:
        tsquery = SearchQuery(prefix_query, search_type="raw",
                              config=SEARCH_CONFIGS[language_code])
        vector, terms = f"search_{language_code}", f"terms_{language_code}"
        condition |= Q(**{vector: tsquery}) | Q(**{f"{terms}__trigram_word_similar": text})
        weight = 1.0 if language_code == reader else OTHER_LANGUAGE_WEIGHT
        rank = rank + weight * (
            TEXT_RANK_SCALE * SearchRank(F(vector), tsquery)
            + TrigramWordSimilarity(text, terms)
            # Of two titles with the words, the one that says little else is
            # the service itself ("Old-age pension" before "Pension recalculation").
            + TITLE_SIMILARITY_WEIGHT * TrigramSimilarity(Fold(f"title_{language_code}"), text)
        )
    services = (_services().filter(condition).annotate(rank=rank)
                .order_by("-rank", f"title_{reader}")[:limit])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [WORD_SIMILARITY])
        return list(services)


def centre_list() -> QuerySet[Centre]:
    """Active DOST centres with their regions."""
    return Centre.objects.filter(active=True).select_related("region")


def centre_detail(code: str) -> Centre | None:
    return centre_list().filter(code=code).first()
