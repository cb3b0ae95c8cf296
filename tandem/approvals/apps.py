from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "tandem.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from tandem.approvals import events
        from tandem.approvals.choices import DRAFT, DRAFT_LABEL, ApprovalStatus, StepAction
        from tandem.approvals.services import notices
        from tandem.audit.changes import register_change_key
        from tandem.core import permissions
        from tandem.core.events import on

        permissions.register_type("approvals", "flow", _("Approval flow"), actions=("view", "add", "change", "delete"))
        # Everyone sees their own approvals and submits; `view_approval` with its data scope reaches others',
        # `change_approval` voids one (administrators).
        permissions.register_type("approvals", "approval", _("Approval"), actions=("view", "add", "change"))
        # Each step is an audit row on the approved record; its keys read as words in the record's history.
        register_change_key("approval_status", _("Approval"), [(DRAFT, DRAFT_LABEL), *ApprovalStatus.choices])
        register_change_key("approval_step", _("Approval step"), StepAction.choices)
        register_change_key("approval_node", _("Approval node"))
        register_change_key("approval_comment", _("Approval comment"))
        # People hear of their tasks and of the decision after the commit.
        on(events.TASK_ASSIGNED)(notices.on_task_assigned)
        on(events.APPROVAL_APPROVED, events.APPROVAL_REJECTED)(notices.on_decided)

        from tandem.approvals.views import register_pages

        # The pages' own registrations: navigation, the record panel, the top bar's to-do count.
        register_pages()
