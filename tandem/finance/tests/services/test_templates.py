"""A project template's default budget lines: written through the service, the API and the template's page, and
refused when they point outside the template or the tenant; a project made from the template starts with them."""

from decimal import Decimal

import pytest

from tandem.core.errors import ApplicationError
from tandem.finance.choices import CostType
from tandem.finance.models import BudgetLine, TemplateBudgetLine
from tandem.finance.services.handoff import budget_from_handoff
from tandem.finance.services.templates import template_budget_line_create, template_budget_line_delete
from tandem.finance.tests.factories import make_code
from tandem.projects.models import TemplateTask
from tandem.projects.services.templates import template_define, template_instantiate
from tandem.projects.tests.factories import START, pm_member
from tandem.testing.kit import access_for, api_client, make_member, make_tenant, page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tenant):
    admin = make_member(tenant, "admin")
    template = template_define(
        access=access_for(admin),
        name="弱电模板",
        tasks=[{"key": "a", "name": "布线", "duration": 960}, {"key": "b", "name": "调试", "duration": 480}],
    )
    other = template_define(access=access_for(admin), name="别的模板", tasks=[{"key": "x", "name": "勘察"}])
    return {
        "admin": admin,
        "pm": pm_member(tenant),
        "template": template,
        "task": TemplateTask.objects.get(template=template, name="布线"),
        "foreign_task": TemplateTask.objects.get(template=other, name="勘察"),
        "code": make_code(tenant, code="02.03", name="弱电系统"),
    }


def test_a_pm_adds_default_lines_and_a_project_from_the_template_starts_with_them(world):
    pm = access_for(world["pm"])
    line = template_budget_line_create(
        access=pm,
        template=world["template"],
        template_task=world["task"],
        cost_code=world["code"],
        cost_type=CostType.MATERIAL,
        quantity=Decimal("120"),
        unit="米",
        unit_price=Decimal("8.55"),
    )
    project = template_instantiate(
        access=access_for(world["admin"]), template=world["template"], name="机房改造", start_date=START
    )
    budget = budget_from_handoff(tenant_id=project.tenant_id, project_id=project.pk, template_id=world["template"].pk)
    copied = BudgetLine.objects.get(budget=budget)
    assert (copied.original_amount, copied.unit, copied.task.name) == (Decimal("1026.00"), "米", "布线")
    template_budget_line_delete(access=pm, line=line)
    assert not TemplateBudgetLine.objects.exists()


def test_a_line_on_another_templates_task_or_without_a_code_is_refused(world):
    pm = access_for(world["pm"])
    with pytest.raises(ApplicationError) as refused:
        template_budget_line_create(
            access=pm,
            template=world["template"],
            template_task=world["foreign_task"],
            cost_code=world["code"],
            cost_type=CostType.LABOR,
        )
    assert "template_task" in refused.value.errors
    with pytest.raises(ApplicationError) as refused:
        template_budget_line_create(access=pm, template=world["template"], cost_type=CostType.LABOR)
    assert "cost_code" in refused.value.errors
    assert not TemplateBudgetLine.objects.exists()


def test_the_api_and_the_template_page(world, tenant):
    api = api_client(world["pm"])
    body = {
        "template": world["template"].pk,
        "cost_code": world["code"].pk,
        "cost_type": "labor",
        "quantity": "10",
        "unit_price": "450",
    }
    created = api.post("/api/v1/finance/template-budget-lines/", body, format="json")
    assert created.status_code == 201, created.content
    listed = api.get(f"/api/v1/finance/template-budget-lines/?template={world['template'].pk}").json()
    assert [row["id"] for row in listed["results"]] == [created.json()["id"]]
    bad = api.post("/api/v1/finance/template-budget-lines/", {**body, "cost_code": 999999}, format="json")
    assert bad.status_code == 400 and "cost_code" in bad.json()["errors"]
    sales = api_client(make_member(tenant, "sales"))
    assert sales.post("/api/v1/finance/template-budget-lines/", body, format="json").status_code == 403
    stranger = api_client(make_member(make_tenant(), "finance"))
    assert stranger.get(f"/api/v1/finance/template-budget-lines/{created.json()['id']}/").status_code == 404

    page = page_client(world["pm"])
    detail = page.get(f"/projects/templates/{world['template'].pk}/").content.decode()
    assert 'id="template-budget"' in detail and 'id="template-line-form"' in detail
    answer = page.post(
        f"/finance/templates/{world['template'].pk}/lines/new/",
        {"cost_code": world["code"].pk, "cost_type": "material", "quantity": "2", "unit_price": "100"},
    )
    assert answer.status_code == 302
    assert TemplateBudgetLine.objects.filter(template=world["template"]).count() == 2
    refused = page.post(f"/finance/templates/{world['template'].pk}/lines/new/", {"cost_type": "material"})
    assert refused.status_code == 302 and TemplateBudgetLine.objects.filter(template=world["template"]).count() == 2
    line = TemplateBudgetLine.objects.filter(template=world["template"]).last()
    page.post(f"/finance/templates/{world['template'].pk}/lines/{line.pk}/delete/")
    assert TemplateBudgetLine.objects.filter(template=world["template"]).count() == 1
    foreman = page_client(make_member(tenant, "foreman"))
    assert 'id="template-budget"' not in foreman.get(f"/projects/templates/{world['template'].pk}/").content.decode()
