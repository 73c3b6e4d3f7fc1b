"""What a caller keys or says, made into a FIN or a PIN (no database)."""

from __future__ import annotations

import pytest

from callcentre.ivr.caller_input import FinGiven, fin_from_keys, fin_from_speech, keyed_pin


@pytest.mark.parametrize("speech", [
    "5ALC7E1",
    "5 a l c 7 e 1",
    "5-A-L-C-7-E-1.",
    "five A L C seven E one",
    "Beş A L C Yeddi E BİR",
    "пять А L С семь Е один",
])
def test_a_fin_said_in_any_of_the_three_languages_is_heard(speech):
    assert fin_from_speech(speech) == FinGiven("5ALC7E1", keyed=False)


def test_the_letters_no_fin_has_are_taken_for_the_digits_they_look_like():
    # I and O are not in FINs: a recogniser writing them meant 1 and 0.
    assert fin_from_speech("5 O L C 7 E I") == FinGiven("50LC7E1", keyed=False)


@pytest.mark.parametrize("speech", ["", "   ", "my fin is 5ALC7E1", "5ALC7E", "5ALC7E12",
                                    "5ÄLC7E1", "hello"])
def test_what_is_not_a_fin_is_not_taken_for_one(speech):
    assert fin_from_speech(speech) is None


@pytest.mark.parametrize(("digits", "expected"), [
    ("5252731", FinGiven("5252731", keyed=True)),
    (" 5252731 ", FinGiven("5252731", keyed=True)),
    ("525273", None),
    ("52527311", None),
    ("525*731", None),
    ("", None),
])
def test_a_keyed_fin_is_seven_keys(digits, expected):
    assert fin_from_keys(digits) == expected


@pytest.mark.parametrize(("digits", "expected"), [
    ("2580", "2580"), ("258036", "258036"), ("258", None), ("2580369", None), ("25*0", None),
    ("", None),
])
def test_a_keyed_pin_is_four_to_six_keys(digits, expected):
    assert keyed_pin(digits) == expected
