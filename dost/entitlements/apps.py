from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitlementsConfig(AppConfig):
    name = "dost.entitlements"
    label = "entitlements"
    verbose_name = _("Proactive engine")
