"""Every user-facing string is translated into Azerbaijani and Russian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

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
