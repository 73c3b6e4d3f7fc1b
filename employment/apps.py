from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    label = "employment"
    verbose_name = _("Labour and employment")

    def ready(self) -> None:
        from employment.applications import register as register_applications

        register_applications()
