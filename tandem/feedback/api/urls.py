from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.feedback.api import batches, insights, requests, views

router = SimpleRouter()
router.register("templates", views.SurveyTemplateViewSet, basename="surveytemplate")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("responses", views.SurveyResponseViewSet, basename="surveyresponse")
router.register("recoveries", views.RecoveryViewSet, basename="recovery")
router.register("health", insights.HealthScoreViewSet, basename="healthscore")
router.register("requests", requests.ServiceRequestViewSet, basename="servicerequest")
router.register("batches", batches.SurveyBatchViewSet, basename="surveybatch")

urlpatterns = [
    path("settings/", insights.FeedbackSettingsView.as_view(), name="feedbacksettings"),
    *router.urls,
]
