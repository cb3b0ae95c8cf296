import json

import pytest

from tandem.approvals.models import Flow
from tandem.approvals.tests.url_objects import definition, seed_flow
from tandem.testing.kit import page_client

CONTRACT = "crm.contract"


def _post(client, url, data, **extra):
    return client.post(url, {"name": "合同审批", "description": "", "definition": json.dumps(data)}, **extra)


@pytest.mark.django_db
def test_settings_pages_are_for_admins(crew):
    admin, rep = page_client(crew.admin), page_client(crew.rep)
    assert admin.get("/approvals/flows/").status_code == 200
    page = admin.get(f"/approvals/flows/new/?type={CONTRACT}")
    assert page.status_code == 200
    meta = page.context["meta"]
    assert CONTRACT in [t["key"] for t in meta["types"]]
    assert "王经理" in [m["label"] for m in meta["members"]]
    assert rep.get("/approvals/flows/").status_code == 403
    assert rep.get(f"/approvals/flows/new/?type={CONTRACT}").status_code == 403
    assert admin.get("/approvals/flows/new/?type=nothing.here").status_code == 404


@pytest.mark.django_db
def test_the_designer_saves_a_new_version_and_shows_the_old_one_read_only(crew):
    client = page_client(crew.admin)
    created = _post(client, f"/approvals/flows/new/?type={CONTRACT}", definition([crew.manager.user.pk]))
    flow = Flow.objects.get(tenant=crew.tenant, object_type=CONTRACT)
    assert created.status_code == 302 and created["Location"] == f"/approvals/flows/{flow.pk}/"
    changed = definition([crew.manager.user.pk, crew.admin.user.pk])
    changed["branches"][0]["nodes"][0]["mode"] = "all"
    assert _post(client, f"/approvals/flows/{flow.pk}/", changed).status_code == 302
    flow.refresh_from_db()
    assert flow.current_version.number == 2
    page = client.get(f"/approvals/flows/{flow.pk}/")
    assert 'id="version-number"' in page.content.decode() and page.context["versions"][0].number == 2
    old = client.get(f"/approvals/flows/{flow.pk}/versions/1/")
    assert old.context["readonly"] is True
    assert old.context["state"]["definition"]["branches"][0]["nodes"][0]["approvers"]["users"] == [crew.manager.user.pk]
    assert 'id="flow-save"' not in old.content.decode()
    assert client.get(f"/approvals/flows/{flow.pk}/versions/9/").status_code == 404


@pytest.mark.django_db
def test_a_refused_definition_lands_by_json_path_and_changes_nothing(crew):
    client = page_client(crew.admin)
    bad = definition([crew.manager.user.pk])
    bad["branches"][0]["nodes"][0]["approvers"] = {"type": "members", "users": []}
    response = _post(client, f"/approvals/flows/new/?type={CONTRACT}", bad)
    assert response.status_code == 400
    errors = response.context["state"]["errors"]
    assert any(key.startswith("branches.0.nodes.0.approvers") for key in errors), errors
    # The member's work comes back as posted, to fix in place.
    assert response.context["state"]["definition"] == bad
    assert not Flow.objects.filter(tenant=crew.tenant).exists()


@pytest.mark.django_db
def test_json_that_does_not_parse_is_a_form_error(crew):
    client = page_client(crew.admin)
    response = client.post(
        f"/approvals/flows/new/?type={CONTRACT}", {"name": "合同审批", "definition": "{branches: oops"}
    )
    assert response.status_code == 400
    assert "definition" in response.context["state"]["errors"]
    assert 'id="flow-errors"' in response.content.decode()
    assert not Flow.objects.filter(tenant=crew.tenant).exists()


@pytest.mark.django_db
def test_activating_and_deactivating(crew):
    flow = seed_flow(crew.tenant, approver_ids=[crew.manager.user.pk])
    client = page_client(crew.admin)
    assert client.post(f"/approvals/flows/{flow.pk}/toggle/").status_code == 302
    flow.refresh_from_db()
    assert not flow.is_active
    client.post(f"/approvals/flows/{flow.pk}/toggle/")
    flow.refresh_from_db()
    assert flow.is_active
    assert page_client(crew.rep).post(f"/approvals/flows/{flow.pk}/toggle/").status_code == 403


@pytest.mark.django_db
def test_a_second_flow_of_a_type_starts_inactive(crew):
    seed_flow(crew.tenant, approver_ids=[crew.manager.user.pk])
    response = _post(
        page_client(crew.admin), f"/approvals/flows/new/?type={CONTRACT}", definition([crew.admin.user.pk])
    )
    assert response.status_code == 302
    flows = Flow.objects.filter(tenant=crew.tenant, object_type=CONTRACT).order_by("pk")
    assert [f.is_active for f in flows] == [True, False]
