"""Server errors found outside the suite (issue 11), each answered without a 500 and without a poisoned tenant."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tandem.core.models import OutboxEvent
from tandem.crm import events
from tandem.crm.choices import ContractStatus, DealStatus
from tandem.crm.models import SalesTarget
from tandem.crm.tests.factories import make_contract, make_deal
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_wins_of_one_deal_at_once_answer_like_a_win_and_a_repeated_win(team):
    deal = make_deal(team.tenant, team.rep.user)
    clients = [api_client(team.admin), api_client(team.admin)]
    for client in clients:
        client.raise_request_exception = False
    start = threading.Barrier(2)
    answers: list = []
    errors: list[BaseException] = []

    def win(client):
        try:
            start.wait()
            answers.append(client.post(f"/api/v1/crm/deals/{deal.pk}/win/", {}, format="json"))
        except BaseException as exc:  # surfaced below: an exception in a thread would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=win, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert [a.status_code for a in answers] == [200, 200], [a.content for a in answers]
    assert {a.json()["status"] for a in answers} == {DealStatus.WON}
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON
    assert OutboxEvent.objects.filter(name=events.DEAL_WON, payload__deal_id=deal.pk).count() == 1
