from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tandem.audit.models import AuditEntry
from tandem.comments.models import Comment
from tandem.comments.services.comments import comment_create, comment_delete, comment_edit
from tandem.core.errors import ApplicationError, NotFound, PermissionDenied
from tandem.notifications.models import Notification


@pytest.fixture
def comment(crew):
    return comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="@李敏 初稿")


def test_the_author_edits_within_15_minutes_and_only_new_mentions_are_told(
    crew, comment, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()
    with time_machine.travel(timezone.now() + timedelta(minutes=14)), django_capture_on_commit_callbacks(execute=True):
        comment_edit(access=crew.rep_access, comment=comment, body="@李敏 @孙丽 改稿")
    comment.refresh_from_db()
    assert comment.body == "@李敏 @孙丽 改稿"
    assert comment.edited_at is not None
    assert set(comment.mentions.all()) == {crew.admin.user, crew.finance.user}
    # 李敏 was told when the comment was posted; only 孙丽 is new.
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [crew.finance.user_id]
    entry = AuditEntry.objects.get(object_type="comments.comment", object_id=str(comment.pk), action="update")
    assert entry.before["body"] == "@李敏 初稿"
    assert entry.after["body"] == "@李敏 @孙丽 改稿"


def test_after_15_minutes_an_edit_is_refused_with_a_clear_message(crew, comment):
    late = time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=5))
    with late, pytest.raises(ApplicationError, match="edited for 15 minutes"):
        comment_edit(access=crew.rep_access, comment=comment, body="太晚了")
    comment.refresh_from_db()
    assert comment.body == "@李敏 初稿"
    assert comment.edited_at is None


def test_only_the_author_edits_even_an_admin_cannot(crew, comment):
    with pytest.raises(PermissionDenied):
        comment_edit(access=crew.admin_access, comment=comment, body="管理员改的")
    with pytest.raises(NotFound):
        comment_edit(access=crew.rep2_access, comment=comment, body="看不到")
    assert Comment.objects.get().body == "@李敏 初稿"


def test_an_emptied_edit_changes_nothing(crew, comment):
    with pytest.raises(ApplicationError, match="Write something first"):
        comment_edit(access=crew.rep_access, comment=comment, body=" ")
    assert Comment.objects.get().body == "@李敏 初稿"


def test_the_author_deletes_a_comment_which_stays_as_deleted_and_is_audited(crew, comment):
    comment_delete(access=crew.rep_access, comment=comment)
    comment.refresh_from_db()
    assert comment.is_deleted
    assert comment.body == ""
    assert comment.deleted_by == crew.rep.user
    assert not comment.mentions.exists()
    entry = AuditEntry.objects.get(object_type="comments.comment", object_id=str(comment.pk), action="delete")
    assert entry.before["body"] == "@李敏 初稿"
    assert entry.actor_id == crew.rep.user_id
    with pytest.raises(ApplicationError, match="deleted"):
        comment_edit(access=crew.rep_access, comment=comment, body="复活")


def test_an_admin_deletes_anyones_comment_a_colleague_cannot(crew, comment):
    with pytest.raises(PermissionDenied):
        comment_delete(access=crew.finance_access, comment=comment)  # finance sees the deal but did not write it
    assert not Comment.objects.get().is_deleted
    with pytest.raises(NotFound):
        comment_delete(access=crew.stranger_access, comment=comment)
    comment_delete(access=crew.admin_access, comment=comment)
    assert Comment.objects.get().deleted_by == crew.admin.user


def test_deleting_a_comment_removes_its_files_once_committed(crew, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tandem.core.models import Attachment

    upload = SimpleUploadedFile("记录.txt", b"notes")
    comment = comment_create(
        access=crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body="附件", files=[upload]
    )
    storage, name = comment.attachments.get().file.storage, comment.attachments.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        comment_delete(access=crew.rep_access, comment=comment)
    assert not Attachment.objects.exists()
    assert not storage.exists(name)
