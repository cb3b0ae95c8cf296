"""Core pages (`shell`) and the page kit (`kit`) every app's views are built from."""

from tandem.core.views.kit import (
    can,
    form_errors_from,
    form_page,
    kept_rows,
    list_page,
    members,
    ordered,
    paginate,
    post_action,
    record_or_404,
    rows_page,
    safe_next,
    saved_filters,
    scoped,
    service_errors,
    tenant_view,
)

__all__ = [
    "can",
    "form_errors_from",
    "form_page",
    "kept_rows",
    "list_page",
    "members",
    "ordered",
    "paginate",
    "post_action",
    "record_or_404",
    "rows_page",
    "safe_next",
    "saved_filters",
    "scoped",
    "service_errors",
    "tenant_view",
]
