"""Health facilities' access to the referrals API."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from disability.models import HealthFacility
from dost.accounts.models import InstitutionToken, Scope
from dost.accounts.services import institution_token_create
from dost.errors import DomainError


def facility_token_create(*, code: str, rate: str = "") -> tuple[InstitutionToken, str]:
    """A new API token for the facility's own system, with the scope ``referrals:write``.

    The facility's institution is the one it is linked to; a facility without one gets
    an institution of its name, linked to it in the same transaction. Returns the token
    row and the raw key, shown once. Refuses an unknown facility, or a name already
    taken by another facility's institution.
    """
    with transaction.atomic():
        facility = (HealthFacility.objects.select_for_update(of=("self",))
                    .select_related("institution").filter(code=code.strip()).first())
        if facility is None:
            raise DomainError(_("No health facility has the code %(code)s.") % {"code": code},
                              code="unknown_facility")
        name = facility.institution.name if facility.institution else facility.name_az
        token, raw_key = institution_token_create(name=name, scopes=[Scope.REFERRALS_WRITE],
                                                  rate=rate)
        if facility.institution_id is None:
            if HealthFacility.objects.filter(institution=token.institution).exists():
                raise DomainError(
                    _("The institution %(name)s is already another health facility's.")
                    % {"name": name}, code="institution_taken")
            facility.institution = token.institution
            facility.save(update_fields=["institution"])
    return token, raw_key
