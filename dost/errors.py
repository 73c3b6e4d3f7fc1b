"""The one error type services raise to refuse a request.

Its message is fit to show the user (translatable); views turn it into a form
error or a 400 response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    def __init__(self, message: StrOrPromise, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
