"""What the customer pages share: sorting, list pages with saved filters, record lookups, service errors."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from tandem.accounts.selectors import tenant_users
from tandem.core.errors import ApplicationError
from tandem.core.services import filters as filter_services
from tandem.core.views import form_errors_from, paginate


def ordered(request, qs, allowed: tuple[str, ...]):
    """Sort by `?ordering=` when it names an allowed field (a leading '-' sorts descending)."""
    value = request.GET.get("ordering", "")
    if value.lstrip("-") in allowed:
        return qs.order_by(value, "-id")
    return qs


def members(request):
    return tenant_users(tenant_id=request.access.tenant_id).order_by("display_name", "username")


def saved_filters(request, key: str) -> list[dict]:
    """The signed-in user's saved filters of one list: [{"name", "query"}], newest first."""
    return filter_services.saved_filters(tenant_id=request.access.tenant_id, user_id=request.user.pk, list_key=key)


def list_page(request, *, key: str, template: str, partial: str, filterset, allowed_ordering, extra: dict):
    qs = ordered(request, filterset.qs, allowed_ordering)
    context = {
        "page": paginate(request, qs),
        "filters": filterset.form.cleaned_data if filterset.is_valid() else {},
        "query": request.GET,
        "owners": members(request),
        "list_key": key,
        "saved_filters": saved_filters(request, key),
        **extra,
    }
    return render(request, partial if request.htmx else template, context)


def get_visible(qs, pk: int):
    """The row with this id from an already restricted queryset; anything else is a 404."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def service_errors(exc: ApplicationError, form, *, rows=None, prefix: str = "") -> None:
    """A service's field errors onto the form, and its `<prefix>[i]` errors onto the i-th of `rows`
    (the formset rows the service was given, see `kept_rows`)."""
    rest = {}
    for key, messages in (exc.errors or {}).items():
        index = _row_index(key, prefix) if rows is not None else None
        if index is None or index >= len(rows):
            rest[key] = messages
            continue
        row = rows[index]
        if isinstance(messages, dict):
            for field, field_messages in messages.items():
                for message in _as_list(field_messages):
                    row.add_error(field if field in row.fields else None, str(message))
        else:
            for message in _as_list(messages):
                row.add_error(None, str(message))
    if exc.errors and not rest:
        form.add_error(None, exc.message)
        return
    form_errors_from(ApplicationError(exc.message, errors=rest, code=exc.code), form)


def _row_index(key: str, prefix: str) -> int | None:
    inner = key[len(prefix) + 1 : -1]
    if key.startswith(f"{prefix}[") and key.endswith("]") and inner.isdigit():
        return int(inner)
    return None


def _as_list(messages) -> list:
    return messages if isinstance(messages, list) else [messages]


def kept_rows(formset) -> list:
    """The forms of a valid formset the user did not delete, in order: the rows the service is given."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def can(access, *codes: str) -> dict[str, bool]:
    """Permission flags for templates: {"change_deal": True, ...} from codes like "crm.change_deal"."""
    return {code.split(".", 1)[1]: access.has_perm(code) for code in codes}


def bulk_flags(access, model_name: str) -> dict:
    """What the list's bulk bar offers: an owner change and/or deletion, and where it posts."""
    from django.urls import reverse

    return {
        "url": reverse(f"crm:{model_name}_bulk"),
        "transfer": access.has_perm(f"crm.transfer_{model_name}"),
        "delete": access.has_perm(f"crm.delete_{model_name}"),
    }
