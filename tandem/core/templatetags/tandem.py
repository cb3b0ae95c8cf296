"""Template helpers: Bootstrap widgets, query strings, masking by field rule."""

from django import template

from tandem.core.masking import mask

register = template.Library()

_CLASSES = {"select": "form-select", "selectmultiple": "form-select", "checkbox": "form-check-input"}


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class and the invalid state."""
    widget_type = field.widget_type
    css = _CLASSES.get(widget_type, "" if widget_type == "checkboxselectmultiple" else "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css.strip()} if css.strip() else {})


@register.simple_tag(takes_context=True)
def query(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def field_value(context, label: str, value, kind: str = "default"):
    """A value as the caller may see it under their role's field rules."""
    access = context.get("access")
    rule = access.field_rule(label) if access is not None else None
    if rule == "hidden":
        return "—"
    if rule == "masked":
        return mask(value, kind)
    return value


@register.filter
def as_json(value) -> str:
    """A JSON value as compact readable text (Chinese kept as is), for audit details."""
    import json

    if value in (None, {}, []):
        return "—"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
