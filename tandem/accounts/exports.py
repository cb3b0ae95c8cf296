"""Columns of the user list export; fields under a hidden or masked rule are blanked or masked for the caller."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tandem.core.exports import Column
from tandem.core.masking import mask


def member_columns(access) -> list[Column]:
    def guarded(label, value, kind="default"):
        rule = access.field_rule(label)
        return "" if rule == "hidden" else mask(value, kind) if rule == "masked" else value

    return [
        Column(_("User name"), lambda m: m.user.username),
        Column(_("Name"), lambda m: str(m.user)),
        Column(_("Job title"), lambda m: m.title),
        Column(_("Skills"), lambda m: "、".join(m.skills or [])),
        Column(_("Department"), lambda m: m.department.name if m.department else ""),
        Column(_("Manager"), lambda m: str(m.manager) if m.manager else ""),
        Column(_("Roles"), lambda m: ", ".join(r.name for r in m.roles.all())),
        Column(_("Mobile phone"), lambda m: guarded("accounts.user.phone", m.user.phone, "phone")),
        Column(_("Email"), lambda m: guarded("accounts.user.email", m.user.email)),
        Column(_("Active"), lambda m: _("Yes") if m.is_active else _("No")),
        Column(_("Last sign-in"), lambda m: m.user.last_login),
    ]
