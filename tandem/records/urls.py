from django.urls import path

from tandem.records import views

# The pages keep the `core` namespace they were born in, so their URL names (`core:recycle_bin`, …) stay as they were.
app_name = "core"

urlpatterns = [
    path("", views.recycle_bin, name="recycle_bin"),
    path("<str:type_key>/<int:pk>/restore/", views.recycle_bin_restore, name="recycle_bin_restore"),
    path("<str:type_key>/<int:pk>/purge/", views.recycle_bin_purge, name="recycle_bin_purge"),
]
