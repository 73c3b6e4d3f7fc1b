"""What the database holds, table by table, to show that a refused event changed nothing."""

from __future__ import annotations

from django.db import connection

# Rows that a request may touch whatever it asks: the token's last use is recorded on
# every authenticated call. Only their number is compared.
TOUCHED_BY_EVERY_REQUEST = {"accounts_institutiontoken", "django_session"}

COUNT = "SELECT count(*), '' FROM {table}"
COUNT_AND_DIGEST = ("SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                    " FROM {table} t")


def database_snapshot(*, leave_out: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Each table's number of rows and a digest of their content (an update shows too)."""
    snapshot: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in leave_out:
                continue
            query = COUNT if table in TOUCHED_BY_EVERY_REQUEST else COUNT_AND_DIGEST
            cursor.execute(query.format(table=connection.ops.quote_name(table)))
            snapshot[table] = cursor.fetchone()
    return snapshot
