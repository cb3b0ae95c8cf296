from django.urls import path

from tandem.feedback.views import bulk, log, public, surveys, templates

app_name = "feedback"

urlpatterns = [
    path("surveys/", log.survey_list, name="survey_list"),
    path("surveys/send/", surveys.survey_send, name="survey_send"),
    path("surveys/bulk/", bulk.survey_bulk, name="survey_bulk"),
    path("surveys/batches/<int:pk>/", bulk.batch_detail, name="batch_detail"),
    path("templates/", templates.template_list, name="template_list"),
    path("templates/new/", templates.template_create, name="template_create"),
    path("templates/preview/", templates.template_preview, name="template_preview"),
    path("templates/<int:pk>/", templates.template_update, name="template_update"),
    path("templates/<int:pk>/default/", templates.template_make_default, name="template_default"),
    path("templates/<int:pk>/delete/", templates.template_delete, name="template_delete"),
]

# The customer's pages, at the short public address /s/<token>/ (namespace "survey", see tandem/urls.py).
public_patterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/unsubscribe/", public.unsubscribe, name="unsubscribe"),
]
