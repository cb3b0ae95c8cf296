"""Outbound webhook pages: the endpoint list, the form with event type checkboxes, and one endpoint's page
with its secret (revealed on request), rotation, a test event and the delivery log with replay."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tandem.automation.models import DeliveryStatus
from tandem.automation.webhooks import selectors, services
from tandem.automation.webhooks.events import KNOWN_EVENT_TYPES, wildcard_choices
from tandem.automation.webhooks.forms import EndpointForm
from tandem.core.errors import ApplicationError
from tandem.core.views import form_page, paginate, record_or_404, tenant_view

STATUS_BADGES = {
    DeliveryStatus.PENDING: "text-bg-secondary",
    DeliveryStatus.RETRYING: "text-bg-warning",
    DeliveryStatus.SUCCEEDED: "text-bg-success",
    DeliveryStatus.FAILED: "text-bg-danger",
}
# "Pending" alone is already translated for receipts (待回款); the delivery log says what it means here.
STATUS_LABELS = {
    DeliveryStatus.PENDING: pgettext_lazy("webhook delivery", "Pending"),
    DeliveryStatus.RETRYING: pgettext_lazy("webhook delivery", "Retrying"),
    DeliveryStatus.SUCCEEDED: pgettext_lazy("webhook delivery", "Delivered"),
    DeliveryStatus.FAILED: pgettext_lazy("webhook delivery", "Failed"),
}


def _endpoint(request, pk: int, action: str = "view"):
    return record_or_404(request, selectors.endpoint_list(access=request.access, action=action), pk)


def _can(access) -> dict[str, bool]:
    return {
        action: access.has_perm(f"automation.{action}_webhookendpoint")
        for action in ("view", "add", "change", "delete")
    }


def _labels() -> dict[str, str]:
    return {name: str(label) for name, label in [*wildcard_choices(), *KNOWN_EVENT_TYPES]}


@tenant_view("automation.view_webhookendpoint")
def endpoint_list(request):
    """The tenant's endpoints with what they subscribe to and how their deliveries went."""
    labels = _labels()
    rows = list(selectors.endpoint_list(access=request.access))
    for endpoint in rows:
        endpoint.event_labels = [labels.get(name, name) for name in endpoint.event_types]
    context = {"endpoints": rows, "can": _can(request.access)}
    return render(request, "automation/webhooks/list.html", context)


@tenant_view("automation.add_webhookendpoint")
def endpoint_add(request):
    """A new endpoint; its page then shows the secret the receiver verifies signatures with."""
    return form_page(
        request,
        form=EndpointForm(request.POST or None, initial={"enabled": True}),
        template="automation/webhooks/form.html",
        save=lambda form: services.endpoint_create(access=request.access, **form.cleaned_data),
        message=_("Webhook endpoint created. Copy its signing secret to your receiver."),
        success=lambda endpoint: reverse("automation:webhook_detail", kwargs={"pk": endpoint.pk}),
        context={"endpoint": None},
        invalid_status=400,
    )


@tenant_view("automation.change_webhookendpoint")
def endpoint_edit(request, pk: int):
    endpoint = _endpoint(request, pk, action="change")
    fields = ("url", "description", "event_types", "enabled")
    return form_page(
        request,
        form=EndpointForm(request.POST or None, initial={name: getattr(endpoint, name) for name in fields}),
        template="automation/webhooks/form.html",
        save=lambda form: services.endpoint_update(access=request.access, endpoint=endpoint, **form.cleaned_data),
        message=_("Webhook endpoint saved."),
        success=reverse("automation:webhook_detail", kwargs={"pk": endpoint.pk}),
        context={"endpoint": endpoint},
        invalid_status=400,
    )


@tenant_view("automation.view_webhookendpoint")
def endpoint_detail(request, pk: int):
    """The endpoint, its secret (hidden until revealed), and its delivery log with every attempt."""
    endpoint = _endpoint(request, pk)
    status = request.GET.get("status", "")
    deliveries = selectors.delivery_list(access=request.access, endpoint=endpoint)
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    page = paginate(request, deliveries, per_page=25)
    for delivery in page:
        delivery.badge = STATUS_BADGES.get(delivery.status, "text-bg-secondary")
        delivery.status_label = STATUS_LABELS.get(delivery.status, delivery.status)
    labels = _labels()
    context = {
        "endpoint": endpoint,
        "event_labels": [labels.get(name, name) for name in endpoint.event_types],
        "page": page,
        "status": status,
        "statuses": list(STATUS_LABELS.items()),
        "can": _can(request.access),
    }
    return render(request, "automation/webhooks/detail.html", context)


@require_GET
@tenant_view("automation.change_webhookendpoint")
def endpoint_secret(request, pk: int):
    """The signing secrets, for the "reveal" button (HTMX swaps this fragment in)."""
    endpoint = _endpoint(request, pk, action="change")
    response = render(request, "automation/webhooks/partials/secret.html", {"endpoint": endpoint})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@tenant_view("automation.change_webhookendpoint")
def endpoint_rotate(request, pk: int):
    endpoint = _endpoint(request, pk, action="change")
    hours = request.POST.get("overlap_hours", "24")
    try:
        overlap = timedelta(hours=int(hours))
        services.endpoint_rotate_secret(access=request.access, endpoint=endpoint, overlap=overlap)
    except ValueError:
        messages.error(request, _("The overlap is between 0 and 7 days."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("New signing secret created; reveal it and update your receiver."))
    return redirect("automation:webhook_detail", pk=endpoint.pk)


@require_POST
@tenant_view("automation.change_webhookendpoint")
def endpoint_test(request, pk: int):
    endpoint = _endpoint(request, pk, action="change")
    services.endpoint_send_test(access=request.access, endpoint=endpoint)
    messages.success(request, _("Test event queued; its result appears in the delivery log."))
    return redirect("automation:webhook_detail", pk=endpoint.pk)


@require_POST
@tenant_view("automation.delete_webhookendpoint")
def endpoint_delete(request, pk: int):
    endpoint = _endpoint(request, pk, action="delete")
    services.endpoint_delete(access=request.access, endpoint=endpoint)
    messages.success(request, _("Webhook endpoint %(url)s deleted.") % {"url": endpoint.url})
    return redirect("automation:webhooks")


@require_POST
@tenant_view("automation.change_webhookendpoint")
def delivery_replay(request, pk: int, delivery_id: int):
    endpoint = _endpoint(request, pk, action="change")
    delivery = record_or_404(request, selectors.delivery_list(access=request.access, endpoint=endpoint), delivery_id)
    services.delivery_replay(access=request.access, delivery=delivery)
    messages.success(request, _("Event %(name)s queued again as a new delivery.") % {"name": delivery.event_name})
    return redirect("automation:webhook_detail", pk=endpoint.pk)
