from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisabilityConfig(AppConfig):
    name = "disability"
    label = "disability"
    verbose_name = _("Disability")

    def ready(self) -> None:
        from disability.certificates import register_certificates
        from disability.citizen_view import register_panels
        from disability.demo import demo_disability
        from disability.notifications import register_templates
        from disability.register_sms import register_sms_templates
        from dost.accounts.demo import register_demo_step

        register_certificates()
        register_demo_step(demo_disability)
        register_templates()
        register_sms_templates()
        register_panels()
