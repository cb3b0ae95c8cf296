from rest_framework import serializers

from tandem.finance.models import CostCode


class CostCodeOutput(serializers.ModelSerializer):
    class Meta:
        model = CostCode
        fields = ["id", "parent", "code", "name", "sort_order", "is_active", "created_at", "updated_at"]


class CostCodeInput(serializers.Serializer):
    parent = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    sort_order = serializers.IntegerField(min_value=0, required=False)
    is_active = serializers.BooleanField(required=False)


class CostCodeImportRow(serializers.Serializer):
    code = serializers.CharField(max_length=40, allow_blank=True)
    name = serializers.CharField(max_length=200, allow_blank=True)
    parent = serializers.CharField(max_length=40, required=False, allow_blank=True)
    sort_order = serializers.IntegerField(min_value=0, required=False)
    is_active = serializers.BooleanField(required=False)


class CostCodeImportInput(serializers.Serializer):
    rows = CostCodeImportRow(many=True)
