"""What only the customer pages share: the bulk bar's flags and the body of a form with rows (deal lines,
payment periods). The rest of the page kit is `tandem.core.views`."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.core.errors import ApplicationError
from tandem.core.views import kept_rows, service_errors


def bulk_flags(access, model_name: str) -> dict:
    """What the list's bulk bar offers: an owner change and/or deletion, and where it posts."""
    return {
        "url": reverse(f"crm:{model_name}_bulk"),
        "transfer": access.has_perm(f"crm.transfer_{model_name}"),
        "delete": access.has_perm(f"crm.delete_{model_name}"),
    }


def form_rows_page(
    request,
    *,
    form,
    rows,
    template: str,
    save: Callable,
    success: Callable,
    message: Callable | str,
    context: dict | None = None,
):
    """`form_page` for a form with a formset of rows: on a POST where both are valid `save(form, rows)` calls the
    service, whose `<prefix>[i]` errors land on the i-th row kept; the template gets the rows under the
    formset's prefix."""
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            obj = save(form, rows)
        except ApplicationError as exc:
            service_errors(exc, form, rows=kept_rows(rows), prefix=rows.prefix)
        else:
            messages.success(request, message(obj) if callable(message) else message)
            return redirect(success(obj))
    return render(request, template, {"form": form, rows.prefix: rows, **(context or {})})
