from django.urls import reverse

from dost.audit.models import AccessRecord

SEARCH = reverse("registry:citizen_search")


def test_staff_search_by_name_lists_matches_and_logs_the_search(client, charlie, alice):
    client.force_login(charlie)
    response = client.get(SEARCH, {"q": "Hasanova Alica"})
    body = response.content.decode()
    assert response.status_code == 200
    assert alice.person.fin in body
    # The list shows who matched, not their record; still a look at each, with the search.
    assert "+994501112233" not in body
    assert "Hasanova Alica" in AccessRecord.objects.get(person=alice.person).reason


def test_htmx_search_returns_only_the_results_fragment(client, charlie, alice):
    client.force_login(charlie)
    response = client.get(SEARCH, {"q": alice.person.fin}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert alice.person.fin in body
    assert "<html" not in body


def test_search_with_no_match_says_so(client, charlie, alice):
    client.force_login(charlie)
    response = client.get(SEARCH, {"q": "Zzyzx Qwerty"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Nobody matches" in response.content.decode()


def test_search_queries_stay_bounded(client, charlie, make_person, django_assert_max_num_queries):
    for number in range(15):
        make_person(fin=f"8Q{number:04d}A", last_name="Əliyev", first_name="Orxan", sex="M")
    client.force_login(charlie)
    # One of them writes the access records of everyone found, whatever their number.
    with django_assert_max_num_queries(13):
        response = client.get(SEARCH, {"q": "Aliyev Orkhan"})
    assert response.content.decode().count('href="/backoffice/citizens/8Q00') == 15


def test_citizen_sees_their_facts_with_sources(client, alice):
    client.force_login(alice)
    response = client.get(reverse("esocial:my_data"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Ministry of Justice (civil registry)" in body
    assert "+994501112233" in body
