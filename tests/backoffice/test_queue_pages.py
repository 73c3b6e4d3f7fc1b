"""The back-office home and today's desk queue, as the centre's staff and administrators use
them: every action a POST, refusals shown as messages, another centre's ticket a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dost.audit.models import AccessRecord
from dost.equeue.models import Booking
from dost.equeue.services import booking_create, desk_call_next
from tests.equeue.conftest import TUESDAY, slot_at

HOME = reverse("backoffice:home")
QUEUE = reverse("backoffice:queue")
CALL = reverse("backoffice:call_next")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def served_url(booking) -> str:
    return reverse("backoffice:served", args=[booking.pk])


def no_show_url(booking) -> str:
    return reverse("backoffice:no_show", args=[booking.pk])


def shown(response) -> str:
    return response.content.decode()


# --- the home -------------------------------------------------------------------------------


def test_the_home_shows_the_staff_members_centre_todays_counts_and_every_page(
        client, charlie, post, centre, waiting):
    client.force_login(charlie)
    body = shown(client.get(HOME, **EN))
    assert "You work at Baku DOST Centre No. 1." in body
    assert "Your usual desk is number 2." in body
    assert "<dt>Waiting</dt><dd>3</dd>" in body
    for name in ("backoffice:queue", "esocial:staff_applications", "esocial:staff_corrections",
                 "registry:citizen_search", "complaints_backoffice:dashboard",
                 "entitlements:scan_list", "bridge_review:queue",
                 "disability_backoffice:register", "disability_backoffice:aid_requests",
                 "backoffice:mobile"):
        assert f'href="{reverse(name)}"' in body, name
    # The Django admin is for administrators only.
    assert f'href="{reverse("admin:index")}"' not in body


def test_the_home_counts_calls_and_the_average_wait(client, charlie, post, centre, waiting,
                                                    clock):
    clock.set(TUESDAY, "09:10")
    desk_call_next(centre=centre, desk=1, actor_id=charlie.pk)
    client.force_login(charlie)
    body = shown(client.get(HOME, **EN))
    assert "<dt>Waiting</dt><dd>2</dd>" in body
    assert "<dt>At a desk</dt><dd>1</dd>" in body
    assert "<dt>Average wait</dt>\n  <dd>10 minutes</dd>" in body


def test_an_administrator_sees_the_admin_link_and_chooses_a_centre(client, administrator,
                                                                   centre, waiting):
    client.force_login(administrator)
    body = shown(client.get(HOME, **EN))
    assert f'href="{reverse("admin:index")}"' in body
    assert "Waiting" not in body
    body = shown(client.get(HOME, {"centre": centre.code}, **EN))
    assert "<dt>Waiting</dt><dd>3</dd>" in body


def test_staff_without_a_post_are_told_and_still_get_the_links(client, charlie, db):
    client.force_login(charlie)
    body = shown(client.get(HOME, **EN))
    assert "You have no post at a centre yet" in body
    assert f'href="{reverse("esocial:staff_applications")}"' in body


def test_the_menu_links_the_back_office_for_staff_and_administrators_only(
        client, charlie, administrator, agent, alice):
    link = f'href="{HOME}"'
    for user, linked in ((charlie, True), (administrator, True), (agent, False),
                         (alice, False)):
        client.force_login(user)
        assert (link in shown(client.get(reverse("esocial:home")))) is linked, user


@pytest.mark.parametrize("user_fixture", ["agent", "expert", "alice"])
def test_other_roles_are_refused(client, user_fixture, request, db):
    client.force_login(request.getfixturevalue(user_fixture))
    for url in (HOME, QUEUE, reverse("backoffice:mobile")):
        assert client.get(url).status_code == 403


# --- today's queue ----------------------------------------------------------------------------


def test_the_queue_lists_the_waiting_tickets_in_call_order_without_names(
        client, charlie, post, waiting):
    client.force_login(charlie)
    body = shown(client.get(QUEUE, **EN))
    codes = [booking.ticket_code for booking in waiting]
    assert [body.index(code) for code in codes] == sorted(body.index(code) for code in codes)
    assert "Kərimli" not in body
    # Charlie's usual desk is chosen.
    assert '<option value="2" selected>2</option>' in body


def test_call_next_brings_the_first_ticket_to_the_desk_and_logs_the_look_at_the_citizen(
        client, charlie, post, centre, waiting):
    client.force_login(charlie)
    response = client.post(CALL, {"centre": centre.code, "desk": "2"}, **EN)
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?centre={centre.code}&desk=2"
    first = Booking.objects.get(pk=waiting[0].pk)
    assert (first.status, first.desk, first.called_by) == ("called", 2, charlie)
    response = client.get(response["Location"], **EN)
    body = shown(response)
    assert f"Ticket {first.ticket_code} is called to desk 2." in body
    assert "Kərimli Nərmin" in body and "Fərid" not in body
    record = AccessRecord.objects.get(person_id=first.person_id)
    assert (record.actor, record.channel, record.what) == (charlie, "backoffice",
                                                           "registry_record")
    # In the citizen's own language (Azerbaijani unless they chose another).
    assert "2" in record.reason and first.ticket_code in record.reason
    assert not AccessRecord.objects.filter(person_id=waiting[1].person_id).exists()


def test_served_ends_the_visit_and_frees_the_desk(client, charlie, post, centre, waiting,
                                                  clock):
    client.force_login(charlie)
    client.post(CALL, {"centre": centre.code, "desk": "2"})
    clock.advance(minutes=6)
    response = client.post(served_url(waiting[0]), {"desk": "2"}, follow=True, **EN)
    body = shown(response)
    assert f"Ticket {waiting[0].ticket_code} is served." in body
    assert "No ticket is at this desk." in body
    booking = Booking.objects.get(pk=waiting[0].pk)
    assert (booking.status, booking.service_seconds) == ("served", 6 * 60)


def test_no_show_ends_the_visit_without_service_time(client, charlie, post, centre, waiting):
    client.force_login(charlie)
    client.post(CALL, {"centre": centre.code, "desk": "2"})
    body = shown(client.post(no_show_url(waiting[0]), follow=True, **EN))
    assert f"Ticket {waiting[0].ticket_code} is marked as not come." in body
    booking = Booking.objects.get(pk=waiting[0].pk)
    assert (booking.status, booking.service_seconds) == ("no_show", None)


def test_call_next_with_nobody_waiting_says_so_and_changes_nothing(client, charlie, post,
                                                                   centre):
    client.force_login(charlie)
    body = shown(client.post(CALL, {"centre": centre.code, "desk": "2"}, follow=True, **EN))
    assert "Nobody is waiting in today&#x27;s queue." in body


def test_a_busy_desk_is_told_to_finish_first(client, charlie, post, centre, waiting):
    client.force_login(charlie)
    client.post(CALL, {"centre": centre.code, "desk": "2"})
    body = shown(client.post(CALL, {"centre": centre.code, "desk": "2"}, follow=True, **EN))
    assert "A ticket is still at this desk." in body
    assert Booking.objects.filter(status="called").count() == 1


def test_served_twice_is_refused_with_a_message(client, charlie, post, centre, waiting):
    client.force_login(charlie)
    client.post(CALL, {"centre": centre.code, "desk": "2"})
    client.post(served_url(waiting[0]))
    finished_at = Booking.objects.get(pk=waiting[0].pk).finished_at
    for url in (served_url(waiting[0]), no_show_url(waiting[0])):
        body = shown(client.post(url, follow=True, **EN))
        assert "This visit has already ended." in body
    booking = Booking.objects.get(pk=waiting[0].pk)
    assert (booking.status, booking.finished_at) == ("served", finished_at)


def test_a_waiting_ticket_cannot_be_marked_served(client, charlie, post, waiting):
    client.force_login(charlie)
    body = shown(client.post(served_url(waiting[1]), follow=True, **EN))
    assert "This ticket has not been called to a desk yet." in body
    assert Booking.objects.get(pk=waiting[1].pk).status == "booked"


@pytest.mark.parametrize("desk", ["9", "0", "two"])
def test_a_desk_the_centre_does_not_have_is_refused(client, charlie, post, centre, waiting,
                                                    desk):
    client.force_login(charlie)
    response = client.get(QUEUE, {"desk": desk}, **EN)
    assert response.status_code == 400
    assert "This centre has no desk with that number." in shown(response)
    body = shown(client.post(CALL, {"centre": centre.code, "desk": desk}, follow=True, **EN))
    assert "This centre has no desk with that number." in body
    assert not Booking.objects.filter(status="called").exists()


def test_an_empty_desk_is_refused(client, charlie, post, centre, waiting):
    client.force_login(charlie)
    response = client.get(QUEUE, {"desk": ""}, **EN)
    assert response.status_code == 400
    assert "Choose your desk." in shown(response)
    body = shown(client.post(CALL, {"centre": centre.code}, follow=True, **EN))
    assert "This centre has no desk with that number." in body
    assert not Booking.objects.filter(status="called").exists()


def test_another_desks_ticket_shows_no_name(client, charlie, post, centre, waiting):
    desk_call_next(centre=centre, desk=1, actor_id=charlie.pk)
    client.force_login(charlie)
    body = shown(client.get(QUEUE, {"desk": "2"}, **EN))
    assert f"Desk 1: ticket {waiting[0].ticket_code}" in body
    assert "Nərmin" not in body
    assert not AccessRecord.objects.exists()


def test_actions_are_posts(client, charlie, post, waiting):
    client.force_login(charlie)
    for url in (CALL, served_url(waiting[0]), no_show_url(waiting[0])):
        assert client.get(url).status_code == 405


def test_the_queue_page_needs_a_fixed_number_of_queries(client, charlie, post, centre,
                                                        waiting, make_person, service,
                                                        django_assert_max_num_queries):
    for _number in range(4):
        booking_create(person_id=make_person().pk, service_id=service.pk,
                       slot_id=slot_at(centre, TUESDAY, "10:00").pk)
    desk_call_next(centre=centre, desk=2, actor_id=charlie.pk)
    desk_call_next(centre=centre, desk=1, actor_id=charlie.pk)
    client.force_login(charlie)
    with django_assert_max_num_queries(14):
        response = client.get(QUEUE)
    assert response.status_code == 200


# --- the object, not only the role --------------------------------------------------------


def test_staff_of_another_centre_get_404_for_its_tickets_and_change_nothing(
        client, dilara, centre, waiting):
    desk_call_next(centre=centre, desk=1, actor_id=dilara.pk)
    client.force_login(dilara)
    for url in (served_url(waiting[0]), no_show_url(waiting[0])):
        assert client.post(url).status_code == 404
    assert Booking.objects.get(pk=waiting[0].pk).status == "called"
    assert client.get(QUEUE, {"centre": centre.code}).status_code == 404
    assert client.post(CALL, {"centre": centre.code, "desk": "2"}).status_code == 404
    assert Booking.objects.filter(status="called").count() == 1


def test_staff_see_their_own_centre_only(client, dilara, other_centre, waiting):
    client.force_login(dilara)
    body = shown(client.get(QUEUE, **EN))
    assert "Yasamal DOST centre" in body
    assert waiting[0].ticket_code not in body
    assert "Nobody is waiting in today's queue." in body


def test_staff_without_a_post_have_no_queue_to_act_on(client, charlie, centre, waiting):
    client.force_login(charlie)
    assert "You have no post at a centre" in shown(client.get(QUEUE, **EN))
    assert client.post(CALL, {"centre": centre.code, "desk": "1"}).status_code == 404
    assert client.post(served_url(waiting[0])).status_code == 404
    assert not Booking.objects.filter(status="called").exists()


def test_an_administrator_chooses_a_centre_and_acts_at_any(client, administrator, centre,
                                                           other_centre, waiting):
    client.force_login(administrator)
    body = shown(client.get(QUEUE, **EN))
    assert "Choose a centre" in body
    body = shown(client.get(QUEUE, {"centre": centre.code}, **EN))
    assert waiting[0].ticket_code in body
    assert '<option value="1" selected>1</option>' in body
    client.post(CALL, {"centre": centre.code, "desk": "3"})
    client.post(served_url(waiting[0]))
    assert Booking.objects.get(pk=waiting[0].pk).status == "served"
    assert client.get(QUEUE, {"centre": "no-such-centre"}).status_code == 404


@pytest.mark.parametrize("pk", [987654, 99999999999999999999])
def test_an_unknown_ticket_is_404(client, charlie, administrator, post, pk):
    for user in (charlie, administrator):
        client.force_login(user)
        for name in ("backoffice:served", "backoffice:no_show"):
            assert client.post(reverse(name, args=[pk])).status_code == 404
