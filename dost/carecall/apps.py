from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarecallConfig(AppConfig):
    name = "dost.carecall"
    label = "carecall"
    verbose_name = _("CareCall service-quality ratings")

    def ready(self) -> None:
        from dost.carecall.notifications import register_templates

        register_templates()
