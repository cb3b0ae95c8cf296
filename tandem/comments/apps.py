from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "tandem.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from tandem.comments import events
        from tandem.comments.demo import load as _demo_loader  # noqa: F401  (registers the demo loader)
        from tandem.comments.services.notify import on_comment_mentioned
        from tandem.core import permissions
        from tandem.core.events import on

        # Who may read and write a record's comments follows the record; this code is only the moderator's right
        # to delete anyone's comment (an author may always delete their own).
        permissions.register_type("comments", "comment", _("Comment"), actions=("delete",))
        on(events.COMMENT_MENTIONED)(on_comment_mentioned)
