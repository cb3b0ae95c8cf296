"""Quick follow-ups from record pages, bulk owner changes and deletions on lists, saved filters."""

from tandem.audit.models import AuditAction, AuditEntry
from tandem.core.models import SavedFilter
from tandem.core.services.filters import MAX_SAVED_FILTERS, saved_filter_save, saved_filters
from tandem.crm.models import Account, Activity, Deal, Lead
from tandem.crm.tests.factories import make_account, make_deal, make_lead
from tandem.testing.kit import page_client


def test_quick_follow_up_on_a_deal_lands_on_its_account_and_page(team):
    deal = make_deal(team.tenant, team.rep.user)
    client = page_client(team.rep)
    response = client.post(
        "/crm/activities/new/",
        {"target_type": "deal", "target_id": deal.pk, "kind": "visit", "content": "现场踏勘\n客户关注工期",
         "next_contact_on": "2030-01-15", "next": f"/crm/deals/{deal.pk}/"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/crm/deals/{deal.pk}/"
    activity = Activity.objects.get(deal=deal)
    assert (activity.subject, activity.account_id, activity.owner_id) == ("现场踏勘", deal.account_id, team.rep.user.pk)
    deal.account.refresh_from_db()
    assert deal.account.last_activity_summary.endswith("现场踏勘")
    assert "现场踏勘" in client.get(f"/crm/deals/{deal.pk}/").content.decode()


def test_quick_follow_up_by_htmx_redirects_and_bad_input_writes_nothing(team):
    lead = make_lead(team.tenant, team.rep.user)
    client = page_client(team.rep)
    bad = client.post(
        "/crm/activities/new/", {"target_type": "lead", "target_id": lead.pk, "kind": "call"}, HTTP_HX_REQUEST="true"
    )
    assert (
        bad.status_code == 200
        and "activity-form" in bad.content.decode()
        and "invalid-feedback" in bad.content.decode()
    )
    assert not Activity.objects.exists()
    ok = client.post(
        "/crm/activities/new/",
        {"target_type": "lead", "target_id": lead.pk, "kind": "call", "subject": "首次电话"},
        HTTP_HX_REQUEST="true",
    )
    assert ok["HX-Redirect"] == f"/crm/leads/{lead.pk}/"
    lead.refresh_from_db()
    assert lead.first_response_at is not None and lead.status == "contacted"


def test_quick_follow_up_needs_a_record_the_caller_can_see(team):
    theirs = make_account(team.tenant, team.rep2.user)
    response = page_client(team.rep).post(
        "/crm/activities/new/", {"target_type": "account", "target_id": theirs.pk, "kind": "note", "subject": "x"}
    )
    assert response.status_code == 404 and not Activity.objects.exists()
    open_task = page_client(team.rep).post(
        "/crm/activities/new/",
        {"target_type": "deal", "target_id": make_deal(team.tenant, team.rep.user).pk, "kind": "task",
         "subject": "发报价", "due_at": "2030-01-15T17:00"},
    )  # fmt: skip
    assert open_task.status_code == 302 and Activity.objects.get().due_at is not None


def test_bulk_assign_hands_rows_over_with_a_reason_per_row(team):
    a1, a2 = make_account(team.tenant, team.rep.user), make_account(team.tenant, team.rep.user)
    client = page_client(team.manager)
    text = client.get("/crm/accounts/").content.decode()
    assert 'id="bulk-form"' in text and "data-bulk-row" in text
    no_reason = client.post(
        "/crm/accounts/bulk/", {"action": "assign", "ids": [a1.pk, a2.pk], "owner": team.rep2.user.pk}
    )
    assert no_reason.status_code == 302
    assert set(Account.objects.filter(pk__in=[a1.pk, a2.pk]).values_list("owner_id", flat=True)) == {team.rep.user.pk}
    client.post(
        "/crm/accounts/bulk/",
        {"action": "assign", "ids": [a1.pk, a2.pk], "owner": team.rep2.user.pk, "reason": "客户区域调整"},
    )
    assert set(Account.objects.filter(pk__in=[a1.pk, a2.pk]).values_list("owner_id", flat=True)) == {team.rep2.user.pk}
    transfers = AuditEntry.objects.filter(object_type="crm.account", action=AuditAction.TRANSFER)
    assert transfers.count() == 2 and all(e.after["reason"] == "客户区域调整" for e in transfers)


def test_bulk_delete_is_all_or_nothing(team):
    idle = make_account(team.tenant, team.rep.user)
    busy = make_account(team.tenant, team.rep.user)
    make_deal(team.tenant, team.rep.user, busy)
    client = page_client(team.manager)
    response = client.post("/crm/accounts/bulk/", {"action": "delete", "ids": [idle.pk, busy.pk]}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Account.objects.filter(pk__in=[idle.pk, busy.pk]).count() == 2
    client.post("/crm/accounts/bulk/", {"action": "delete", "ids": [idle.pk]})
    assert not Account.objects.filter(pk=idle.pk).exists() and Account.all_objects.filter(pk=idle.pk).exists()


def test_bulk_actions_touch_only_rows_the_caller_may_change(team):
    mine, theirs = make_lead(team.tenant, team.rep.user), make_lead(team.tenant, team.rep2.user)
    deal = make_deal(team.tenant, team.rep.user)
    rep = page_client(team.rep)  # sales may neither transfer nor delete
    assert 'id="bulk-form"' not in rep.get("/crm/leads/").content.decode()
    rep.post("/crm/deals/bulk/", {"action": "delete", "ids": [deal.pk]})
    assert Deal.objects.filter(pk=deal.pk).exists()
    manager = page_client(team.manager)
    manager.post("/crm/leads/bulk/", {"action": "delete", "ids": [mine.pk, theirs.pk, 999999]})
    assert not Lead.objects.filter(pk__in=[mine.pk, theirs.pk]).exists()  # both in the manager's department


def test_saved_filters_are_kept_per_user_and_list_across_sign_ins(team):
    client = page_client(team.rep)
    response = client.post(
        "/crm/filters/save/", {"list": "deals", "name": "本月赢单", "query": "?status=won", "next": "/crm/deals/"}
    )
    assert response.status_code == 302 and response["Location"] == "/crm/deals/"
    text = client.get("/crm/deals/").content.decode()
    assert "本月赢单" in text and 'href="?status=won"' in text
    assert "本月赢单" not in client.get("/crm/accounts/").content.decode()
    assert "本月赢单" in page_client(team.rep).get("/crm/deals/").content.decode()  # a new session, same user
    assert "本月赢单" not in page_client(team.rep2).get("/crm/deals/").content.decode()  # not a colleague's
    client.post("/crm/filters/save/", {"list": "deals", "name": "本月赢单", "query": "?status=open"})
    assert SavedFilter.objects.get(user=team.rep.user, name="本月赢单").query == "status=open"  # replaced, not doubled
    client.post("/crm/filters/save/", {"list": "deals", "name": "  ", "query": "?status=open"})
    assert SavedFilter.objects.filter(user=team.rep.user).count() == 1
    client.get("/crm/accounts/")  # shows (and so clears) the flash messages that name the filter
    client.post("/crm/filters/delete/", {"list": "deals", "name": "本月赢单"})
    assert "本月赢单" not in client.get("/crm/deals/").content.decode()
    assert client.post("/crm/filters/save/", {"list": "nope", "name": "x"}).status_code == 404


def test_only_the_newest_saved_filters_of_a_list_are_kept(team):
    for n in range(MAX_SAVED_FILTERS + 3):
        saved_filter_save(tenant_id=team.tenant.pk, user_id=team.rep.user.pk, list_key="deals", name=f"f{n}", query="")
    names = [f["name"] for f in saved_filters(tenant_id=team.tenant.pk, user_id=team.rep.user.pk, list_key="deals")]
    assert len(names) == MAX_SAVED_FILTERS and names[0] == f"f{MAX_SAVED_FILTERS + 2}" and "f0" not in names
