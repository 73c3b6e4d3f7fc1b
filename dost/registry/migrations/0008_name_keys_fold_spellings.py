"""Recompute every name key after ``name_key`` learnt more spellings (ə/e/a, h/x/g/q,
Cyrillic, dropped y, doubled letters), and index first names with the date of birth.

The keys are derived data: the statement updates them in one pass, without touching
``updated_at`` (no fact about anyone changed, so nothing is rechecked), and the
vocabulary of keys is rebuilt from the people. Names are few next to people: each
distinct name's key is computed once in Python, by the same function that keys new
people, and joined in. Both directions recompute the keys with the code's
``name_key``: run it again after changing that function.
"""

from django.db import migrations, models

from dost.registry.validators import name_key


def recompute_name_keys(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE registry_name_key_map "
            "(name varchar(120) PRIMARY KEY, key varchar(100) NOT NULL)")
        cursor.execute("SELECT first_name FROM registry_person "
                       "UNION SELECT last_name FROM registry_person")
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "INSERT INTO registry_name_key_map (name, key) "
            "SELECT * FROM unnest(%s::varchar[], %s::varchar[])",
            [names, [name_key(name)[:100] for name in names]])
        cursor.execute("ANALYZE registry_name_key_map")
        # Every changed row gets an entry in every index of the table: at millions of
        # people, dropping the indexes that back no constraint and building them again
        # (one sort each) is several times faster. The table is locked meanwhile, as the
        # update would lock its rows anyway: run it in a quiet hour.
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = 'registry_person'::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """)
        indexes = cursor.fetchall()
        # PostgreSQL refuses to drop or build an index while the transaction still owes
        # deferred foreign-key checks on the table: settle them first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(
            """
            UPDATE registry_person p
            SET first_name_key = f.key, last_name_key = l.key
            FROM registry_name_key_map f, registry_name_key_map l
            WHERE f.name = p.first_name AND l.name = p.last_name
              AND (p.first_name_key <> f.key OR p.last_name_key <> l.key)
            """)
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("DELETE FROM registry_namekey")
        cursor.execute(
            "INSERT INTO registry_namekey (key) "
            "SELECT first_name_key FROM registry_person "
            "UNION SELECT last_name_key FROM registry_person")
        cursor.execute("DROP TABLE registry_name_key_map")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0007_spell_employer_index'),
    ]

    operations = [
        # Fewer indexes to keep up while every row's keys change.
        migrations.RemoveIndex(
            model_name='person',
            name='person_first_name_key_idx',
        ),
        migrations.RunPython(recompute_name_keys, recompute_name_keys, elidable=False),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['first_name_key', 'birth_date'],
                               name='person_first_name_birth_idx'),
        ),
    ]
