"""The holiday import page: upload, preview what changes, confirm; a bad file is refused in place with its
problems and nothing is written; the calendar page says which years its holidays cover."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.calendars.models import CalendarException
from tandem.calendars.services.calendars import calendar_create
from tandem.calendars.tests.holiday_files import BAD_CSV_2031, CSV_2031, ICS_2031
from tandem.testing.kit import access_for, api_client, make_member, page_client


def upload(content, name):
    return SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_upload_preview_then_confirm_imports_the_year(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="导入日历", seed_holidays=False)
    client = page_client(admin)
    url = f"/projects/calendars/{calendar.pk}/import-holidays/"
    assert 'id="holiday-file-form"' in client.get(url).content.decode()
    preview = client.post(url, {"file": upload(ICS_2031, "china-2031.ics")})
    page = preview.content.decode()
    assert preview.status_code == 200 and 'id="holiday-plan"' in page
    assert "2031-01-18" in page and "补班" in page and "8 个节假日" in page
    assert not CalendarException.objects.filter(calendar=calendar).exists()  # a preview writes nothing
    done = client.post(url, {"token": token_of(page)})
    assert done.status_code == 302 and done["Location"].endswith(f"/projects/calendars/{calendar.pk}/?year=2031")
    assert CalendarException.objects.filter(calendar=calendar, date__year=2031).count() == 9
    detail = client.get(done["Location"]).content.decode()
    assert 'id="imported-note"' in detail and 'id="library-gap"' not in detail
    coverage = detail[detail.index('id="holiday-coverage"') :]
    assert "2031" in coverage[: coverage.index("</div>")] and "从文件导入" in coverage[: coverage.index("</div>")]


def test_a_bad_file_is_refused_in_place_with_its_problems(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="坏文件", seed_holidays=False)
    response = page_client(admin).post(
        f"/projects/calendars/{calendar.pk}/import-holidays/", {"file": upload(BAD_CSV_2031, "bad.csv")}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'id="holiday-plan"' not in page
    assert "第 3 行" in page and "2031-02-30" in page and "第 4 行" in page
    assert not CalendarException.objects.filter(calendar=calendar).exists()


def test_a_tampered_or_foreign_preview_imports_nothing(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="甲日历", seed_holidays=False)
    other = calendar_create(access=access_for(admin), name="乙日历", seed_holidays=False)
    client = page_client(admin)
    page = client.post(f"/projects/calendars/{calendar.pk}/import-holidays/", {"file": upload(CSV_2031, "a.csv")})
    token = token_of(page.content.decode())
    assert client.post(f"/projects/calendars/{other.pk}/import-holidays/", {"token": token}).status_code == 302
    assert client.post(f"/projects/calendars/{calendar.pk}/import-holidays/", {"token": token[:-2]}).status_code == 302
    assert not CalendarException.objects.exists()


def test_the_api_previews_with_dry_run_then_imports(tenant):
    admin = make_member(tenant, "admin")
    calendar = calendar_create(access=access_for(admin), name="接口日历", seed_holidays=False)
    client = api_client(admin)
    url = f"/api/v1/projects/calendars/{calendar.pk}/import-holidays/"
    dry = client.post(url, {"file": upload(CSV_2031, "2031.csv"), "dry_run": "true"}, format="multipart")
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert body["dry_run"] is True and body["years"] == [2031] and (body["holidays"], body["workdays"]) == (8, 1)
    assert not CalendarException.objects.filter(calendar=calendar).exists()
    done = client.post(url, {"file": upload(CSV_2031, "2031.csv")}, format="multipart")
    assert done.status_code == 200 and done.json()["new"] == 9
    detail = client.get(f"/api/v1/projects/calendars/{calendar.pk}/").json()
    assert detail["holiday_years"] == {"library": [], "imported": [2031]}
    bad = client.post(url, {"file": upload(BAD_CSV_2031, "bad.csv")}, format="multipart")
    assert bad.status_code == 400 and len(bad.json()["errors"]["file"]) == 2
    assert CalendarException.objects.filter(calendar=calendar).count() == 9
