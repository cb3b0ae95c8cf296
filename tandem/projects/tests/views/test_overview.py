"""The overview tab (key dates against the contract, milestones, warnings, status updates) and the baselines tab."""

from datetime import date

from tandem.projects.models import Baseline, ProjectStatusUpdate
from tandem.projects.services.projects import project_update
from tandem.projects.services.tasks import task_update
from tandem.testing.kit import access_for, make_member, page_client


def overview(member, project):
    response = page_client(member).get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    return response


def test_key_dates_milestones_and_warnings_with_who_acts(plan):
    project_update(access=access_for(plan.pm), project=plan.project, contract_finish=date(2025, 3, 5))
    task_update(access=access_for(plan.pm), task=plan.bridge, duration=4 * 480)
    response = overview(plan.pm, plan.project)
    summary = response.context["summary"]
    assert summary["finish"] == date(2025, 3, 10) and summary["contract_slip"] == 5
    assert summary["baseline_finish"] == date(2025, 3, 7) and summary["baseline_slip"] == 3
    assert summary["critical_open"] == 3 and summary["tasks"] == 4 and summary["progress"] == 0
    milestones = response.context["milestones"]
    assert [m.task.name for m in milestones] == ["送电验收"] and milestones[0].finish_variance == 1
    text = response.content.decode()
    assert 'id="contract-slip"' in text and "+5" in text
    warnings = response.context["warnings"]
    assert warnings[0].kind == "project_late" and warnings[0].owner == plan.pm.user
    assert str(plan.pm.user) in text[text.index('id="delay-warnings"') :]


def test_progress_is_weighted_by_duration(plan):
    task_update(access=access_for(plan.pm), task=plan.bridge, percent_complete=100)  # 3 of 6 working days
    assert overview(plan.pm, plan.project).context["summary"]["progress"] == 50


def test_a_status_update_is_saved_with_its_health_and_shows_in_the_history(plan):
    client = page_client(plan.pm)
    url = f"/projects/{plan.project.pk}/status-updates/"
    response = client.post(url, {"date": "2025-03-04", "health": "at_risk", "text": "电缆到货推迟两天"})
    assert response.status_code == 302 and response["Location"] == f"/projects/{plan.project.pk}/"
    plan.project.refresh_from_db()
    assert plan.project.health == "at_risk"
    update = ProjectStatusUpdate.objects.get(project=plan.project)
    assert update.date == date(2025, 3, 4) and update.author == plan.pm.user
    text = client.get(f"/projects/{plan.project.pk}/").content.decode()
    assert "电缆到货推迟两天" in text[text.index('id="status-updates"') :]


def test_an_incomplete_status_update_saves_nothing(plan):
    client = page_client(plan.pm)
    client.post(f"/projects/{plan.project.pk}/status-updates/", {"date": "2025-03-04", "health": "at_risk", "text": ""})
    assert not ProjectStatusUpdate.objects.filter(project=plan.project).exists()
    finance = make_member(plan.project.tenant, "finance")
    response = page_client(finance).post(
        f"/projects/{plan.project.pk}/status-updates/", {"date": "2025-03-04", "health": "on_track", "text": "x"}
    )
    assert response.status_code == 403


def test_baselines_can_be_saved_overwritten_compared_and_deleted(plan):
    client = page_client(plan.pm)
    url = f"/projects/{plan.project.pk}/baselines/"
    task_update(access=access_for(plan.pm), task=plan.bridge, duration=5 * 480)
    text = client.get(url).content.decode()
    assert "合同基线" in text
    variance = client.get(url).context["slipped"]
    assert {r.task.name for r in variance} == {"A区机电安装", "桥架安装", "电缆敷设", "送电验收"}
    client.post(f"{url}save/", {"name": "调整后基线"})
    second = Baseline.objects.get(project=plan.project, number=2)
    assert second.name == "调整后基线"
    assert client.get(url, {"baseline": second.pk}).context["slipped"] == []
    client.post(f"{url}save/", {"name": "覆盖一号", "number": "1"})
    assert Baseline.objects.get(project=plan.project, number=1).name == "覆盖一号"
    response = client.post(f"{url}{second.pk}/delete/")
    assert response.status_code == 302 and not Baseline.objects.filter(pk=second.pk).exists()


def test_readers_see_baselines_but_cannot_save_or_delete_them(plan):
    finance = make_member(plan.project.tenant, "finance")
    client = page_client(finance)
    url = f"/projects/{plan.project.pk}/baselines/"
    assert 'id="baseline-form"' not in client.get(url).content.decode()
    assert client.post(f"{url}save/", {"name": "x"}).status_code == 403
    assert client.post(f"{url}{plan.baseline.pk}/delete/").status_code == 403
    assert Baseline.objects.filter(project=plan.project).count() == 1
