"""The page kit every app's HTML views use.

- `tenant_view(code)` lets in a signed-in member of the current tenant holding `code` (else login, 403).
- `record_or_404(request, source, pk)` is the one way a page loads a record: restricted to the caller's
  tenant and data scope for the action, a 404 outside it — so no view writes `.restrict(` or `tenant_id=`.
- `rows_page()` renders a paginated list on the list skeleton (the rows partial alone for HTMX requests);
  `list_page()` adds a filterset, sorting and saved filters for record lists.
- `form_page()` is the create/edit body: bind, validate, call the service, show its errors in place,
  or say so and redirect; `post_action()` the body of a button that calls one service and goes back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from tandem.core.errors import ApplicationError
from tandem.core.services import filters as filter_services
from tandem.core.services import tenant_users
from tandem.core.signals import send_access_denied


def tenant_view(permission: str | None = None):
    """Page views: signed in, inside a tenant, holding `permission`; anything else is refused."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request, "access", None) is None:
                return render(request, "core/no_tenant.html", status=403)
            if permission and not request.access.has_perm(permission):
                send_access_denied(request, permission)
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def scoped(request, source, action: str = "view") -> QuerySet:
    """Rows of the caller's tenant the caller may `action`: a model's data scope, or its tenant's rows when
    it has none; a queryset from a selector is taken as already scoped."""
    if isinstance(source, QuerySet):
        return source
    manager = source._default_manager
    if hasattr(manager.get_queryset(), "restrict"):
        return manager.restrict(request.access, action)
    return manager.filter(tenant_id=request.access.tenant_id)


def record_or_404(request, source, pk, action: str = "view"):
    """The record with this id within the caller's reach (see `scoped`); anything else is a 404."""
    obj = scoped(request, source, action).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def paginate(request, queryset, per_page: int = 50):
    try:
        per_page = max(10, min(int(request.GET.get("per_page", per_page)), 200))
    except ValueError:
        pass
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def ordered(request, qs, allowed: tuple[str, ...]):
    """Sort by `?ordering=` when it names an allowed field (a leading '-' sorts descending)."""
    value = request.GET.get("ordering", "")
    if value.lstrip("-") in allowed:
        return qs.order_by(value, "-id")
    return qs


def members(request):
    """The tenant's members, for owner pickers and filters."""
    return tenant_users(request.access.tenant_id).order_by("display_name", "username")


def saved_filters(request, key: str) -> list[dict]:
    """The signed-in user's saved filters of one list: [{"name", "query"}], newest first."""
    return filter_services.saved_filters(tenant_id=request.access.tenant_id, user_id=request.user.pk, list_key=key)


def rows_page(request, *, rows, template: str, partial: str, rows_id: str = "rows", context: dict | None = None):
    """A list page on the skeleton (`core/kit/list.html`): `rows` paginated, and HTMX requests (the filters as
    they change, the pager) get the rows partial alone. `context` may be a function of the page, for what is
    worked out from the rows shown."""
    page = paginate(request, rows)
    extra = context(page) if callable(context) else context or {}
    body = {"page": page, "query": request.GET, "rows_template": partial, "rows_id": rows_id, **extra}
    return render(request, partial if request.htmx else template, body)


def list_page(request, *, key: str, template: str, partial: str, filterset, allowed_ordering, extra: dict):
    """A record list: the filterset's rows sorted by `?ordering=`, the user's saved filters of the list `key`,
    the owner picker; on `rows_page`."""
    context = {
        "filters": filterset.form.cleaned_data if filterset.is_valid() else {},
        "owners": members(request),
        "list_key": key,
        "saved_filters": saved_filters(request, key),
        **extra,
    }
    rows = ordered(request, filterset.qs, allowed_ordering)
    return rows_page(request, rows=rows, template=template, partial=partial, context=context)


def form_page(
    request,
    *,
    form,
    template: str,
    save: Callable,
    success: Callable[[Model], str] | str,
    message: Callable[[Model], str] | str,
    context: dict | None = None,
    rows=None,
    invalid_status: int = 200,
):
    """The create/edit page body: on a valid POST `save(form)` calls the service; its errors land on the form,
    success flashes `message` and redirects to `success` (a URL, or a function of the saved record).

    With `rows` (a formset of the record's lines) both must be valid, `save(form, rows)` is called, the service's
    `<prefix>[i]` errors land on the i-th row kept, and the template gets the rows under the formset's prefix.
    A POST that is not accepted answers `invalid_status` (some pages answer 400) with the errors in place."""
    posted = request.method == "POST"
    if posted and form.is_valid() and (rows is None or rows.is_valid()):
        try:
            obj = save(form) if rows is None else save(form, rows)
        except ApplicationError as exc:
            if rows is None:
                service_errors(exc, form)
            else:
                service_errors(exc, form, rows=kept_rows(rows), prefix=rows.prefix)
        else:
            messages.success(request, message(obj) if callable(message) else message)
            return redirect(success(obj) if callable(success) else success)
    page = {"form": form, **({rows.prefix: rows} if rows is not None else {}), **(context or {})}
    return render(request, template, page, status=invalid_status if posted else 200)


def post_action(request, *, act: Callable[[], object], message: str, success: str, failure: str | None = None):
    """A button's POST that calls one service and goes back: success flashes `message` and goes to `success`; the
    service's refusal is flashed as an error and goes to `failure` (default: `success` too). URLs, or what
    `resolve_url` takes."""
    try:
        act()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(failure or success)
    messages.success(request, message)
    return redirect(success)


def form_errors_from(exc: ApplicationError, form) -> None:
    """Put a service's field errors onto a Django form so the page shows them in place."""
    for field, messages_ in (exc.errors or {}).items():
        target = field if field in form.fields else None
        for message in messages_ if isinstance(messages_, list) else [messages_]:
            if message:
                form.add_error(target, str(message))
    if not exc.errors:
        form.add_error(None, exc.message)


def service_errors(exc: ApplicationError, form, *, rows=None, prefix: str = "") -> None:
    """A service's field errors onto the form, and its `<prefix>[i]` errors onto the i-th of `rows`
    (the formset rows the service was given, see `kept_rows`)."""
    rest = {}
    for key, messages_ in (exc.errors or {}).items():
        index = _row_index(key, prefix) if rows is not None else None
        if index is None or index >= len(rows):
            rest[key] = messages_
            continue
        row = rows[index]
        if isinstance(messages_, dict):
            for field, field_messages in messages_.items():
                for message in _as_list(field_messages):
                    row.add_error(field if field in row.fields else None, str(message))
        else:
            for message in _as_list(messages_):
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


def _as_list(messages_) -> list:
    return messages_ if isinstance(messages_, list) else [messages_]


def kept_rows(formset) -> list:
    """The forms of a valid formset the user did not delete, in order: the rows the service is given."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def safe_next(request, fallback: str) -> str:
    """The `next` address when it stays on this site, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def can(access, *codes: str) -> dict[str, bool]:
    """Permission flags for templates: {"change_deal": True, ...} from codes like "crm.change_deal"."""
    return {code.split(".", 1)[1]: access.has_perm(code) for code in codes}
