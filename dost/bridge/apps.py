from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BridgeConfig(AppConfig):
    name = "dost.bridge"
    label = "bridge"
    verbose_name = _("Digital Bridge")
