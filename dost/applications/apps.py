from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "dost.applications"
    label = "applications"
    verbose_name = _("E-applications")

    def ready(self) -> None:
        from dost.applications.notifications import register_templates

        register_templates()
