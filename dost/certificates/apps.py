from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "dost.certificates"
    label = "certificates"
    verbose_name = _("E-certificates")

    def ready(self) -> None:
        from dost.certificates.kinds import register_kinds

        register_kinds()
