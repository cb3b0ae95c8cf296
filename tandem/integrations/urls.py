from django.urls import path

from tandem.integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("template/", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/remap/", views.import_remap, name="remap"),
    path("<int:pk>/status/", views.import_status, name="status"),
    path("<int:pk>/rows/", views.import_rows, name="rows"),
    path("<int:pk>/decisions/", views.import_decisions, name="decisions"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<int:pk>/errors.csv", views.import_error_report, name="error_report"),
]
