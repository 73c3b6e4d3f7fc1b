import pytest

from dost.audit.models import AccessRecord, Channel, Subject
from dost.audit.services import access_record
from dost.errors import DomainError


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"reason": "   "}, "reason_required"),
        ({"channel": "carrier-pigeon"}, "invalid_channel"),
        ({"what": "everything"}, "invalid_subject"),
    ],
)
def test_an_access_without_reason_or_with_unknown_terms_is_refused(alice, charlie, changes,
                                                                   code):
    fields = {"person_id": alice.person_id, "actor_id": charlie.pk,
              "channel": Channel.BACKOFFICE, "what": Subject.REGISTRY_RECORD,
              "reason": "Application 4411"}
    with pytest.raises(DomainError) as refusal:
        access_record(**{**fields, **changes})
    assert refusal.value.code == code
    assert not AccessRecord.objects.exists()
