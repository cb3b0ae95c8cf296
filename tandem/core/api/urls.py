from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.core.api import records

router = SimpleRouter()
router.register("numbering-rules", records.NumberingRuleViewSet, basename="numberingrule")

urlpatterns = [
    path(
        "records/<str:type_key>/<int:pk>/attachments/",
        records.RecordAttachmentsView.as_view(),
        name="record-attachments",
    ),
    path("records/<str:type_key>/<int:pk>/shares/", records.RecordSharesView.as_view(), name="record-shares"),
    path("records/<str:type_key>/<int:pk>/transfer/", records.RecordTransferView.as_view(), name="record-transfer"),
    path("attachments/<int:pk>/download/", records.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("recycle-bin/", records.RecycleBinView.as_view(), name="recycle-bin"),
    path(
        "recycle-bin/<str:type_key>/<int:pk>/restore/",
        records.RecycleBinRestoreView.as_view(),
        name="recycle-bin-restore",
    ),
    path("recycle-bin/<str:type_key>/<int:pk>/", records.RecycleBinPurgeView.as_view(), name="recycle-bin-purge"),
]
urlpatterns += router.urls
