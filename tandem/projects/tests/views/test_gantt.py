"""The Gantt tab: the data it draws from, and the round trip a drag makes (API change → reschedule → data)."""

import json

from tandem.testing.kit import api_client, make_member, page_client


def gantt_data(member, project, **params):
    response = page_client(member).get(f"/projects/{project.pk}/gantt/data/", params)
    assert response.status_code == 200
    return response.json()


def by_name(data):
    return {t["name"]: t for t in data["tasks"]}


def test_the_data_has_local_dates_working_day_durations_critical_flags_and_typed_links(plan):
    data = gantt_data(plan.pm, plan.project)
    tasks = by_name(data)
    assert [t["wbs"] for t in data["tasks"]] == ["1", "1.1", "1.2", "1.3", "2"]
    assert (
        tasks["桥架安装"].items()
        >= {"start": "2025-03-03", "finish": "2025-03-05", "duration": 3.0, "critical": True}.items()
    )
    assert tasks["电缆敷设"]["start"] == "2025-03-06" and tasks["电缆敷设"]["start_at"] == "2025-03-06 08:00"
    assert tasks["标识牌制作"]["critical"] is False and tasks["标识牌制作"]["float"] == 4.0
    assert tasks["送电验收"]["milestone"] is True and tasks["送电验收"]["start"] == "2025-03-07"
    assert tasks["A区机电安装"]["summary"] is True and tasks["A区机电安装"]["duration"] == 5.0
    assert tasks["桥架安装"]["level"] == 2 and tasks["桥架安装"]["parent"] == plan.zone.pk
    link = next(link for link in data["links"] if link["from"] == plan.bridge.pk)
    assert link == {
        "id": link["id"],
        "from": plan.bridge.pk,
        "to": plan.cable.pk,
        "type": "FS",
        "lag": 0.0,
        "lag_minutes": 0,
    }
    assert data["project"]["finish"] == "2025-03-07" and data["project"]["contract_finish"] == "2025-03-07"
    assert data["project"]["minutes_per_day"] == 480
    # Weekends are shaded and counted as non-working; so is a Chinese public holiday.
    assert "2025-03-08" in data["calendar"]["off"] and "2025-03-07" not in data["calendar"]["off"]


def test_the_chosen_baseline_is_drawn_under_each_task_or_none(plan):
    data = gantt_data(plan.pm, plan.project)
    assert data["baseline"] == plan.baseline.pk
    assert by_name(data)["电缆敷设"]["baseline_start"] == "2025-03-06"
    assert by_name(data)["电缆敷设"]["finish_variance"] == 0
    data = gantt_data(plan.pm, plan.project, baseline="0")
    assert data["baseline"] is None and by_name(data)["电缆敷设"]["baseline_start"] is None


def test_dragging_a_bar_sets_start_no_earlier_than_and_the_successors_and_critical_path_follow(plan):
    """What the chart sends when a bar is dropped three days later, and what it then reads back."""
    response = api_client(plan.pm).patch(
        f"/api/v1/projects/tasks/{plan.bridge.pk}/",
        {"constraint_type": "SNET", "constraint_date": "2025-03-06T00:00:00"},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = gantt_data(plan.pm, plan.project)
    tasks = by_name(data)
    assert tasks["桥架安装"]["start"] == "2025-03-06" and tasks["桥架安装"]["constraint"] == "SNET"
    assert tasks["电缆敷设"]["start"] == "2025-03-11"  # after the weekend
    assert tasks["送电验收"]["start"] == "2025-03-12"
    assert data["project"]["finish"] == "2025-03-12"
    assert tasks["电缆敷设"]["finish_variance"] == 3
    assert tasks["标识牌制作"]["critical"] is False and tasks["标识牌制作"]["float"] == 7.0


def test_resizing_a_bar_changes_the_duration_in_working_days(plan):
    response = api_client(plan.pm).patch(
        f"/api/v1/projects/tasks/{plan.cable.pk}/", {"duration": 4 * 480}, format="json"
    )
    assert response.status_code == 200
    tasks = by_name(gantt_data(plan.pm, plan.project))
    assert tasks["电缆敷设"]["finish"] == "2025-03-11" and tasks["电缆敷设"]["duration"] == 4.0


def test_an_undo_sends_back_the_stored_values_and_the_schedule_is_as_before(plan):
    """What the chart's undo sends after a drag: the stored constraint and duration this data gave it, not the
    rounded days it draws."""
    before = gantt_data(plan.pm, plan.project)
    bridge = by_name(before)["桥架安装"]
    assert bridge["duration_minutes"] == 3 * 480
    assert bridge["constraint"] == "ASAP" and bridge["constraint_at"] is None
    client = api_client(plan.pm)
    url = f"/api/v1/projects/tasks/{plan.bridge.pk}/"
    edit = {"constraint_type": "SNET", "constraint_date": "2025-03-06T00:00:00", "duration": 4 * 480}
    assert client.patch(url, edit, format="json").status_code == 200
    moved = by_name(gantt_data(plan.pm, plan.project))["桥架安装"]
    assert moved["constraint_at"] is not None and moved["start"] == "2025-03-06"
    undo = {"constraint_type": bridge["constraint"], "constraint_date": None, "duration": bridge["duration_minutes"]}
    assert client.patch(url, undo, format="json").status_code == 200
    assert gantt_data(plan.pm, plan.project)["tasks"] == before["tasks"]
    # A constraint set earlier comes back to the minute through its stored value.
    redo = {"constraint_type": "SNET", "constraint_date": moved["constraint_at"], "duration": 4 * 480}
    assert client.patch(url, redo, format="json").status_code == 200
    assert by_name(gantt_data(plan.pm, plan.project))["桥架安装"] == moved


def test_a_link_that_closes_a_loop_is_refused_and_nothing_changes(plan):
    before = gantt_data(plan.pm, plan.project)
    response = api_client(plan.pm).post(
        "/api/v1/projects/dependencies/", {"predecessor": plan.cable.pk, "successor": plan.bridge.pk}, format="json"
    )
    assert response.status_code == 400
    assert "电缆敷设" in response.json()["detail"] and "桥架安装" in response.json()["detail"]
    assert gantt_data(plan.pm, plan.project) == before


def test_the_page_carries_its_configuration_and_words_for_the_script(plan):
    text = page_client(plan.pm).get(f"/projects/{plan.project.pk}/gantt/").content.decode()
    start = text.index('<script id="gantt-config" type="application/json">') + len(
        '<script id="gantt-config" type="application/json">'
    )
    config = json.loads(text[start : text.index("</script>", start)])
    assert config["dataUrl"] == f"/projects/{plan.project.pk}/gantt/data/"
    assert config["taskUrl"] == "/api/v1/projects/tasks/" and config["linkUrl"] == "/api/v1/projects/dependencies/"
    assert config["can"]["change_task"] and config["can"]["add_dependency"]
    assert config["strings"]["today"] == "今天" and config["strings"]["critical"] == "关键"
    assert 'id="task-modal"' in text and 'id="link-modal"' in text


def test_a_reader_gets_the_chart_without_editing_tools(plan):
    finance = make_member(plan.project.tenant, "finance")
    response = page_client(finance).get(f"/projects/{plan.project.pk}/gantt/")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="task-modal"' not in text and 'id="link-modal"' not in text
    assert '"change_task": false' in text
