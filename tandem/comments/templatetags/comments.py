"""`{% comment_box "crm.deal" deal %}` (the box that posts into the record's thread), and the filters a comment
row uses: its text with mentions highlighted, and whether the viewer may edit or delete it."""

from django import template

from tandem.comments import mentions
from tandem.comments.forms import CommentForm
from tandem.comments.services import comments as comment_services

register = template.Library()


@register.inclusion_tag("comments/partials/form.html", takes_context=True)
def comment_box(context, type_key: str, record, thread_id: str = "timeline"):
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "type_key": type_key,
        "record": record,
        "thread_id": thread_id,
        "form": CommentForm(),
        "assets": True,
    }


@register.filter
def comment_text(comment):
    """The comment's text, escaped, with each resolved @mention highlighted (others stay plain text)."""
    names = [n for user in comment.mentions.all() for n in (user.display_name, user.username)]
    return mentions.render(comment.body, names)


@register.filter
def editable_by(comment, access) -> bool:
    return access is not None and comment_services.may_edit(access, comment)


@register.filter
def deletable_by(comment, access) -> bool:
    return access is not None and comment_services.may_delete(access, comment)
