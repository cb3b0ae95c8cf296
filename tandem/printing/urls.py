from django.urls import path

from tandem.printing.views import prints, settings, templates

app_name = "printing"

urlpatterns = [
    path("templates/", templates.template_list, name="templates"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/<int:pk>/", templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/default/", templates.template_make_default, name="template_default"),
    path("templates/<int:pk>/reset/", templates.template_reset, name="template_reset"),
    path("templates/<int:pk>/delete/", templates.template_delete, name="template_delete"),
    path("settings/", settings.print_settings, name="settings"),
    path("history/", prints.history, name="history"),
    path("print/<str:object_type>/<int:pk>/", prints.record_print, name="print"),
]
