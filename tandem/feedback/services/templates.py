"""Survey templates: the tenant's default per language, and writing templates with their extra questions."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.feedback.choices import QuestionKind, SurveyLanguage
from tandem.feedback.models import SurveyTemplate
from tandem.feedback.models.surveys import MAX_QUESTIONS

TEMPLATE_FIELDS = ("name", "language", "intro", "nps_question", "comment_label", "questions", "thank_you", "colour")
MAX_CHOICES = 10
MAX_LOGO_BYTES = 1024 * 1024
# What the survey page may show as a logo, told by the file's first bytes (SVG is left out: it can carry script).
LOGO_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def default_texts(language: str) -> dict:
    """The wording of the default template in a language."""
    with translation.override(language):
        return {
            "name": _("Project satisfaction survey"),
            "intro": _("Thank you for working with us. Two minutes of your time help us serve you better."),
            "nps_question": _("How likely are you to recommend us to a friend or colleague?"),
            "comment_label": _("What is the main reason for your score?"),
            "questions": [
                {
                    "key": "quality",
                    "kind": QuestionKind.RATING.value,
                    "label": _("How satisfied are you with the quality of the work?"),
                    "choices": [],
                    "required": False,
                },
                {
                    "key": "communication",
                    "kind": QuestionKind.RATING.value,
                    "label": _("How satisfied are you with our communication during the project?"),
                    "choices": [],
                    "required": False,
                },
            ],
            "thank_you": _("Thank you! Your answer has reached the project team."),
        }


def template_default(*, tenant_id: int, language: str) -> SurveyTemplate:
    """The tenant's default template in `language` (made on first use from the default wording)."""
    language = language if language in SurveyLanguage.values else SurveyLanguage.ZH_HANS
    found = SurveyTemplate.objects.filter(tenant_id=tenant_id, language=language).order_by("-is_default", "id").first()
    if found is not None:
        return found
    texts = default_texts(language)
    name = texts["name"]
    if SurveyTemplate.objects.filter(tenant_id=tenant_id, name=name).exists():
        name = f"{name} ({language})"
    return SurveyTemplate.objects.create(
        tenant_id=tenant_id, is_default=True, language=language, **{**texts, "name": name}
    )


def clean_questions(value) -> list[dict]:
    """The extra questions, checked and normalised; field errors name the question."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ApplicationError(_("Questions must be a list."), errors={"questions": [_("Questions must be a list.")]})
    if len(value) > MAX_QUESTIONS:
        message = _("A survey asks at most %(n)s extra questions.") % {"n": MAX_QUESTIONS}
        raise ApplicationError(message, errors={"questions": [message]})
    cleaned, errors, keys = [], {}, set()
    for index, item in enumerate(value):
        field = f"questions.{index}"
        if not isinstance(item, dict):
            errors[field] = [_("Each question needs a label and a kind.")]
            continue
        label = str(item.get("label") or "").strip()
        kind = item.get("kind")
        if not label or len(label) > 300:
            errors[f"{field}.label"] = [_("Write the question (at most 300 characters).")]
        if kind not in QuestionKind.values:
            errors[f"{field}.kind"] = [_("Choose rating, single choice or text.")]
        choices = item.get("choices") or []
        if kind == QuestionKind.CHOICE:
            if (
                not isinstance(choices, list)
                or not 2 <= len(choices) <= MAX_CHOICES
                or not all(isinstance(c, str) and c.strip() and len(c) <= 100 for c in choices)
                or len({c.strip() for c in choices}) != len(choices)
            ):
                errors[f"{field}.choices"] = [
                    _("Give 2 to %(n)s different choices of at most 100 characters.") % {"n": MAX_CHOICES}
                ]
            choices = [c.strip() for c in choices] if isinstance(choices, list) else []
        else:
            choices = []
        key = str(item.get("key") or f"q{index + 1}")[:40]
        if key in keys:
            key = f"q{index + 1}"
        keys.add(key)
        cleaned.append(
            {"key": key, "kind": kind, "label": label, "choices": choices, "required": bool(item.get("required"))}
        )
    if errors:
        raise ApplicationError(_("Check the questions."), errors=errors)
    return cleaned


def clean_logo(upload) -> str:
    """The image type of an uploaded logo (PNG, JPEG, GIF or WebP of at most 1 MB, by its content), or an error."""
    message = _("The logo must be a PNG, JPEG, GIF or WebP image of at most 1 MB.")
    if upload.size > MAX_LOGO_BYTES:
        raise ApplicationError(message, errors={"logo": [message]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in LOGO_SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    raise ApplicationError(message, errors={"logo": [message]})


def _save(access, template: SurveyTemplate, fields: dict, logo=None) -> SurveyTemplate:
    if logo is not None:
        kind = clean_logo(logo)
        logo.name = f"logo.{kind}"
        template.logo = logo
    if "questions" in fields:
        fields = {**fields, "questions": clean_questions(fields["questions"])}
    set_fields(template, fields, TEMPLATE_FIELDS)
    if SurveyTemplate.objects.filter(tenant_id=template.tenant_id, name=template.name).exclude(pk=template.pk).exists():
        raise ApplicationError(
            _("A survey template of this name exists."), errors={"name": [_("A survey template of this name exists.")]}
        )
    full_clean(template, exclude=["logo"])
    template.save()
    return template


@transaction.atomic
def survey_template_create(*, access, logo=None, **fields) -> SurveyTemplate:
    """A new template; texts left out take the default wording of its language. `logo` is an uploaded image."""
    require(access, "feedback.add_surveytemplate")
    defaults = default_texts(fields.get("language") or SurveyLanguage.ZH_HANS)
    template = SurveyTemplate(tenant_id=access.tenant_id)
    template = _save(access, template, {**{k: v for k, v in defaults.items() if k != "name"}, **fields}, logo)
    audit_record(obj=template, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(template))
    return template


@transaction.atomic
def survey_template_update(*, access, template: SurveyTemplate, logo=None, **fields) -> SurveyTemplate:
    """Change a template's texts, questions, colour or logo (`logo` an uploaded image replacing the old one)."""
    require(access, "feedback.change_surveytemplate")
    check_tenant(access, template)
    before = snapshot(template)
    template = _save(access, template, fields, logo)
    audit_record(
        obj=template, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(template)
    )
    return template


@transaction.atomic
def survey_template_make_default(*, access, template: SurveyTemplate) -> SurveyTemplate:
    """Make the template the one sent in its language when nobody names another."""
    require(access, "feedback.change_surveytemplate")
    check_tenant(access, template)
    SurveyTemplate.objects.filter(tenant_id=template.tenant_id, language=template.language).exclude(
        pk=template.pk
    ).update(is_default=False)
    before = snapshot(template)
    template.is_default = True
    template.save(update_fields=["is_default", "updated_at"])
    audit_record(
        obj=template, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(template)
    )
    return template


@transaction.atomic
def survey_template_delete(*, access, template: SurveyTemplate) -> None:
    """Move a template to the recycle bin; surveys already sent keep it."""
    from django.utils import timezone

    require(access, "feedback.delete_surveytemplate")
    check_tenant(access, template)
    before = snapshot(template)
    template.deleted_at = timezone.now()
    template.deleted_by = actor_of(access)
    template.is_default = False
    template.save(update_fields=["deleted_at", "deleted_by", "is_default", "updated_at"])
    audit_record(obj=template, action=AuditAction.DELETE, actor=actor_of(access), before=before)
