"""Nothing an expert can reach names the person, their facility or their doctors.

The expert's pages are crawled from ``/msec/`` by following every link and opening
every document, for cases in each state (waiting, with documents asked for and sent,
proposed, decided), and the bytes are searched for what identifies the seeded cases:
names, FIN, phone, address, birth date, the referring facility and the doctors,
including what was hidden in the uploaded documents' metadata.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter

from disability.models import Commission, DocumentRequest, Referral
from disability.services.assessments import assessment_confirm, assessment_propose
from disability.services.document_requests import document_request_answer, document_request_ask
from dost.registry.models import Household, Person
from tests.disability.conftest import member_of

SECRETS = {
    "first name": "Zümrüdxanım",
    "last name": "Şahbazova",
    "patronymic": "Qəzənfər",
    "FIN": "7ZQW3K9",
    "phone": "+994557770011",
    "address": "Xətai rayonu, Babək prospekti 77",
    "facility": "Baku Polyclinic No. 1",
    "facility az": "Bakı 1 saylı poliklinika",
    "facility code": "baku-clinic-1",
    "doctor": "Samir Rzayev",
    "approving official": "Aynur Quliyeva",
}
BIRTH = dt.date(1971, 9, 23)


def _variants() -> dict[str, str]:
    found = dict(SECRETS)
    found |= {
        "phone, national": "0557770011", "phone, digits": "557770011",
        "birth date": BIRTH.isoformat(), "birth date, dotted": BIRTH.strftime("%d.%m.%Y"),
        "birth date, slashed": BIRTH.strftime("%d/%m/%Y"),
    }
    return found


def _identifying_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": f"{SECRETS['doctor']}, {SECRETS['facility']}",
                         "/Title": f"{SECRETS['first name']} {SECRETS['last name']} "
                                   f"{SECRETS['FIN']}",
                         "/Subject": SECRETS["address"], "/Keywords": SECRETS["phone"]})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _identifying_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = f"{SECRETS['first name']} {SECRETS['last name']}"  # Artist
    exif[0x010E] = f"{SECRETS['FIN']} {BIRTH.isoformat()}"  # ImageDescription
    exif[0x8298] = SECRETS["facility"]  # Copyright
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (120, 130, 140)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def _identifying_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRETS["doctor"])
    info.add_itxt("Description", f"{SECRETS['last name']} {SECRETS['address']}")
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 20, 30)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def _documents() -> list[SimpleUploadedFile]:
    # The file names are the patient's too, as scanners and phones often make them.
    name = f"{SECRETS['last name']}_{SECRETS['FIN']}"
    return [SimpleUploadedFile(f"{name}.pdf", _identifying_pdf()),
            SimpleUploadedFile(f"{name}.jpg", _identifying_jpeg()),
            SimpleUploadedFile(f"{name}.png", _identifying_png())]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action", "hx-get"} and value:
                self.links.append(value)


def _crawl(client: Client, start: str) -> dict[str, bytes]:
    """Every page and file under /msec/ reachable from ``start`` by GET."""
    seen: dict[str, bytes] = {}
    queue = deque([start])
    while queue:
        url = queue.popleft().split("#")[0]
        if url in seen or not url.startswith("/msec/"):
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content)
        seen[url] = body + str(response.headers).encode()
        assert response.status_code in {200, 405}, (url, response.status_code)
        if response.get("Content-Type", "").startswith("text/html"):
            parser = _Links()
            parser.feed(body.decode())
            queue.extend(parser.links)
    return seen


@pytest.fixture
def cases(make_person, refer, commissions):
    """Cases of one person and two others, in every state an expert sees, at one commission."""
    Commission.objects.exclude(code="msec-1").update(active=False)
    household = Household.objects.create(region_id="nasimi", address=SECRETS["address"],
                                         source_id="justice")
    person = make_person(fin=SECRETS["FIN"], first_name=SECRETS["first name"],
                         last_name=SECRETS["last name"], patronymic=SECRETS["patronymic"],
                         sex="F", birth_date=BIRTH, phone=SECRETS["phone"],
                         household_id=household.pk)
    Person.objects.filter(pk=person.pk).update(address=SECRETS["address"])
    others = [make_person(fin=f"7ZQW3K{n}", birth_date=BIRTH) for n in (1, 2, 3)]
    commission = Commission.objects.get(code="msec-1")
    first, second = member_of(commission, "zq-reviewer-a"), member_of(commission, "zq-reviewer-b")

    decided = refer(person.fin, documents=_documents(), diagnoses=["G35", "I10"])
    proposal = assessment_propose(
        referral=decided, expert=first, percentages={d.pk: 40 for d in decided.diagnoses.all()},
        cause="general_illness", duration="2y",
        next_review_on=dt.date.today() + dt.timedelta(days=730), lost_working_capacity=30)
    assessment_confirm(assessment=proposal, expert=second)

    waiting = refer(others[0].fin, documents=_documents())
    asked = refer(others[1].fin, documents=_documents())
    request = document_request_ask(referral=asked, expert=first,
                                   question="The latest MRI report, please.")
    document_request_answer(request=request, facility=decided_facility(decided),
                            documents=_documents(), answer="Attached.")
    document_request_ask(referral=asked, expert=first, question="And the neurologist's letter.")
    proposed = refer(others[2].fin, documents=_documents())
    assessment_propose(referral=proposed, expert=first,
                       percentages={d.pk: 65 for d in proposed.diagnoses.all()},
                       cause="general_illness", duration="1y",
                       next_review_on=dt.date.today() + dt.timedelta(days=365),
                       lost_working_capacity=0)
    return {"expert": second, "referrals": [decided, waiting, asked, proposed]}


def decided_facility(referral: Referral):
    from disability.models import HealthFacility

    return HealthFacility.objects.get(code=referral.facility_code)


def test_no_page_or_document_an_expert_reaches_identifies_anyone(cases):
    client = Client()
    client.force_login(cases["expert"])
    reached = _crawl(client, "/msec/")

    case_pages = [url for url in reached if re.match(r"^/msec/cases/[^/]+/$", url)]
    documents = [url for url in reached if "/documents/" in url]
    assert len(case_pages) == len(cases["referrals"])
    assert len(documents) >= 3 * len(cases["referrals"])  # every upload, and the answer's
    for url, content in reached.items():
        lowered = content.lower()
        for what, value in _variants().items():
            assert value.lower().encode() not in lowered, f"{what} on {url}"


def test_database_rows_hold_the_identity_only_as_ciphertext(cases):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM disability_referral")
        rows = cursor.fetchall()
        cursor.execute("SELECT content FROM disability_medicaldocument")
        documents = [bytes(row[0]) for row in cursor.fetchall()]
    dumped = repr(rows).lower()
    for what, value in _variants().items():
        assert value.lower() not in dumped, f"{what} in a referral row"
        for document in documents:
            assert value.lower().encode() not in document.lower(), f"{what} in a document"


def test_requests_for_documents_show_the_facility_no_identity_either(cases):
    assert DocumentRequest.objects.count() == 2


def test_the_person_sees_that_a_commission_looked_but_not_which_expert(cases):
    from dost.accounts.services import citizen_account_create
    from dost.audit.models import AccessRecord

    expert = Client()
    expert.force_login(cases["expert"])
    _crawl(expert, "/msec/")
    person = Person.objects.get(fin=SECRETS["FIN"])
    citizen = Client()
    citizen.force_login(citizen_account_create(person=person,
                                               password="correct-horse-battery-9"))

    page = citizen.get("/my/access-log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    looks = AccessRecord.objects.filter(person=person, channel="msec")
    assert looks.filter(actor=cases["expert"]).exists()
    assert looks.count() <= page.count("<tr") - 1  # each look is a row of the log
    assert "zq-reviewer" not in page and "Nigar" not in page
