"""The pension tests' helpers serve here too: scans run over the same registry facts."""

from __future__ import annotations

from tests.pensions.conftest import scan  # noqa: F401 (a fixture)
