"""Input serializers of the crm API: they parse and check shapes; the services decide the rest."""

from __future__ import annotations

from rest_framework import serializers

from tandem.crm.choices import (
    AccountTier,
    ActivityKind,
    ContractStatus,
    ContractType,
    DealType,
    DedupDecision,
    DueRule,
    Industry,
    LeadSource,
    LeadStatus,
    PaymentMethod,
    Region,
)

MAX_ID = 2**63 - 1


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, **kwargs)


def text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


def ref(**kwargs) -> serializers.IntegerField:
    """The id of a related record, resolved within the caller's reach by the view."""
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID, **kwargs)


class AccountInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    credit_code = text(30)
    tier = serializers.ChoiceField(choices=AccountTier.choices, required=False)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False, allow_blank=True)
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    province = text(30)
    city = text(50)
    address = text(300)
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    tags = serializers.ListField(child=serializers.CharField(max_length=30), max_length=20, required=False)
    notes = text(5000)
    parent = ref()
    risk_flag = serializers.BooleanField(required=False)
    risk_reason = text(300)
    risk_owner = ref()
    risk_expires_on = serializers.DateField(required=False, allow_null=True)
    owner = ref(help_text="Owner (user id); on create only — change it later with a transfer.")


class ContactAccountInput(serializers.Serializer):
    account = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    is_primary = serializers.BooleanField(default=False)


class ContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    title = text(100)
    department = text(100)
    mobile = text(30)
    phone = text(30)
    email = serializers.EmailField(required=False, allow_blank=True)
    wechat = text(50)
    notes = text(5000)
    accounts = ContactAccountInput(many=True, required=False)
    owner = ref(help_text="Owner (user id); on create only.")


class LeadInput(serializers.Serializer):
    company = text(200)
    contact_name = text(100)
    title = text(100)
    phone = text(30)
    email = serializers.EmailField(required=False, allow_blank=True)
    wechat = text(50)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False)
    status = serializers.ChoiceField(
        choices=LeadStatus.choices, required=False, help_text="Not `converted`: convert the lead instead."
    )
    industry = serializers.ChoiceField(choices=Industry.choices, required=False, allow_blank=True)
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True)
    province = text(30)
    city = text(50)
    address = text(300)
    estimated_amount = money(required=False, allow_null=True)
    description = text(5000)
    lost_reason = text(300)
    owner = ref(help_text="Owner (user id); on create only.")


class StageInput(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An existing stage; omit for a new one."
    )
    name = serializers.CharField(max_length=100)
    probability = serializers.IntegerField(min_value=0, max_value=100, default=0)
    rotting_days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True)
    is_won = serializers.BooleanField(default=False)
    is_lost = serializers.BooleanField(default=False)


class PipelineInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    is_default = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    stages = StageInput(many=True, required=False, help_text="All stages in order; replaces the current ones.")


class DealLineInput(serializers.Serializer):
    product = serializers.CharField(max_length=200)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0, default=1)
    unit = text(20)
    unit_price = money()


class DealInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    account = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    contact = ref()
    pipeline = ref()
    stage = ref(help_text="An open stage; on create only — use /move/ afterwards.")
    amount = money(required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)
    source = serializers.ChoiceField(choices=LeadSource.choices, required=False, allow_blank=True)
    description = text(5000)
    owner = ref(help_text="Owner (user id); on create only.")
    lines = DealLineInput(many=True, required=False, help_text="Line items; replace the current ones when given.")


class DealMoveInput(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    reason = text(300, help_text="Why the deal was won or lost, when moved into such a stage.")


class DealWinInput(serializers.Serializer):
    reason = text(300)


class DealLoseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ConvertDealInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    amount = money(required=False)
    pipeline = ref()
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)


class LeadConvertInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=DedupDecision.choices,
        required=False,
        help_text="What to do about an existing account; without it, a likely duplicate answers 409 with candidates.",
    )
    account = ref(help_text="The existing account to link or merge into.")
    contact = ref(help_text="An existing contact to use instead of creating one.")
    create_deal = serializers.BooleanField(default=True)
    deal = ConvertDealInput(required=False)


class ActivityInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    subject = serializers.CharField(max_length=200)
    content = text(10000)
    occurred_at = serializers.DateTimeField(required=False)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False)
    next_contact_on = serializers.DateField(required=False, allow_null=True)
    account = ref()
    contact = ref()
    lead = ref()
    deal = ref()
    project_id = ref()
    owner = ref(help_text="Owner (user id); on create only.")


class PeriodInput(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="An existing period; omit for a new one."
    )
    name = serializers.CharField(max_length=100)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    amount = money(required=False)
    due_rule = serializers.ChoiceField(choices=DueRule.choices, default=DueRule.ON_DATE)
    due_on = serializers.DateField(required=False, allow_null=True)
    days_after_acceptance = serializers.IntegerField(min_value=0, max_value=3650, required=False, allow_null=True)
    project_milestone = text(200)
    reminder_days = serializers.IntegerField(min_value=0, max_value=365, default=7)
    is_retention = serializers.BooleanField(default=False)
    is_void = serializers.BooleanField(default=False)


class ContractInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    account = ref()
    deal = ref()
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False)
    amount = money(required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    customer_signatory = text(100)
    company_signatory = ref()
    signed_on = serializers.DateField(required=False, allow_null=True)
    start_on = serializers.DateField(required=False, allow_null=True)
    end_on = serializers.DateField(required=False, allow_null=True)
    accepted_on = serializers.DateField(required=False, allow_null=True)
    notes = text(5000)
    owner = ref(help_text="Owner (user id); on create only.")
    periods = PeriodInput(many=True, required=False, help_text="The payment plan; must add up to the amount.")


class PaymentPlanInput(serializers.Serializer):
    periods = PeriodInput(many=True, help_text="All periods in order; they must add up to the contract amount.")


class ContractSignInput(serializers.Serializer):
    signed_on = serializers.DateField(required=False, allow_null=True)


class ContractCloseInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ContractStatus.choices, help_text="`completed` or `terminated`.")


class ReceiptInput(serializers.Serializer):
    milestone = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    received_on = serializers.DateField(required=False)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False)
    bank = text(100)
    reference = text(100)
    notes = text(300)


class MergeInput(serializers.Serializer):
    source = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The duplicate account, merged into this one."
    )


class CrmSettingsInput(serializers.Serializer):
    lead_response_hours = serializers.IntegerField(min_value=1, max_value=720, required=False)
    max_owned_accounts = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, allow_null=True, help_text="Empty (null) means no limit."
    )
    max_locked_accounts = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True, help_text="Empty (null) means no limit."
    )
    forgotten_after_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
