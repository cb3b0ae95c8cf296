"""MS Project resources and assignments through the product's import and export (a real database).

Import: resources matched by name or created (crews from MaxUnits), allocations with the file's units and
work, resource calendars as work calendars; the imported tasks are scheduled — and rescheduled — on the
calendars Project used, so they keep the dates the file stores. Export → import gives the same resources,
units and work.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tandem.accounts.models import Department
from tandem.core.errors import ApplicationError
from tandem.core.models import OutboxEvent
from tandem.projects.models import Project, Task
from tandem.projects.services.mspdi import project_export_mspdi, project_import_mspdi
from tandem.projects.services.scheduling import project_reschedule
from tandem.projects.tests.factories import make_chain, make_project, pm_member
from tandem.resources.choices import ResourceKind
from tandem.resources.models import Allocation, Resource
from tandem.resources.services import mspdi as resources_mspdi
from tandem.resources.tests.factories import make_allocation, make_resource
from tandem.scheduling.engine import mspdi
from tandem.scheduling.engine.cpm import schedule
from tandem.scheduling.engine.mspdi import document as mspdi_document
from tandem.testing.kit import access_for

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[5] / "shared" / "data" / "mspdi-corpus"
needs_data = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"MS Project corpus not found at {CORPUS}")
NS = "{http://schemas.microsoft.com/project}"
WITH_ASSIGNMENTS = [
    *(f"assignment-assignments-project{v}-mspdi.xml" for v in (2002, 2003, 2007, 2010, 2013, 2016, 2019)),
    *(f"assignment-flags-project{v}-mspdi.xml" for v in (2003, 2007, 2010, 2013, 2016, 2019)),
    "mspdiassignmentcustom.xml",
    "mspdiassignmentfields.xml",
    "mspdiresource.xml",
    "mspditimephased.xml",
]


def _import(member, content: bytes, name="mspdiresource.xml", **extra):
    upload = SimpleUploadedFile(name, content, "application/xml")
    return project_import_mspdi(access=access_for(member), upload=upload, **extra)


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _dates(project) -> dict[int, tuple]:
    return {
        t.external_uid: (_local(t.early_start), _local(t.early_finish), _local(t.late_start), _local(t.late_finish))
        for t in Task.objects.filter(project=project)
    }


@needs_data
def test_resources_and_allocations_come_in(tenant):
    member = pm_member(tenant)
    steelray = Department.objects.create(tenant=tenant, name="Steelray")
    project = _import(member, (CORPUS / "mspdiresource.xml").read_bytes(), name="机房布线.xml")
    people = {r.name: r for r in Resource.objects.filter(tenant=tenant)}
    assert sorted(people) == ["Brian Leach", "Jon Iles", "Wade Golden"]  # Concrete is a material
    wade = people["Wade Golden"]
    assert (wade.kind, wade.headcount, wade.code, wade.cost_rate) == (ResourceKind.PERSON, 1, "10", Decimal("50.00"))
    assert wade.department == steelray and people["Jon Iles"].department is None
    assert wade.notes == "Resource Notes 1"
    # His calendar is the standard one unchanged: he works the project calendar, no copy of it is made.
    assert wade.calendar == project.calendar
    night = people["Brian Leach"].calendar
    assert night.week[0] == [["23:00", "24:00"]] and night.week[6] == []  # the night shift of his base calendar
    rows = {
        (a.task.external_uid, a.resource.name): (a.units, a.work, a.external_uid)
        for a in Allocation.objects.filter(project=project).select_related("task", "resource")
    }
    assert rows == {
        (2, "Wade Golden"): (Decimal("100.00"), 1440, 5),
        (2, "Jon Iles"): (Decimal("100.00"), 1440, 6),
        (2, "Brian Leach"): (Decimal("100.00"), 1440, 7),
        (3, "Wade Golden"): (Decimal("100.00"), 2400, 8),
        (4, "Wade Golden"): (Decimal("100.00"), 960, 9),
    }
    assert any("Concrete" in warning for warning in project.import_warnings)
    assert OutboxEvent.objects.filter(name="resources.allocation.changed").count() == 3
    assert OutboxEvent.objects.filter(name="resources.resource.created").count() == 3


@needs_data
def test_resources_are_matched_by_name_and_crews_come_from_max_units(tenant):
    member = pm_member(tenant)
    wade = make_resource(tenant, "Wade Golden", cost_rate=Decimal("80"))
    text = (CORPUS / "mspdiresource.xml").read_text(encoding="utf-8")
    head, _name, jon = text.rpartition("<Name>Jon Iles</Name>")  # the resource, not his calendar
    jon = jon.replace("<MaxUnits>1.00</MaxUnits>", "<MaxUnits>4.00</MaxUnits>", 1)
    content = (head + "<Name>弱电班组</Name>" + jon).encode("utf-8")
    _import(member, content)
    wade.refresh_from_db()
    assert wade.cost_rate == Decimal("80.00") and wade.calendar is None  # used as it is, not changed
    crew = Resource.objects.get(tenant=tenant, name="弱电班组")
    assert (crew.kind, crew.headcount) == (ResourceKind.CREW, 4)
    _import(member, content)  # a second import creates no second 李工, Wade or crew
    assert Resource.objects.filter(tenant=tenant).count() == 3
    assert Allocation.objects.filter(resource=wade).count() == 6


@needs_data
def test_a_task_keeps_the_dates_its_resources_calendars_gave_it(tenant):
    """Task A is worked by two day-shift people and a night-shift one: Project ends it on Wednesday 08:00."""
    member = pm_member(tenant)
    project = _import(member, (CORPUS / "mspdiresource.xml").read_bytes())
    expected = {
        t["UID"]: t for t in json.loads((CORPUS / "expected" / "mspdiresource.expected.json").read_text())["tasks"]
    }
    task = Task.objects.get(project=project, external_uid=2)
    for field, value in (("EarlyStart", task.early_start), ("EarlyFinish", task.early_finish)):
        assert _local(value).isoformat() == expected["2"][field]
    assert _local(task.late_finish).isoformat() == expected["2"]["LateFinish"]
    assert task.calendar.name.endswith("Standard + Brian Leach")  # when any of them works


@needs_data
@pytest.mark.parametrize("name", WITH_ASSIGNMENTS)
def test_imported_and_rescheduled_dates_are_the_engines_with_resource_calendars(tenant, name):
    """Every task of every corpus file with assignments gets the dates the engine computes on its resources'
    calendars (compared with Project's own dates, file by file, in scheduling/tests/test_mspdi_resources.py);
    a reschedule changes none of them."""
    member = pm_member(tenant)
    content = (CORPUS / name).read_bytes()
    project = _import(member, content, name=name)
    document = mspdi.read(content)
    rows = schedule(document.to_project())
    engine = {
        int(uid): (row.early_start, row.early_finish, row.late_start, row.late_finish) for uid, row in rows.items()
    }
    stored = _dates(project)
    assert stored == {uid: engine[uid] for uid in stored}
    project_reschedule(project=project)
    assert _dates(project) == stored
    people = {r.uid for r in document.resources if r.type == mspdi_document.WORK}
    kept = [a for a in document.assignments if a.task_uid != 0 and a.resource_uid in people]
    allocations = Allocation.objects.filter(project=project)
    assert allocations.count() == len(kept) > 0
    assert sum(a.work for a in allocations) == sum(a.work for a in kept)


@needs_data
@pytest.mark.parametrize("name", ["mspdiresource.xml", "mspditimephased.xml", "assignment-flags-project2013-mspdi.xml"])
def test_import_export_import_keeps_resources_units_and_work(tenant, name):
    member = pm_member(tenant)
    first = _import(member, (CORPUS / name).read_bytes(), name=name)
    body = project_export_mspdi(access=access_for(member), project=first)
    resources = Resource.objects.filter(tenant=tenant).count()
    second = _import(member, body, name="again.xml")
    assert Resource.objects.filter(tenant=tenant).count() == resources  # matched by name, none doubled

    def allocations(project):
        return sorted(
            (a.task.name, a.resource.name, a.units, a.work)
            for a in Allocation.objects.filter(project=project).select_related("task", "resource")
        )

    assert allocations(second) == allocations(first) != []

    def dates(project):
        return sorted(
            (t.name, t.early_start, t.early_finish, t.late_start, t.late_finish)
            for t in Task.objects.filter(project=project)
        )

    assert dates(second) == dates(first)


def test_export_writes_allocations_and_their_resources(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member, name="机房改造")
    wiring, testing = make_chain(project, member, "机房布线", "弱电调试", days=2)
    crew = make_resource(tenant, "弱电班组", kind=ResourceKind.CREW, headcount=5, cost_rate=Decimal("120"))
    li = make_resource(tenant, "李工", code="LG", calendar=project.calendar)
    make_allocation(crew, wiring, member, units=500)
    make_allocation(li, testing, member, units=50)
    root = fromstring(project_export_mspdi(access=access_for(member), project=project))
    resources = {r.findtext(f"{NS}Name"): r for r in root.iter(f"{NS}Resource") if r.findtext(f"{NS}Name")}
    assert resources["弱电班组"].findtext(f"{NS}MaxUnits") == "5.00"
    assert resources["弱电班组"].findtext(f"{NS}StandardRate") == "120"
    assert resources["李工"].findtext(f"{NS}Initials") is None and resources["李工"].findtext(f"{NS}Code") == "LG"
    calendar_uid = resources["李工"].findtext(f"{NS}CalendarUID")
    calendar = next(c for c in root.iter(f"{NS}Calendar") if c.findtext(f"{NS}UID") == calendar_uid)
    assert calendar.findtext(f"{NS}IsBaseCalendar") == "0" and calendar.findtext(f"{NS}Name") == "李工"
    uids = {t.findtext(f"{NS}Name"): t.findtext(f"{NS}UID") for t in root.iter(f"{NS}Task")}
    assignments = {
        (a.findtext(f"{NS}TaskUID"), a.findtext(f"{NS}ResourceUID")): (
            a.findtext(f"{NS}Units"),
            a.findtext(f"{NS}Work"),
        )
        for a in root.iter(f"{NS}Assignment")
    }
    assert assignments == {
        (uids["机房布线"], str(crew.pk)): ("5", f"PT{wiring.duration * 5 // 60}H0M0S"),
        (uids["弱电调试"], str(li.pk)): ("0.5", f"PT{testing.duration // 2 // 60}H0M0S"),
    }
    # Tandem scheduled these tasks on the project calendar: Project is told to as well.
    task = next(t for t in root.iter(f"{NS}Task") if t.findtext(f"{NS}Name") == "弱电调试")
    assert task.findtext(f"{NS}IgnoreResourceCalendar") == "1"
    assert task.findtext(f"{NS}CalendarUID") == root.findtext(f"{NS}CalendarUID")


def test_export_without_allocations_has_no_resources(tenant):
    member = pm_member(tenant)
    project = make_project(tenant, member=member)
    make_chain(project, member, "机房布线", days=1)
    root = fromstring(project_export_mspdi(access=access_for(member), project=project))
    assert [r.findtext(f"{NS}UID") for r in root.iter(f"{NS}Resource")] == ["0"]
    assert list(root.iter(f"{NS}Assignment")) == []


@needs_data
def test_budget_resources_are_left_out_with_a_warning(tenant):
    member = pm_member(tenant)
    project = _import(member, (CORPUS / "mspdiassignmentfields.xml").read_bytes(), name="预算.xml")
    assert sorted(Resource.objects.filter(tenant=tenant).values_list("name", flat=True)) == [
        "Resource One",
        "Resource Two",
    ]
    assert sum("预算资源" in warning for warning in project.import_warnings) == 2
    assert sorted(Allocation.objects.filter(project=project).values_list("units", flat=True)) == [
        Decimal("25.00"),
        Decimal("100.00"),
    ]


@needs_data
def test_too_many_resources_refuse_the_whole_import(tenant, monkeypatch):
    monkeypatch.setattr(resources_mspdi, "MAX_RESOURCES", 2)
    member = pm_member(tenant)
    with pytest.raises(ApplicationError) as caught:
        _import(member, (CORPUS / "mspdiresource.xml").read_bytes())
    assert caught.value.code == "mspdi_too_large"
    assert not Project.objects.filter(tenant=tenant).exists() and not Resource.objects.filter(tenant=tenant).exists()
