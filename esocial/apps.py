from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsocialConfig(AppConfig):
    name = "esocial"
    label = "esocial"
    verbose_name = _("e-Social portal")
