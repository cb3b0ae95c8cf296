"""Test-only models: an owned, soft-deletable, numbered record and a child under it."""

from django.db import models

from tandem.core.models import OwnedModel, SoftDeleteModel, TenantModel


class SampleRecord(TenantModel, OwnedModel, SoftDeleteModel):
    number = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)

    sensitive_fields = {"phone": "phone"}

    def __str__(self) -> str:
        return self.name


class SampleItem(TenantModel):
    record = models.ForeignKey(SampleRecord, on_delete=models.CASCADE, related_name="items")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=100)

    owner_field = "created_by"
    scope_parents = ("record",)


class HandlerEffect(models.Model):
    """One row per (event, effect) written by the test handler; a duplicate means a duplicated effect."""

    event_id = models.UUIDField()
    note = models.CharField(max_length=50)
