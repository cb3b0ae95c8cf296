"""The calendar tab: a month grid of the work each working day, milestones, holidays and make-up workdays."""

from datetime import date

from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.testing.kit import page_client


def cell(text, day: int, month_marker="day-number"):
    """The HTML of the first grid cell showing `day` (in the month asked for)."""
    marker = f'<span class="{month_marker}">{day}</span>'
    index = text.index(marker)
    start = text.rindex("<td", 0, index)
    return text[start : text.index("</td>", index)]


def test_tasks_show_on_their_working_days_and_the_milestone_on_its_day(plan):
    text = page_client(plan.pm).get(f"/projects/{plan.project.pk}/calendar/", {"month": "2025-03"}).content.decode()
    assert "2025" in text and 'id="month-grid"' in text
    assert "桥架安装" in cell(text, 3) and "电缆敷设" not in cell(text, 3)
    assert "电缆敷设" in cell(text, 7) and "送电验收" in cell(text, 7) and "cal-milestone" in cell(text, 7)
    assert "day-off" in cell(text, 8) and "cal-item" not in cell(text, 8)
    assert "cal-critical" in cell(text, 4)


def test_holidays_and_make_up_workdays_are_named_and_work_skips_the_holiday(tenant):
    pm = pm_member(tenant)
    project = make_project(tenant, member=pm, start_date=date(2025, 4, 1))
    make_chain(project, pm, "洁净度检测", days=5)
    text = page_client(pm).get(f"/projects/{project.pk}/calendar/", {"month": "2025-04"}).content.decode()
    holiday = cell(text, 4)  # 清明节, a Friday off
    assert "day-off" in holiday and "洁净度检测" not in holiday and "清明" in holiday
    assert "调休上班" in cell(text, 27)  # the Sunday worked for 劳动节
    assert "洁净度检测" in cell(text, 7)


def test_the_month_defaults_to_the_project_start_and_navigates(plan):
    text = page_client(plan.pm).get(f"/projects/{plan.project.pk}/calendar/").content.decode()
    assert "?month=2025-02" in text and "?month=2025-04" in text and "桥架安装" in text
    bad = page_client(plan.pm).get(f"/projects/{plan.project.pk}/calendar/", {"month": "2025-13"})
    assert bad.status_code == 200 and "?month=2025-04" in bad.content.decode()
