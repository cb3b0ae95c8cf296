"""Test-only endpoints over the sample models, so the generic permission tests reach real views."""

from django.urls import path
from rest_framework import serializers
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from tandem.core.api.views import TenantViewSet
from tandem.core.views import tenant_view
from tandem.records.services.recycle_bin import record_soft_delete
from tandem.testing.models import SampleItem, SampleRecord


class SampleRecordOutput(serializers.ModelSerializer):
    class Meta:
        model = SampleRecord
        fields = ["id", "number", "name", "phone", "owner"]


class SampleRecordViewSet(TenantViewSet):
    queryset = SampleRecord.objects.all()
    serializer_class = SampleRecordOutput
    http_method_names = ["get", "delete", "head", "options"]
    ordering_fields = ["id", "name"]
    ordering = ["id"]
    filterset_fields = ["owner"]

    def perform_destroy(self, instance):
        record_soft_delete(access=self.request.access, obj=instance)


class SampleItemOutput(serializers.ModelSerializer):
    class Meta:
        model = SampleItem
        fields = ["id", "title", "record", "created_by"]


class SampleItemViewSet(TenantViewSet):
    queryset = SampleItem.objects.all()
    serializer_class = SampleItemOutput
    http_method_names = ["get", "head", "options"]
    ordering = ["id"]


class SampleFailingWriteView(APIView):
    """Saves a record, then fails like a bug in building the answer: the API must roll the write back."""

    def get_permission_code(self):
        return "testing.add_samplerecord"

    schema = None  # not part of the documented API

    def post(self, request):
        name = request.data.get("name") if isinstance(request.data, dict) else None
        if not name:
            raise serializers.ValidationError({"name": ["Required."]})
        SampleRecord.objects.create(tenant_id=request.access.tenant_id, owner=request.user, name=name)
        raise RuntimeError("a bug after the write")


@tenant_view("testing.view_samplerecord")
def sample_page(request, pk: int):
    from django.http import Http404, HttpResponse

    if not SampleRecord.objects.restrict(request.access).filter(pk=pk).exists():
        raise Http404
    return HttpResponse("ok")


router = SimpleRouter()
router.register("api/records", SampleRecordViewSet, basename="samplerecord")
router.register("api/items", SampleItemViewSet, basename="sampleitem")
urlpatterns = [
    path("records/<int:pk>/", sample_page, name="sample_page"),
    path("api/failing-write/", SampleFailingWriteView.as_view(), name="sample_failing_write"),
    *router.urls,
]
