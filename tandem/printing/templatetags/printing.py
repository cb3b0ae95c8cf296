"""`{% print_menu "crm.contract" contract.pk %}`: the print button of a record page — one button, or a dropdown
when the type has several templates — shown only to whoever may print the type."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from tandem.printing import selectors

register = template.Library()


@register.inclusion_tag("printing/partials/print_menu.html", takes_context=True)
def print_menu(context, object_type: str, pk, size: str = "sm"):
    request = context.get("request")
    access = getattr(request, "access", None)
    # One look-up per type and request, however many rows (a contract's receipts) show the button.
    menus = request.__dict__.setdefault("_print_menus", {}) if request is not None else {}
    if object_type not in menus:
        menus[object_type] = selectors.print_menu(access=access, object_type=object_type) if access else []
    items = menus[object_type]
    url = reverse("printing:print", args=[object_type, pk])
    back = request.get_full_path() if request is not None else ""
    links = [
        {"name": item["name"], "is_default": item["is_default"], "url": _url(url, item["id"], back)} for item in items
    ]
    return {"links": links, "size": size, "key": f"{object_type.replace('.', '-')}-{pk}"}


def _url(base: str, template_id, back: str) -> str:
    query = {"template": template_id} if template_id else {}
    if back:
        query["next"] = back
    return f"{base}?{urlencode(query)}" if query else base
