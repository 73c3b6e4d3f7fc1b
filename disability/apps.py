from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisabilityConfig(AppConfig):
    name = "disability"
    label = "disability"
    verbose_name = _("Disability")
