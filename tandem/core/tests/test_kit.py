"""The kit every app builds on: one tenant check, one error key, one not-found for pages and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory

from tandem.core.api.errors import problem_exception_handler
from tandem.core.api.inputs import member, visible
from tandem.core.errors import NON_FIELD, ApplicationError, NotFound
from tandem.core.middleware import ApplicationErrorMiddleware
from tandem.core.services import check_tenant, full_clean, validation_errors
from tandem.core.views import record_or_404
from tandem.testing.kit import access_for, make_member, make_tenant
from tandem.testing.models import SampleRecord


def test_errors_of_no_one_field_have_one_key():
    model_level = ValidationError({"__all__": ["Dates overlap."], "name": ["Required."]})
    assert validation_errors(model_level) == {NON_FIELD: ["Dates overlap."], "name": ["Required."]}
    assert validation_errors(ValidationError("Too large.")) == {NON_FIELD: ["Too large."]}
    response = problem_exception_handler(ApplicationError("No.", errors={"__all__": ["Dates overlap."]}), {})
    assert response.status_code == 400
    assert response.data["errors"] == {NON_FIELD: ["Dates overlap."]}


@pytest.mark.django_db
def test_full_clean_answers_field_errors_not_a_server_error(tenant):
    record = SampleRecord(tenant=tenant, name="")
    with pytest.raises(ApplicationError) as caught:
        full_clean(record, exclude=["owner"])
    assert "name" in caught.value.errors


@pytest.mark.django_db
def test_another_tenants_record_is_not_found_in_services_pages_and_inputs(tenant, other_tenant):
    mine = make_member(tenant, "admin")
    theirs = SampleRecord.objects.create(tenant=other_tenant, name="theirs", owner=make_member(other_tenant).user)
    access = access_for(mine)
    with pytest.raises(NotFound):
        check_tenant(access, theirs)
    request = RequestFactory().get("/")
    request.access = access
    with pytest.raises(Http404):
        record_or_404(request, SampleRecord, theirs.pk)
    with pytest.raises(ApplicationError) as caught:
        visible(access, SampleRecord, theirs.pk, "record")
    assert list(caught.value.errors) == ["record"]
    with pytest.raises(ApplicationError):
        member(access, theirs.owner_id, "owner")


@pytest.mark.django_db
def test_own_record_loads_through_the_page_kit(tenant):
    admin = make_member(tenant, "admin")
    mine = SampleRecord.objects.create(tenant=tenant, name="mine", owner=admin.user)
    request = RequestFactory().get("/")
    request.access = access_for(admin)
    assert record_or_404(request, SampleRecord, mine.pk) == mine
    assert record_or_404(request, SampleRecord.objects.filter(name="mine"), mine.pk) == mine


def test_a_services_not_found_is_a_404_page():
    middleware = ApplicationErrorMiddleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_exception(RequestFactory().get("/"), NotFound("Not found."))
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("a bug")) is None


@pytest.mark.django_db
def test_other_tenant_fixture_is_a_separate_tenant():
    assert make_tenant().pk != make_tenant().pk


def _post(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_button_action_flashes_and_goes_back(rf):
    from tandem.core.views import post_action

    done = _post(rf)
    response = post_action(done, act=lambda: None, message="Signed.", success="/ok/", failure="/back/")
    assert response.url == "/ok/" and [str(m) for m in done._messages] == ["Signed."]

    def refuse():
        raise ApplicationError("Already signed.")

    refused = _post(rf)
    response = post_action(refused, act=refuse, message="Signed.", success="/ok/", failure="/back/")
    assert response.url == "/back/" and [str(m) for m in refused._messages] == ["Already signed."]
    assert post_action(_post(rf), act=refuse, message="Signed.", success="/ok/").url == "/ok/"
