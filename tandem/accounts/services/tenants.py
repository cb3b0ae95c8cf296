"""Creating tenants with their default roles."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal
from django.utils import translation

from tandem.accounts.models import Role, Tenant
from tandem.accounts.roles import DEFAULT_ROLES
from tandem.audit.models import AuditAction
from tandem.audit.services.audit import audit_record, snapshot
from tandem.core.services import actor_of, full_clean, require, set_fields

# Sent inside tenant_create's transaction once the tenant and its roles exist (apps install their defaults).
tenant_created = Signal()


@transaction.atomic
def tenant_create(*, slug: str, name: str, locale: str = "zh-hans", actor=None, **fields) -> Tenant:
    """A new tenant with the default roles installed."""
    tenant = Tenant(slug=slug, name=name, locale=locale, **fields)
    tenant.full_clean()
    tenant.save()
    roles_install_defaults(tenant=tenant)
    audit_record(obj=tenant, action=AuditAction.CREATE, actor=actor, after=snapshot(tenant), tenant_id=tenant.pk)
    tenant_created.send(sender=Tenant, tenant=tenant)
    return tenant


def roles_install_defaults(*, tenant: Tenant) -> list[Role]:
    """Create any missing default role (existing ones, possibly edited, are left alone)."""
    roles = []
    with translation.override(tenant.locale):
        for spec in DEFAULT_ROLES:
            role, _ = Role.objects.get_or_create(
                tenant=tenant,
                key=spec["key"],
                defaults={
                    "name": str(spec["name"]),
                    "description": str(spec["description"]),
                    "permissions": list(spec["permissions"]),
                    "data_scope": spec["data_scope"],
                    "field_rules": dict(spec.get("field_rules", {})),
                    "is_system": True,
                },
            )
            roles.append(role)
    return roles


@transaction.atomic
def tenant_update(*, access, **fields) -> Tenant:
    """Change the organisation's name, language, time zone, currency or password policy."""
    require(access, "accounts.change_tenant")
    tenant = Tenant.objects.select_for_update().get(pk=access.tenant_id)
    before = snapshot(tenant)
    set_fields(tenant, fields, allowed=("name", "locale", "timezone", "currency", "password_profile"))
    full_clean(tenant)
    tenant.save()
    audit_record(
        obj=tenant,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before=before,
        after=snapshot(tenant),
        tenant_id=tenant.pk,
    )
    return tenant
