from rest_framework.routers import SimpleRouter

from tandem.feedback.api import requests, views

router = SimpleRouter()
router.register("templates", views.SurveyTemplateViewSet, basename="surveytemplate")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("responses", views.SurveyResponseViewSet, basename="surveyresponse")
router.register("requests", requests.ServiceRequestViewSet, basename="servicerequest")

urlpatterns = [*router.urls]
