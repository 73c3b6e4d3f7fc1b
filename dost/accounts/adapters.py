from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Citizens' accounts come from the registry, staff accounts from an
        # administrator: nobody creates an identity by filling in a form.
        return False
