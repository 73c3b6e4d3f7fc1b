from __future__ import annotations

import datetime as dt
import re

import pytest
import segno
from django.urls import reverse

from dost.equeue.models import Booking, Slot
from dost.equeue.services import (
    booking_create,
    booking_no_show,
    booking_served,
    desk_call_next,
)
from dost.equeue.tickets import ticket_qr_svg
from tests.equeue.conftest import TUESDAY, fill, slot_at

pytestmark = pytest.mark.usefixtures("week_of_slots")

MINE = reverse("esocial:queue_mine")
BOOK = reverse("esocial:queue_book")
WEDNESDAY = TUESDAY + dt.timedelta(days=1)


def book(person, service, slot) -> Booking:
    return booking_create(person_id=person.pk, service_id=service.pk, slot_id=slot.pk)


def choice(centre, service, day=TUESDAY) -> dict[str, str]:
    return {"service": service.code, "centre": centre.code, "day": day.isoformat()}


@pytest.fixture
def alices_booking(alice, centre, service) -> Booking:
    return book(alice.person, service, slot_at(centre, TUESDAY, "09:20"))


def test_my_bookings_list_upcoming_visits_with_move_and_cancel(client, alice, alices_booking):
    client.force_login(alice)
    body = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert alices_booking.ticket_code in body
    assert "Pension documents intake" in body
    assert reverse("esocial:queue_move", args=[alices_booking.pk]) in body
    assert reverse("esocial:queue_cancel", args=[alices_booking.pk]) in body


def test_my_bookings_page_queries_stay_bounded(client, alice, centre, make_service,
                                              django_assert_max_num_queries):
    for number in range(6):
        book(alice.person, make_service(f"service-{number}"),
             slot_at(centre, TUESDAY, f"{10 + number}:00"))
    client.force_login(alice)
    with django_assert_max_num_queries(4):
        response = client.get(MINE)
    assert response.content.decode().count("DOST-Q-NASIMI-1-") >= 6


def test_a_link_with_a_service_preselects_it_without_errors(client, alice, service):
    client.force_login(alice)
    body = client.get(BOOK, {"service": service.code}).content.decode()
    assert f'<option value="{service.code}" selected>' in body
    assert 'class="error"' not in body


def test_choosing_centre_and_day_shows_the_free_times(client, alice, make_person, centre,
                                                      service):
    fill(slot_at(centre, TUESDAY, "09:00"), make_person, service)
    client.force_login(alice)
    body = client.get(BOOK, choice(centre, service)).content.decode()
    assert 'type="radio"' in body
    assert f'value="{slot_at(centre, TUESDAY, "09:20").pk}"' in body
    assert f'value="{slot_at(centre, TUESDAY, "09:00").pk}"' not in body


def test_htmx_gets_only_the_free_times(client, alice, centre, service):
    client.force_login(alice)
    body = client.get(BOOK, choice(centre, service), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="slots"' in body
    assert "<html" not in body


def test_booking_on_the_page_opens_the_ticket(client, alice, centre, service):
    client.force_login(alice)
    slot = slot_at(centre, TUESDAY, "11:00")
    response = client.post(BOOK, {**choice(centre, service), "slot": slot.pk})
    booking = Booking.objects.get(person=alice.person)
    assert response.status_code == 302
    assert response.url == reverse("esocial:queue_ticket", args=[booking.pk])
    assert booking.slot_id == slot.pk


def test_booking_a_full_time_says_so_and_books_nothing(client, alice, make_person, centre,
                                                        service):
    slot = slot_at(centre, TUESDAY, "11:00")
    fill(slot, make_person, service)
    client.force_login(alice)
    response = client.post(BOOK, {**choice(centre, service), "slot": slot.pk},
                           HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "This time is already fully booked" in body
    assert 'aria-describedby="id_slot_error"' in body
    assert not Booking.objects.filter(person=alice.person).exists()


def test_booking_without_a_time_asks_for_one(client, alice, centre, service):
    client.force_login(alice)
    body = client.post(BOOK, choice(centre, service), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Choose a free time." in body
    assert not Booking.objects.exists()


def test_booking_twice_shows_the_reason_above_the_form(client, alice, alices_booking, centre,
                                                      service):
    client.force_login(alice)
    slot = slot_at(centre, TUESDAY, "15:00")
    body = client.post(BOOK, {**choice(centre, service), "slot": slot.pk},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You already have a booking for this service on that day" in body
    assert Booking.objects.filter(person=alice.person).count() == 1


def test_a_day_outside_the_booking_window_is_an_error_on_the_day(client, alice, centre,
                                                                 service):
    client.force_login(alice)
    response = client.get(BOOK, choice(centre, service, TUESDAY + dt.timedelta(days=60)))
    assert 'aria-describedby="id_day_error"' in response.content.decode()


def test_ticket_shows_the_code_in_text_and_as_an_svg_qr_code(client, alice, alices_booking,
                                                            centre):
    client.force_login(alice)
    body = client.get(reverse("esocial:queue_ticket", args=[alices_booking.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    code = alices_booking.ticket_code
    assert "<svg" in body
    assert f"<title>{code}</title>" in body
    assert f'<figcaption class="ticket-code">{code}</figcaption>' in body
    # The drawing on the page is the QR code of exactly the ticket code.
    assert ticket_qr_svg(code) in body
    assert centre.address_en in body
    assert "09:20" in body


def dark_modules_drawn(svg: str, *, border: int = 4) -> set[tuple[int, int]]:
    """Read the dark modules back from the SVG path (absolute M, relative m, runs of h)."""
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            row = int(y - 0.5) - border
            dark |= {(row, int(x) + step - border) for step in range(int(first))}
            x += float(first)
    return dark


def test_ticket_qr_code_draws_exactly_the_ticket_code():
    code = "DOST-Q-NASIMI-1-20261124-092001"
    expected = segno.make(code, error="m", micro=False)
    dark = {(row, column) for row, line in enumerate(expected.matrix)
            for column, module in enumerate(line) if module & 1}
    assert dark_modules_drawn(ticket_qr_svg(code)) == dark
    assert dark_modules_drawn(ticket_qr_svg(code + "X")) != dark


def test_ticket_shows_the_place_in_the_queue(client, alice, make_person, centre, service):
    book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    book(make_person(), service, slot_at(centre, TUESDAY, "09:00"))
    mine = book(alice.person, service, slot_at(centre, TUESDAY, "09:20"))
    client.force_login(alice)
    body = client.get(reverse("esocial:queue_ticket", args=[mine.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>3</strong>" in body
    assert "2 visitors are booked before you that day." in body


@pytest.mark.parametrize(("name", "method"), [
    ("esocial:queue_ticket", "get"), ("esocial:queue_move", "get"),
    ("esocial:queue_move", "post"), ("esocial:queue_cancel", "post"),
])
def test_another_citizens_booking_is_not_found(client, bob, alices_booking, centre, name,
                                              method):
    client.force_login(bob)
    other = slot_at(centre, TUESDAY, "12:00")
    response = getattr(client, method)(reverse(name, args=[alices_booking.pk]),
                                       {"centre": centre.code, "day": TUESDAY.isoformat(),
                                        "slot": other.pk})
    assert response.status_code == 404
    unchanged = Booking.objects.get(pk=alices_booking.pk)
    assert (unchanged.status, unchanged.slot_id) == ("booked", alices_booking.slot_id)


def test_staff_cannot_use_the_citizens_queue(client, charlie):
    client.force_login(charlie)
    assert client.get(MINE).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(BOOK)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_move_page_starts_at_the_booking_day_without_its_own_time(client, alice,
                                                                  alices_booking):
    client.force_login(alice)
    body = client.get(reverse("esocial:queue_move", args=[alices_booking.pk])).content.decode()
    assert 'type="radio"' in body
    assert f'value="{alices_booking.slot_id}"' not in body


def test_moving_on_the_page_changes_the_time_and_ticket(client, alice, alices_booking, centre):
    client.force_login(alice)
    target = slot_at(centre, WEDNESDAY, "10:00")
    response = client.post(reverse("esocial:queue_move", args=[alices_booking.pk]),
                           {"centre": centre.code, "day": WEDNESDAY.isoformat(),
                            "slot": target.pk})
    assert response.status_code == 302
    moved = Booking.objects.get(pk=alices_booking.pk)
    assert moved.slot_id == target.pk
    assert moved.ticket_code != alices_booking.ticket_code


def test_moving_to_a_full_time_on_the_page_keeps_the_booking(client, alice, alices_booking,
                                                           make_person, centre, service):
    target = slot_at(centre, WEDNESDAY, "10:00")
    fill(target, make_person, service)
    client.force_login(alice)
    body = client.post(reverse("esocial:queue_move", args=[alices_booking.pk]),
                       {"centre": centre.code, "day": WEDNESDAY.isoformat(), "slot": target.pk},
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This time is already fully booked" in body
    assert Booking.objects.get(pk=alices_booking.pk).slot_id == alices_booking.slot_id
    assert Slot.objects.get(pk=alices_booking.slot_id).booked == 1


def test_cancelling_on_the_page_frees_the_place(client, alice, alices_booking):
    client.force_login(alice)
    response = client.post(reverse("esocial:queue_cancel", args=[alices_booking.pk]))
    assert response.status_code == 302
    assert response.url == MINE
    assert Booking.objects.get(pk=alices_booking.pk).status == "cancelled"
    assert Slot.objects.get(pk=alices_booking.slot_id).booked == 0


def test_cancel_needs_a_post(client, alice, alices_booking):
    client.force_login(alice)
    assert client.get(reverse("esocial:queue_cancel", args=[alices_booking.pk])).status_code \
        == 405
    assert Booking.objects.get(pk=alices_booking.pk).active


def test_cancelling_a_past_visit_is_refused_with_a_message(client, alice, alices_booking,
                                                          clock):
    clock.set(TUESDAY, "10:00")
    client.force_login(alice)
    response = client.post(reverse("esocial:queue_cancel", args=[alices_booking.pk]),
                           HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "This time has already passed" in response.content.decode()
    assert Booking.objects.get(pk=alices_booking.pk).active


@pytest.mark.parametrize(("language", "centre_name"), [
    ("az", "Bakı 1 nömrəli DOST mərkəzi"), ("en", "Baku DOST Centre No. 1"),
    ("ru", "Бакинский центр DOST № 1"),
])
def test_pages_render_in_each_language(client, alice, alices_booking, centre, service,
                                       language, centre_name):
    client.force_login(alice)
    pages = [
        (MINE, {}), (BOOK, choice(centre, service)),
        (reverse("esocial:queue_ticket", args=[alices_booking.pk]), {}),
        (reverse("esocial:queue_move", args=[alices_booking.pk]), {}),
    ]
    for url, query in pages:
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in body, url
        assert centre_name in body, url
        assert body.count("<h1") == 1, url


def test_booking_at_a_centre_that_does_not_offer_the_service_says_so_beside_the_centre(
        client, alice, centre, service):
    centre.services.remove(service)
    client.force_login(alice)
    slot = slot_at(centre, TUESDAY, "09:00")
    response = client.post(BOOK, {**choice(centre, service), "slot": slot.pk},
                           HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "This DOST centre does not offer this service." in body
    assert 'id="id_centre_error"' in body
    assert not Booking.objects.filter(person=alice.person).exists()


def test_a_ticket_called_to_a_desk_tells_the_citizen_where_to_go(client, alice, charlie,
                                                                 alices_booking, centre):
    desk_call_next(centre=centre, desk=3, actor_id=charlie.pk)
    client.force_login(alice)
    mine = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Called: please go to desk 3 now." in mine
    # Called: no longer movable or cancellable.
    assert reverse("esocial:queue_cancel", args=[alices_booking.pk]) not in mine
    ticket = client.get(reverse("esocial:queue_ticket", args=[alices_booking.pk]),
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Called: please go to desk 3 now." in ticket
    assert "Place in the queue" not in ticket


@pytest.mark.parametrize(("end", "shown"), [(booking_served, "Served"),
                                            (booking_no_show, "Did not come")])
def test_an_ended_visit_is_shown_as_finished(client, alice, charlie, alices_booking, centre,
                                             end, shown):
    desk_call_next(centre=centre, desk=1, actor_id=charlie.pk)
    end(booking_id=alices_booking.pk, centre_code=centre.code)
    client.force_login(alice)
    mine = client.get(MINE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have no upcoming visits." in mine
    assert f"<td>{shown}</td>" in mine
    ticket = client.get(reverse("esocial:queue_ticket", args=[alices_booking.pk]),
                        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This visit has ended." in ticket


def test_the_queue_pages_link_the_mobile_units_schedule(client, alice):
    client.force_login(alice)
    for page in (MINE, BOOK):
        assert reverse("centres:mobile_stops") in client.get(page).content.decode()


def test_choosing_a_centre_that_does_not_offer_the_service_says_so_before_the_times(
        client, alice, centre, service):
    centre.services.remove(service)
    client.force_login(alice)
    body = client.get(BOOK, choice(centre, service), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This DOST centre does not offer this service." in body
    assert "No free times are left" not in body
