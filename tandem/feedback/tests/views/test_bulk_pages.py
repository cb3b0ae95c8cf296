# Pages speak the tenant's language (简体中文 here).
import pytest

from tandem.automation.tests.channels_support import received_email
from tandem.crm.tests.factories import make_account, make_contact
from tandem.feedback.choices import BatchStatus, SurveyStatus
from tandem.feedback.models import Survey, SurveyBatch
from tandem.feedback.services.templates import template_default
from tandem.testing.kit import make_member, page_client


def _accounts(crew, n, tag="华东回访"):
    made = []
    for i in range(n):
        account = make_account(crew.tenant, crew.rep.user, name=f"华东客户{i}", tags=[tag], tier="key")
        make_contact(crew.tenant, crew.rep.user, account, primary=True, name=f"联系人{i}", email=f"c{i}@example.com")
        made.append(account)
    return made


@pytest.mark.django_db(transaction=True)
def test_bulk_to_a_real_mail_server_sends_one_email_per_contact_and_shows_the_batch(crew, smtp_inbox):
    _accounts(crew, 3)
    template = template_default(tenant_id=crew.tenant.pk, language="zh-hans")
    client = page_client(crew.service)
    page = client.get("/feedback/surveys/bulk/", {"tag": "华东回访"})
    assert page.status_code == 200 and 'id="bulk-count"' in page.content.decode()
    assert "<strong>3</strong>" in page.content.decode()
    # The count follows the filters (HTMX asks for the summary alone).
    partial = client.get("/feedback/surveys/bulk/", {"tag": "华东回访", "tier": "vip"}, HTTP_HX_REQUEST="true")
    assert "<strong>0</strong>" in partial.content.decode() and "<html" not in partial.content.decode()
    response = client.post(
        "/feedback/surveys/bulk/", {"tag": "华东回访", "template": template.pk, "channel": "email"}, follow=True
    )
    batch = SurveyBatch.objects.get()
    assert response.redirect_chain[-1][0] == f"/feedback/surveys/batches/{batch.pk}/"
    assert (batch.status, batch.total, batch.sent, batch.skipped, batch.failed) == (BatchStatus.DONE, 3, 3, 0, 0)
    assert sorted(r for e in smtp_inbox.envelopes for r in e.rcpt_tos) == [
        "c0@example.com",
        "c1@example.com",
        "c2@example.com",
    ]
    assert all("/s/" in received_email(e).get_body(("plain",)).get_content() for e in smtp_inbox.envelopes)
    html = response.content.decode()
    assert 'id="batch-progress"' in html and 'hx-trigger="every 2s"' not in html  # done: no more polling
    assert 'id="count-sent">3<' in html
    # The same form again: nobody is asked twice, the counts say why.
    client.post("/feedback/surveys/bulk/", {"tag": "华东回访", "template": template.pk, "channel": "email"})
    second = SurveyBatch.objects.exclude(pk=batch.pk).get()
    assert (second.sent, second.skipped) == (0, 3) and len(smtp_inbox.envelopes) == 3


@pytest.mark.django_db
def test_a_running_batch_polls_and_a_finished_one_lists_skips_and_failures(crew):
    template = template_default(tenant_id=crew.tenant.pk, language="zh-hans")
    batch = SurveyBatch.objects.create(
        tenant=crew.tenant,
        created_by=crew.service.user,
        template=template,
        status=BatchStatus.RUNNING,
        total=10,
        sent=4,
    )
    client = page_client(crew.service)
    html = client.get(f"/feedback/surveys/batches/{batch.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and "40%" in html
    partial = client.get(f"/feedback/surveys/batches/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('\n<div id="batch-progress"') or partial.lstrip().startswith('<div id="batch-progress"')
    Survey.objects.create(
        tenant=crew.tenant,
        template=template,
        account=crew.account,
        contact=crew.other,
        batch=batch,
        language="zh-hans",
        status=SurveyStatus.SKIPPED,
        skip_reason="no_address",
    )
    Survey.objects.create(
        tenant=crew.tenant,
        template=template,
        account=crew.account,
        contact=crew.contact,
        batch=batch,
        language="zh-hans",
        status=SurveyStatus.FAILED,
        error="550 mailbox unavailable",
    )
    SurveyBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE, sent=8, skipped=1, failed=1)
    done = client.get(f"/feedback/surveys/batches/{batch.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' not in done and "100%" in done
    assert "联系人没有邮箱地址或即时通讯账号" in done or "no_address" not in done
    assert "550 mailbox unavailable" in done and "王工" in done


@pytest.mark.django_db
def test_bulk_refusals_are_shown_and_start_nothing(crew):
    client = page_client(crew.service)
    template = template_default(tenant_id=crew.tenant.pk, language="zh-hans")
    response = client.post(
        "/feedback/surveys/bulk/", {"tag": "没有这个标签", "template": template.pk, "channel": "email"}
    )
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    assert not SurveyBatch.objects.exists()
    assert page_client(make_member(crew.tenant, "finance")).get("/feedback/surveys/bulk/").status_code == 403
