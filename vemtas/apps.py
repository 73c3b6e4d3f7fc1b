from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VemtasConfig(AppConfig):
    name = "vemtas"
    label = "vemtas"
    verbose_name = _("Targeted social assistance")
