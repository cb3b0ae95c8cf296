from types import SimpleNamespace

import pytest

from tandem.finance.tests.factories import make_budget
from tandem.projects.tests.factories import pm_member
from tandem.testing.kit import access_for, make_member


@pytest.fixture
def org(tenant):
    """A PM with a project and its draft budget (contract value 100,000), finance, a salesperson, a second PM."""
    pm = pm_member(tenant, display_name="周经理")
    finance = make_member(tenant, "finance", display_name="赵会计")
    sales = make_member(tenant, "sales", display_name="陈晓")
    budget = make_budget(tenant, member=pm, contract_value="100000")
    return SimpleNamespace(
        tenant=tenant,
        pm=pm,
        finance=finance,
        sales=sales,
        budget=budget,
        project=budget.project,
        pm_access=access_for(pm),
        finance_access=access_for(finance),
    )
