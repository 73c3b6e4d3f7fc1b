"""Subsystems that follow life events beyond the entitlement rules.

The proactive engine's rules see the people an event touched. A subsystem whose
decisions rest on a whole household (targeted social assistance) registers a
listener here from its ``AppConfig.ready()``; ``event_receive`` calls every
listener in the transaction that applies the event, so the listener's changes
commit with it or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LifeEvent:
    type: str
    occurred_on: dt.date
    # The registry ids the event touched (the child and parents of a birth, the deceased).
    people: tuple[int, ...]


Listener = Callable[[LifeEvent], object]
_LISTENERS: dict[str, Listener] = {}


def register_life_event_listener(name: str, listener: Listener) -> None:
    _LISTENERS[name] = listener


def life_event_notify(event: LifeEvent) -> None:
    for listener in _LISTENERS.values():
        listener(event)
