from django.urls import path

from tandem.feedback.views import bulk, insights, log, public, recoveries, requests, surveys, templates

app_name = "feedback"

urlpatterns = [
    path("surveys/", log.survey_list, name="survey_list"),
    path("surveys/send/", surveys.survey_send, name="survey_send"),
    path("recoveries/<int:pk>/close/", recoveries.close, name="recovery_close"),
    path("nps/", insights.nps_page, name="nps"),
    path("settings/", insights.settings_page, name="settings"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/board/", requests.request_board, name="request_board"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/form/projects/", requests.request_form_projects, name="request_form_projects"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", requests.request_update, name="request_update"),
    path("requests/<int:pk>/transition/", requests.request_transition, name="request_transition"),
    path("requests/<int:pk>/assign/", requests.request_assign, name="request_assign"),
    path("requests/<int:pk>/delete/", requests.request_delete, name="request_delete"),
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
