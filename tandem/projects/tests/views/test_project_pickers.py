"""The project form's customer and deal are search boxes: no list of every account is rendered (the page costs
the same with 5 or 80 accounts), the deal search follows the customer, and the service refuses a deal of another
customer or tenant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.errors import ApplicationError
from tandem.crm.tests.factories import make_account, make_deal
from tandem.projects.services.projects import project_create, project_update
from tandem.projects.tests.factories import START, make_project, pm_member
from tandem.testing.kit import access_for, make_member, make_tenant, page_client


def new_page_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/projects/new/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_pickers_render_no_list_of_accounts_and_cost_the_same_for_any_number(tenant):
    pm = pm_member(tenant)
    for n in range(5):
        make_account(tenant, pm.user, name=f"少量客户{n}")
    client = page_client(pm)
    new_page_queries(client)  # the first request of a session pays for its set-up
    few, page = new_page_queries(client)
    assert 'data-lookup="/crm/lookup/accounts/"' in page and 'data-lookup="/crm/lookup/deals/"' in page
    assert 'data-picker-depends="id_account"' in page
    for n in range(75):
        make_account(tenant, pm.user, name=f"大量客户{n}")
    many, page = new_page_queries(client)
    assert many == few
    assert "少量客户" not in page and "大量客户" not in page


def test_the_edit_page_shows_the_chosen_customer_and_deal_by_name(tenant):
    pm = pm_member(tenant)
    account = make_account(tenant, pm.user, name="华东电力")
    deal = make_deal(tenant, pm.user, account, name="变电站改造", number="SJ-20270101-0002")
    project = make_project(tenant, member=pm, account_id=account.pk, deal_id=deal.pk)
    page = page_client(pm).get(f"/projects/{project.pk}/edit/").content.decode()
    assert f'name="account" value="{account.pk}"' in page and 'value="华东电力"' in page
    assert f'name="deal" value="{deal.pk}"' in page and 'value="SJ-20270101-0002 变电站改造"' in page


def test_the_account_search_answers_a_page_of_matches(tenant):
    pm = pm_member(tenant)
    for n in range(30):
        make_account(tenant, pm.user, name=f"机电客户{n:02d}")
    rows = page_client(pm).get("/crm/lookup/accounts/", {"q": "机电客户"}).json()["results"]
    assert 10 <= len(rows) <= 20


def test_the_service_refuses_a_deal_of_another_customer_or_tenant(tenant):
    pm = pm_member(tenant)
    access = access_for(pm)
    ours, theirs = make_account(tenant, pm.user), make_account(tenant, pm.user)
    other = make_tenant()
    foreign = make_deal(other, make_member(other, "admin").user)
    with pytest.raises(ApplicationError) as refused:
        project_create(
            access=access,
            name="错配商机",
            start_date=START,
            account_id=ours.pk,
            deal_id=make_deal(tenant, pm.user, theirs).pk,
        )
    assert "deal_id" in refused.value.errors
    project = make_project(tenant, member=pm)
    with pytest.raises(ApplicationError) as refused:
        project_update(access=access, project=project, deal_id=foreign.pk)
    assert "deal_id" in refused.value.errors
    project.refresh_from_db()
    assert project.deal_id is None


def test_the_page_puts_the_service_refusal_on_the_deal_field(tenant):
    pm = pm_member(tenant)
    ours, theirs = make_account(tenant, pm.user), make_account(tenant, pm.user)
    deal = make_deal(tenant, pm.user, theirs)
    project = make_project(tenant, member=pm)
    client = page_client(pm)
    form = client.get(f"/projects/{project.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("account", "deal", "contract")}
    response = client.post(f"/projects/{project.pk}/edit/", {**data, "account": ours.pk, "deal": deal.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["deal"] == ["该记录属于其他客户。"]
    project.refresh_from_db()
    assert project.account_id is None and project.deal_id is None
