"""Notification channel pages: the list with a "send test message" button, the form per kind, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.automation.forms_channels import ChannelForm
from tandem.automation.models import Channel
from tandem.automation.services import channels as services
from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, tenant_view


def _channel_or_404(request, pk: int, action: str) -> Channel:
    channel = services.channel_list(access=request.access, action=action).filter(pk=pk).first()
    if channel is None:
        raise Http404
    return channel


def _permissions(access) -> dict[str, bool]:
    return {action: access.has_perm(f"automation.{action}_channel") for action in ("view", "add", "change", "delete")}


@tenant_view("automation.view_channel")
def channel_list(request):
    """The tenant's channels: kind, name, enabled, when the last message went out and the last error."""
    rows = list(services.channel_list(access=request.access))
    for channel in rows:
        channel.masked_url = services.mask_url(channel.url)
    context = {"channels": rows, "can": _permissions(request.access)}
    return render(request, "automation/channels/list.html", context)


def _form_page(request, form, channel=None, status=200):
    context = {"form": form, "channel": channel, "kind": form["kind"].value() or "dingtalk"}
    return render(request, "automation/channels/form.html", context, status=status)


@tenant_view("automation.add_channel")
def channel_add(request):
    """A new channel; the form shows the fields of the chosen kind."""
    form = ChannelForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                channel = services.channel_create(access=request.access, **form.service_fields())
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Channel %(name)s created.") % {"name": channel.name})
                return redirect("automation:channels")
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@tenant_view("automation.change_channel")
def channel_edit(request, pk: int):
    """Edit a channel; its address and secret are never shown, a blank field keeps them."""
    channel = _channel_or_404(request, pk, "change")
    form = ChannelForm(request.POST or None, channel=channel)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.channel_update(access=request.access, channel=channel, **form.service_fields())
            except ApplicationError as exc:
                form_errors_from(exc, form)
                channel.refresh_from_db()
            else:
                messages.success(request, _("Channel %(name)s saved.") % {"name": channel.name})
                return redirect("automation:channels")
        return _form_page(request, form, channel, status=400)
    return _form_page(request, form, channel)


@tenant_view("automation.delete_channel")
def channel_delete(request, pk: int):
    """Confirm, then delete a channel with its message log."""
    channel = _channel_or_404(request, pk, "delete")
    if request.method == "POST":
        services.channel_delete(access=request.access, channel=channel)
        messages.success(request, _("Channel %(name)s deleted.") % {"name": channel.name})
        return redirect("automation:channels")
    return render(request, "automation/channels/delete.html", {"channel": channel})


@require_POST
@tenant_view("automation.change_channel")
def channel_test(request, pk: int):
    """Send a test message now; HTMX gets the outcome in place, a plain POST gets it as a page message."""
    channel = _channel_or_404(request, pk, "change")
    result = services.channel_send_test(access=request.access, channel=channel)
    if request.htmx:
        context = {"channel": channel, "result": result}
        return render(request, "automation/channels/partials/test_result.html", context)
    if result.ok:
        messages.success(request, _("Test message sent to %(name)s.") % {"name": channel.name})
    else:
        messages.error(request, _("The test message failed: %(error)s") % {"error": result.error})
    return redirect("automation:channels")
