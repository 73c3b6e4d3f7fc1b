from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dost.centres.services import catalogue_load


@pytest.fixture
def load_catalogue(db, tmp_path):
    """Load a small catalogue written as YAML text, through the real loader."""

    def load(text: str):
        path = Path(tmp_path) / "catalogue.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return catalogue_load(path=path)

    return load


def service_yaml(code: str, *, title_az: str, title_en: str, title_ru: str,
                 category: str = "social-security", provider: str = "sspf") -> str:
    """One service entry in the catalogue file's format."""
    return f"""
    - code: {code}
      category: {category}
      provider: {provider}
      channels: [portal]
      title: {{az: {title_az}, en: {title_en}, ru: {title_ru}}}
      summary: {{az: Xülasə, en: Summary, ru: Описание}}
      eligibility: {{az: Hər kəs, en: Anyone, ru: Все}}
      legal_basis: {{az: Qanun, en: Law, ru: Закон}}
      steps:
      - {{az: Müraciət edin, en: Apply, ru: Обратитесь}}
    """
