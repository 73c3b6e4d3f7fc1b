"""Every user-facing string is translated into Azerbaijani and Russian."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import capfirst

from dost.accounts.models import User

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(language: str) -> list[str]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text()
    return [block for block in text.split("\n\n")
            if "msgid" in block and not block.lstrip().startswith("#~")]


@pytest.mark.parametrize("language", ["az", "ru"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    problems = []
    for block in _entries(language)[1:]:  # the first entry is the header
        msgid = re.search(r'^msgid "(.*)"', block, re.M).group(1)
        if "#, fuzzy" in block or re.search(r'^msgstr(\[\d\])? ""\n?$', block, re.M) and not \
                re.search(r'^msgstr(\[\d\])? ""\n"', block, re.M):
            problems.append(msgid or block.splitlines()[-1])
    assert problems == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("az", "Əsas məzmuna keç"), ("ru", "Перейти к основному содержанию"),
     ("en", "Skip to main content")],
)
def test_compiled_catalogue_is_used(language, expected):
    with translation.override(language):
        assert translation.gettext("Skip to main content") == expected


def test_azerbaijani_dates_write_month_names_in_lower_case():
    # Django's own az catalogue capitalises them ("1 Dekabr 2026"); ours comes first.
    with translation.override("az"):
        assert date_format(dt.date(2026, 12, 1), "DATE_FORMAT") == "1 dekabr 2026"
        assert date_format(dt.date(2026, 6, 1), "YEAR_MONTH_FORMAT") == "iyun 2026"


def test_azerbaijani_addresses_the_citizen_politely_on_sign_in():
    # allauth's own az catalogue says "daxil oldun".
    with translation.override("az"):
        assert translation.gettext("Successfully signed in as %(name)s.") == \
            "%(name)s kimi uğurla daxil oldunuz."


def test_azerbaijani_model_names_shown_capitalised_start_with_a_dotted_capital_i():
    # Django capitalises model names with str.upper(), which writes "Istifadəçilər".
    with translation.override("az"):
        assert capfirst(User._meta.verbose_name_plural) == "İstifadəçilər"


DATE_PLACEHOLDER = re.compile(
    r"%\((date|day|start|end|until|last|lapses|onset|since|previous|from|valid_until)\)s\.")


def test_russian_sentences_do_not_end_on_a_date():
    # A Russian date ends in "г." (1 декабря 2026 г.): a full stop after it doubles it.
    ending_on_a_date = [
        block.splitlines()[-1] for block in _entries("ru")[1:]
        if re.search(r"^msgstr", block, re.M)
        and DATE_PLACEHOLDER.search(block.split("msgstr", 1)[1])
    ]
    assert ending_on_a_date == []
