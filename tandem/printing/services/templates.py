"""Print templates: the shipped defaults per printable type, writing templates (checked in the sandbox), the
default per type, and reset to the shipped text."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import NON_FIELD, ApplicationError, NotFound
from tandem.core.sandbox import validate_template
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.printing import defaults, registry
from tandem.printing.models import PrintTemplate
from tandem.printing.render import MAX_TEMPLATE_CHARS

TEMPLATE_FIELDS = ("name", "language", "body")


def templates_seed(*, tenant_id: int, language: str) -> None:
    """Give every printable type its shipped defaults the first time the tenant needs them (idempotent).

    The first template of a type becomes its default. Seeding is the system's, so it writes no audit row.
    """
    language = defaults.language_of(language)
    have = set(PrintTemplate.objects.filter(tenant_id=tenant_id).values_list("object_type", "shipped_key"))
    typed = {object_type for object_type, _key in have}
    for printable in registry.printable_types():
        for index, key in enumerate(printable.default_templates):
            if (printable.object_type, key) in have:
                continue
            try:
                with transaction.atomic():
                    PrintTemplate.objects.create(
                        tenant_id=tenant_id,
                        object_type=printable.object_type,
                        name=defaults.shipped_name(key, language),
                        language=language,
                        body=defaults.shipped_body(key, language),
                        shipped_key=key,
                        is_default=index == 0 and printable.object_type not in typed,
                    )
            except IntegrityError:
                continue  # a concurrent request seeded it, or an admin's template took the name


def check_body(body) -> None:
    """Refuse a template the sandbox would refuse, with each reason (and its line) on the body field."""
    reasons = validate_template(body, max_chars=MAX_TEMPLATE_CHARS)
    if reasons:
        raise ApplicationError(_("The template has errors."), errors={"body": reasons})


def _printable(object_type: str):
    printable = registry.get(object_type)
    if printable is None:
        raise ApplicationError(_("This type cannot be printed."), errors={"object_type": [_("Unknown type.")]})
    return printable


def _save(template: PrintTemplate, fields: dict) -> PrintTemplate:
    set_fields(template, fields, TEMPLATE_FIELDS)
    template.language = defaults.language_of(template.language)
    check_body(template.body)
    duplicate = PrintTemplate.objects.filter(
        tenant_id=template.tenant_id, object_type=template.object_type, name=template.name
    ).exclude(pk=template.pk)
    if duplicate.exists():
        message = _("A template of this name exists for this type.")
        raise ApplicationError(message, errors={"name": [message]})
    full_clean(template, validate_constraints=False, validate_unique=False)
    template.save()
    return template


@transaction.atomic
def template_create(*, access, object_type: str, **fields) -> PrintTemplate:
    """A new template for a printable type; the type's first template becomes its default."""
    require(access, "printing.add_printtemplate")
    _printable(object_type)
    template = PrintTemplate(tenant_id=access.tenant_id, object_type=object_type)
    template.is_default = not PrintTemplate.objects.filter(tenant_id=access.tenant_id, object_type=object_type).exists()
    template = _save(template, fields)
    audit_record(obj=template, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(template))
    return template


@transaction.atomic
def template_update(*, access, template: PrintTemplate, **fields) -> PrintTemplate:
    """Change a template's name, language or HTML."""
    require(access, "printing.change_printtemplate")
    check_tenant(access, template)
    before = snapshot(template)
    template = _save(template, fields)
    audit_record(
        obj=template, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(template)
    )
    return template


@transaction.atomic
def template_make_default(*, access, template: PrintTemplate) -> PrintTemplate:
    """Make the template the one a print uses when none is named."""
    require(access, "printing.change_printtemplate")
    check_tenant(access, template)
    if template.is_default:
        return template
    PrintTemplate.objects.filter(
        tenant_id=template.tenant_id, object_type=template.object_type, is_default=True
    ).update(is_default=False)
    template.is_default = True
    template.save(update_fields=["is_default", "updated_at"])
    audit_record(
        obj=template,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before={"is_default": False},
        after={"is_default": True},
    )
    return template


@transaction.atomic
def template_reset(*, access, template: PrintTemplate) -> PrintTemplate:
    """Put back the shipped text of the default the template started from."""
    require(access, "printing.change_printtemplate")
    check_tenant(access, template)
    if not template.shipped_key:
        message = _("This template was not shipped with Tandem, so there is nothing to reset it to.")
        raise ApplicationError(message, errors={NON_FIELD: [message]})
    before = snapshot(template)
    template.body = defaults.shipped_body(template.shipped_key, template.language)
    template.save(update_fields=["body", "updated_at"])
    audit_record(
        obj=template, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(template)
    )
    return template


@transaction.atomic
def template_delete(*, access, template: PrintTemplate) -> None:
    """Delete a template; the type's default cannot go while other templates could take its place unnamed."""
    require(access, "printing.delete_printtemplate")
    check_tenant(access, template)
    if template.is_default:
        message = _("Make another template the default before deleting this one.")
        raise ApplicationError(message, errors={NON_FIELD: [message]})
    audit_record(obj=template, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(template))
    template.delete()


def template_for(*, access, object_type: str, template_id=None) -> PrintTemplate:
    """The template a print uses: the one named (of the tenant and type), else the type's default."""
    templates_seed(tenant_id=access.tenant_id, language=access.membership.tenant.locale or "zh-hans")
    qs = PrintTemplate.objects.filter(tenant_id=access.tenant_id, object_type=object_type)
    if template_id not in (None, ""):
        try:
            found = qs.filter(pk=int(template_id)).first()
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise NotFound(_("No such print template."), code="not_found")
        return found
    found = qs.order_by("-is_default", "id").first()
    if found is None:
        raise NotFound(_("No print template for this type."), code="not_found")
    return found
