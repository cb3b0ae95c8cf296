"""Notification channel pages: the list with a "send test message" button, the form per kind, delete."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.automation.channels import selectors, services
from tandem.automation.channels.forms import ChannelForm
from tandem.core.errors import ApplicationError
from tandem.core.views import form_page, record_or_404, tenant_view


def _channel(request, pk: int, action: str):
    return record_or_404(request, selectors.channel_list(access=request.access, action=action), pk)


def _permissions(access) -> dict[str, bool]:
    return {action: access.has_perm(f"automation.{action}_channel") for action in ("view", "add", "change", "delete")}


@tenant_view("automation.view_channel")
def channel_list(request):
    """The tenant's channels: kind, name, enabled, when the last message went out and the last error."""
    rows = list(selectors.channel_list(access=request.access))
    for channel in rows:
        channel.masked_url = services.mask_url(channel.url)
    context = {"channels": rows, "can": _permissions(request.access)}
    return render(request, "automation/channels/list.html", context)


def _form_context(form, channel=None) -> dict:
    return {"channel": channel, "kind": form["kind"].value() or "dingtalk"}


@tenant_view("automation.add_channel")
def channel_add(request):
    """A new channel; the form shows the fields of the chosen kind."""
    form = ChannelForm(request.POST or None)
    return form_page(
        request,
        form=form,
        template="automation/channels/form.html",
        save=lambda form: services.channel_create(access=request.access, **form.service_fields()),
        message=lambda channel: _("Channel %(name)s created.") % {"name": channel.name},
        success=reverse("automation:channels"),
        context=_form_context(form),
        invalid_status=400,
    )


@tenant_view("automation.change_channel")
def channel_edit(request, pk: int):
    """Edit a channel; its address and secret are never shown, a blank field keeps them."""
    channel = _channel(request, pk, "change")
    form = ChannelForm(request.POST or None, channel=channel)

    def save(form):
        try:
            return services.channel_update(access=request.access, channel=channel, **form.service_fields())
        except ApplicationError:
            channel.refresh_from_db()  # the page shows the stored channel, not the refused values
            raise

    return form_page(
        request,
        form=form,
        template="automation/channels/form.html",
        save=save,
        message=lambda channel: _("Channel %(name)s saved.") % {"name": channel.name},
        success=reverse("automation:channels"),
        context=_form_context(form, channel),
        invalid_status=400,
    )


@tenant_view("automation.delete_channel")
def channel_delete(request, pk: int):
    """Confirm, then delete a channel with its message log."""
    channel = _channel(request, pk, "delete")
    if request.method == "POST":
        services.channel_delete(access=request.access, channel=channel)
        messages.success(request, _("Channel %(name)s deleted.") % {"name": channel.name})
        return redirect("automation:channels")
    return render(request, "automation/channels/delete.html", {"channel": channel})


@require_POST
@tenant_view("automation.change_channel")
def channel_test(request, pk: int):
    """Send a test message now; HTMX gets the outcome in place, a plain POST gets it as a page message."""
    channel = _channel(request, pk, "change")
    result = services.channel_send_test(access=request.access, channel=channel)
    if request.htmx:
        context = {"channel": channel, "result": result}
        return render(request, "automation/channels/partials/test_result.html", context)
    if result.ok:
        messages.success(request, _("Test message sent to %(name)s.") % {"name": channel.name})
    else:
        messages.error(request, _("The test message failed: %(error)s") % {"error": result.error})
    return redirect("automation:channels")
