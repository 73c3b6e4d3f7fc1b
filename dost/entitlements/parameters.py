"""Effective-dated rule parameters, kept in version-controlled YAML files.

Each app may ship a ``parameters.yaml``; every parameter lists dated values
with their legal source. A change of law is a new dated value, never an edit
of an old one, and a value is looked up "as of" a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps


@dataclass(frozen=True)
class ParameterValue:
    name: str
    value: Any
    starts_on: dt.date
    source: str
    estimate: bool = False

    def as_fact(self) -> dict[str, Any]:
        """How the value is stored with an award, so the decision can be explained later."""
        value = str(self.value) if isinstance(self.value, Decimal) else self.value
        return {"value": value, "from": self.starts_on.isoformat(), "source": self.source,
                "estimate": self.estimate}


class ParameterMissing(LookupError):
    pass


def _parse(name: str, spec: dict, origin: Path) -> list[ParameterValue]:
    values = []
    for entry in spec["values"]:
        raw = entry["value"]
        value = Decimal(str(raw)) if isinstance(raw, int | float) else raw
        values.append(ParameterValue(name=name, value=value, starts_on=entry["from"],
                                     source=entry["source"], estimate=bool(entry.get("estimate"))))
    values.sort(key=lambda item: item.starts_on)
    starts = [item.starts_on for item in values]
    if len(set(starts)) != len(starts):
        raise ValueError(f"{origin}: {name} has two values starting on the same day")
    return values


@cache
def all_parameters() -> dict[str, list[ParameterValue]]:
    parameters: dict[str, list[ParameterValue]] = {}
    for config in apps.get_app_configs():
        path = Path(config.path) / "parameters.yaml"
        if not path.exists():
            continue
        for name, spec in (yaml.safe_load(path.read_text()) or {}).items():
            if name in parameters:
                raise ValueError(f"Parameter {name} is defined twice ({path}).")
            parameters[name] = _parse(name, spec, path)
    return parameters


def history(name: str) -> list[ParameterValue]:
    try:
        return all_parameters()[name]
    except KeyError as exc:
        raise ParameterMissing(f"Unknown parameter {name}.") from exc


def parameter_on(name: str, on: dt.date) -> ParameterValue:
    """The value of ``name`` in force on ``on``."""
    in_force = [item for item in history(name) if item.starts_on <= on]
    if not in_force:
        raise ParameterMissing(f"{name} has no value in force on {on}.")
    return in_force[-1]
