"""Digits are ASCII digits: ``١٢٣٤`` is not a TIN, a FIN, a phone number or a date.

Python's ``\\d`` matches the digits of every script (and ``int()`` reads them), so a
pattern written with it lets Arabic-Indic, Persian, Devanagari or full-width digits
through, to be stored as they came and fail later at a bank, an SMS gateway or
another institution's system.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from rest_framework import serializers

from dost.accounts.models import validate_rate
from dost.bridge.api import EmploymentEndDataSerializer, EmploymentStartDataSerializer, FinField
from dost.registry.corrections import CORRECTABLE_FACTS
from dost.registry.validators import normalize_phone, validate_fin, validate_iban, validate_phone

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("dost", "esocial", "vemtas", "disability", "adoption", "pensions", "employment",
            "callcentre", "bench")

# \d or \D, unless its backslash is itself escaped (\\d matches a backslash and a "d").
_ANY_SCRIPT_DIGIT = re.compile(r"(?<!\\)(?:\\\\)*\\[dD]")
# An inline ASCII flag at the start of a pattern: (?a) or (?ai) ...
_INLINE_ASCII = re.compile(r"^\(\?[aiLmsux]*a[aiLmsux]*\)")
# Fields of a statement that hold other statements, which are checked on their own.
_BODIES = {"body", "orelse", "finalbody", "handlers", "cases"}

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
OTHER_SCRIPTS = {
    "Arabic-Indic": ARABIC_INDIC,
    "Persian": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
    "Devanagari": str.maketrans("0123456789", "०१२३४५६७८९"),
    "full-width": str.maketrans("0123456789", "０１２３４５６７８９"),
    "mathematical bold": str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"),
}


def _is_ascii_flag(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in {"ASCII", "A"} and \
        isinstance(node.value, ast.Name) and node.value.id == "re"


def _own_parts(statement: ast.stmt) -> list[ast.AST]:
    """The statement's own expressions, without the statements nested in it."""
    parts: list[ast.AST] = []
    for field, value in ast.iter_fields(statement):
        if field in _BODIES:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                parts.extend(ast.walk(item))
    return parts


def any_script_digit_patterns(source: str) -> list[int]:
    """Lines of string literals with ``\\d`` or ``\\D`` in a statement that sets no ASCII flag.

    A statement that compiles with ``re.ASCII`` / ``re.A`` or starts a pattern with
    ``(?a)`` is exempt; docstrings are prose and are skipped.
    """
    lines: list[int] = []
    for statement in ast.walk(ast.parse(source)):
        if not isinstance(statement, ast.stmt):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring
        parts = _own_parts(statement)
        texts = [part for part in parts
                 if isinstance(part, ast.Constant) and isinstance(part.value, str)]
        if any(_is_ascii_flag(part) for part in parts) or \
                any(_INLINE_ASCII.match(text.value) for text in texts):
            continue
        lines.extend(text.lineno for text in texts if _ANY_SCRIPT_DIGIT.search(text.value))
    return sorted(set(lines))


def project_files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


# --- the scan ------------------------------------------------------------------------------


def test_no_pattern_in_the_project_matches_digits_of_every_script():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in project_files()
        for line in any_script_digit_patterns(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "\\d and \\D match the digits of every script (١٢٣٤ passes as 1234). Write [0-9] "
        "or [^0-9], or compile with re.ASCII:\n" + "\n".join(offenders)
    )


def test_the_scan_reads_every_package():
    scanned = {path.relative_to(ROOT).parts[0] for path in project_files()}
    assert scanned == set(PACKAGES)


@pytest.mark.parametrize("source", [
    'PATTERN = re.compile(r"^\\d{10}$")',
    'TIN = serializers.RegexField(r"^\\d{10}$")',
    'digits = re.sub(r"\\D", "", value)',
    'def f(value):\n    return re.match("[0-9]\\\\d", value)',
    'if re.search(rf"{prefix}\\d+", value):\n    pass',
    'pattern = re.compile(r"\\d")\nother = re.compile(r"x", re.ASCII)',
])
def test_the_scan_finds_a_pattern_of_any_script_digits(source):
    assert any_script_digit_patterns(source)


@pytest.mark.parametrize("source", [
    'PATTERN = re.compile(r"^[0-9]{10}$")',
    'PATTERN = re.compile(r"^\\d{10}$", re.ASCII)',
    'PATTERN = re.compile(r"^\\d{10}$", flags=re.A | re.I)',
    'PATTERN = re.compile(r"(?a)^\\d{10}$")',
    'PATTERN = re.compile(rb"^\\d{10}$")',  # bytes patterns are ASCII already
    'BACKSLASH_D = re.compile(r"\\\\d")',  # a literal backslash and "d"
    'def f():\n    r"""Matches like \\d would."""',
])
def test_the_scan_lets_ascii_patterns_pass(source):
    assert not any_script_digit_patterns(source)


# --- the validators ------------------------------------------------------------------------


@pytest.fixture(params=sorted(OTHER_SCRIPTS))
def script(request) -> dict[int, str]:
    return OTHER_SCRIPTS[request.param]


def employment_start(**overrides: str) -> dict[str, str]:
    return {"fin": "5ZK2M7T", "employer_name": "Azərsu ASC", "employer_tin": "1400057421",
            "occupation_code": "2142", "monthly_wage": "1250.50", **overrides}


def test_ascii_tin_and_occupation_code_are_accepted():
    assert EmploymentStartDataSerializer(data=employment_start()).is_valid()


def test_a_tin_in_another_script_is_refused(script):
    data = employment_start(employer_tin="1400057421".translate(script))
    start = EmploymentStartDataSerializer(data=data)
    assert not start.is_valid()
    assert set(start.errors) == {"employer_tin"}


def test_an_occupation_code_in_another_script_is_refused(script):
    start = EmploymentStartDataSerializer(data=employment_start(
        occupation_code="2142".translate(script)))
    assert not start.is_valid()
    assert set(start.errors) == {"occupation_code"}


def test_the_tin_of_a_job_that_ended_is_ascii_too(script):
    data = {"fin": "5ZK2M7T", "employer_tin": "1400057421", "reason": "resignation"}
    assert EmploymentEndDataSerializer(data=data).is_valid()
    data["employer_tin"] = data["employer_tin"].translate(script)
    ended = EmploymentEndDataSerializer(data=data)
    assert not ended.is_valid()
    assert "employer_tin" in ended.errors


def test_a_fin_with_digits_of_another_script_is_refused(script):
    validate_fin("5ZK2M7T")
    with pytest.raises(ValidationError):
        validate_fin("5ZK2M7T".translate(script))
    with pytest.raises(serializers.ValidationError):
        FinField().run_validation("5zk2m7t".translate(script))


@pytest.mark.parametrize("fin", ["5ZK2M7T\n", "5ZK2M7T\r\n"])
def test_a_fin_with_a_trailing_line_break_is_refused(fin):
    with pytest.raises(ValidationError):
        validate_fin(fin)


def test_a_phone_number_in_another_script_is_refused(script):
    validate_phone(normalize_phone("050 111 22 33"))
    typed = "050 111 22 33".translate(script)
    assert normalize_phone(typed)  # kept, to be refused: not dropped unseen
    with pytest.raises(ValidationError):
        validate_phone(normalize_phone(typed))
    with pytest.raises(ValidationError):
        validate_phone("+99450" + "1112233".translate(script))


def test_a_phone_number_with_a_trailing_line_break_is_refused():
    with pytest.raises(ValidationError):
        validate_phone("+994501112233\n")


def test_an_iban_with_check_digits_of_another_script_is_refused(script):
    iban = "AZ21NABZ00000000137010001944"
    validate_iban(iban)
    with pytest.raises(ValidationError):
        validate_iban(iban[:2] + iban[2:4].translate(script) + iban[4:])


def test_a_date_of_birth_in_another_script_is_refused(script):
    birth_date = next(fact for fact in CORRECTABLE_FACTS if fact.key == "birth_date")
    assert birth_date.clean("21.03.1990") == dt.date(1990, 3, 21).isoformat()
    with pytest.raises(ValidationError):
        birth_date.clean("21.03.1990".translate(script))


def test_a_rate_in_another_script_is_refused(script):
    validate_rate("600/min")
    with pytest.raises(ValidationError):
        validate_rate("600".translate(script) + "/min")
