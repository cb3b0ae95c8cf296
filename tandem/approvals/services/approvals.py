"""Approvals: submit a record, act on a task, withdraw or void an approval."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def approval_submit(*, access, obj, chosen: dict | None = None, comment: str = ""):
    raise NotImplementedError


@transaction.atomic
def approval_approve(*, access, task, comment: str = ""):
    raise NotImplementedError


@transaction.atomic
def approval_reject(*, access, task, comment: str):
    raise NotImplementedError


@transaction.atomic
def approval_transfer(*, access, task, to_user, comment: str = ""):
    raise NotImplementedError


@transaction.atomic
def approval_send_back(*, access, task, to_node_key: str, comment: str):
    raise NotImplementedError


@transaction.atomic
def approval_add_approver(*, access, task, users, position: str = "after", comment: str = ""):
    raise NotImplementedError


@transaction.atomic
def approval_withdraw(*, access, approval, comment: str = ""):
    raise NotImplementedError


@transaction.atomic
def approval_void(*, access, approval, comment: str):
    raise NotImplementedError


@transaction.atomic
def approval_bulk_approve(*, access, tasks, comment: str = ""):
    raise NotImplementedError


@transaction.atomic
def task_mark_read(*, access, task) -> None:
    raise NotImplementedError
