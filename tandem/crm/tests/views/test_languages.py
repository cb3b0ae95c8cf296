"""Every customer page renders in Simplified Chinese and in English."""

import pytest

from tandem.crm.choices import ContractStatus
from tandem.crm.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_lead,
    make_milestone,
    stage_named,
)
from tandem.testing.kit import page_client

# (language, words that must appear on the deal page in it)
LANGUAGES = [("zh-hans", ["商机", "跟进记录", "赢率"]), ("en", ["Deal", "Follow-ups", "Probability"])]


@pytest.mark.parametrize(("language", "words"), LANGUAGES)
def test_customer_pages_render_in_each_language(team, language, words):
    user = team.manager.user
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    account = make_account(team.tenant, team.rep.user)
    contact = make_contact(team.tenant, team.rep.user, account)
    lead = make_lead(team.tenant, team.rep.user)
    deal = make_deal(team.tenant, team.rep.user, account, stage=stage_named(team.tenant, 5))
    make_activity(team.tenant, team.rep.user, deal=deal, account=account)
    contract = make_contract(team.tenant, team.rep.user, account, deal=deal, status=ContractStatus.SIGNED)
    make_milestone(contract, "1000000")
    client = page_client(team.manager)
    urls = [
        "/crm/accounts/", "/crm/accounts/new/", f"/crm/accounts/{account.pk}/", f"/crm/accounts/{account.pk}/edit/",
        "/crm/contacts/", "/crm/contacts/new/", f"/crm/contacts/{contact.pk}/", f"/crm/contacts/{contact.pk}/edit/",
        "/crm/leads/", "/crm/leads/new/", f"/crm/leads/{lead.pk}/", f"/crm/leads/{lead.pk}/edit/",
        f"/crm/leads/{lead.pk}/convert/", "/crm/deals/", "/crm/deals/board/", "/crm/deals/new/",
        f"/crm/deals/{deal.pk}/", f"/crm/deals/{deal.pk}/edit/", f"/crm/deals/{deal.pk}/contract/",
        "/crm/contracts/", f"/crm/contracts/{contract.pk}/", f"/crm/contracts/{contract.pk}/edit/",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url
    text = client.get(f"/crm/deals/{deal.pk}/").content.decode()
    assert all(word in text for word in words), words
