from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexConfig(AppConfig):
    name = "dost.index"
    label = "index"
    verbose_name = _("DOST Index")

    def ready(self) -> None:
        # A wrong KPI file stops the start, rather than showing a wrong figure later.
        from dost.index.config import index_config

        index_config()
