from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VemtasConfig(AppConfig):
    name = "vemtas"
    label = "vemtas"
    verbose_name = _("Targeted social assistance")

    def ready(self) -> None:
        from vemtas.applications import register as register_applications

        register_applications()
