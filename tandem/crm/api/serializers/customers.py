"""Serializers of accounts, contacts, leads and activities (what clients send and read), duplicates, the
timeline and the crm settings."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.accounts.api.serializers import MaskedFieldsMixin
from tandem.comments.api.serializers import CommentOutput
from tandem.crm.api.serializers.fields import MAX_ID, money_input, ref, text
from tandem.crm.choices import AccountTier, ActivityKind, ContactLanguage, Industry, LeadSource, LeadStatus, Region
from tandem.crm.models import Account, Activity, Contact, Lead
from tandem.crm.models.accounts import ACCOUNT_DETAILS
from tandem.crm.models.leads import LEAD_DETAILS


class AccountOutput(serializers.ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner", allow_null=True)
    parent_name = serializers.StringRelatedField(source="parent", allow_null=True)
    risk_owner_name = serializers.StringRelatedField(source="risk_owner", allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Account
        fields = [
            "id",
            *ACCOUNT_DETAILS,
            "parent",
            "parent_name",
            "owner",
            "owner_name",
            "risk_flag",
            "risk_reason",
            "risk_owner",
            "risk_owner_name",
            "risk_expires_on",
            "last_activity_at",
            "last_activity_summary",
            "pool",
            "locked",
            "claimed_at",
            "created_at",
            "updated_at",
        ]


class ContactAccountOutput(serializers.Serializer):
    account = serializers.IntegerField(source="account_id")
    name = serializers.CharField(source="account.name")
    is_primary = serializers.BooleanField()


class ContactOutput(MaskedFieldsMixin, serializers.ModelSerializer):
    field_rule_prefix = "crm.contact"
    masked_kinds = {"mobile": "phone", "phone": "phone"}

    owner_name = serializers.StringRelatedField(source="owner")
    accounts = ContactAccountOutput(source="account_links", many=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "title",
            "department",
            "mobile",
            "phone",
            "email",
            "wechat",
            "language",
            "notes",
            "accounts",
            "owner",
            "owner_name",
            "created_at",
            "updated_at",
        ]


class LeadOutput(MaskedFieldsMixin, serializers.ModelSerializer):
    field_rule_prefix = "crm.lead"
    masked_kinds = {"phone": "phone"}

    owner_name = serializers.StringRelatedField(source="owner")
    response_seconds = serializers.IntegerField(allow_null=True, read_only=True)
    is_response_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            *LEAD_DETAILS,
            "owner",
            "owner_name",
            "response_due_at",
            "first_response_at",
            "response_seconds",
            "is_response_overdue",
            "lost_reason",
            "converted_at",
            "converted_account",
            "converted_contact",
            "converted_deal",
            "created_at",
            "updated_at",
        ]


class ActivityOutput(serializers.ModelSerializer):
    owner_name = serializers.StringRelatedField(source="owner")
    account_name = serializers.StringRelatedField(source="account", allow_null=True)
    contact_name = serializers.StringRelatedField(source="contact", allow_null=True)
    lead_name = serializers.StringRelatedField(source="lead", allow_null=True)
    deal_name = serializers.StringRelatedField(source="deal", allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "subject",
            "content",
            "occurred_at",
            "due_at",
            "done",
            "done_at",
            "is_overdue",
            "next_contact_on",
            "account",
            "account_name",
            "contact",
            "contact_name",
            "lead",
            "lead_name",
            "deal",
            "deal_name",
            "project_id",
            "owner",
            "owner_name",
            "automation_rule_id",
            "automation_rule_name",
            "author",
            "created_at",
        ]

    def get_author(self, activity) -> str:
        """“Automation: <rule>” for a note a rule wrote, else the owner's name."""
        return activity.automation_label or str(activity.owner)


class DuplicateOutput(serializers.Serializer):
    id = serializers.IntegerField(source="account.id")
    name = serializers.CharField(source="account.name")
    owner_name = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    visible = serializers.BooleanField(help_text="Whether the caller may open this account.")


class ChangeOutput(serializers.Serializer):
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    action = serializers.CharField()
    actor_name = serializers.CharField()
    author = serializers.CharField(help_text="“Automation: <rule>” for a rule's change, else the person.")
    before = serializers.DictField(allow_null=True)
    after = serializers.DictField(allow_null=True)


class TimelineItem(serializers.Serializer):
    type = serializers.CharField(
        help_text="`activity` (a follow-up), `comment` (a comment on the record) or `change` (a recorded change)."
    )
    at = serializers.DateTimeField()
    activity = ActivityOutput(allow_null=True)
    comment = CommentOutput(allow_null=True)
    change = serializers.SerializerMethodField()

    @extend_schema_field(ChangeOutput(allow_null=True))
    def get_change(self, item) -> dict | None:
        entry = item["change"]
        if entry is None:
            return None
        access = self.context.get("access")
        model = entry.object_type.split(".")[-1]

        def allowed(data):
            # Hidden or masked fields of the record are left out of the history as well.
            if data is None or access is None:
                return data
            return {k: v for k, v in data.items() if access.field_rule(f"crm.{model}.{k}") is None}

        return {
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "action": entry.action,
            "actor_name": entry.actor_name,
            "author": entry.author,
            "before": allowed(entry.before),
            "after": allowed(entry.after),
        }


class CrmSettingsOutput(serializers.Serializer):
    lead_response_hours = serializers.IntegerField()
    max_owned_accounts = serializers.IntegerField(allow_null=True)
    max_locked_accounts = serializers.IntegerField(allow_null=True)
    forgotten_after_days = serializers.IntegerField()


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
    language = serializers.ChoiceField(choices=ContactLanguage.choices, required=False, allow_blank=True)
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
    estimated_amount = money_input(required=False, allow_null=True)
    description = text(5000)
    lost_reason = text(300)
    owner = ref(help_text="Owner (user id); on create only.")


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
