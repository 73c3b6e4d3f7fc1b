"""The doctor's pages: the facility's referrals, a new referral, the ICD-10 look-up, answers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from disability.models import (
    DocumentRequest,
    HealthFacility,
    Limitation,
    MedicalDocument,
    Referral,
    ReferralInvitation,
    ReferralState,
    RegisterEntry,
)
from disability.services.document_requests import document_request_ask
from disability.services.referrals import referral_submit
from dost.accounts.models import Role, User
from dost.audit.models import DecisionEntry
from dost.registry.models import DisabilityStatus, Person
from tests.disability.conftest import PASSWORD, member_of
from tests.documents import image_bytes, pdf_bytes

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# What a scanner or a word processor writes into a file's metadata.
OWNER_NAME = "Vuqar Aliyev Scanner"


@pytest.fixture
def patient(make_person) -> Person:
    return make_person(fin="5PAT1E1", first_name="Vüqar", last_name="Əliyev", sex="M",
                       birth_date=dt.date(1980, 5, 17))


@pytest.fixture
def doctor_client(client, doctor):
    client.force_login(doctor)
    return client


@pytest.fixture
def other_facility(db) -> HealthFacility:
    return HealthFacility.objects.create(
        code="ganja-hospital", name_az="Gəncə xəstəxanası", name_en="Ganja Hospital",
        name_ru="Гянджинская больница", region_id="nasimi")


@pytest.fixture
def foreign_referral(make_person, other_facility, commissions, make_submission) -> Referral:
    """Another facility's referral of another patient."""
    stranger = make_person(fin="5STR4N9", first_name="Rəna")
    return referral_submit(facility=other_facility,
                           submission=make_submission(fin=stranger.fin))


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": OWNER_NAME, "/Title": f"Discharge of {OWNER_NAME}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_with_artist() -> bytes:
    image = Image.open(io.BytesIO(image_bytes("JPEG")))
    exif = Image.Exif()
    exif[0x013B] = OWNER_NAME  # Artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def form_data(patient_fin: str, **overrides) -> dict:
    data = {
        "fin": patient_fin,
        "diagnoses": "g35, I10",
        "treatment_months": "8",
        "limitation_mobility": "3",
        "limitation_self_care": "2",
        "limitation_vision": "",
        "clinical_summary": "Relapsing course since 2019.",
        "documents": [SimpleUploadedFile("discharge.pdf", pdf_bytes())],
        "approved_by": "Aynur Quliyeva\n\n Rəşad Əliyev \n",
    }
    data.update(overrides)
    return data


def nothing_saved() -> bool:
    return (not Referral.objects.exists() and not MedicalDocument.objects.exists()
            and not DecisionEntry.objects.filter(kind="assignment").exists())


# --- who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index", "new", "icd_search"])
def test_a_doctor_without_a_facility_is_refused(client, db, name):
    loner = User.objects.create_user(username="loner", password=PASSWORD, role=Role.DOCTOR)
    client.force_login(loner)
    assert client.get(reverse(f"referrals:{name}")).status_code == 403


@pytest.mark.parametrize("name", ["index", "new", "icd_search"])
def test_other_roles_are_refused(client, alice, charlie, commissions, name):
    for user in (alice, charlie, member_of(commissions["msec-1"], "expert-x")):
        client.force_login(user)
        assert client.get(reverse(f"referrals:{name}")).status_code == 403


def test_an_administrator_belongs_to_no_facility(client, db):
    admin = User.objects.create_superuser(username="root", password=PASSWORD, role=Role.ADMIN)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    assert client.get(reverse("referrals:index")).status_code == 403


def test_the_anonymous_are_sent_to_sign_in(client, db):
    response = client.get(reverse("referrals:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_the_facilitys_referrals_with_their_patients_fin(
        doctor_client, patient, refer, foreign_referral):
    mine = refer(patient.fin)
    response = doctor_client.get(reverse("referrals:index"), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.case_number in page and patient.fin in page
    assert "With the commission" in page and "Initial assessment" in page
    assert foreign_referral.case_number not in page
    assert foreign_referral.person_fin not in page


def test_the_list_shows_open_requests_and_invitations(doctor_client, facility, patient,
                                                      make_person, refer, commissions,
                                                      foreign_referral):
    referral = refer(patient.fin)
    expert = member_of(referral.commission, "nigar")
    document_request_ask(referral=referral, expert=expert, question="The MRI of 2024, please.")
    document_request_ask(referral=foreign_referral, expert=expert,
                         question="Someone else's question.")
    due = make_person(fin="5DUE0A1", first_name="Zaur")
    entry = RegisterEntry.objects.create(
        person=due, facility=facility, determined_on=dt.date(2024, 3, 1), kind="initial",
        percent=65, degree=2, cause="general_illness", duration="2y",
        next_assessment_on=dt.date(2026, 3, 1))
    ReferralInvitation.objects.create(entry=entry, facility=facility, due_on=dt.date(2026, 3, 1))

    page = doctor_client.get(reverse("referrals:index"), **EN).content.decode()

    assert "The MRI of 2024, please." in page
    assert "Someone else&#x27;s question." not in page
    assert "5DUE0A1" in page
    assert f"{reverse('referrals:new')}?fin=5DUE0A1" in page


def test_a_fulfilled_invitation_is_no_longer_listed(doctor_client, facility, patient, refer):
    finding = DisabilityStatus.objects.create(
        person=patient, percent=65, determined_on=dt.date(2024, 3, 1),
        valid_until=dt.date(2026, 3, 1), cause="general_illness", source_id="msec")
    entry = RegisterEntry.objects.create(
        person=patient, status=finding, facility=facility, determined_on=dt.date(2024, 3, 1),
        kind="initial", percent=65, degree=2, cause="general_illness", duration="2y",
        next_assessment_on=dt.date(2026, 3, 1))
    ReferralInvitation.objects.create(entry=entry, facility=facility, due_on=dt.date(2026, 3, 1))
    assert refer(patient.fin).kind == "repeat"  # which fulfils the invitation
    page = doctor_client.get(reverse("referrals:index"), **EN).content.decode()
    assert "Nobody is due for a repeat assessment." in page


def test_the_list_costs_the_same_queries_for_one_referral_or_many(
        doctor_client, make_person, refer, django_assert_max_num_queries):
    refer(make_person(fin="5MANY01").fin)
    with django_assert_max_num_queries(12) as one:
        doctor_client.get(reverse("referrals:index"))
    for number in range(2, 6):
        refer(make_person(fin=f"5MANY0{number}").fin)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = doctor_client.get(reverse("referrals:index"))
    assert response.content.decode().count("5MANY0") == 5


# --- a new referral ---------------------------------------------------------------------------


def test_the_form_offers_every_domain_and_a_code_look_up(doctor_client):
    page = doctor_client.get(reverse("referrals:new"), **EN).content.decode()
    assert 'name="limitation_behaviour"' in page
    assert "not assessed" in page
    assert reverse("referrals:icd_search") in page
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in page and "multiple" in page


def test_a_referral_is_sent_and_its_page_shown(doctor_client, patient, commissions):
    response = doctor_client.post(reverse("referrals:new"), form_data(patient.fin), **EN,
                                  follow=True)
    referral = Referral.objects.get()
    assert response.redirect_chain[-1][0] == reverse("referrals:detail",
                                                     args=[referral.case_number])
    assert f"Referral {referral.case_number} has been sent" in response.content.decode()
    assert referral.doctor_name == "Samir Rzayev"
    assert referral.approved_by == "Aynur Quliyeva\nRəşad Əliyev"
    assert referral.person_fin == patient.fin
    assert dict(referral.limitations.values_list("domain", "severity")) == {
        "mobility": 3, "self_care": 2}
    assert list(referral.diagnoses.order_by("-principal").values_list("icd", flat=True)) == [
        "G35", "I10"]


def test_the_fin_of_a_person_due_again_is_filled_in(doctor_client):
    response = doctor_client.get(reverse("referrals:new") + "?fin=5DUE0A1")
    assert response.context["form"]["fin"].value() == "5DUE0A1"


def test_documents_are_stored_without_the_names_in_their_metadata(doctor_client, patient,
                                                                  commissions):
    pdf, jpeg = pdf_with_author(), jpeg_with_artist()
    assert OWNER_NAME.encode() in pdf and OWNER_NAME.encode() in jpeg
    documents = [SimpleUploadedFile(f"{OWNER_NAME}.pdf", pdf),
                 SimpleUploadedFile("photo.jpg", jpeg)]
    doctor_client.post(reverse("referrals:new"), form_data(patient.fin, documents=documents))
    stored = list(MedicalDocument.objects.order_by("number"))
    assert [document.content_type for document in stored] == ["application/pdf", "image/jpeg"]
    for document in stored:
        assert OWNER_NAME.encode() not in bytes(document.content)
        assert "Aliyev" not in document.filename


@pytest.mark.parametrize(("overrides", "message"), [
    ({"diagnoses": "G35 X99.9Z"}, "Not ICD-10 codes: X99.9Z."),
    ({"fin": "5N0B0DY"}, "No person with this FIN is in the registry."),
    ({"limitation_mobility": "", "limitation_self_care": ""}, "Missing: functional limitations."),
    ({"documents": [SimpleUploadedFile("scan.pdf", b"%PDF-1.4 <html><script>")]},
     "This file does not open as a PDF"),
    ({"documents": [SimpleUploadedFile("notes.txt", b"plain words")]},
     "Upload a PDF, JPEG or PNG file"),
])
def test_a_refused_referral_shows_why_and_saves_nothing(doctor_client, patient, commissions,
                                                        overrides, message):
    response = doctor_client.post(reverse("referrals:new"), form_data(patient.fin, **overrides),
                                  **EN)
    assert response.status_code == 400
    # Shown with the form: under the field it is about (a document, named), or above all.
    errors = response.context["form"].errors.as_data()
    assert message in " ".join(str(text) for error in errors.values() for item in error
                               for text in item.messages)
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert nothing_saved()


def test_a_dead_person_cannot_be_referred(doctor_client, patient, commissions):
    Person.objects.filter(pk=patient.pk).update(death_date=dt.date(2025, 1, 5))
    response = doctor_client.post(reverse("referrals:new"), form_data(patient.fin), **EN)
    assert response.status_code == 400
    assert "records this person as deceased" in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize("missing", ["fin", "diagnoses", "treatment_months", "documents",
                                     "approved_by"])
def test_a_missing_field_is_marked_and_nothing_is_saved(doctor_client, patient, commissions,
                                                        missing):
    data = form_data(patient.fin)
    data[missing] = {"documents": [], "treatment_months": ""}.get(missing, "  ")
    response = doctor_client.post(reverse("referrals:new"), data, **EN)
    assert response.status_code == 400
    assert response.context["form"].errors[missing] == ["This field is required."]
    assert nothing_saved()


def test_a_badly_written_fin_or_month_count_is_marked(doctor_client, patient, commissions):
    response = doctor_client.post(reverse("referrals:new"),
                                  form_data("5pat1o1", treatment_months="eight"), **EN)
    errors = response.context["form"].errors
    assert "A FIN has 7 characters" in errors["fin"][0]
    assert errors["treatment_months"] == ["Enter a whole number."]
    assert nothing_saved()


def test_a_second_open_referral_for_the_person_is_refused(doctor_client, patient, refer):
    refer(patient.fin)
    response = doctor_client.post(reverse("referrals:new"), form_data(patient.fin), **EN)
    assert "already has a referral under assessment" in response.content.decode()
    assert Referral.objects.count() == 1


# --- the ICD-10 look-up -------------------------------------------------------------------------


def test_codes_are_found_by_their_beginning_as_typed(doctor_client):
    response = doctor_client.get(reverse("referrals:icd_search"), {"q": "f200"})
    codes = [code.code for code in response.context["codes"]]
    assert codes[0] == "F20.0"


def test_codes_are_found_by_words_of_their_title(doctor_client):
    response = doctor_client.get(reverse("referrals:icd_search"), {"q": "multiple sclerosis"})
    assert "G35" in [code.code for code in response.context["codes"]]


def test_at_most_thirty_codes_are_listed(doctor_client):
    response = doctor_client.get(reverse("referrals:icd_search"), {"q": "a"}, **EN)
    assert len(response.context["codes"]) == 30
    assert "type more to narrow them down" in response.content.decode()


def test_htmx_gets_the_results_alone(doctor_client):
    response = doctor_client.get(reverse("referrals:icd_search"), {"q": "G35"},
                                 HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "G35" in page and "<html" not in page
    assert "HX-Request" in response["Vary"]


def test_nothing_matching_says_so(doctor_client):
    response = doctor_client.get(reverse("referrals:icd_search"), {"q": "zzzzqq"}, **EN)
    assert "No ICD-10 code or title matches" in response.content.decode()


# --- one referral -------------------------------------------------------------------------------


def test_the_referral_page_shows_its_data(doctor_client, patient, refer):
    referral = refer(patient.fin, clinical_summary="Walks with a cane.")
    page = doctor_client.get(reverse("referrals:detail", args=[referral.case_number]),
                             **EN).content.decode()
    for shown in (patient.fin, "Samir Rzayev", "Aynur Quliyeva", "Rəşad Əliyev", "G35",
                  "Multiple sclerosis", "Walks with a cane.", "Mobility", "severe difficulty",
                  f"{referral.case_number}-1.pdf"):
        assert shown in page, shown


def test_the_referral_page_costs_the_same_queries_for_one_document_or_many(
        doctor_client, make_person, refer, django_assert_max_num_queries):
    one = refer(make_person(fin="5DKC001").fin)
    with django_assert_max_num_queries(20) as counted:
        doctor_client.get(reverse("referrals:detail", args=[one.case_number]))
    many = refer(make_person(fin="5DKC002").fin, diagnoses=["G35", "I10", "E11"],
                 documents=[SimpleUploadedFile(f"d{n}.pdf", pdf_bytes()) for n in range(4)])
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = doctor_client.get(reverse("referrals:detail", args=[many.case_number]))
    assert f"{many.case_number}-4.pdf" in response.content.decode()


def test_another_facilitys_referral_is_not_found(doctor_client, foreign_referral):
    case_number = foreign_referral.case_number
    assert doctor_client.get(reverse("referrals:detail", args=[case_number])).status_code == 404
    assert doctor_client.get(reverse("referrals:document",
                                     args=[case_number, 1])).status_code == 404


def test_a_document_is_downloaded_under_its_neutral_name(doctor_client, patient, refer):
    referral = refer(patient.fin)
    response = doctor_client.get(reverse("referrals:document", args=[referral.case_number, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{referral.case_number}-1.pdf"')
    assert b"".join(response.streaming_content) == bytes(referral.documents.get().content)


def test_a_document_that_does_not_exist_is_not_found(doctor_client, patient, refer):
    referral = refer(patient.fin)
    url = reverse("referrals:document", args=[referral.case_number, 2])
    assert doctor_client.get(url).status_code == 404


# --- answering a commission -------------------------------------------------------------------


@pytest.fixture
def asked(patient, refer) -> DocumentRequest:
    referral = refer(patient.fin)
    expert = member_of(referral.commission, "nigar")
    return document_request_ask(referral=referral, expert=expert,
                                question="The neurologist's letter.")


def answer_url(document_request: DocumentRequest) -> str:
    return reverse("referrals:answer", args=[document_request.referral.case_number,
                                             document_request.pk])


def test_an_open_request_is_shown_with_its_answer_form(doctor_client, asked):
    page = doctor_client.get(reverse("referrals:detail", args=[asked.referral.case_number]),
                             **EN).content.decode()
    assert "The neurologist&#x27;s letter." in page
    assert f'action="{answer_url(asked)}"' in page
    assert f'name="request-{asked.pk}-documents"' in page


def test_an_answer_sends_its_documents_and_puts_the_case_back(doctor_client, asked):
    prefix = f"request-{asked.pk}"
    response = doctor_client.post(answer_url(asked), {
        f"{prefix}-documents": [SimpleUploadedFile("letter.png", image_bytes("PNG")),
                                SimpleUploadedFile("mri.pdf", pdf_with_author())],
        f"{prefix}-answer": "The letter and the MRI report.",
    }, **EN, follow=True)
    asked.refresh_from_db()
    assert asked.answered_at is not None
    assert asked.answer == "The letter and the MRI report."
    assert Referral.objects.get().state == ReferralState.ASSIGNED
    numbers = list(MedicalDocument.objects.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    assert OWNER_NAME.encode() not in bytes(MedicalDocument.objects.get(number=3).content)
    assert "sent to the commission" in response.content.decode()


def test_an_answer_without_documents_is_refused_and_changes_nothing(doctor_client, asked):
    response = doctor_client.post(answer_url(asked), {f"request-{asked.pk}-answer": "Here."},
                                  **EN)
    assert response.status_code == 400
    assert "Attach the documents the commission asked for." in response.content.decode()
    asked.refresh_from_db()
    assert asked.answered_at is None
    assert Referral.objects.get().state == ReferralState.DOCUMENTS_REQUESTED
    assert MedicalDocument.objects.count() == 1


def test_a_request_answered_already_is_refused(doctor_client, asked):
    files = {f"request-{asked.pk}-documents": SimpleUploadedFile("a.pdf", pdf_bytes())}
    doctor_client.post(answer_url(asked), files)
    again = {f"request-{asked.pk}-documents": SimpleUploadedFile("b.pdf", pdf_bytes())}
    response = doctor_client.post(answer_url(asked), again, **EN)
    assert response.status_code == 400
    assert MedicalDocument.objects.count() == 2


def test_another_facilitys_request_cannot_be_answered(doctor_client, foreign_referral):
    expert = member_of(foreign_referral.commission, "nigar")
    foreign = document_request_ask(referral=foreign_referral, expert=expert, question="More.")
    response = doctor_client.post(answer_url(foreign), {
        f"request-{foreign.pk}-documents": SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.answered_at is None


def test_a_request_of_another_case_of_the_facility_is_not_found(doctor_client, asked,
                                                                make_person, refer):
    other = refer(make_person(fin="5ANTHR1").fin)
    url = reverse("referrals:answer", args=[other.case_number, asked.pk])
    response = doctor_client.post(url, {
        f"request-{asked.pk}-documents": SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert response.status_code == 404


def test_limitations_not_assessed_are_left_out(doctor_client, patient, commissions):
    doctor_client.post(reverse("referrals:new"),
                       form_data(patient.fin, limitation_self_care="", limitation_vision="0"))
    assert dict(Limitation.objects.values_list("domain", "severity")) == {"mobility": 3,
                                                                           "vision": 0}

