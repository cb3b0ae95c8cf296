"""Generic record endpoints every registered object type gets: attachments, sharing, owner
transfer and the recycle bin. The target record is always looked up through `restrict()`, so
a record outside the caller's tenant or scope answers 404."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tandem.core import permissions
from tandem.core.api.views import IdempotentPostMixin, TenantViewSet
from tandem.core.errors import ApplicationError
from tandem.core.models import Attachment, NumberingRule, OwnedModel, RecordShare, SoftDeleteModel, TenantModel
from tandem.core.services import tenant_users
from tandem.records.api.serializers import (
    AttachmentOutput,
    NumberingRuleSerializer,
    RecycleBinEntry,
    ShareInput,
    ShareOutput,
    TransferInput,
)
from tandem.records.selectors import binned, binned_models
from tandem.records.services.attachments import attachment_add
from tandem.records.services.numbering import numbering_rule_save
from tandem.records.services.recycle_bin import record_purge, record_restore
from tandem.records.services.sharing import record_share
from tandem.records.services.transfer import record_transfer_owner


def record_model(type_key: str):
    """The model of a registered object type such as `crm.account`; unknown types are 404."""
    try:
        permissions.get_type(type_key)
        model = permissions.model_of(type_key)
    except (KeyError, LookupError, ValueError) as exc:
        raise Http404 from exc
    if not issubclass(model, TenantModel):
        raise Http404
    return model


def record_get(request, type_key: str, pk: int, action: str = "view"):
    model = record_model(type_key)
    obj = model.objects.restrict(request.access, action).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _member_user(request, user_id):
    user = tenant_users(request.access.tenant_id).filter(pk=user_id).first()
    if user is None:
        raise ApplicationError(_("Unknown user."), errors={"user": [_("Not found.")]})
    return user


class RecordAttachmentsView(IdempotentPostMixin, APIView):
    """Files attached to one record; upload with multipart field `file`."""

    parser_classes = [MultiPartParser, FormParser]

    def get_permission_code(self):
        return "core.view_attachment" if self.request.method == "GET" else "core.add_attachment"

    @extend_schema(responses=AttachmentOutput(many=True))
    def get(self, request, type_key: str, pk: int):
        obj = record_get(request, type_key, pk)
        rows = Attachment.objects.filter(
            tenant_id=request.access.tenant_id, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("-id")
        return Response(AttachmentOutput(rows, many=True).data)

    @extend_schema(
        request={"multipart/form-data": inline_serializer("AttachmentUpload", {"file": serializers.FileField()})},
        responses={201: AttachmentOutput},
    )
    def post(self, request, type_key: str, pk: int):
        obj = record_get(request, type_key, pk, "change")
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Choose a file to upload."), errors={"file": [_("Required.")]})
        attachment = attachment_add(access=request.access, obj=obj, upload=upload)
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(APIView):
    """The file itself, if the caller may see the record it is attached to."""

    def get_permission_code(self):
        return "core.view_attachment"

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        attachment = Attachment.objects.filter(tenant_id=request.access.tenant_id, pk=pk).first()
        if attachment is None:
            raise Http404
        model = attachment.content_type.model_class()
        if model is None or not model.objects.restrict(request.access).filter(pk=attachment.object_id).exists():
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


class RecordTransferView(IdempotentPostMixin, APIView):
    """Hand a record to another member (转移) with a reason."""

    def get_permission_code(self):
        return None  # the service checks `<app>.transfer_<model>`

    @extend_schema(
        request=TransferInput, responses=inline_serializer("Transferred", {"owner": serializers.IntegerField()})
    )
    def post(self, request, type_key: str, pk: int):
        model = record_model(type_key)
        if not issubclass(model, OwnedModel) and not getattr(model, "owner_field", None):
            raise Http404
        obj = record_get(request, type_key, pk, "change")
        data = TransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        new_owner = _member_user(request, data.validated_data["owner"])
        record_transfer_owner(access=request.access, obj=obj, new_owner=new_owner, reason=data.validated_data["reason"])
        return Response({"owner": new_owner.pk})


class RecordSharesView(IdempotentPostMixin, APIView):
    """Colleagues a record is shared with (相关团队)."""

    def get_permission_code(self):
        return None  # reading needs the record; sharing needs `<app>.change_<model>`, checked by the service

    @extend_schema(responses=ShareOutput(many=True))
    def get(self, request, type_key: str, pk: int):
        obj = record_get(request, type_key, pk)
        rows = RecordShare.objects.filter(
            tenant_id=request.access.tenant_id, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).order_by("id")
        return Response(ShareOutput(rows, many=True).data)

    @extend_schema(request=ShareInput, responses={201: ShareOutput})
    def post(self, request, type_key: str, pk: int):
        obj = record_get(request, type_key, pk, "change")
        data = ShareInput(data=request.data)
        data.is_valid(raise_exception=True)
        share = record_share(
            access=request.access,
            obj=obj,
            user=_member_user(request, data.validated_data["user"]),
            level=data.validated_data["level"],
            expires_at=data.validated_data.get("expires_at"),
        )
        return Response(ShareOutput(share).data, status=status.HTTP_201_CREATED)


class RecycleBinView(APIView):
    """Soft-deleted records the caller may see, newest first."""

    def get_permission_code(self):
        return "core.view_recyclebin"

    @extend_schema(responses=RecycleBinEntry(many=True))
    def get(self, request):
        rows = []
        for model in binned_models(request.access):
            qs = binned(request.access, model)
            rows.extend(
                {
                    "type": model._meta.label_lower,
                    "id": o.pk,
                    "label": str(o),
                    "deleted_at": o.deleted_at,
                    "deleted_by": o.deleted_by_id,
                }
                for o in qs.order_by("-deleted_at")[:500]
            )
        rows.sort(key=lambda r: r["deleted_at"], reverse=True)
        return Response(RecycleBinEntry(rows, many=True).data)


def _binned(request, type_key: str, pk: int):
    model = record_model(type_key)
    if not issubclass(model, SoftDeleteModel):
        raise Http404
    obj = binned(request.access, model).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


class RecycleBinRestoreView(IdempotentPostMixin, APIView):
    def get_permission_code(self):
        return "core.change_recyclebin"

    @extend_schema(request=None, responses=inline_serializer("Restored", {"status": serializers.CharField()}))
    def post(self, request, type_key: str, pk: int):
        record_restore(access=request.access, obj=_binned(request, type_key, pk))
        return Response({"status": "restored"})


class RecycleBinPurgeView(APIView):
    def get_permission_code(self):
        return "core.delete_recyclebin"

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, type_key: str, pk: int):
        record_purge(access=request.access, obj=_binned(request, type_key, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class NumberingRuleViewSet(TenantViewSet):
    """How each object type is numbered (prefix, date part, reset, digits)."""

    queryset = NumberingRule.objects.all()
    serializer_class = NumberingRuleSerializer
    permission_object = "core.numberingrule"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["object_type"]

    def get_permission_code(self):
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return f"core.{action}_numberingrule"

    def get_queryset(self):
        return NumberingRule.objects.for_tenant(self.request.access.tenant_id).order_by("object_type")

    def perform_create(self, serializer):
        numbering_rule_save(access=self.request.access, data=serializer.validated_data)
        serializer.instance = NumberingRule.objects.get(
            tenant_id=self.request.access.tenant_id, object_type=serializer.validated_data["object_type"]
        )

    def perform_update(self, serializer):
        data = {"object_type": serializer.instance.object_type, **serializer.validated_data}
        serializer.instance = numbering_rule_save(access=self.request.access, data=data)
