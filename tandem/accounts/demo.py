"""Demo tenants and people: a Chinese M&E engineering contractor and an English-speaking tenant."""

from django.utils import timezone

from tandem.accounts.models import Department, Membership, Role, Tenant, User
from tandem.accounts.services.tenants import roles_install_defaults, tenant_create
from tandem.core import demo

DEMO_PASSWORD = "tandem-demo"

PEOPLE = [
    # username, display name, department, manager, roles, title, phone
    ("owner", "张建国", "总经办", None, ["owner"], "总经理", "13801012345"),
    ("admin", "李敏", "总经办", "owner", ["admin"], "系统管理员", "13801012346"),
    ("salesmgr", "王磊", "销售部", "owner", ["sales_manager"], "销售总监", "13901023456"),
    ("sales", "陈晓", "销售一组", "salesmgr", ["sales"], "销售经理", "13901023457"),
    ("sales2", "刘洋", "销售二组", "salesmgr", ["sales"], "销售经理", "13901023458"),
    ("pm", "赵志强", "工程部", "owner", ["pm"], "项目经理", "13601034567"),
    ("pm2", "钱伟", "工程部", "owner", ["pm"], "项目经理", "13601034568"),
    ("finance", "孙丽", "财务部", "owner", ["finance"], "财务主管", "13701045678"),
    ("foreman", "周德明", "工程部", "pm", ["foreman"], "施工队长", "13501056789"),
    ("service", "吴静", "客服部", "owner", ["service"], "客服专员", "13301067890"),
    ("auditor", "郑晓燕", "财务部", "owner", ["auditor"], "内审", "13201078901"),
]
# The English-speaking tenant's own people (owner and sales also work there).
NORTHWIND_PEOPLE = [
    # username, display name, department, roles, title, phone
    ("emily", "Emily Zhang", "Delivery", ["pm"], "Project Manager", "13816620451"),
    ("david", "David Li", "Delivery", ["foreman"], "Site Supervisor", "13816620452"),
    ("grace", "Grace Wu", "Finance", ["finance"], "Finance Manager", "13816620453"),
    ("olivia", "Olivia Chen", "Customer Service", ["service"], "Customer Service Lead", "13816620454"),
]
DEPARTMENTS = [
    ("总经办", None, "owner"),
    ("销售部", "总经办", "salesmgr"),
    ("销售一组", "销售部", "sales"),
    ("销售二组", "销售部", "sales2"),
    ("工程部", "总经办", "pm"),
    ("财务部", "总经办", "finance"),
    ("客服部", "总经办", "service"),
]


def _user(username: str, display_name: str, phone: str = "", email: str = "") -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            display_name=display_name,
            phone=phone,
            email=email or f"{username}@demo.tandem.local",
            password_changed_at=timezone.now(),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _tenant(slug: str, name: str, locale: str) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        tenant = tenant_create(slug=slug, name=name, locale=locale)
    roles_install_defaults(tenant=tenant)
    return tenant


def _member(tenant, user, *, roles, department=None, manager=None, title=""):
    membership, _ = Membership.objects.get_or_create(
        tenant=tenant, user=user, defaults={"department": department, "manager": manager, "title": title}
    )
    if not membership.roles.exists():
        membership.roles.set(Role.objects.filter(tenant=tenant, key__in=roles))
    return membership


@demo.register(10, "tenants and people")
def load() -> None:
    tenant = _tenant("demo", "华筑机电工程有限公司", "zh-hans")
    departments: dict[str, Department] = {}
    for name, parent, _head in DEPARTMENTS:
        departments[name], _ = Department.objects.get_or_create(
            tenant=tenant, name=name, parent=departments.get(parent), defaults={"sort_order": len(departments)}
        )
    users = {}
    for username, display_name, _dept, _mgr, _roles, _title, phone in PEOPLE:
        users[username] = _user(username, display_name, phone)
    for username, _name, dept, manager, roles, title, _phone in PEOPLE:
        _member(
            tenant, users[username], roles=roles, department=departments[dept], manager=users.get(manager), title=title
        )
    for name, _parent, head in DEPARTMENTS:
        if departments[name].head_id is None:
            departments[name].head = users[head]
            departments[name].save(update_fields=["head"])

    northwind = _tenant("northwind", "Northwind Engineering Ltd.", "en")
    sales_dept, _ = Department.objects.get_or_create(tenant=northwind, name="Sales", parent=None)
    _member(northwind, users["owner"], roles=["owner"], department=sales_dept, title="Managing Director")
    _member(
        northwind,
        users["sales"],
        roles=["sales"],
        department=sales_dept,
        manager=users["owner"],
        title="Account Executive",
    )
    for username, display_name, dept, roles, title, phone in NORTHWIND_PEOPLE:
        department, _ = Department.objects.get_or_create(tenant=northwind, name=dept, parent=None)
        user = _user(username, display_name, phone, f"{username}@northwind.tandem.local")
        _member(northwind, user, roles=roles, department=department, manager=users["owner"], title=title)
