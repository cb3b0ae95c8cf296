"""The kanban tab: cards by status; dropping a card in a column sets progress and actual dates."""

from tandem.projects.services.progress import task_status_set
from tandem.testing.kit import make_member, page_client


def columns(text):
    """Card names per column, in the page's order."""
    out = {}
    for status in ("not_started", "in_progress", "done"):
        start = text.index(f'class="card-body p-2 kanban-cards" data-status="{status}"')
        end = text.find("kanban-cards", start + 60)
        out[status] = text[start : end if end > 0 else len(text)]
    return out


def test_cards_sit_in_the_column_their_progress_puts_them(plan):
    from tandem.testing.kit import access_for

    task_status_set(access=access_for(plan.pm), task=plan.bridge, status="in_progress")
    text = page_client(plan.pm).get(f"/projects/{plan.project.pk}/kanban/").content.decode()
    cols = columns(text)
    assert "桥架安装" in cols["in_progress"] and "电缆敷设" in cols["not_started"]
    assert "A区机电安装" not in text  # summaries follow their work; they are not cards
    assert f'data-task="{plan.power_on.pk}"' in cols["not_started"]


def test_dropping_a_card_in_done_completes_the_task_and_sends_the_card_back(plan):
    url = f"/projects/{plan.project.pk}/kanban/{plan.bridge.pk}/move/"
    response = page_client(plan.pm).post(url, {"status": "done"})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and f'data-task="{plan.bridge.pk}"' in data["card"] and "100%" in data["card"]
    plan.bridge.refresh_from_db()
    assert plan.bridge.percent_complete == 100 and plan.bridge.actual_finish is not None


def test_a_refused_move_answers_400_with_the_message(plan):
    client = page_client(plan.pm)
    response = client.post(f"/projects/{plan.project.pk}/kanban/{plan.zone.pk}/move/", {"status": "done"})
    assert response.status_code == 400 and response.json()["ok"] is False and response.json()["message"]
    response = client.post(f"/projects/{plan.project.pk}/kanban/{plan.bridge.pk}/move/", {"status": "lost"})
    assert response.status_code == 400


def test_readers_see_the_board_but_cannot_move_cards(plan):
    finance = make_member(plan.project.tenant, "finance")
    client = page_client(finance)
    assert 'data-editable="0"' in client.get(f"/projects/{plan.project.pk}/kanban/").content.decode()
    response = client.post(f"/projects/{plan.project.pk}/kanban/{plan.bridge.pk}/move/", {"status": "done"})
    assert response.status_code == 403
    plan.bridge.refresh_from_db()
    assert plan.bridge.percent_complete == 0
