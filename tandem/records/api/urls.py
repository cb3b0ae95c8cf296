from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.records.api import views

router = SimpleRouter()
router.register("numbering-rules", views.NumberingRuleViewSet, basename="numberingrule")

urlpatterns = [
    path(
        "records/<str:type_key>/<int:pk>/attachments/",
        views.RecordAttachmentsView.as_view(),
        name="record-attachments",
    ),
    path("records/<str:type_key>/<int:pk>/shares/", views.RecordSharesView.as_view(), name="record-shares"),
    path("records/<str:type_key>/<int:pk>/transfer/", views.RecordTransferView.as_view(), name="record-transfer"),
    path("attachments/<int:pk>/download/", views.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("recycle-bin/", views.RecycleBinView.as_view(), name="recycle-bin"),
    path(
        "recycle-bin/<str:type_key>/<int:pk>/restore/",
        views.RecycleBinRestoreView.as_view(),
        name="recycle-bin-restore",
    ),
    path("recycle-bin/<str:type_key>/<int:pk>/", views.RecycleBinPurgeView.as_view(), name="recycle-bin-purge"),
]
urlpatterns += router.urls
