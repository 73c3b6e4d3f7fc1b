"""One labour pension at a time, enforced by the database.

Two rules running at once (two workers, or an event and a scan) each check that
a person has no labour pension in their own snapshot; only a constraint sees
both. The check is deferred to the end of each statement, because the engine
ends the pension it replaces and inserts the new one in the same statement.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

LABOUR_PENSIONS = "('old_age_pension', 'disability_pension', 'survivor_pension')"


class Migration(migrations.Migration):
    dependencies = [
        ("pensions", "0001_initial"),
        ("entitlements", "0003_award_periods"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.RunSQL(
            sql=f"""
            ALTER TABLE entitlements_award ADD CONSTRAINT award_one_labour_pension
            EXCLUDE USING gist (
                person_id WITH =,
                daterange(period_start,
                          CASE WHEN period_end IS NULL THEN NULL ELSE period_end + 1 END,
                          '[)') WITH &&
            ) WHERE (status = 'awarded' AND benefit IN {LABOUR_PENSIONS})
            DEFERRABLE INITIALLY IMMEDIATE
            """,
            reverse_sql="ALTER TABLE entitlements_award DROP CONSTRAINT award_one_labour_pension",
        ),
    ]
