from __future__ import annotations

from dost.entitlements.parameter_labels import parameter_label
from dost.entitlements.rules import all_rules


def test_every_parameter_a_rule_uses_has_a_name_citizens_can_read():
    unnamed = sorted({name for rule in all_rules() for name in rule.law
                      if parameter_label(name) is None})
    assert unnamed == []
