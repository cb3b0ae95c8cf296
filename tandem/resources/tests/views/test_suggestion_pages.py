"""The suggestions panel on the conflict page, applying one with a click (HTMX), and the staff request list."""

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from tandem.audit.models import AuditEntry
from tandem.projects.models import Task
from tandem.resources.choices import ConflictStatus, StaffRequestStatus
from tandem.resources.models import Conflict, StaffRequest
from tandem.resources.services.staff_requests import staff_request_create
from tandem.resources.tests.suggestion_scenario import FRIDAY_BEFORE, build_plan
from tandem.testing.kit import access_for, make_member, page_client, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _friday_before():
    with time_machine.travel(FRIDAY_BEFORE, tick=False):
        yield


@pytest.fixture
def plan(tenant):
    return build_plan(tenant)


def test_the_conflict_page_slot_shows_each_suggestion_with_its_effect(plan):
    request = RequestFactory().get("/resources/conflicts/")
    request.user = plan["member"].user
    request.access = access_for(plan["member"])
    html = Template('{% load panels %}{% record_panels "resources.conflict" conflict %}').render(
        Context({"request": request, "conflict": plan["conflict"]})
    )

    assert 'id="suggestions-panel"' in html
    for kind in ("move", "swap", "split", "request"):
        assert f'data-kind="{kind}"' in html
    assert "弱电调试" in html and "周工" in html and "数据中心机房" in html and "门店弱电" in html
    assert page_text("Finish date unchanged") in html
    assert html.count('name="fingerprint"') == html.count('class="border rounded p-2 mb-2 suggestion"')


def test_the_panel_is_hidden_from_a_member_without_the_permission(plan, tenant):
    request = RequestFactory().get("/")
    outsider = make_member(tenant, "sales")
    request.user, request.access = outsider.user, access_for(outsider)
    html = Template('{% load panels %}{% record_panels "resources.conflict" conflict %}').render(
        Context({"request": request, "conflict": plan["conflict"]})
    )
    assert "suggestions-panel" not in html


def test_apply_with_htmx_answers_the_panel_again_and_resolves_the_conflict(plan):
    client = page_client(plan["member"])
    url = f"/resources/conflicts/{plan['conflict'].pk}/suggestions/"
    page = client.get(url)
    assert page.status_code == 200
    move = next(s for s in page.context["suggestions"] if s.kind == "move")

    answer = client.post(
        f"{url}apply/", {"key": move.key, "fingerprint": move.fingerprint}, headers={"HX-Request": "true"}
    )

    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="suggestion-notice"' in html and 'id="no-suggestions"' in html
    # The page around the panel shows the conflict's status and loads: it is loaded again, with the notice.
    assert answer["HX-Refresh"] == "true"
    assert move.title in client.get(url).content.decode()
    assert Conflict.objects.get(pk=plan["conflict"].pk).status == ConflictStatus.RESOLVED
    assert Task.objects.get(pk=plan["short"].pk).constraint_type == "SNET"
    assert AuditEntry.objects.filter(object_type="resources.conflict", actor_id=plan["member"].user_id).exists()


def test_a_stale_apply_says_so_and_changes_nothing(plan):
    client = page_client(plan["member"])
    url = f"/resources/conflicts/{plan['conflict'].pk}/suggestions/"
    swap = next(s for s in client.get(url).context["suggestions"] if s.kind == "swap")
    Task.objects.filter(pk=plan["long"].pk).update(duration=9 * 480)  # someone changed the plan

    answer = client.post(f"{url}apply/", {"key": swap.key, "fingerprint": swap.fingerprint}, follow=True)

    assert (
        page_text(
            "This suggestion is out of date: the plan changed since it was worked out. "
            "Look at the new suggestions and try again."
        )
        in answer.content.decode()
    )
    assert Conflict.objects.get(pk=plan["conflict"].pk).status == ConflictStatus.OPEN
    assert set(plan["critical"].allocations.values_list("resource__name", flat=True)) == {"李工"}


def test_the_staff_request_list_fulfils_and_declines(plan, tenant):
    def raise_one(hours):
        return staff_request_create(
            access=plan["access"],
            project=plan["vip"],
            task=plan["critical"],
            hours=hours,
            start=plan["conflict"].start,
            end=plan["conflict"].end,
            note="需要弱电工程师",
        )

    first, second = raise_one(8), raise_one(16)
    client = page_client(plan["member"])
    page = client.get("/resources/requests/")
    assert page.status_code == 200
    html = page.content.decode()
    assert first.number in html and second.number in html and "数据中心机房" in html

    client.post(f"/resources/requests/{first.pk}/fulfil/", {"resource": plan["fitter"].pk, "note": "周工支援"})
    client.post(f"/resources/requests/{second.pk}/decline/", {"note": "人手不足"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.filled_by_id) == (StaffRequestStatus.FULFILLED, plan["fitter"].pk)
    assert second.status == StaffRequestStatus.DECLINED and "人手不足" in second.note
    assert f'data-request="{first.pk}"' not in client.get("/resources/requests/").content.decode()  # open only
    assert f'data-request="{first.pk}"' in client.get("/resources/requests/?status=all").content.decode()
    again = client.post(f"/resources/requests/{second.pk}/decline/", {"note": "x"}, follow=True)
    assert StaffRequest.objects.get(pk=second.pk).note.count("x") == 0
    assert again.status_code == 200
