from django.urls import path

from tandem.core.views import shell as views

app_name = "core"

urlpatterns = [
    path("", views.recycle_bin, name="recycle_bin"),
    path("<str:type_key>/<int:pk>/restore/", views.recycle_bin_restore, name="recycle_bin_restore"),
    path("<str:type_key>/<int:pk>/purge/", views.recycle_bin_purge, name="recycle_bin_purge"),
]
