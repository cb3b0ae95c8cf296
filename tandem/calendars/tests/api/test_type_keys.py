"""Work calendars keep the object-type key they had in the projects app: role codes, audit rows and the generic
record endpoints (attachments, shares) name them `projects.workcalendar`, though the model is calendars'."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.calendars.models import CalendarException, ResourceCalendar, WorkCalendar
from tandem.calendars.services.calendars import calendar_create
from tandem.core.models import Attachment
from tandem.core.permissions import get_type, model_of, permission_code, type_key
from tandem.testing.kit import access_for, api_client, make_member


def test_the_models_answer_to_their_projects_keys():
    assert WorkCalendar._meta.app_label == "calendars"
    assert [type_key(m) for m in (WorkCalendar, CalendarException, ResourceCalendar)] == [
        "projects.workcalendar",
        "projects.calendarexception",
        "projects.resourcecalendar",
    ]
    assert permission_code(WorkCalendar, "change") == "projects.change_workcalendar"
    assert get_type("projects.workcalendar").codes == [
        "projects.view_workcalendar",
        "projects.add_workcalendar",
        "projects.change_workcalendar",
        "projects.delete_workcalendar",
    ]
    assert model_of("projects.workcalendar") is WorkCalendar


def test_audit_rows_and_record_endpoints_use_the_projects_key(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="六天制", seed_holidays=False)
    assert AuditEntry.objects.filter(object_type="projects.workcalendar", object_id=str(calendar.pk)).exists()
    client = api_client(admin)
    url = f"/api/v1/records/projects.workcalendar/{calendar.pk}/attachments/"
    pdf = SimpleUploadedFile("排班表.pdf", b"%PDF-1.4 roster", content_type="application/pdf")
    assert client.post(url, {"file": pdf}, format="multipart").status_code == 201
    assert [a["name"] for a in client.get(url).json()] == ["排班表.pdf"]
    assert Attachment.objects.get().content_type.app_label == "calendars"
    assert client.get(f"/api/v1/records/calendars.workcalendar/{calendar.pk}/attachments/").status_code == 404
