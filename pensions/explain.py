"""Sentences shared by the explanations of several pension rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _


def percent(rate: Any) -> str:
    """0.093 → "9.3": rates are stored as fractions, citizens read percentages."""
    return f"{(Decimal(str(rate)) * 100).normalize():f}"


def explain_indexations(facts: dict[str, Any]) -> list[str]:
    """One sentence per yearly indexation that ``pensions_index`` recorded in the facts."""
    return [
        str(_("On 1 January %(year)s your pension was indexed by %(rate)s%%: from %(before)s "
              "to %(after)s AZN.")
            % {"year": entry["year"], "rate": percent(entry["rate"]), "before": entry["before"],
               "after": entry["after"]})
        for entry in facts.get("indexations", [])
    ]


def explain_old_age_amount(facts: dict[str, Any]) -> list[str]:
    """The capital, the insurance period and how the old-age amount follows from them."""
    return [
        _("Your pension capital is %(capital)s AZN and your insurance period %(years)s years.")
        % {"capital": facts["pension_capital"], "years": facts["insured_years"]},
        _("Capital ÷ expected payment months gives %(amount)s AZN; the minimum pension is "
          "%(minimum)s AZN, and you receive the higher of the two.")
        % {"amount": facts["capital_pension"], "minimum": facts["minimum_pension"]},
    ]
