"""The register carried over from the findings the registry already holds.

Findings that arrived before the commissions worked here (through the Digital Bridge,
or seeded) have no register entry. One statement gives each such finding its
entry, as the register would have recorded it: initial or repeat by the person's
earlier findings, the duration from the finding's term, education and employment
as the registry held them on the day of determination. Running it again adds
nothing.
"""

from __future__ import annotations

from django.db import connection, transaction

_BACKFILL_SQL = """
INSERT INTO disability_registerentry (
    person_id, status_id, determined_on, kind, percent, degree, under_18, cause, duration,
    next_assessment_on, lost_working_capacity, in_education, employed, region_id,
    recorded_at)
SELECT s.person_id, s.id, s.determined_on,
       CASE WHEN EXISTS (SELECT 1 FROM registry_disabilitystatus e
                         WHERE e.person_id = s.person_id AND e.determined_on < s.determined_on)
            THEN 'repeat' ELSE 'initial' END,
       s.percent,
       CASE WHEN age(s.determined_on, p.birth_date) < interval '18 years' THEN NULL
            WHEN s.percent >= 81 THEN 1 WHEN s.percent >= 61 THEN 2 ELSE 3 END,
       age(s.determined_on, p.birth_date) < interval '18 years',
       CASE WHEN s.cause IN ('general_illness', 'from_childhood', 'work_injury',
                             'occupational_disease', 'military_service', 'other_injury')
            THEN s.cause ELSE 'general_illness' END,
       CASE WHEN s.valid_until IS NULL THEN 'indefinite'
            WHEN s.valid_until <= s.determined_on + interval '1 year 1 month' THEN '1y'
            WHEN s.valid_until <= s.determined_on + interval '2 years 1 month' THEN '2y'
            ELSE '5y' END,
       s.valid_until, 0,
       EXISTS (SELECT 1 FROM registry_study t
               WHERE t.person_id = s.person_id AND t.started_on <= s.determined_on
                 AND (t.ended_on IS NULL OR t.ended_on >= s.determined_on)),
       EXISTS (SELECT 1 FROM registry_employmentspell w
               WHERE w.person_id = s.person_id AND w.started_on <= s.determined_on
                 AND (w.ended_on IS NULL OR w.ended_on >= s.determined_on)),
       p.region_id, now()
FROM registry_disabilitystatus s
JOIN registry_person p ON p.id = s.person_id
WHERE NOT EXISTS (SELECT 1 FROM disability_registerentry r WHERE r.status_id = s.id)
"""


def register_backfill() -> int:
    """Give every finding without a register entry its entry; returns how many were added."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_BACKFILL_SQL)
        return cursor.rowcount
