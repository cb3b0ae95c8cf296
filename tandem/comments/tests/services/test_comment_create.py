import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEntry
from tandem.automation.tests.channels_support import received_email, subject_of
from tandem.comments import events
from tandem.comments.models import Comment, CommentMention
from tandem.comments.services.comments import MAX_ATTACHMENTS, comment_create
from tandem.core.errors import ApplicationError, NotFound
from tandem.core.events import dispatch
from tandem.core.models import Attachment, OutboxEvent
from tandem.notifications.models import Notification


def post(crew, body, access=None, **kwargs):
    return comment_create(
        access=access or crew.rep_access, type_key="crm.deal", object_id=crew.deal.pk, body=body, **kwargs
    )


def test_a_mention_notifies_exactly_the_mentioned_members_of_the_tenant(
    crew, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(crew, "@李敏 请审批报价，@孙丽 看下回款。@王芳 是别家的人，@孙丽2 也是")
    # 王芳 and 孙丽2 are names in another tenant: plain text, nobody there is told.
    assert set(comment.mentions.all()) == {crew.admin.user, crew.finance.user}
    notified = Notification.objects.filter(tenant=crew.tenant).values_list("recipient_id", flat=True)
    assert sorted(notified) == sorted([crew.admin.user_id, crew.finance.user_id])
    assert not Notification.objects.filter(tenant=crew.elsewhere).exists()
    note = Notification.objects.get(recipient=crew.admin.user)
    assert note.title == f"陈晓 mentioned you on {crew.deal}"
    assert note.url == f"/crm/deals/{crew.deal.pk}/"
    assert note.body.startswith("@李敏 请审批报价")
    mails = {envelope.rcpt_tos[0]: envelope for envelope in smtp_inbox.envelopes}
    assert set(mails) == {"li@example.com", "sun@example.com"}
    message = received_email(mails["li@example.com"])
    assert subject_of(mails["li@example.com"]) == f"陈晓 mentioned you on {crew.deal}"
    assert f"/crm/deals/{crew.deal.pk}/" in message.get_content()


def test_a_repeated_dispatch_notifies_and_mails_once(crew, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(crew, "@李敏 看一下")
    event = OutboxEvent.objects.get(name=events.COMMENT_MENTIONED)
    dispatch(event.pk)
    dispatch(event.pk)
    assert Notification.objects.filter(recipient=crew.admin.user).count() == 1
    assert len(smtp_inbox.envelopes) == 1


def test_inactive_members_duplicates_and_the_author_are_not_mentioned(crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(crew, "@赵强 @李敏 @李敏 @limin @陈晓 mail li@limin.cn")
    # 赵强 left; 李敏 named three times (twice by name, once by username) is one mention; the author is skipped.
    assert list(comment.mentions.all()) == [crew.admin.user]
    assert CommentMention.objects.filter(comment=comment).count() == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [crew.admin.user_id]


def test_a_mentioned_member_who_cannot_view_the_record_is_not_told(crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(crew, "@刘洋 你也看看")
    assert list(comment.mentions.all()) == [crew.rep2.user]
    # 刘洋 sees only his own deals: the notification would show him text of a deal he may not read.
    assert not Notification.objects.exists()


def test_posting_emits_the_events_and_writes_an_audit_row(crew):
    comment = post(crew, "@李敏 @孙丽 请看")
    names = list(OutboxEvent.objects.order_by("created_at").values_list("name", flat=True))
    assert names.count(events.COMMENT_CREATED) == 1
    assert names.count(events.COMMENT_MENTIONED) == 2
    created = OutboxEvent.objects.get(name=events.COMMENT_CREATED)
    assert created.payload["comment"] == comment.pk
    assert created.payload["object_type"] == "crm.deal"
    assert created.payload["object_id"] == str(crew.deal.pk)
    mentioned = sorted(e.payload["user"] for e in OutboxEvent.objects.filter(name=events.COMMENT_MENTIONED))
    assert mentioned == sorted([crew.admin.user_id, crew.finance.user_id])
    entry = AuditEntry.objects.get(object_type="comments.comment", object_id=str(comment.pk))
    assert entry.action == "create"
    assert entry.actor_id == crew.rep.user_id


def test_files_are_attached_to_the_comment(crew):
    upload = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    comment = post(crew, "照片见附件", files=[upload])
    [attachment] = comment.attachments.all()
    assert attachment.name == "现场照片.png"
    assert attachment.record == comment


@pytest.mark.parametrize(
    ("body", "files", "message"),
    [
        ("   ", 0, "Write something first."),
        ("长" * 4001, 0, "A comment holds at most 4000 characters."),
        ("too many", MAX_ATTACHMENTS + 1, "Attach at most 5 files to one comment."),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(crew, body, files, message):
    uploads = [SimpleUploadedFile(f"f{i}.txt", b"notes") for i in range(files)]
    with pytest.raises(ApplicationError, match=message):
        post(crew, body, files=uploads)
    assert not Comment.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_a_bad_file_undoes_the_whole_comment(crew):
    fake = SimpleUploadedFile("报价.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ApplicationError, match="does not match"):
        post(crew, "@李敏 报价见附件", files=[fake])
    assert not Comment.objects.exists()
    assert not CommentMention.objects.exists()
    assert not Attachment.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_a_record_out_of_reach_is_not_found(crew):
    with pytest.raises(NotFound):
        post(crew, "看不到的单", access=crew.rep2_access)
    with pytest.raises(NotFound):
        comment_create(access=crew.rep_access, type_key="crm.deal", object_id=crew.other_deal.pk, body="x")
    with pytest.raises(NotFound):
        comment_create(access=crew.rep_access, type_key="auth.user", object_id=crew.rep.user_id, body="x")
    assert not Comment.objects.exists()
