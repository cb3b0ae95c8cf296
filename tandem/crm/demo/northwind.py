"""Demo customers of the English-speaking tenant (Northwind Engineering, an M&E fit-out contractor in the
Yangtze delta serving foreign-invested plants, labs and offices): eight invented accounts, their contacts,
ten deals across the pipeline with follow-ups, five leads, and two signed contracts with payment plans and
receipts. Written through the services, so numbers, audit rows and timelines are what users would make;
the loader does nothing once the tenant has accounts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tandem.core import demo

ACCOUNTS = [
    # name, tier, industry, city, address, contacts [(name, title, mobile, email)]
    (
        "Lakeside Precision Components (Suzhou) Co., Ltd.",
        "a",
        "manufacturing",
        "Suzhou",
        "No. 88 Xinghu Street, Suzhou Industrial Park",
        [
            ("Thomas Becker", "Plant Director", "13962110231", "t.becker@lakeside-precision.example"),
            ("Lily Chen", "Facilities Manager", "13962110232", "lily.chen@lakeside-precision.example"),
        ],
    ),
    (
        "Harbor Biotech (Shanghai) Co., Ltd.",
        "vip",
        "manufacturing",
        "Shanghai",
        "No. 1200 Zhangjiang Road, Pudong New Area",
        [
            ("Sarah Miller", "Head of Engineering", "13817720341", "s.miller@harborbio.example"),
            ("Kevin Zhou", "EHS Manager", "13817720342", "kevin.zhou@harborbio.example"),
        ],
    ),
    (
        "Greenfield Logistics Park (Kunshan) Co., Ltd.",
        "b",
        "transport",
        "Kunshan",
        "No. 6 Huanqing Road, Kunshan Development Zone",
        [("Michael Wang", "General Manager", "13776230451", "m.wang@greenfield-logistics.example")],
    ),
    (
        "Crestline Electronics (Wuxi) Co., Ltd.",
        "a",
        "manufacturing",
        "Wuxi",
        "No. 35 Xinmei Road, Wuxi New District",
        [
            ("Daniel Park", "Operations Director", "13915340561", "d.park@crestline.example"),
            ("Amy Xu", "Procurement Lead", "13915340562", "amy.xu@crestline.example"),
        ],
    ),
    (
        "Summit International School Shanghai",
        "b",
        "education",
        "Shanghai",
        "No. 555 Jinfeng Road, Minhang District",
        [("Rachel Green", "Business Manager", "13601840671", "r.green@summit-school.example")],
    ),
    (
        "Bluewater Data Centers (Nantong) Co., Ltd.",
        "vip",
        "data_center",
        "Nantong",
        "No. 9 Xinghu Avenue, Nantong Development Zone",
        [
            ("Robert Liu", "Data Center Manager", "13862950781", "robert.liu@bluewater-dc.example"),
            ("Helen Sun", "Project Controls", "13862950782", "helen.sun@bluewater-dc.example"),
        ],
    ),
    (
        "Maple Medical Devices (Hangzhou) Co., Ltd.",
        "c",
        "manufacturing",
        "Hangzhou",
        "No. 18 Binwen Road, Binjiang District",
        [("Jennifer Hu", "Quality Director", "13757160891", "j.hu@maplemed.example")],
    ),
    (
        "Orion Hotels Shanghai Hongqiao",
        "b",
        "hospitality",
        "Shanghai",
        "No. 2550 Hongqiao Road, Changning District",
        [("Mark Thompson", "Director of Engineering", "13501770911", "m.thompson@orionhotels.example")],
    ),
]

DEALS = [
    # account index, name, amount, deal type, stage position (1–4 open, "won", "lost"), days to close
    (0, "Clean-room HVAC retrofit, Line 3", "2860000", "retrofit", "won", -40),
    (1, "GMP lab fit-out, Building B (MEP)", "4120000", "installation", "won", -12),
    (5, "Data hall 2 power and cooling", "6950000", "installation", 4, 20),
    (3, "SMT workshop compressed air and exhaust", "1380000", "installation", 3, 35),
    (2, "Warehouse sprinkler upgrade", "920000", "retrofit", 2, 50),
    (4, "Campus BMS and lighting controls", "760000", "installation", 2, 60),
    (7, "Guest-floor FCU replacement (floors 8–15)", "1640000", "retrofit", 1, 90),
    (6, "Annual MEP maintenance 2027", "480000", "maintenance", 3, 25),
    (3, "Cooling tower replacement", "1150000", "retrofit", "lost", -20),
    (0, "Office floor fit-out, Admin building", "690000", "installation", 1, 75),
]

ACTIVITIES = [
    "Site survey with the facilities team",
    "Sent the budget quotation and the method statement",
    "Technical clarification call on the drawings",
    "Meeting on the commercial terms",
    "Follow-up on the tender clarifications",
]

LEADS = [
    ("Northstar Foods (Jiaxing) Co., Ltd.", "Peter Gao", "Engineering Manager", "13967350121", "website"),
    ("Vertex Semiconductor (Wuxi) Co., Ltd.", "Susan Lin", "Facility Lead", "13961790122", "exhibition"),
    ("Riverside Office Tower, Suzhou", "Brian Qian", "Property Manager", "13962140123", "referral"),
    ("Aurora Cosmetics (Shanghai) Co., Ltd.", "Nina Zhao", "Plant Manager", "13818260124", "tender"),
    ("Pinecrest Senior Living, Hangzhou", "Oscar Fang", "Project Director", "13757180125", "partner"),
]

PLAN = [
    # name, percent, rule, days after acceptance / milestone
    ("Advance payment", Decimal("30"), "on_date", None),
    ("Progress payment", Decimal("40"), "on_milestone", "Mechanical completion"),
    ("Completion payment", Decimal("27"), "after_acceptance_days", 30),
    ("Retention", Decimal("3"), "after_acceptance_days", 365),
]


@demo.register(21, "crm (English tenant)")
def load() -> None:
    from tandem.accounts.access import MembershipAccess
    from tandem.accounts.models import Membership
    from tandem.crm.models import Account
    from tandem.crm.services.accounts import account_create
    from tandem.crm.services.activities import activity_create
    from tandem.crm.services.contacts import contact_create
    from tandem.crm.services.contracts import contract_create, contract_sign
    from tandem.crm.services.deals import deal_create, deal_mark_won, deal_move_stage
    from tandem.crm.services.leads import lead_create
    from tandem.crm.services.pipelines import pipeline_default
    from tandem.crm.services.receipts import receipt_record

    members = {
        m.user.username: m
        for m in Membership.objects.select_related("tenant", "user").filter(
            tenant__slug="northwind", user__username__in=["owner", "sales"]
        )
    }
    if len(members) < 2 or Account.all_objects.filter(tenant=members["owner"].tenant).exists():
        return
    owner, sales = MembershipAccess(members["owner"]), MembershipAccess(members["sales"])
    today = timezone.localdate()
    accounts, contacts = [], []
    for index, (name, tier, industry, city, address, people) in enumerate(ACCOUNTS):
        by = sales if index % 3 else owner
        account = account_create(
            access=by, name=name, tier=tier, industry=industry, region="east", city=city, address=address
        )
        accounts.append(account)
        contacts.append(
            [
                contact_create(
                    access=by,
                    name=person,
                    title=title,
                    mobile=mobile,
                    email=email,
                    links=[(account, position == 0)],
                )
                for position, (person, title, mobile, email) in enumerate(people)
            ]
        )
    stages = {stage.order: stage for stage in pipeline_default(tenant=owner.membership.tenant).stages.all()}
    won = []
    for index, (account_index, name, amount, deal_type, stage, days) in enumerate(DEALS):
        by = owner if index % 4 == 0 else sales
        account = accounts[account_index]
        deal = deal_create(
            access=by,
            name=name,
            account=account,
            contact=contacts[account_index][-1],
            amount=Decimal(amount),
            deal_type=deal_type,
            expected_close_date=today + timedelta(days=days),
            stage=stages[stage] if isinstance(stage, int) else stages[1],
        )
        for step, subject in enumerate(ACTIVITIES[: 2 + index % 3]):
            activity_create(
                access=by,
                subject=subject,
                kind=("visit", "email", "call", "meeting", "call")[step],
                account=account,
                deal=deal,
                contact=contacts[account_index][0],
                occurred_at=timezone.now() - timedelta(days=30 - step * 6 + index),
            )
        if stage == "won":
            won.append(deal_mark_won(access=by, deal=deal, reason="Best technical offer and schedule"))
        elif stage == "lost":
            lost = next(s for s in stages.values() if s.is_lost)
            deal_move_stage(access=by, deal=deal, stage=lost, reason="Lost on price to a local contractor")
    activity_create(
        access=sales,
        subject="Call back about the data hall budget",
        kind="task",
        account=accounts[5],
        due_at=timezone.now() + timedelta(days=2),
    )
    for company, person, title, phone, source in LEADS:
        lead_create(access=sales, company=company, contact_name=person, title=title, phone=phone, source=source)
    # The older win has its contract signed, with the advance received; the newer one waits for signature.
    for deal, signed_days_ago in zip(won, (38, None), strict=True):
        periods = []
        for name, percent, rule, extra in PLAN:
            period = {"name": name, "percent": percent, "due_rule": rule, "is_retention": name == "Retention"}
            if rule == "on_date":
                period["due_on"] = (today + timedelta(days=10)).isoformat()
            elif rule == "after_acceptance_days":
                period["days_after_acceptance"] = extra
            else:
                period["project_milestone"] = extra
            periods.append(period)
        contract = contract_create(
            access=sales,
            deal=deal,
            periods=periods,
            tax_rate=Decimal("9.00"),
            customer_signatory=deal.contact.name if deal.contact else "",
            start_on=today - timedelta(days=30),
            end_on=today + timedelta(days=200),
        )
        if signed_days_ago is not None:
            contract = contract_sign(access=sales, contract=contract, signed_on=today - timedelta(days=signed_days_ago))
            advance = contract.milestones.order_by("sequence").first()
            receipt_record(
                access=owner,
                milestone=advance,
                amount=advance.amount,
                received_on=today - timedelta(days=20),
                method="bank_transfer",
                bank="HSBC Bank (China)",
                reference=f"NW-{contract.number}",
            )
