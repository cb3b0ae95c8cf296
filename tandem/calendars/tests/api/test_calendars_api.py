"""Work calendars API: create, seed from the holiday library (only the years it knows), exceptions, bad weeks."""

from tandem.testing.kit import api_client, make_member


def test_calendar_endpoints_say_which_years_the_library_covers(tenant):
    admin = make_member(tenant, "admin")
    client = api_client(admin)
    response = client.post("/api/v1/projects/calendars/", {"name": "六天工作制", "seed_holidays": False})
    assert response.status_code == 201
    body = response.json()
    first, last = body["holiday_library_years"]
    assert first <= 2025 <= last
    outside = client.post(f"/api/v1/projects/calendars/{body['id']}/seed-holidays/", {"years": [last + 5]})
    assert outside.status_code == 400 and str(last) in outside.json()["detail"]
    seeded = client.post(f"/api/v1/projects/calendars/{body['id']}/seed-holidays/", {"years": [2025]})
    assert seeded.status_code == 200 and seeded.json()["changed"] > 20
    exceptions = client.get(f"/api/v1/projects/calendars/{body['id']}/exceptions/", {"year": 2025}).json()
    assert any(e["date"] == "2025-10-01" and not e["is_working"] for e in exceptions)
    bad_week = client.patch(f"/api/v1/projects/calendars/{body['id']}/", {"week": [[["17:00", "08:00"]]] * 7})
    assert bad_week.status_code == 400
