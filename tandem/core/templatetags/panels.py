"""`{% record_panels slot obj %}`: the panels other apps registered for a record page (see `tandem.core.panels`)."""

from django import template
from django.utils.safestring import mark_safe

from tandem.core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, slot: str, obj, placement: str | None = None):
    request = context["request"]
    access = getattr(request, "access", None)
    html = []
    for panel in panels_for(slot, placement=placement):
        if panel.permission and (access is None or not access.has_perm(panel.permission)):
            continue
        extra = panel.context(request, obj)
        if extra is None:
            continue
        # Rendered like an include: the page's context (request, `can`, …) plus the panel's own.
        with context.push(object=obj, **extra):
            html.append(context.template.engine.get_template(panel.template).render(context))
    return mark_safe("".join(html))
