"""Members (users within a tenant), departments and roles."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import passwords
from tandem.accounts.models import Department, Membership, PasswordHistory, Role, User
from tandem.audit.models import AuditAction, SecurityEventKind
from tandem.audit.services.audit import audit_record, security_event, snapshot
from tandem.core import permissions
from tandem.core.errors import ApplicationError
from tandem.core.scopes import DataScope
from tandem.core.services import actor_of, full_clean, require


def _check_same_tenant(tenant_id: int, **objects) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.tenant_id != tenant_id:
            raise ApplicationError(_("Unknown %(name)s.") % {"name": name}, errors={name: [_("Not found.")]})


def _check_roles(tenant_id: int, roles) -> list[Role]:
    roles = list(roles or [])
    for role in roles:
        _check_same_tenant(tenant_id, role=role)
    return roles


def _check_manager(tenant_id: int, manager: User | None, user: User | None = None) -> None:
    if manager is None:
        return
    if user is not None and manager.pk == user.pk:
        raise ApplicationError(
            _("A user cannot be their own manager."), errors={"manager": [_("Choose someone else.")]}
        )
    if not Membership.objects.filter(tenant_id=tenant_id, user=manager).exists():
        raise ApplicationError(_("The manager must be a member."), errors={"manager": [_("Not found.")]})
    # Walk up from the manager: meeting the user again would make a reporting cycle.
    chain = dict(Membership.objects.filter(tenant_id=tenant_id).values_list("user_id", "manager_id"))
    seen, current = set(), manager.pk
    while current and current not in seen:
        if user is not None and current == user.pk:
            raise ApplicationError(
                _("This manager reports to the user already; that would make a loop."),
                errors={"manager": [_("Reporting loop.")]},
            )
        seen.add(current)
        current = chain.get(current)


def set_password(user: User, password: str, *, validate: bool = True) -> None:
    """Set a password under the policy, keeping the previous hash for the reuse rule."""
    if validate:
        validate_password(password, user)
    if user.pk and user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(password)
    user.password_changed_at = timezone.now()


@transaction.atomic
def member_create(
    *,
    access,
    username: str,
    password: str | None = None,
    email: str = "",
    display_name: str = "",
    phone: str = "",
    department: Department | None = None,
    manager: User | None = None,
    roles=(),
    title: str = "",
    skills: list[str] | None = None,
) -> Membership:
    """Add a person to the tenant: a new user, or an existing user joining this tenant too."""
    require(access, "accounts.add_user")
    tenant_id = access.tenant_id
    _check_same_tenant(tenant_id, department=department)
    roles = _check_roles(tenant_id, roles)
    user = User.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise ApplicationError(_("A new user needs a password."), errors={"password": [_("Required.")]})
        user = User(username=username, email=email, display_name=display_name, phone=phone)
        full_clean(user, exclude=["password"])
        # A new user has no membership yet, so Django's validator would apply the platform default
        # (cn-mlps3) even in an asvs tenant; this tenant's profile is the one that applies.
        profile = passwords.PROFILES[access.membership.tenant.password_profile]
        try:
            passwords.validate(password, profile=profile, user=user)
            set_password(user, password, validate=False)
        except ValidationError as exc:
            raise ApplicationError(_("Please correct the errors below."), errors={"password": exc.messages}) from exc
        user.save()
        audit_record(
            obj=user, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(user), tenant_id=tenant_id
        )
    elif Membership.objects.filter(tenant_id=tenant_id, user=user).exists():
        raise ApplicationError(_("This user is already a member."), errors={"username": [_("Already a member.")]})
    _check_manager(tenant_id, manager, user)
    membership = Membership.objects.create(
        tenant_id=tenant_id, user=user, department=department, manager=manager, title=title, skills=skills or []
    )
    membership.roles.set(roles)
    audit_record(obj=membership, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(membership))
    if roles:
        security_event(
            kind=SecurityEventKind.MEMBER_ROLES_CHANGED,
            tenant_id=tenant_id,
            user=actor_of(access),
            member=user.username,
            roles=[r.key for r in roles],
        )
    return membership


@transaction.atomic
def member_update(*, access, membership: Membership, **fields) -> Membership:
    """Change a member's department, manager, roles, title, skills, profile or active flag."""
    require(access, "accounts.change_user")
    tenant_id = access.tenant_id
    _check_same_tenant(tenant_id, membership=membership, department=fields.get("department"))
    before = snapshot(membership)
    user = membership.user
    user_before = snapshot(user)
    if "manager" in fields:
        _check_manager(tenant_id, fields["manager"], user)
    roles = fields.pop("roles", None)
    if roles is not None:
        roles = _check_roles(tenant_id, roles)
        if membership.user_id == access.user_id and not _keeps_admin(access, roles):
            # The message goes on the field too: form_errors_from() drops empty messages, leaving the page silent.
            message = _("You cannot remove your own right to manage users.")
            raise ApplicationError(message, errors={"roles": [message]})
    for name in ("department", "manager", "title", "is_active", "skills"):
        if name in fields:
            setattr(membership, name, fields[name])
    if fields.get("is_active") is False and membership.user_id == access.user_id:
        raise ApplicationError(_("You cannot deactivate yourself."))
    membership.save()
    for name in ("email", "display_name", "phone"):
        if name in fields:
            setattr(user, name, fields[name])
    full_clean(user, exclude=["password", "username"])
    user.save()
    audit_record(
        obj=user,
        action=AuditAction.UPDATE,
        actor=actor_of(access),
        before=user_before,
        after=snapshot(user),
        tenant_id=tenant_id,
    )
    if roles is not None:
        old = set(membership.roles.values_list("pk", flat=True))
        membership.roles.set(roles)
        if old != {r.pk for r in roles}:
            security_event(
                kind=SecurityEventKind.MEMBER_ROLES_CHANGED,
                tenant_id=tenant_id,
                user=actor_of(access),
                member=user.username,
                roles=[r.key for r in roles],
            )
    audit_record(
        obj=membership, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(membership)
    )
    return membership


def _keeps_admin(access, roles) -> bool:
    from fnmatch import fnmatchcase

    return any(any(fnmatchcase("accounts.change_user", p) for p in r.permissions) for r in roles)


@transaction.atomic
def member_set_password(*, access, membership: Membership, password: str) -> None:
    """An administrator resets a member's password."""
    require(access, "accounts.change_user")
    _check_same_tenant(access.tenant_id, membership=membership)
    user = membership.user
    try:
        set_password(user, password)
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the errors below."), errors={"password": exc.messages}) from exc
    user.save()
    security_event(
        kind=SecurityEventKind.PASSWORD_CHANGED,
        tenant_id=access.tenant_id,
        user=actor_of(access),
        member=user.username,
        by_admin=True,
    )


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, tenant_id: int | None = None) -> None:
    """A user changes their own password."""
    if not user.check_password(old_password):
        raise ApplicationError(_("The current password is wrong."), errors={"old_password": [_("Wrong password.")]})
    try:
        set_password(user, new_password)
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the errors below."), errors={"new_password": exc.messages}) from exc
    user.save()
    security_event(kind=SecurityEventKind.PASSWORD_CHANGED, tenant_id=tenant_id, user=user)


def _validate_role_fields(*, permissions_list, data_scope, field_rules) -> None:
    errors = {}
    known = permissions.all_codes()
    bad = [p for p in permissions_list if not isinstance(p, str) or ("*" not in p and p not in known)]
    if bad:
        errors["permissions"] = [_("Unknown permission: %(codes)s") % {"codes": ", ".join(map(str, bad))}]
    if data_scope not in DataScope.values:
        errors["data_scope"] = [_("Unknown data scope.")]
    if not isinstance(field_rules, dict) or any(v not in ("hidden", "masked") for v in field_rules.values()):
        errors["field_rules"] = [_("Each field rule must be 'hidden' or 'masked'.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), errors=errors)


def _role_changed(access, role: Role, change: str) -> None:
    security_event(
        kind=SecurityEventKind.ROLE_CHANGED,
        tenant_id=access.tenant_id,
        user=actor_of(access),
        role=role.key,
        change=change,
    )


@transaction.atomic
def role_create(
    *,
    access,
    key: str,
    name: str,
    permissions_list=(),
    data_scope: str = DataScope.OWN,
    field_rules=None,
    description: str = "",
) -> Role:
    require(access, "accounts.add_role")
    field_rules = field_rules or {}
    _validate_role_fields(permissions_list=list(permissions_list), data_scope=data_scope, field_rules=field_rules)
    if Role.objects.filter(tenant_id=access.tenant_id, key=key).exists():
        raise ApplicationError(_("A role with this key exists."), errors={"key": [_("Already used.")]})
    role = Role(
        tenant_id=access.tenant_id,
        key=key,
        name=name,
        description=description,
        permissions=sorted(set(permissions_list)),
        data_scope=data_scope,
        field_rules=field_rules,
    )
    full_clean(role)
    role.save()
    audit_record(obj=role, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(role))
    _role_changed(access, role, "created")
    return role


@transaction.atomic
def role_update(*, access, role: Role, **fields) -> Role:
    require(access, "accounts.change_role")
    _check_same_tenant(access.tenant_id, role=role)
    before = snapshot(role)
    if "permissions_list" in fields:
        fields["permissions"] = sorted(set(fields.pop("permissions_list")))
    _validate_role_fields(
        permissions_list=fields.get("permissions", role.permissions),
        data_scope=fields.get("data_scope", role.data_scope),
        field_rules=fields.get("field_rules", role.field_rules),
    )
    for name in ("name", "description", "permissions", "data_scope", "field_rules"):
        if name in fields:
            setattr(role, name, fields[name])
    if role.memberships.filter(user_id=access.user_id).exists():
        others = [r for r in access.roles if r.pk != role.pk]
        if not _keeps_admin(access, [*others, role]):
            raise ApplicationError(_("You cannot remove your own right to manage users."))
    role.save()
    audit_record(obj=role, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(role))
    _role_changed(access, role, "updated")
    return role


@transaction.atomic
def role_delete(*, access, role: Role) -> None:
    require(access, "accounts.delete_role")
    _check_same_tenant(access.tenant_id, role=role)
    if role.is_system:
        raise ApplicationError(_("Built-in roles cannot be deleted; edit them instead."))
    if role.memberships.exists():
        raise ApplicationError(_("This role is still assigned to members."))
    audit_record(obj=role, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(role))
    _role_changed(access, role, "deleted")
    role.delete()


@transaction.atomic
def department_create(*, access, name: str, parent: Department | None = None, head: User | None = None) -> Department:
    require(access, "accounts.add_department")
    _check_same_tenant(access.tenant_id, parent=parent)
    department = Department(tenant_id=access.tenant_id, name=name, parent=parent, head=head)
    full_clean(department)
    department.save()
    audit_record(obj=department, action=AuditAction.CREATE, actor=actor_of(access), after=snapshot(department))
    return department


@transaction.atomic
def department_update(*, access, department: Department, **fields) -> Department:
    require(access, "accounts.change_department")
    _check_same_tenant(access.tenant_id, department=department, parent=fields.get("parent"))
    before = snapshot(department)
    parent = fields.get("parent", department.parent)
    node = parent
    while node is not None:
        if node.pk == department.pk:
            raise ApplicationError(_("A department cannot sit under itself."), errors={"parent": [_("Loop.")]})
        node = node.parent
    for name in ("name", "parent", "head", "sort_order"):
        if name in fields:
            setattr(department, name, fields[name])
    full_clean(department)  # a sibling's name would otherwise hit the unique constraint: a 500
    department.save()
    audit_record(
        obj=department, action=AuditAction.UPDATE, actor=actor_of(access), before=before, after=snapshot(department)
    )
    return department


@transaction.atomic
def department_delete(*, access, department: Department) -> None:
    require(access, "accounts.delete_department")
    _check_same_tenant(access.tenant_id, department=department)
    if department.children.exists() or department.members.exists():
        raise ApplicationError(_("Move its members and sub-departments first."))
    audit_record(obj=department, action=AuditAction.DELETE, actor=actor_of(access), before=snapshot(department))
    department.delete()
