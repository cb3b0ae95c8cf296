from django.urls import path

from tandem.feedback.views import insights, public, recoveries, surveys

app_name = "feedback"

urlpatterns = [
    path("surveys/send/", surveys.survey_send, name="survey_send"),
    path("recoveries/<int:pk>/close/", recoveries.close, name="recovery_close"),
    path("nps/", insights.nps_page, name="nps"),
    path("settings/", insights.settings_page, name="settings"),
]

# The customer's pages, at the short public address /s/<token>/ (namespace "survey", see tandem/urls.py).
public_patterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/unsubscribe/", public.unsubscribe, name="unsubscribe"),
]
