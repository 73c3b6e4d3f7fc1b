from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    name = "pensions"
    label = "pensions"
    verbose_name = _("Pensions")

    def ready(self) -> None:
        from pensions.applications import register as register_applications
        from pensions.certificates import register_certificates
        from pensions.citizen_view import register_panels
        from pensions.explain import register_labels
        from pensions.rules import register_rules

        register_rules()
        register_labels()
        register_certificates()
        register_applications()
        register_panels()
