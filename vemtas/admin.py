"""Signing keys are issued and revoked here, by administrators; assessments are only read.

Issuing is the add page (choose the worker: the key is made by ``key_issue``,
which refuses while the worker has one in force); revoking is an action on the
list. Keys are never edited or deleted: an assessment's signature names its key
forever. Assessments and their files change only through the home-visit pages;
here they are read, and reading them is in the household's access log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dost.accounts.models import User
from dost.audit.admin_mixins import ListAccessLogMixin
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record
from dost.errors import DomainError
from dost.http import client_ip
from vemtas.assessment_selectors import social_workers
from vemtas.models import Assessment, AssessmentMedia, SigningKey
from vemtas.signing import is_social_worker, key_in_force, key_issue, key_revoke


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class SigningKeyIssueForm(forms.ModelForm):
    """The add page: only the worker is chosen; everything else ``key_issue`` makes."""

    worker = WorkerChoiceField(label=_("Social worker"), queryset=User.objects.none())

    class Meta:
        model = SigningKey
        fields = ["worker"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = social_workers()  # type: ignore[attr-defined]

    def clean_worker(self) -> User:
        worker = self.cleaned_data["worker"]
        if not is_social_worker(worker):
            raise forms.ValidationError(_("Signing keys are issued only to active centre staff."))
        if key_in_force(worker) is not None:
            raise forms.ValidationError(_("This worker already has a signing key in force: "
                                          "revoke it first to issue a new one."))
        return worker


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["short_fingerprint", "worker", "issued_at", "issued_by", "revoked_at",
                    "revoked_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["worker", "issued_by", "revoked_by"]
    search_fields = ["fingerprint", "worker__username", "worker__last_name"]
    ordering = ["-issued_at", "-id"]
    actions = ["revoke"]
    readonly_fields = ["fingerprint", "worker", "public_key_hex", "issued_at", "issued_by",
                       "revoked_at", "revoked_by"]

    @admin.display(description=_("fingerprint"))
    def short_fingerprint(self, key: SigningKey) -> str:
        return f"{key.fingerprint[:16]}…"

    @admin.display(description=_("public key (Ed25519, hex)"))
    def public_key_hex(self, key: SigningKey) -> str:
        return bytes(key.public_key).hex()

    def get_form(self, request: HttpRequest, obj: SigningKey | None = None,
                 change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = SigningKeyIssueForm
            kwargs["fields"] = ["worker"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: SigningKey | None = None):
        return ["worker"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: SigningKey | None = None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Revoked instead: the assessments a key signed name it.
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "is_administrator", False)

    def save_model(self, request: HttpRequest, obj: SigningKey, form: Any,
                   change: bool) -> None:
        try:
            issued = key_issue(worker=form.cleaned_data["worker"],
                               issued_by=request.user)  # type: ignore[arg-type]
        except DomainError as refusal:
            # Only a race with another administrator gets here (the form checked the rest).
            raise forms.ValidationError(refusal.message) from None
        # The admin logs and redirects to the object it saved: this is it.
        obj.__dict__.update(issued.__dict__)

    @admin.action(description=_("Revoke the selected keys"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset) -> HttpResponse | None:
        for key in queryset.select_related("worker"):
            try:
                key_revoke(key=key, revoked_by=request.user)  # type: ignore[arg-type]
            except DomainError as refusal:
                self.message_user(request, f"{key}: {refusal.message}", messages.ERROR)
            else:
                self.log_change(request, key, str(_("Revoked")))
                self.message_user(request, _("Key %(key)s of %(worker)s revoked.")
                                  % {"key": key, "worker": key.worker}, messages.SUCCESS)
        return None


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the home-visit services; a change here would break the signature."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _log_opened(request: HttpRequest, person_id: int | None) -> None:
    if person_id is not None:
        access_record(person_id=person_id, actor_id=request.user.pk, channel=Channel.ADMIN,
                      what=Subject.ASSISTANCE_CASE,
                      reason=str(_("Opened in the administration site")),
                      ip_address=client_ip(request))


@admin.register(Assessment)
class AssessmentAdmin(ListAccessLogMixin, _ReadOnlyAdmin):
    access_subject = Subject.ASSISTANCE_CASE
    access_person_path = "case.applicant_id"
    list_display = ["id", "case", "state", "worker", "visit_at", "signed_at"]
    list_filter = ["state"]
    list_select_related = ["case", "worker"]
    search_fields = ["=id", "=case__id", "case__applicant__fin"]
    fields = ["case", "state", "worker", "assigned_by", "visit_at", "members_present",
              "conditions", "matches_declaration", "disagreement", "manifest",
              "signature_hex", "signing_key", "signed_at", "created_at", "visit_page"]
    readonly_fields = fields

    @admin.display(description=_("signature (hex)"))
    def signature_hex(self, assessment: Assessment) -> str:
        return bytes(assessment.signature).hex() if assessment.signature else ""

    @admin.display(description=_("page of the visit"))
    def visit_page(self, assessment: Assessment) -> str:
        url = reverse("vemtas_visits:assessment", args=[assessment.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open, with the signature check"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        assessment = self.get_object(request, object_id) if response.status_code == 200 else None
        if assessment is not None:
            _log_opened(request, assessment.case.applicant_id)
        return response


@admin.register(AssessmentMedia)
class AssessmentMediaAdmin(ListAccessLogMixin, _ReadOnlyAdmin):
    access_subject = Subject.ASSISTANCE_CASE
    access_person_path = "assessment.case.applicant_id"
    list_display = ["original_name", "kind", "size", "assessment", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["assessment__case"]
    search_fields = ["=assessment__id", "sha256", "original_name"]
    # Never the file's storage address: the file is served only by the visit's page.
    fields = ["assessment", "kind", "original_name", "content_type", "size", "sha256",
              "uploaded_at", "download"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, media: AssessmentMedia) -> str:
        url = reverse("vemtas_visits:media_file", args=[media.assessment_id, media.pk])
        return format_html('<a href="{}">{}</a>', url, media.original_name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        media = self.get_object(request, object_id) if response.status_code == 200 else None
        if media is not None:
            _log_opened(request, media.assessment.case.applicant_id)
        return response
