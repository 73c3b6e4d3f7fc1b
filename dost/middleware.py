"""Refusals at the border: a request no view could answer sensibly gets a clear 4xx.

Runs before anything reads the request, after the middlewares that only add headers
(security, content and permissions policies), so a refusal carries those too:

- a NUL character, bytes that are not UTF-8 (which is also how a lone surrogate
  arrives: UTF-8 cannot encode one) or an overlong segment in the path or the query
  string: 400. PostgreSQL refuses a NUL in text, so such a value would otherwise end
  in a 500 at the first query that uses it;
- a body larger than its limit: 413, decided from Content-Length before a byte of it
  is read. A body under its limit is read (or, for a multipart form, parsed) here, so
  one longer than it said (ASGI takes a chunked body with no Content-Length) is a 413
  too, instead of Django's 400 from wherever the body happens to be read first;
- a form field holding a NUL, a urlencoded body that is not UTF-8, or form data that
  cannot be parsed (a multipart body without its boundary, too many fields): 400.

Pages get a short page in the site's layout (``400.html``); ``/api/`` gets JSON
``{"detail": ..., "code": ...}``. JSON bodies are checked by the API's parser
(``dost.parsers``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from dost.errors import DomainError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# How Django's WSGI handler writes a path's bytes that are not UTF-8.
_REPAIRED_BYTES = re.compile(r"%[0-9A-F]{2}")
# Refusals that are not a plain 400, by code.
_STATUS = {"body_too_large": 413}


class RequestBoundsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # LocaleMiddleware has not run yet: choose the language the way it will, so the
        # refusal's message is in the client's language.
        language = translation.get_language_from_request(request)
        with translation.override(language):
            try:
                check_request(request)
            except DomainError as refusal:
                logger.info("Refused %s request: %s", request.method, refusal.code)
                return refusal_response(request, refusal, language=language)
        return self.get_response(request)


def check_request(request: HttpRequest) -> None:
    """Raise ``DomainError`` for a request that must not reach a view."""
    path = _path_text(request)
    too_long = max(len(segment) for segment in path.split("/"))
    if too_long > settings.MAX_PATH_SEGMENT_CHARS:
        raise DomainError(
            _("A part of the address is longer than %(limit)s characters.")
            % {"limit": settings.MAX_PATH_SEGMENT_CHARS},
            code="segment_too_long",
        )
    _text(_form_bytes(_wsgi_bytes(request.META.get("QUERY_STRING", ""))))
    _check_body(request)


def refusal_response(request: HttpRequest, refusal: DomainError, *,
                     language: str) -> HttpResponse:
    """The refusal in ``language``: JSON for the API, a page in the site's layout for people."""
    status = _STATUS.get(refusal.code, 400)
    with translation.override(language):
        if request.path_info.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse(
                {"detail": str(refusal.message), "code": refusal.code}, status=status)
        else:
            response = render(request, "400.html", {"message": refusal.message},
                              status=status)
    response.headers["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _null_character() -> DomainError:
    return DomainError(
        _("The request contains a null character, which no address or field may hold."),
        code="null_character",
    )


def _text(raw: bytes) -> str:
    """``raw`` as UTF-8 text, refused when it holds a NUL or is not UTF-8."""
    if b"\x00" in raw:
        raise _null_character()
    try:
        # Strict: invalid bytes, and surrogates (which UTF-8 cannot encode), are refused.
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_utf8() from None


def _not_utf8() -> DomainError:
    return DomainError(
        _("The request contains bytes that are not UTF-8 text: check how the address "
          "or form was encoded."),
        code="not_utf8",
    )


def _wsgi_bytes(value: str) -> bytes:
    # WSGI passes each byte as one character (PEP 3333); a test client may pass text.
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _path_text(request: HttpRequest) -> str:
    """The path as text, refused when the client's bytes were not UTF-8 or held a NUL."""
    raw_path = getattr(request, "scope", {}).get("raw_path")
    if raw_path:  # ASGI: the path exactly as sent, still percent-encoded
        return _text(unquote_to_bytes(raw_path))
    # WSGI: Django has already replaced the bytes that are not UTF-8 by their %XX
    # escapes, and only a literal "%" sent as %25 could look the same. No route takes
    # one, so every %XX left in the path marks bytes that were not UTF-8.
    path = request.path_info
    _text(path.encode("utf-8", "surrogatepass"))
    if _REPAIRED_BYTES.search(path):
        raise _not_utf8()
    return path


def _form_bytes(encoded: bytes) -> bytes:
    """A query string or urlencoded form, decoded as Django will decode it."""
    return unquote_to_bytes(encoded.replace(b"+", b" "))


def _too_large(limit: int) -> DomainError:
    return DomainError(
        _("The request is larger than this address accepts (at most %(limit)s).")
        % {"limit": filesizeformat(limit)},
        code="body_too_large",
    )


def _upload_limit(path: str) -> int:
    """A multipart body's limit: MAX_UPLOAD_BODY_BYTES, or the larger one UPLOAD_BODY_LIMITS
    gives the addresses that take large files (a home visit's video)."""
    for prefix, limit in getattr(settings, "UPLOAD_BODY_LIMITS", {}).items():
        if path.startswith(prefix):
            return max(limit, settings.MAX_UPLOAD_BODY_BYTES)
    return settings.MAX_UPLOAD_BODY_BYTES


def _check_body(request: HttpRequest) -> None:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not (declared.isascii() and declared.isdigit()):
        raise DomainError(_("The request's Content-Length is not a number of bytes."),
                          code="bad_content_length")
    # Lower-cased, without its parameters, as Django reads it to parse forms.
    content_type = request.content_type or ""
    multipart = content_type == "multipart/form-data"
    limit = _upload_limit(request.path_info) if multipart else settings.MAX_BODY_BYTES
    if int(declared) > limit:
        raise _too_large(limit)
    if int(declared) == 0 and "HTTP_TRANSFER_ENCODING" not in request.META:
        return
    try:
        if multipart:
            # Parsed here, as CsrfViewMiddleware would: files go to disk, and Django caps
            # the other fields at DATA_UPLOAD_MAX_MEMORY_SIZE.
            fields = request.POST
        else:
            # At most DATA_UPLOAD_MAX_MEMORY_SIZE (MAX_BODY_BYTES) is read.
            body = request.body
            if content_type != "application/x-www-form-urlencoded":
                return
            _text(_form_bytes(body))
            fields = request.POST
    except RequestDataTooBig:
        raise _too_large(limit) from None
    except (MultiPartParserError, TooManyFieldsSent, TooManyFilesSent):
        # Django would answer these with its 400 page, even on the API.
        raise DomainError(_("The request's form data is malformed or has too many fields."),
                          code="malformed_form") from None
    _check_fields(fields)


def _check_fields(fields: QueryDict) -> None:
    for name, values in fields.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise _null_character()
