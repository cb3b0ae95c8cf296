"""Objects for the generic permission test: each finance URL with parameters, filled with a colleague's project
with a budget."""

from tandem.testing.permissions import url_objects


@url_objects(
    "finance:budget",
    "finance:budget_cell",
    "finance:budget_export",
    "finance:earned_value",
    "finance:earned_value_export",
    "finance:budget_lines",
    "finance:budget_start",
    "finance:budget_edit",
    "finance:budget_lock",
    "finance:line_create",
    "finance:modification_create",
    "finance:change_order_create",
    "finance:commitment_create",
    "finance:cost_record_create",
)
def _project_budget(tenant):
    from tandem.finance.tests.view_fixtures import make_budget, make_cost_code, make_line
    from tandem.projects.tests.factories import make_project
    from tandem.testing.permissions import colleague, seed_name

    project = make_project(tenant, member=colleague(tenant, "pm"), name=seed_name(tenant, "cost project"))
    budget = make_budget(project, contract_value="1000.00")
    make_line(budget, make_cost_code(tenant, "01", seed_name(tenant, "cost code")), quantity="1", unit_price="100")
    return {"pk": project.pk}


@url_objects("finance:line_update", "finance:line_delete")
def _budget_line(tenant):
    from tandem.finance.models import BudgetLine

    pk = _project_budget(tenant)["pk"]
    return {"pk": pk, "line_id": BudgetLine.objects.get(project_id=pk).pk}


def _seeded(tenant):
    from tandem.finance.tests.view_fixtures import seed_budget
    from tandem.projects.tests.factories import make_project
    from tandem.testing.permissions import colleague, seed_name

    member = colleague(tenant, "pm")
    return seed_budget(make_project(tenant, member=member, name=seed_name(tenant, "costs")), member)


@url_objects(
    "finance:change_order_detail",
    "finance:change_order_update",
    "finance:change_order_submit",
    "finance:change_order_approve",
    "finance:change_order_reject",
    "finance:change_order_void",
)
def _change_order(tenant):
    return {"pk": _seeded(tenant).co_approved.pk}


@url_objects("finance:commitment_detail", "finance:commitment_update", "finance:commitment_move")
def _commitment(tenant):
    return {"pk": _seeded(tenant).sc_approved.pk}


@url_objects("api:finance-budget-view", "api:finance-budget-cells", "api:finance-budget-earned-value")
def _budget_api(tenant):
    from tandem.finance.models import ProjectBudget

    return {"pk": ProjectBudget.objects.get(project_id=_project_budget(tenant)["pk"]).pk}


@url_objects("finance:cost_code_update", "finance:cost_code_delete")
def _cost_code(tenant):
    from tandem.finance.tests.view_fixtures import make_cost_code
    from tandem.testing.permissions import seed_name

    return {"pk": make_cost_code(tenant, seed_name(tenant, "code")[-30:], seed_name(tenant, "cost code")).pk}


@url_objects("finance:cost_record_update", "finance:cost_record_delete")
def _cost_record(tenant):
    from tandem.finance.models import CostRecord

    return {"pk": CostRecord.objects.filter(project=_seeded(tenant).project).order_by("id").first().pk}


def _template(tenant):
    from tandem.projects.services.templates import template_define
    from tandem.testing.kit import access_for
    from tandem.testing.permissions import colleague, seed_name

    return template_define(
        access=access_for(colleague(tenant, "admin")),
        name=seed_name(tenant, "cost template"),
        tasks=[{"key": "a", "name": seed_name(tenant, "cost tpl task"), "duration": 480}],
    )


def _template_line(tenant):
    from tandem.finance.choices import CostType
    from tandem.finance.models import TemplateBudgetLine
    from tandem.finance.tests.view_fixtures import make_cost_code
    from tandem.testing.permissions import seed_name

    template = _template(tenant)
    code = make_cost_code(tenant, seed_name(tenant, "tcode")[-30:], seed_name(tenant, "template cost code"))
    return TemplateBudgetLine.objects.create(
        tenant=tenant, template=template, cost_code=code, cost_type=CostType.LABOR, unit_price="100"
    )


@url_objects("finance:template_line_create")
def _template_url(tenant):
    return {"pk": _template(tenant).pk}


@url_objects("finance:template_line_delete")
def _template_line_url(tenant):
    line = _template_line(tenant)
    return {"pk": line.template_id, "line_id": line.pk}


@url_objects("api:finance-templatebudgetline-detail")
def _template_line_api(tenant):
    return {"pk": _template_line(tenant).pk}
