from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dost.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # The texts about the citizen's PIN for the 142 phone line, and a PIN for the demo.
        from dost.accounts.demo import register_demo_step
        from dost.accounts.phone_pin import demo_phone_pin, register_templates

        register_templates()
        register_demo_step(demo_phone_pin)
