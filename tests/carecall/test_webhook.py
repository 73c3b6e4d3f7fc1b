"""Twilio's inbound SMS webhook: only a request Twilio signed is read; a signed one always gets
200 and empty TwiML, so that Twilio does not retry what was logged."""

from __future__ import annotations

from urllib.parse import urlencode

from dost.carecall.models import FollowUp, RatingReply, RatingRequest
from tests.carecall.conftest import EN, SMS_URL

PHONE = "+994501112233"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _scores() -> list:
    return list(RatingRequest.objects.values_list("pk", "score", "answered_at"))


def test_a_signed_reply_is_recorded_and_answered_with_empty_twiml(citizen, rated_call, sms_post):
    request = rated_call(citizen)
    response = sms_post(sender=PHONE, body="5", sid="SMweb1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.decode() == EMPTY_TWIML
    request.refresh_from_db()
    assert request.score == 5
    assert RatingReply.objects.get().outcome == "accepted"


def test_an_unsigned_reply_is_refused_and_changes_nothing(citizen, rated_call, sms_post):
    rated_call(citizen)
    before = _scores()
    response = sms_post(sender=PHONE, body="1", signature=None, **EN)
    assert response.status_code == 403
    assert "not signed by Twilio" in response.content.decode()
    assert _scores() == before
    assert not RatingReply.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_reply_signed_with_another_key_is_refused(citizen, rated_call, sms_post):
    from twilio.request_validator import RequestValidator

    rated_call(citizen)
    params = {"MessageSid": "SMforged", "From": PHONE, "Body": "1"}
    forged = RequestValidator("someone-elses-token").compute_signature(
        f"http://testserver{SMS_URL}", params)
    before = _scores()
    response = sms_post(sender=PHONE, body="1", sid="SMforged", signature=forged)
    assert response.status_code == 403
    assert _scores() == before
    assert not RatingReply.objects.exists()


def test_a_signature_over_other_fields_is_refused(citizen, rated_call, client):
    from twilio.request_validator import RequestValidator

    rated_call(citizen)
    signed = {"MessageSid": "SMx", "From": PHONE, "Body": "5"}
    signature = RequestValidator("test-auth-token").compute_signature(
        f"http://testserver{SMS_URL}", signed)
    # The body was changed on the way: the signature no longer covers it.
    response = client.post(SMS_URL, urlencode({**signed, "Body": "1"}),
                           content_type="application/x-www-form-urlencoded",
                           HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    assert not RatingReply.objects.exists()


def test_without_a_twilio_token_nothing_is_accepted(citizen, rated_call, sms_post, settings):
    rated_call(citizen)
    settings.TWILIO_AUTH_TOKEN = ""
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": "SMempty", "From": PHONE, "Body": "5", "To": "+994125550142"}
    signature = RequestValidator("").compute_signature(f"http://testserver{SMS_URL}", params)
    response = sms_post(sender=PHONE, body="5", sid="SMempty", signature=signature)
    assert response.status_code == 403
    assert not RatingReply.objects.exists()


def test_malformed_unknown_and_repeated_replies_get_200_and_change_nothing(
        citizen, rated_call, sms_post):
    rated_call(citizen)
    assert sms_post(sender=PHONE, body="4", sid="SMfirst").status_code == 200
    before = _scores()
    for sid, sender, body in (("SMbad", PHONE, "excellent"), ("SMwho", "+994559990000", "5"),
                              ("SMagain", PHONE, "1"), ("SMfirst", PHONE, "4")):
        response = sms_post(sender=sender, body=body, sid=sid)
        assert response.status_code == 200, sid
        assert response.content.decode() == EMPTY_TWIML
    assert _scores() == before
    assert not FollowUp.objects.exists()
    outcomes = dict(RatingReply.objects.values_list("sid", "outcome"))
    assert outcomes == {"SMfirst": "accepted", "SMbad": "malformed", "SMwho": "unknown",
                        "SMagain": "repeated"}
    assert RatingReply.objects.get(sid="SMfirst").repeats == 1


def test_a_signed_request_without_a_message_id_is_a_bad_request(citizen, rated_call, sms_post):
    rated_call(citizen)
    response = sms_post(sender=PHONE, body="5", sid=" ", **EN)
    assert response.status_code == 400
    assert "no valid id" in response.content.decode()
    assert not RatingReply.objects.exists()
    assert _scores()[0][1] is None


def test_only_post_is_answered(client):
    assert client.get(SMS_URL).status_code == 405
