"""Input and output serializers for accounts: separate, so reads never accept writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tandem.accounts.choices import PasswordProfile
from tandem.accounts.models import ApiToken, Department, Membership, Role, Tenant, User
from tandem.core.masking import mask
from tandem.core.scopes import DataScope


class TenantOutput(serializers.ModelSerializer):
    class Meta:
        model = Tenant
        fields = ["id", "slug", "name", "locale", "timezone", "currency", "password_profile"]


class RoleOutput(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["id", "key", "name", "description", "permissions", "data_scope", "field_rules", "is_system"]


class RoleInput(serializers.Serializer):
    key = serializers.SlugField(max_length=50, required=False)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    permissions = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    data_scope = serializers.ChoiceField(choices=DataScope.choices, default=DataScope.OWN)
    field_rules = serializers.DictField(
        child=serializers.ChoiceField(choices=[("hidden", _("Hidden")), ("masked", _("Masked"))]),
        required=False,
        default=dict,
    )


class DepartmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "parent", "head", "sort_order"]


class DepartmentInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    parent = serializers.IntegerField(required=False, allow_null=True)
    head = serializers.IntegerField(required=False, allow_null=True)


class MaskedFieldsMixin:
    """Applies the caller's field rules: hidden fields are dropped, masked ones masked."""

    field_rule_prefix = ""
    masked_kinds: dict[str, str] = {}
    # Output fields governed by a field rule of another name (a project's `budget` by its `cost` rule).
    field_rule_names: dict[str, str] = {}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        access = self.context.get("access")
        if access is None:
            return data
        for name in list(data):
            rule = access.field_rule(f"{self.field_rule_prefix}.{self.field_rule_names.get(name, name)}")
            if rule == "hidden":
                data.pop(name)
            elif rule == "masked":
                data[name] = mask(data[name], self.masked_kinds.get(name, "default"))
        return data


class MemberOutput(MaskedFieldsMixin, serializers.ModelSerializer):
    field_rule_prefix = "accounts.user"
    masked_kinds = {"phone": "phone"}

    user_id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    phone = serializers.CharField(source="user.phone")
    roles = serializers.SlugRelatedField(many=True, slug_field="key", read_only=True)
    last_login = serializers.DateTimeField(source="user.last_login")

    class Meta:
        model = Membership
        fields = [
            "id",
            "user_id",
            "username",
            "display_name",
            "email",
            "phone",
            "title",
            "skills",
            "department",
            "manager",
            "roles",
            "is_active",
            "last_login",
        ]


class MemberInput(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{2,150}$", max_length=150)
    password = serializers.CharField(required=False, write_only=True, allow_blank=True, max_length=128)
    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    title = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    skills = serializers.ListField(
        child=serializers.CharField(max_length=50, allow_blank=False), required=False, max_length=30
    )
    department = serializers.IntegerField(required=False, allow_null=True)
    manager = serializers.IntegerField(required=False, allow_null=True)
    roles = serializers.ListField(child=serializers.SlugField(), required=False, default=list)


class MemberUpdateInput(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    title = serializers.CharField(required=False, allow_blank=True, max_length=100)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=50, allow_blank=False), required=False, max_length=30
    )
    department = serializers.IntegerField(required=False, allow_null=True)
    manager = serializers.IntegerField(required=False, allow_null=True)
    roles = serializers.ListField(child=serializers.SlugField(), required=False)
    is_active = serializers.BooleanField(required=False)


class TokenOutput(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "scopes", "expires_at", "last_used_at", "revoked_at", "created_at", "user"]


class TokenCreatedOutput(TokenOutput):
    token = serializers.CharField(help_text=_("The secret; shown only in this response."))

    class Meta(TokenOutput.Meta):
        fields = [*TokenOutput.Meta.fields, "token"]


class TokenInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class MeOutput(serializers.Serializer):
    user = serializers.DictField()
    tenant = TenantOutput()
    tenants = TenantOutput(many=True)
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())
    data_scopes = serializers.DictField(child=serializers.CharField())


class UserBrief(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email"]


class TenantSettingsInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    locale = serializers.ChoiceField(choices=["zh-hans", "en"], required=False)
    timezone = serializers.CharField(max_length=60, required=False)
    currency = serializers.CharField(max_length=3, required=False)
    password_profile = serializers.ChoiceField(choices=PasswordProfile.choices, required=False)
