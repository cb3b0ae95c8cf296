"""The imports API end to end, errors in problem JSON, permissions per object type, others' jobs 404."""

import csv
import io

import pytest

from tandem.accounts.models import Role
from tandem.crm.models import Account, Lead
from tandem.crm.tests.factories import make_account
from tandem.integrations.tests.conftest import credit_code, csv_upload, xlsx_upload
from tandem.testing.kit import api_client as token_client
from tandem.testing.kit import make_member, make_tenant

API = "/api/v1/imports/"


def api_client(membership):
    """A bearer-token client asking for English answers (the API follows Accept-Language)."""
    client = token_client(membership)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post_file(client, object_type, file):
    return client.post(API, {"object_type": object_type, "file": file}, format="multipart")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_whole_import_through_the_api(team):
    make_account(team.tenant, team.rep.user, name="武汉地铁集团有限公司", credit_code=credit_code(7))
    client = api_client(team.manager)
    file = xlsx_upload(
        [
            ["Company", "Credit code", "Tier", "Remarks"],
            ["Wuhan Metro Group Co., Ltd.", credit_code(7), "A", "same credit code"],
            ["Acme Engineering Ltd.", "", "VIP", ""],
            ["Bad Code Inc.", "123", "B", ""],
        ]
    )
    response = post_file(client, "crm.account", file)
    assert response.status_code == 201, response.json()
    job = response.json()
    assert job["status"] == "uploaded" and job["file_format"] == "xlsx"
    assert job["mapping"] == {"0": "name", "1": "credit_code", "2": "tier", "3": "notes"}
    assert {"key": "name", "label": "Account name", "required": True} in job["fields_available"]
    url = f"{API}{job['id']}/"

    response = client.post(f"{url}mapping/", {"mapping": {"0": "name", "1": "credit_code", "2": "tier"}})
    assert response.status_code == 200 and response.json()["status"] == "mapped"
    response = client.post(f"{url}validate/")
    assert response.status_code == 202
    job = client.get(url).json()
    assert (job["status"], job["valid_rows"], job["matched_rows"], job["invalid_rows"]) == ("validated", 1, 1, 1)

    rows = client.get(f"{url}rows/?show=matches").json()
    assert rows["count"] == 1
    match = rows["results"][0]
    assert (match["number"], match["match_reason"], match["allowed_decisions"]) == (
        2,
        "credit_code",
        ["update", "skip"],
    )
    errors = client.get(f"{url}rows/?show=errors").json()["results"]
    assert errors[0]["errors"][0][0] == "credit_code" and errors[0]["values"] == ["Bad Code Inc.", "123", "B"]

    response = client.post(f"{url}decisions/", {"rows": {"2": "create"}})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"2": ["Not possible for this row."]}
    response = client.post(f"{url}decisions/", {"default_decision": "update"})
    assert response.status_code == 200

    response = client.post(f"{url}commit/")
    assert response.status_code == 400 and response.json()["type"] == "urn:tandem:problem:rows_with_errors"
    response = client.post(f"{url}commit/", {"skip_invalid": True})
    assert response.status_code == 202
    job = client.get(url).json()
    assert (job["status"], job["created_count"], job["updated_count"], job["skipped_count"]) == ("done", 1, 1, 1)
    assert Account.objects.get(credit_code=credit_code(7)).tier == "a"

    report = client.get(job["error_report_url"])
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(body(report).decode("utf-8-sig"))))
    assert lines[0] == ["Row", "Company", "Credit code", "Tier", "Errors"]
    assert lines[1][:4] == ["4", "Bad Code Inc.", "123", "B"] and "credit code" in lines[1][4]

    listed = client.get(API).json()
    assert [j["id"] for j in listed["results"]] == [job["id"]]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"object_type": "crm.account"}, "file"),
        ({"object_type": "crm.contract", "file": "x"}, "object_type"),
    ],
)
def test_bad_input_is_problem_json(team, data, field):
    response = api_client(team.manager).post(API, data, format="multipart")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_a_bad_file_is_refused_with_the_reason(team):
    response = post_file(api_client(team.manager), "crm.account", csv_upload([["客户名称"]]))
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["The file has a header row but no data rows."]}


def test_mapping_errors_name_the_problem(team):
    client = api_client(team.manager)
    job = post_file(client, "crm.account", csv_upload([["A", "B"], ["x", "y"]])).json()
    response = client.post(f"{API}{job['id']}/mapping/", {"mapping": {"0": "notes", "1": "notes", "7": "name"}})
    assert response.status_code == 400
    messages = response.json()["errors"]["mapping"]
    assert "Column 7 is not in the file." in messages
    assert "Notes is chosen for two columns." in messages


def test_import_permission_is_per_object_type(team):
    role = Role.objects.get(tenant=team.tenant, key="sales")
    role.permissions = [*role.permissions, "crm.import_lead"]
    role.save()
    client = api_client(team.rep)
    response = post_file(client, "crm.account", csv_upload([["客户名称"], ["上海建工"]]))
    assert response.status_code == 403 and "crm.import_account" in response.json()["detail"]
    response = post_file(client, "crm.lead", csv_upload([["公司名称"], ["上海建工"]]))
    assert response.status_code == 201
    job = response.json()
    client.post(f"{API}{job['id']}/validate/")
    client.post(f"{API}{job['id']}/commit/")
    assert Lead.objects.get(company="上海建工").owner == team.rep.user
    # Without any import permission the list itself is refused.
    assert api_client(make_member(team.tenant, "foreman")).get(API).status_code == 403


def test_others_jobs_are_not_found(team):
    mine = post_file(api_client(team.manager), "crm.account", csv_upload([["客户名称"], ["上海建工"]])).json()
    admin = api_client(team.admin)  # may import, and sees everything in the CRM, but not others' imports
    assert admin.get(f"{API}{mine['id']}/").status_code == 404
    assert admin.post(f"{API}{mine['id']}/validate/").status_code == 404
    assert admin.get(f"{API}{mine['id']}/error-report/").status_code == 404
    assert admin.get(API).json()["count"] == 0
    stranger = make_member(make_tenant(), "admin")
    assert api_client(stranger).get(f"{API}{mine['id']}/rows/").status_code == 404
