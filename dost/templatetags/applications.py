"""Template filters of e-applications."""

from __future__ import annotations

from django import template

from dost.applications.selectors import application_title as title_of

register = template.Library()


@register.filter
def application_title(type_code: str) -> str:
    """``{{ application.type_code|application_title }}``: the service's title."""
    return title_of(type_code)
