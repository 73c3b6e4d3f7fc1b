from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from dost.accounts.models import Role, User

CHANGELIST = "/backoffice/admin/notifications/smsmessage/"


def _admin(client) -> None:
    user = User.objects.create_user(
        username="root",
        password="x-correct-horse-9",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)


def test_outbox_list_masks_phone_numbers(client, queue_sms, citizen):
    queue_sms(citizen)
    _admin(client)

    body = client.get(CHANGELIST).content.decode()

    assert "*********2233" in body
    assert "+994501112233" not in body


def test_outbox_list_queries_stay_bounded(
    client, queue_sms, citizen, django_assert_max_num_queries
):
    for _number in range(20):
        queue_sms(citizen)
    _admin(client)

    with django_assert_max_num_queries(10):
        response = client.get(CHANGELIST)

    assert response.status_code == 200


def test_message_page_is_read_only_and_masks_the_phone(client, queue_sms, citizen):
    message = queue_sms(citizen)
    _admin(client)

    body = client.get(f"{CHANGELIST}{message.pk}/change/").content.decode()

    assert "*********2233" in body
    assert "+994501112233" not in body
    assert 'name="_save"' not in body


def test_outbox_search_finds_a_message_by_its_exact_dedupe_key(client, queue_sms, citizen):
    queue_sms(citizen, dedupe_key="award:41")
    queue_sms(citizen, dedupe_key="award:42")
    _admin(client)

    response = client.get(CHANGELIST, {"q": "award:42"})

    assert len(response.context["cl"].result_list) == 1
