"""MS Project XML through the API: each sample file imports with Microsoft Project's own dates;
malformed or hostile XML is a 400 and writes nothing; export opens again as the same schedule."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tandem.calendars.models import CalendarException, WorkCalendar
from tandem.core.models import OutboxEvent
from tandem.projects.models import Dependency, Project, Task
from tandem.scheduling.engine.mspdi import read
from tandem.testing.kit import api_client, make_member

DATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "mspdi"
FILES = sorted(DATA.glob("*.xml")) if DATA.is_dir() else []
URL = "/api/v1/projects/import/mspdi/"
needs_data = pytest.mark.skipif(not FILES, reason=f"MSPDI samples not found at {DATA}")


def upload(client, filename: str, content: bytes, **extra):
    file = SimpleUploadedFile(filename, content, "application/xml")
    return client.post(URL, {"file": file, **extra}, format="multipart")


def local_iso(value):
    return timezone.localtime(value).replace(tzinfo=None).isoformat() if value else None


@needs_data
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_sample_imports_with_microsoft_projects_dates(tenant, path):
    pm = make_member(tenant, "pm")
    response = upload(api_client(pm), path.name, path.read_bytes())
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    expected = json.loads((DATA / "expected" / f"{path.stem}.expected.json").read_text())
    rows = [t for t in expected["tasks"] if t["UID"] != "0" and t.get("Name") is not None]
    tasks = {t.external_uid: t for t in Task.objects.filter(project=project)}
    assert len(tasks) == len(rows)
    links = sum(len(t["predecessors"]) for t in rows)
    assert Dependency.objects.filter(project=project).count() == links
    for row in rows:
        task = tasks[int(row["UID"])]
        assert task.name == row["Name"]
        for field, value in (
            ("EarlyStart", task.early_start),
            ("EarlyFinish", task.early_finish),
            ("LateStart", task.late_start),
            ("LateFinish", task.late_finish),
        ):
            assert local_iso(value) == row[field], (row["UID"], field)
        assert task.total_float == int(row["TotalSlack"]) // 10, row["UID"]
        assert task.is_critical == (row["Critical"] == "1"), row["UID"]


@needs_data
def test_the_wbs_and_link_types_come_across(tenant):
    pm = make_member(tenant, "pm")
    path = DATA / "mspdirelations.xml"
    project_id = upload(api_client(pm), path.name, path.read_bytes(), name="关系测试", code="MSP-1").json()["id"]
    project = Project.objects.get(pk=project_id)
    assert (project.name, project.code) == ("关系测试", "MSP-1")
    assert sorted(Dependency.objects.filter(project=project).values_list("type", flat=True)) == ["FF", "FS", "SF", "SS"]
    assert project.calendar.name.startswith("关系测试")
    assert OutboxEvent.objects.filter(name="projects.project.imported").count() == 1


HOSTILE = {
    "xxe": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&x;</Name></Project>',
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<Project><Name>&lol3;</Name></Project>",
    "not-xml": b"PK\x03\x04 this is a zip, not XML",
    "truncated": b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task>',
    "wrong-root": b'<?xml version="1.0"?><Workbook/>',
    "no-start": b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Name>x</Name></Project>',
    "empty": b"",
}


def _counts():
    return (
        Project.all_objects.count(),
        Task.objects.count(),
        WorkCalendar.objects.count(),
        CalendarException.objects.count(),
        OutboxEvent.objects.count(),
    )


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_or_malformed_xml_is_refused_and_writes_nothing(tenant, kind):
    pm = make_member(tenant, "pm")
    client = api_client(pm)
    before = _counts()
    response = upload(client, f"{kind}.xml", HOSTILE[kind])
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"]["file"]
    assert _counts() == before


def english(client):
    """The messages are asserted in English; a token client gets the tenant's Chinese otherwise."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_huge_file_is_refused_before_parsing(tenant, monkeypatch):
    from tandem.projects.services import mspdi

    monkeypatch.setattr(mspdi, "DEFAULT_MAX_BYTES", 1000)
    pm = make_member(tenant, "pm")
    before = _counts()
    response = upload(english(api_client(pm)), "big.xml", b"<Project>" + b" " * 5000 + b"</Project>")
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]
    assert _counts() == before


@needs_data
def test_a_file_whose_links_loop_writes_nothing(tenant):
    text = (DATA / "mspdirelations.xml").read_text(encoding="utf-8")
    document = read(text)
    first, last = document.tasks[1], document.tasks[-1]
    # Make the first task depend on the last one: the chain now loops.
    looped, replaced = re.subn(
        rf"(<Task>\s*<UID>{first.uid}</UID>)",
        rf"\1<PredecessorLink><PredecessorUID>{last.uid}</PredecessorUID><Type>1</Type></PredecessorLink>",
        text,
        count=1,
    )
    assert replaced == 1
    pm = make_member(tenant, "pm")
    before = _counts()
    response = upload(english(api_client(pm)), "loop.xml", looped.encode())
    assert response.status_code == 400
    assert "loop" in response.json()["detail"]
    assert _counts() == before


def test_import_needs_the_import_permission(tenant):
    foreman = make_member(tenant, "foreman")
    assert upload(api_client(foreman), "x.xml", b"<Project/>").status_code == 403


@needs_data
def test_export_opens_as_the_same_schedule_and_imports_again(tenant):
    pm = make_member(tenant, "pm")
    client = api_client(pm)
    path = DATA / "task-links-project2013-mspdi.xml"
    first = upload(client, path.name, path.read_bytes()).json()["id"]
    response = client.get(f"/api/v1/projects/projects/{first}/export/mspdi/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = read(response.content)
    assert len([t for t in document.tasks if not t.is_project_summary]) == Task.objects.filter(project=first).count()
    second = upload(client, "again.xml", response.content).json()["id"]
    dates = {
        project: sorted(
            Task.objects.filter(project_id=project).values_list("name", "early_start", "late_finish", "total_float")
        )
        for project in (first, second)
    }
    assert dates[first] == dates[second]


def test_export_needs_the_export_permission(tenant):
    from tandem.projects.tests.factories import make_project

    project = make_project(tenant)
    foreman = make_member(tenant, "foreman")
    assert api_client(foreman).get(f"/api/v1/projects/projects/{project.pk}/export/mspdi/").status_code in (403, 404)


@needs_data
def test_what_was_adjusted_on_import_is_reported_to_the_api_and_the_page(tenant):
    from tandem.testing.kit import page_client

    pm = make_member(tenant, "pm")
    text = (DATA / "mspdirelations.xml").read_text(encoding="utf-8")
    adjusted = text.replace("<ConstraintType>0</ConstraintType>", "<ConstraintType>4</ConstraintType>", 1).encode()
    response = upload(api_client(pm), "adjusted.xml", adjusted)
    assert response.status_code == 201, response.content
    [warning] = response.json()["import_warnings"]
    assert "has no date; scheduled as soon as possible" in warning
    assert upload(api_client(pm), "plain.xml", text.encode()).json()["import_warnings"] == []

    browser = page_client(pm)
    page = browser.post(
        "/projects/import/",
        {"file": SimpleUploadedFile("adjusted.xml", adjusted, "application/xml"), "name": "", "code": ""},
        follow=True,
    )
    assert "在导入时做了调整" in page.content.decode()
