from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VemtasConfig(AppConfig):
    name = "vemtas"
    label = "vemtas"
    verbose_name = _("Targeted social assistance")

    def ready(self) -> None:
        from dost.accounts.demo import register_demo_step
        from dost.bridge.listeners import register_life_event_listener
        from vemtas.applications import register as register_applications
        from vemtas.changes import on_life_event
        from vemtas.demo import demo_assistance
        from vemtas.kiosk import register_templates as register_kiosk_templates
        from vemtas.notifications import register_templates
        from vemtas.rules import register_rules

        register_applications()
        register_rules()
        register_templates()
        register_kiosk_templates()
        register_life_event_listener("vemtas", on_life_event)
        register_demo_step(demo_assistance)
