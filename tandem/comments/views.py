"""The comment pages: posting into a record's thread in place (HTMX), editing, deleting, files, @ suggestions.

Every view reaches the record through the registry, so a record the caller may not view is a 404 here too."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.comments import selectors
from tandem.comments.forms import CommentEditForm, CommentForm
from tandem.comments.registry import commentable, record_for
from tandem.comments.services import comments as comment_services
from tandem.core.errors import ApplicationError
from tandem.core.views import tenant_view
from tandem.core.views.kit import form_errors_from


def _retarget(response, target: str):
    """An HTMX answer that lands somewhere else than the request asked (the form, to show its errors)."""
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "outerHTML"
    return response


@require_POST
@tenant_view()
def comment_create(request, type_key: str, pk: int):
    """Post a comment; HTMX gets the new comment for the top of the thread and a fresh, empty box."""
    record = record_for(request.access, type_key, pk)
    form = CommentForm(request.POST, request.FILES)
    box = {"type_key": type_key, "record": record, "thread_id": _thread_id(request.POST.get("thread", ""))}
    comment = None
    if form.is_valid():
        try:
            comment = comment_services.comment_create(
                access=request.access,
                type_key=type_key,
                object_id=pk,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
    if not request.htmx:
        if comment is None:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(commentable(type_key).url(record))
    if comment is None:
        return _retarget(render(request, "comments/partials/form.html", {**box, "form": form}), f"#{_form_id(box)}")
    context = {**box, "form": CommentForm(), "comment": selectors.comment_get(access=request.access, pk=comment.pk)}
    return render(request, "comments/partials/created.html", context)


def _thread_id(value: str) -> str:
    """The DOM id of the list the box posts into; it lands in a header and an attribute, so plain letters only."""
    return value[:40] if re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", value or "") else "timeline"


def _form_id(box) -> str:
    return f"comment-form-{box['thread_id']}"


@tenant_view()
def comment_detail(request, pk: int):
    """One comment as it shows in a thread (an edit's Cancel comes back to it)."""
    comment = selectors.comment_get(access=request.access, pk=pk)
    return render(request, "comments/partials/comment.html", {"comment": comment})


@tenant_view()
def comment_edit(request, pk: int):
    """The comment's text in a box, in place; saving shows the comment again, a refusal keeps the box."""
    comment = selectors.comment_get(access=request.access, pk=pk)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment_services.comment_edit(access=request.access, comment=comment, body=form.cleaned_data["body"])
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            comment = selectors.comment_get(access=request.access, pk=pk)
            return render(request, "comments/partials/comment.html", {"comment": comment})
    elif request.method == "GET" and not comment_services.may_edit(request.access, comment):
        form.add_error(None, _("A comment can be edited for 15 minutes after it was posted; post a new one instead."))
    return render(request, "comments/partials/edit.html", {"comment": comment, "form": form})


@require_POST
@tenant_view()
def comment_delete(request, pk: int):
    """Delete a comment; the thread keeps a "comment deleted" row in its place."""
    comment = selectors.comment_get(access=request.access, pk=pk)
    comment_services.comment_delete(access=request.access, comment=comment)
    comment = selectors.comment_get(access=request.access, pk=pk)
    if not request.htmx:
        messages.success(request, _("Comment deleted."))
        return redirect(
            commentable(comment.object_type).url(record_for(request.access, comment.object_type, comment.object_id))
        )
    return render(request, "comments/partials/comment.html", {"comment": comment})


@require_GET
@tenant_view()
def comment_file(request, pk: int):
    """A file attached to a comment the caller may see."""
    attachment = selectors.comment_attachment(access=request.access, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_GET
@tenant_view()
def mention_suggestions(request, type_key: str, pk: int):
    """Active members whose name starts with `q`, for the @ menu of the record's comment box."""
    users = selectors.mention_candidates(
        access=request.access, type_key=type_key, object_id=pk, prefix=request.GET.get("q")
    )
    return JsonResponse(
        {"results": [{"id": u.pk, "name": u.display_name or u.username, "username": u.username} for u in users]}
    )


PANEL_SIZE = 30


def record_panel(type_key: str):
    """The context of a record page's comments panel (for a page with no timeline of its own, e.g. a project):
    the latest comments, newest first, under the box that posts into them."""

    def context(request, record):
        thread = selectors.comment_thread(access=request.access, type_key=type_key, object_id=record.pk)
        total = thread.count()
        latest = list(thread.order_by("-created_at", "-pk")[:PANEL_SIZE])
        return {"type_key": type_key, "record": record, "comments": latest, "more": max(total - PANEL_SIZE, 0)}

    return context
