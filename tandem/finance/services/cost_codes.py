"""Writing the tenant's cost code tree (成本科目): codes with a parent, and the import from a spreadsheet's rows."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.errors import NON_FIELD, ApplicationError
from tandem.core.services import actor_of, check_tenant, full_clean, require, set_fields
from tandem.finance.models import CostCode, TemplateBudgetLine
from tandem.finance.services.common import refuse

CODE_FIELDS = ("parent", "code", "name", "sort_order", "is_active")


def _check(access, code: CostCode) -> None:
    code.code = (code.code or "").strip()
    code.name = (code.name or "").strip()
    full_clean(code, exclude=["tenant", "parent"], validate_unique=False, validate_constraints=False)
    if CostCode.objects.filter(tenant_id=access.tenant_id, code=code.code).exclude(pk=code.pk).exists():
        refuse("code", _("The cost code “%(code)s” exists already.") % {"code": code.code}, code="duplicate")
    if code.parent_id is not None:
        check_tenant(access, code.parent)
        node, seen = code.parent, set()
        while node is not None:
            if node.pk == code.pk or node.pk in seen:
                refuse("parent", _("A cost code cannot be under itself."))
            seen.add(node.pk)
            node = node.parent


@transaction.atomic
def cost_code_create(*, access, **fields) -> CostCode:
    require(access, "finance.add_costcode")
    code = CostCode(tenant_id=access.tenant_id)
    set_fields(code, fields, CODE_FIELDS)
    _check(access, code)
    code.save()
    audit_record(obj=code, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(code))
    return code


@transaction.atomic
def cost_code_update(*, access, code: CostCode, **fields) -> CostCode:
    require(access, "finance.change_costcode")
    check_tenant(access, code)
    code = CostCode.objects.select_for_update().get(pk=code.pk)
    before = snapshot(code)
    set_fields(code, fields, CODE_FIELDS)
    _check(access, code)
    code.save()
    audit_record(obj=code, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(code))
    return code


@transaction.atomic
def cost_code_delete(*, access, code: CostCode) -> None:
    """Delete a code no line, template line or child uses (deactivate it instead)."""
    require(access, "finance.delete_costcode")
    check_tenant(access, code)
    if code.children.exists() or code.lines.exists() or TemplateBudgetLine.objects.filter(cost_code=code).exists():
        refuse(
            NON_FIELD,
            _("This cost code is in use; make it inactive instead of deleting it."),
            code="in_use",
        )
    audit_record(obj=code, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(code))
    code.delete()


def _parent_code(row: dict, code: str) -> str:
    """The parent named in the row, else the code's dotted prefix (02.03 → 02)."""
    parent = str(row.get("parent") or row.get("parent_code") or "").strip()
    if parent:
        return parent
    return code.rsplit(".", 1)[0] if "." in code else ""


@transaction.atomic
def cost_codes_import(*, access, rows: list[dict]) -> dict:
    """Create or update codes from rows {code, name, parent?, sort_order?, is_active?}; parents come before or
    after their children in the rows, or exist already. All or nothing; errors are keyed `rows[i]`."""
    require(access, "finance.add_costcode")
    require(access, "finance.change_costcode")
    existing = {c.code: c for c in CostCode.objects.filter(tenant_id=access.tenant_id)}
    errors: dict = {}
    seen: set[str] = set()
    parsed = []
    for index, row in enumerate(rows):
        code = str(row.get("code") or "").strip()
        name = str(row.get("name") or "").strip()
        if not code or not name:
            errors[f"rows[{index}]"] = {"code" if not code else "name": [_("Required.")]}
            continue
        if code in seen:
            errors[f"rows[{index}]"] = {"code": [_("“%(code)s” is listed twice.") % {"code": code}]}
            continue
        seen.add(code)
        parsed.append((index, code, name, row))
    known = set(existing) | seen
    for index, code, _name, row in parsed:
        parent = _parent_code(row, code)
        if parent and parent not in known:
            errors[f"rows[{index}]"] = {"parent": [_("Unknown parent code “%(code)s”.") % {"code": parent}]}
    if errors:
        raise ApplicationError(_("Please correct the rows below."), errors=errors)
    created = updated = 0
    # Shorter codes first so parents exist when their children are saved.
    for _index, code, name, row in sorted(parsed, key=lambda item: (item[1].count("."), len(item[1]), item[1])):
        obj = existing.get(code)
        if obj is None:
            obj = CostCode(tenant_id=access.tenant_id, code=code)
            created += 1
        else:
            updated += 1
        obj.name = name[:200]
        if row.get("sort_order") not in (None, ""):
            obj.sort_order = int(row["sort_order"])
        if row.get("is_active") is not None:
            obj.is_active = bool(row["is_active"])
        parent = _parent_code(row, code)
        obj.parent = existing.get(parent) if parent else None
        full_clean(obj, exclude=["tenant", "parent"], validate_unique=False, validate_constraints=False)
        obj.save()
        existing[code] = obj
    if parsed:
        audit_record(
            obj=existing[parsed[0][1]],
            action=AuditAction.UPDATE,
            actor=actor_of(access),
            before={"imported": 0},
            after={"imported": len(parsed), "created": created, "updated": updated},
        )
    return {"created": created, "updated": updated}
