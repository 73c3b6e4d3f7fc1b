"""The API's JSON parser: DRF's, refusing what would otherwise fail deep inside a view.

- JSON nested deeper than ``MAX_JSON_DEPTH``: Python's parser gives up with a
  RecursionError (a 500) around a thousand levels, and every recursive walk after it
  (validation, ``json.dumps`` into a JSONB column) is at risk long before that. No
  institution's event nests more than a few levels.
- Text holding a NUL or a lone surrogate, in any key or value: PostgreSQL can store
  neither in ``text`` or ``jsonb``. DRF's text fields refuse both already, but a
  ``JSONField`` or ``DictField`` keeps what it is given, and the insert would fail
  with a 500; refused here, the whole body is judged the same way wherever it goes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        check_json(data, max_depth=settings.MAX_JSON_DEPTH)
        return data


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON is nested more than %(limit)s levels deep.")
        % {"limit": settings.MAX_JSON_DEPTH},
        code="nested_too_deeply",
    )


def check_json(data: Any, *, max_depth: int) -> None:
    """Raise ``ParseError`` if ``data`` nests deeper than ``max_depth`` or holds unstorable text.

    Walks with its own stack, not by recursion, so any depth that parsed is safe here.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
            texts: list[str] = list(node.keys())
        elif isinstance(node, list):
            children, texts = node, []
        else:
            if isinstance(node, str) and _UNSTORABLE.search(node):
                raise _unstorable()
            continue
        if depth > max_depth:
            raise _too_deep()
        if any(_UNSTORABLE.search(text) for text in texts):
            raise _unstorable()
        stack.extend((child, depth + 1) for child in children)


def _unstorable() -> ParseError:
    return ParseError(
        _("The JSON contains a null character or a lone surrogate, which no field may hold."),
        code="unstorable_text",
    )
