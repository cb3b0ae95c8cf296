from rest_framework import serializers

from tandem.finance.models import CostAlert


class CostAlertOutput(serializers.ModelSerializer):
    class Meta:
        model = CostAlert
        fields = ["id", "project", "kind", "budget_line", "value", "threshold", "opened_at", "closed_at"]
