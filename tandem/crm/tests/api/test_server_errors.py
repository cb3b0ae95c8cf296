"""Server errors found outside the suite (issue 11), each answered without a 500 and without a poisoned tenant."""

from decimal import Decimal

from django.utils import timezone

from tandem.crm.choices import ContractStatus
from tandem.crm.models import SalesTarget
from tandem.crm.tests.factories import make_contract
from tandem.testing.kit import api_client


def test_a_tiny_target_against_a_huge_actual_answers_and_keeps_the_reads_working(team):
    today = timezone.localdate()
    make_contract(
        team.tenant, team.rep.user, amount=Decimal("16000000.00"), signed_on=today, status=ContractStatus.SIGNED
    )
    client = api_client(team.admin)
    body = {"level": "company", "metric": "contracts", "year": today.year, "month": today.month, "amount": "5"}
    response = client.post("/api/v1/crm/targets/", body, format="json")
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["percent"]) == Decimal("320000000.0")
    listed = client.get("/api/v1/crm/targets/")
    assert listed.status_code == 200
    assert [Decimal(t["percent"]) for t in listed.json()["results"]] == [Decimal("320000000.0")]
    assert client.get("/api/v1/crm/workbench/").status_code == 200
    # The smallest target a member can set against the largest actual still fits the answer.
    body["amount"] = "0.01"
    assert client.post("/api/v1/crm/targets/", body, format="json").status_code == 201
    assert client.get("/api/v1/crm/workbench/").status_code == 200
    assert SalesTarget.objects.count() == 1
