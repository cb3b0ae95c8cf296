"""Message templates of the default rules, in zh-hans and en.

They are ordinary tenant-editable templates in the sandbox syntax of `messages.py`. The notify
action renders them against a payload shaped like `EXAMPLE_PAYLOADS[key]`: the triggering
record under its own name plus the `recipient` being addressed; amounts are decimal strings
and dates ISO strings, as in the event outbox. The won-deal notice quotes the contract's amount
when the deal has a contract (the handoff step adds it as `contract`), else the deal's, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass

WON_DEAL_PROJECT_CREATED = "won_deal_project_created"
LEAD_WITHOUT_FIRST_RESPONSE = "lead_without_first_response"
TASK_OVERDUE = "task_overdue"
DETRACTOR_ANSWER = "detractor_answer"
PROMOTER_ANSWER = "promoter_answer"


@dataclass(frozen=True)
class MessageTemplate:
    """One subject/body pair; the body is plain text (Markdown-friendly for IM robots)."""

    subject: str
    body: str


DEFAULT_MESSAGES: dict[str, dict[str, MessageTemplate]] = {
    WON_DEAL_PROJECT_CREATED: {
        "zh-hans": MessageTemplate(
            subject="【赢单立项】{{ deal.name }} → {{ project.code }} {{ project.name }}",
            body=(
                "{{ recipient.name|default:'各位' }}，您好：\n\n"
                "商机「{{ deal.name }}」（客户：{{ deal.account_name|default:'—' }}）已赢单，"
                "{% if contract %}合同金额 {{ contract.amount|cny }}"
                "{% if contract.number %}（合同 {{ contract.number }}）{% endif %}"
                "{% else %}商机金额 {{ deal.amount|cny }}（尚未签订合同）{% endif %}。\n"
                "已按模板创建项目 {{ project.code }}「{{ project.name }}」，"
                "项目经理：{{ project.manager_name|default:'待指派' }}，"
                "计划开工 {{ project.start_date|date:'Y年n月j日'|default:'待定' }}。\n"
                "{% if project.url %}\n查看项目：{{ project.url }}{% endif %}"
                "{% if deal.url %}\n查看商机：{{ deal.url }}{% endif %}\n"
            ),
        ),
        "en": MessageTemplate(
            subject="[Won → project] {{ deal.name }} → {{ project.code }} {{ project.name }}",
            body=(
                "Hello {{ recipient.name|default:'team' }},\n\n"
                "Deal \"{{ deal.name }}\" (customer: {{ deal.account_name|default:'—' }}) was won. "
                "{% if contract %}Contract amount: {{ contract.amount|cny }}"
                "{% if contract.number %} (contract {{ contract.number }}){% endif %}."
                "{% else %}Deal amount: {{ deal.amount|cny }} (no contract signed yet).{% endif %}\n"
                'Project {{ project.code }} "{{ project.name }}" was created from its template; '
                "project manager: {{ project.manager_name|default:'to be assigned' }}, "
                "planned start {{ project.start_date|date:'M j, Y'|default:'to be decided' }}.\n"
                "{% if project.url %}\nOpen the project: {{ project.url }}{% endif %}"
                "{% if deal.url %}\nOpen the deal: {{ deal.url }}{% endif %}\n"
            ),
        ),
    },
    LEAD_WITHOUT_FIRST_RESPONSE: {
        "zh-hans": MessageTemplate(
            subject="【线索待跟进】{{ lead.repr }} 已 {{ lead.hours_waiting }} 个工作小时未响应",
            body=(
                "{{ recipient.name|default:'您好' }}：\n\n"
                "线索「{{ lead.repr }}」（联系人：{{ lead.contact_name|default:'未填写' }}，"
                "来源：{{ lead.source_name|default:'—' }}）于 {{ lead.created_at|date:'Y-m-d H:i' }} 进入，"
                "负责人 {{ lead.owner_name|default:'未分配' }} 至今 {{ lead.hours_waiting }} 个工作小时仍未首次响应。\n"
                "请尽快联系客户。"
                "{% if lead.url %}\n查看线索：{{ lead.url }}{% endif %}\n"
            ),
        ),
        "en": MessageTemplate(
            subject="[Lead waiting] {{ lead.repr }}: no response for {{ lead.hours_waiting }} working hours",
            body=(
                "Hello {{ recipient.name|default:'there' }},\n\n"
                "Lead \"{{ lead.repr }}\" (contact: {{ lead.contact_name|default:'not given' }}, "
                "source: {{ lead.source_name|default:'—' }}) came in on {{ lead.created_at|date:'Y-m-d H:i' }}; "
                "its owner {{ lead.owner_name|default:'(unassigned)' }} has not responded for "
                "{{ lead.hours_waiting }} working hours.\n"
                "Please contact the customer soon."
                "{% if lead.url %}\nOpen the lead: {{ lead.url }}{% endif %}\n"
            ),
        ),
    },
    TASK_OVERDUE: {
        "zh-hans": MessageTemplate(
            subject="【任务逾期】{{ project.code }} {{ task.name }}",
            body=(
                "{{ recipient.name|default:'您好' }}：\n\n"
                "项目 {{ project.code }}「{{ project.name }}」中的任务「{{ task.name }}」"
                "应于 {{ task.due_date|date:'Y年n月j日' }} 完成，已逾期 {{ task.days_overdue }} 天，"
                "当前进度 {{ task.percent_complete|default:0 }}%。\n"
                "负责人：{{ task.assignee_name|default:'未分配' }}；"
                "项目经理：{{ project.manager_name|default:'—' }}。"
                "{% if task.url %}\n查看任务：{{ task.url }}{% endif %}\n"
            ),
        ),
        "en": MessageTemplate(
            subject="[Task overdue] {{ project.code }} {{ task.name }}",
            body=(
                "Hello {{ recipient.name|default:'there' }},\n\n"
                'Task "{{ task.name }}" in project {{ project.code }} "{{ project.name }}" was due on '
                "{{ task.due_date|date:'M j, Y' }} and is {{ task.days_overdue }} "
                "day{{ task.days_overdue|pluralize }} overdue, {{ task.percent_complete|default:0 }}% complete.\n"
                "Assignee: {{ task.assignee_name|default:'(unassigned)' }}; "
                "project manager: {{ project.manager_name|default:'—' }}."
                "{% if task.url %}\nOpen the task: {{ task.url }}{% endif %}\n"
            ),
        ),
    },
    DETRACTOR_ANSWER: {
        "zh-hans": MessageTemplate(
            subject=(
                "【客户不满意】{{ account.name }} 推荐度 {{ response.score }} 分"
                "{% if project %} · {{ project.code }}{% endif %}"
            ),
            body=(
                "{{ recipient.name|default:'您好' }}：\n\n"
                "客户「{{ account.name }}」的{{ contact.name|default:'联系人' }}在满意度调查中给出 "
                "{{ response.score }} 分（0–10）"
                "{% if project %}，项目 {{ project.code }}「{{ project.name }}」{% endif %}。\n"
                "客户意见：{{ response.comment|default:'（未填写）' }}\n\n"
                "客户已标记为高风险，客户负责人：{{ response.owner_name|default:'—' }}。"
                "{% if task %}\n项目经理 {{ project.manager_name|default:'—' }} 需在 "
                "{{ task.due_date|date:'Y年n月j日' }} 前完成复盘任务「{{ task.name }}」。{% endif %}\n"
                "复盘完成并记录客户跟进后，风险标记自动解除。"
                "{% if account.url %}\n查看客户：{{ account.url }}{% endif %}"
                "{% if task.url %}\n查看复盘任务：{{ task.url }}{% endif %}\n"
            ),
        ),
        "en": MessageTemplate(
            subject=(
                "[Unhappy customer] {{ account.name }} scored {{ response.score }}"
                "{% if project %} · {{ project.code }}{% endif %}"
            ),
            body=(
                "Hello {{ recipient.name|default:'there' }},\n\n"
                "{{ contact.name|default:'The contact' }} of {{ account.name }} answered the satisfaction survey "
                "with {{ response.score }} out of 10"
                '{% if project %} for project {{ project.code }} "{{ project.name }}"{% endif %}.\n'
                "Comment: {{ response.comment|default:'(none)' }}\n\n"
                "The account is flagged high-risk; account owner: {{ response.owner_name|default:'—' }}."
                "{% if task %}\nThe project manager {{ project.manager_name|default:'—' }} has a review task "
                "\"{{ task.name }}\" due {{ task.due_date|date:'M j, Y' }}.{% endif %}\n"
                "The flag clears once the review is done and a follow-up with the customer is logged."
                "{% if account.url %}\nOpen the account: {{ account.url }}{% endif %}"
                "{% if task.url %}\nOpen the review task: {{ task.url }}{% endif %}\n"
            ),
        ),
    },
    PROMOTER_ANSWER: {
        "zh-hans": MessageTemplate(
            subject="【推荐机会】{{ account.name }} 推荐度 {{ response.score }} 分",
            body=(
                "{{ recipient.name|default:'您好' }}：\n\n"
                "客户「{{ account.name }}」的{{ contact.name|default:'联系人' }}给出 {{ response.score }} 分"
                "{% if project %}（项目 {{ project.code }}「{{ project.name }}」）{% endif %}。\n"
                "客户意见：{{ response.comment|default:'（未填写）' }}\n"
                "可借机请客户转介绍，或跟进增购、维保续约。"
            ),
        ),
        "en": MessageTemplate(
            subject="[Referral chance] {{ account.name }} scored {{ response.score }}",
            body=(
                "Hello {{ recipient.name|default:'there' }},\n\n"
                "{{ contact.name|default:'The contact' }} of {{ account.name }} scored us {{ response.score }}"
                '{% if project %} for project {{ project.code }} "{{ project.name }}"{% endif %}.\n'
                "Comment: {{ response.comment|default:'(none)' }}\n"
                "A good moment to ask for a referral, or to follow up on more work or a maintenance renewal."
            ),
        ),
    },
}

EXAMPLE_PAYLOADS: dict[str, dict] = {
    WON_DEAL_PROJECT_CREATED: {
        "recipient": {"name": "王工"},
        "deal": {
            "id": 41,
            "name": "滨江园区智能化",
            "account_name": "杭州滨江科技",
            "amount": "1300000.00",
            "url": "https://tandem.example.com/crm/deals/41/",
        },
        "contract": {"id": 9, "number": "HT-20250320-0001", "amount": "1280000.00"},
        "project": {
            "id": 7,
            "code": "PRJ-2025-007",
            "name": "滨江园区智能化",
            "manager_name": "李敏",
            "start_date": "2025-04-01",
            "url": "https://tandem.example.com/projects/7/",
        },
    },
    LEAD_WITHOUT_FIRST_RESPONSE: {
        "recipient": {"name": "张经理"},
        "lead": {
            "id": 12,
            "repr": "宁波港务",
            "contact_name": "陈先生",
            "company": "宁波港务",
            "source": "website",
            "source_name": "官网",
            "owner_name": "赵磊",
            "created_at": "2025-03-03T01:30:00+00:00",
            "hours_waiting": 4,
            "url": "https://tandem.example.com/crm/leads/12/",
        },
    },
    TASK_OVERDUE: {
        "recipient": {"name": "刘洋"},
        "project": {"code": "PRJ-2025-007", "name": "滨江园区智能化", "manager_name": "李敏"},
        "task": {
            "id": 300,
            "name": "弱电桥架安装",
            "due_date": "2025-03-10",
            "days_overdue": 3,
            "percent_complete": 60,
            "assignee_name": "刘洋",
            "url": "https://tandem.example.com/projects/7/tasks/300/",
        },
    },
    DETRACTOR_ANSWER: {
        "recipient": {"name": "李敏"},
        "account": {"id": 5, "name": "杭州滨江科技", "url": "https://tandem.example.com/crm/accounts/5/"},
        "contact": {"id": 8, "name": "陈伟"},
        "response": {"id": 3, "score": 4, "comment": "调试拖了两周，现场沟通不及时。", "owner_name": "赵磊"},
        "project": {"id": 7, "code": "PRJ-2025-007", "name": "滨江园区智能化", "manager_name": "李敏"},
        "task": {
            "id": 301,
            "name": "复盘：客户评分 4/10",
            "due_date": "2025-06-13",
            "url": "https://tandem.example.com/projects/7/tasks/?task=301",
        },
    },
    PROMOTER_ANSWER: {
        "recipient": {"name": "赵磊"},
        "account": {"id": 5, "name": "杭州滨江科技"},
        "contact": {"id": 8, "name": "陈伟"},
        "response": {"id": 4, "score": 10, "comment": "团队专业，工期准时。"},
        "project": {"id": 7, "code": "PRJ-2025-007", "name": "滨江园区智能化"},
    },
}
