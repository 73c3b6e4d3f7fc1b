from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The DOST centres' own pages: home, today's desk queue, mobile units."""

    name = "dost.backoffice"
    label = "backoffice"
    verbose_name = _("DOST back-office")

    def ready(self) -> None:
        from dost.accounts.demo import register_demo_step
        from dost.backoffice.demo import demo_backoffice

        register_demo_step(demo_backoffice)
