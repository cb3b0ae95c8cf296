"""Members, roles and departments: audit rows (masked), security events, and the refusals."""

import json

import pytest

from tandem.accounts.choices import PasswordProfile
from tandem.accounts.models import Department, Membership, Role, User
from tandem.accounts.services import members as svc
from tandem.audit.models import AuditAction, AuditEntry, SecurityEvent, SecurityEventKind
from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.testing.kit import access_for, make_member, make_tenant

RAW_PHONE = "13812345678"
OTHER_PHONE = "13998765432"


@pytest.fixture
def admin(admin_member):
    return access_for(admin_member)


def _role(tenant, key):
    return Role.objects.get(tenant=tenant, key=key)


def _all_audit_text() -> str:
    return json.dumps(list(AuditEntry.objects.values()), default=str)


# --- masking -----------------------------------------------------------------------------------


def test_a_phone_change_is_audited_masked_never_raw(tenant, admin):
    member = make_member(tenant, "sales", phone=RAW_PHONE)

    svc.member_update(access=admin, membership=member, phone=OTHER_PHONE)

    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(member.user_id))
    assert entry.action == AuditAction.UPDATE
    assert entry.before == {"phone": "138****5678"}
    assert entry.after == {"phone": "139****5432"}
    assert entry.tenant_id == tenant.pk
    assert entry.actor_id == admin.user_id
    text = _all_audit_text()
    assert RAW_PHONE not in text and OTHER_PHONE not in text
    member.user.refresh_from_db()
    assert member.user.phone == OTHER_PHONE


def test_a_new_users_phone_and_password_are_masked_in_the_create_row(tenant, admin):
    membership = svc.member_create(access=admin, username="liuyang", password="Init-pass-2026", phone=RAW_PHONE)

    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(membership.user_id))
    assert entry.action == AuditAction.CREATE
    assert entry.after["phone"] == "138****5678"
    assert entry.after["password"] == "******"
    assert RAW_PHONE not in _all_audit_text()
    assert "Init-pass-2026" not in _all_audit_text()


def test_an_update_that_changes_nothing_writes_no_row(tenant, admin):
    member = make_member(tenant, "sales", phone=RAW_PHONE)
    svc.member_update(access=admin, membership=member, phone=RAW_PHONE, title="")
    assert not AuditEntry.objects.filter(object_type__in=["accounts.user", "accounts.membership"]).exists()


# --- role changes ------------------------------------------------------------------------------


def test_changing_a_members_roles_records_an_event_and_an_audit_row(tenant, admin):
    member = make_member(tenant, "sales", username="gaojing")

    svc.member_update(access=admin, membership=member, roles=[_role(tenant, "sales_manager")])

    event = SecurityEvent.objects.get(kind=SecurityEventKind.MEMBER_ROLES_CHANGED)
    assert event.tenant_id == tenant.pk
    assert event.user_id == admin.user_id
    assert event.detail == {"member": "gaojing", "roles": ["sales_manager"]}
    entry = AuditEntry.objects.get(object_type="accounts.membership", object_id=str(member.pk))
    assert entry.before == {"roles": [_role(tenant, "sales").pk]}
    assert entry.after == {"roles": [_role(tenant, "sales_manager").pk]}


def test_setting_the_same_roles_records_no_event(tenant, admin):
    member = make_member(tenant, "sales")
    svc.member_update(access=admin, membership=member, roles=[_role(tenant, "sales")])
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.MEMBER_ROLES_CHANGED).exists()


def test_adding_a_member_with_roles_records_an_event(tenant, admin):
    svc.member_create(access=admin, username="newbie", password="Init-pass-2026", roles=[_role(tenant, "pm")])
    event = SecurityEvent.objects.get(kind=SecurityEventKind.MEMBER_ROLES_CHANGED)
    assert event.detail == {"member": "newbie", "roles": ["pm"]}


def test_role_update_records_the_permission_change(tenant, admin):
    role = _role(tenant, "auditor")
    old_name = role.name

    svc.role_update(access=admin, role=role, permissions_list=["audit.view_auditentry"], name="审计")

    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_CHANGED)
    assert event.detail == {"role": "auditor", "change": "updated"}
    entry = AuditEntry.objects.get(object_type="accounts.role", object_id=str(role.pk))
    assert entry.before == {"permissions": ["audit.view_auditentry", "audit.export_auditentry"], "name": old_name}
    assert entry.after == {"permissions": ["audit.view_auditentry"], "name": "审计"}


def test_role_create_and_delete_record_events(tenant, admin):
    role = svc.role_create(access=admin, key="viewer", name="Viewer", permissions_list=["accounts.view_*"])
    svc.role_delete(access=admin, role=role)

    changes = SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_CHANGED).order_by("id")
    assert [e.detail for e in changes] == [
        {"role": "viewer", "change": "created"},
        {"role": "viewer", "change": "deleted"},
    ]
    actions = AuditEntry.objects.filter(object_type="accounts.role").order_by("id").values_list("action", flat=True)
    assert list(actions) == [AuditAction.CREATE, AuditAction.DELETE]
    assert not Role.objects.filter(tenant=tenant, key="viewer").exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"permissions_list": ["accounts.fly_user"]}, "permissions"),
        ({"data_scope": "galaxy"}, "data_scope"),
        ({"field_rules": {"accounts.user.phone": "blurred"}}, "field_rules"),
    ],
)
def test_role_create_refuses_bad_fields_and_writes_nothing(tenant, admin, fields, error_field):
    roles_before = Role.objects.count()
    with pytest.raises(ApplicationError) as info:
        svc.role_create(access=admin, key="bad", name="Bad", **fields)
    assert error_field in info.value.errors
    assert Role.objects.count() == roles_before
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_CHANGED).exists()


def test_built_in_and_assigned_roles_cannot_be_deleted(tenant, admin):
    with pytest.raises(ApplicationError):
        svc.role_delete(access=admin, role=_role(tenant, "pm"))
    custom = svc.role_create(access=admin, key="custom", name="Custom")
    member = make_member(tenant)
    member.roles.add(custom)
    with pytest.raises(ApplicationError):
        svc.role_delete(access=admin, role=custom)
    assert Role.objects.filter(pk=custom.pk).exists()


def test_a_role_of_another_tenant_is_refused(admin, other_tenant):
    with pytest.raises(ApplicationError):
        svc.role_update(access=admin, role=_role(other_tenant, "sales"), name="Hijacked")
    assert _role(other_tenant, "sales").name != "Hijacked"


# --- refusals that protect the organisation ----------------------------------------------------


def test_an_admin_cannot_remove_their_own_right_to_manage_users(tenant, admin_member, admin):
    with pytest.raises(ApplicationError) as info:
        svc.member_update(access=admin, membership=admin_member, roles=[_role(tenant, "sales")])
    assert "roles" in info.value.errors
    assert list(admin_member.roles.values_list("key", flat=True)) == ["admin"]


def test_an_admin_may_swap_to_another_role_that_still_manages_users(tenant, admin_member, admin):
    svc.member_update(access=admin, membership=admin_member, roles=[_role(tenant, "owner")])
    assert list(admin_member.roles.values_list("key", flat=True)) == ["owner"]


def test_an_admin_cannot_strip_user_management_from_their_own_role(tenant, admin):
    role = _role(tenant, "admin")
    with pytest.raises(ApplicationError):
        svc.role_update(access=admin, role=role, permissions_list=["accounts.view_user"])
    role.refresh_from_db()
    assert role.permissions == ["*"]


def test_an_admin_cannot_deactivate_themselves(admin_member, admin):
    with pytest.raises(ApplicationError):
        svc.member_update(access=admin, membership=admin_member, is_active=False)
    admin_member.refresh_from_db()
    assert admin_member.is_active


def test_manager_loops_are_refused(tenant, admin):
    boss = make_member(tenant, "sales_manager")
    lead = make_member(tenant, "sales", manager=boss.user)
    rep = make_member(tenant, "sales", manager=lead.user)

    with pytest.raises(ApplicationError) as info:
        svc.member_update(access=admin, membership=boss, manager=rep.user)
    assert "manager" in info.value.errors
    with pytest.raises(ApplicationError):
        svc.member_update(access=admin, membership=boss, manager=boss.user)
    boss.refresh_from_db()
    assert boss.manager_id is None
    svc.member_update(access=admin, membership=rep, manager=boss.user)  # not a loop
    rep.refresh_from_db()
    assert rep.manager_id == boss.user_id


def test_a_manager_from_another_tenant_is_refused(tenant, other_tenant, admin):
    outsider = make_member(other_tenant, "admin")
    member = make_member(tenant, "sales")
    with pytest.raises(ApplicationError):
        svc.member_update(access=admin, membership=member, manager=outsider.user)


def test_member_create_refuses_bad_input_and_writes_nothing(tenant, admin):
    users, memberships = User.objects.count(), Membership.objects.count()
    with pytest.raises(ApplicationError) as info:
        svc.member_create(access=admin, username="nopass")
    assert "password" in info.value.errors
    with pytest.raises(ApplicationError) as info:
        svc.member_create(access=admin, username="weak", password="abc")
    assert info.value.errors["password"] == [
        "The password must have at least 8 characters.",
        "The password must mix at least 3 of: lowercase, uppercase, digits, symbols.",
    ]
    with pytest.raises(ApplicationError) as info:
        svc.member_create(access=admin, username="bademail", password="Init-pass-2026", email="not-an-email")
    assert "email" in info.value.errors
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not AuditEntry.objects.filter(object_type__in=["accounts.user", "accounts.membership"]).exists()


def test_a_new_users_password_follows_the_tenants_profile(db):
    asvs_admin = access_for(make_member(make_tenant(password_profile=PasswordProfile.ASVS), "admin"))
    mlps_admin = access_for(make_member(make_tenant(password_profile=PasswordProfile.CN_MLPS3), "admin"))

    membership = svc.member_create(access=asvs_admin, username="passphrase", password="river stones in autumn")
    assert membership.user.check_password("river stones in autumn")
    with pytest.raises(ApplicationError) as info:
        svc.member_create(access=asvs_admin, username="short", password="Ab1!cd2@")
    assert info.value.errors == {"password": ["The password must have at least 12 characters."]}
    with pytest.raises(ApplicationError) as info:
        svc.member_create(access=mlps_admin, username="plain", password="river stones in autumn")
    assert "password" in info.value.errors
    assert not User.objects.filter(username__in=["short", "plain"]).exists()


def test_member_management_needs_the_permission(tenant):
    sales = access_for(make_member(tenant, "sales"))
    target = make_member(tenant, "sales")
    with pytest.raises(PermissionDenied):
        svc.member_update(access=sales, membership=target, title="Boss")
    with pytest.raises(PermissionDenied):
        svc.role_create(access=sales, key="x", name="X")


# --- departments -------------------------------------------------------------------------------


def test_a_department_cannot_move_under_its_own_subtree(tenant, admin):
    top = svc.department_create(access=admin, name="销售中心")
    child = svc.department_create(access=admin, name="华东区", parent=top)
    grandchild = svc.department_create(access=admin, name="上海组", parent=child)

    for parent in (top, grandchild):
        with pytest.raises(ApplicationError) as info:
            svc.department_update(access=admin, department=top, parent=parent)
        assert "parent" in info.value.errors
    top.refresh_from_db()
    assert top.parent_id is None


def test_department_writes_are_audited(tenant, admin):
    department = svc.department_create(access=admin, name="工程部")
    svc.department_update(access=admin, department=department, name="工程一部")
    svc.department_delete(access=admin, department=department)

    rows = AuditEntry.objects.filter(object_type="accounts.department").order_by("id")
    assert [(r.action, r.before, r.after and r.after.get("name")) for r in rows] == [
        (AuditAction.CREATE, None, "工程部"),
        (AuditAction.UPDATE, {"name": "工程部"}, "工程一部"),
        (AuditAction.DELETE, rows[2].before, None),
    ]
    assert rows[2].before["name"] == "工程一部"
    assert not Department.objects.filter(pk=department.pk).exists()


def test_top_level_departments_need_distinct_names(tenant):
    from tandem.accounts.services.members import department_create
    from tandem.core.errors import ApplicationError
    from tandem.testing.kit import access_for, make_member

    access = access_for(make_member(tenant, "admin"))
    department_create(access=access, name="工程部")
    with pytest.raises(ApplicationError):
        department_create(access=access, name="工程部")
