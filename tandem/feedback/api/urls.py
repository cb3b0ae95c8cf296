from rest_framework.routers import SimpleRouter

from tandem.feedback.api import batches, views

router = SimpleRouter()
router.register("templates", views.SurveyTemplateViewSet, basename="surveytemplate")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("responses", views.SurveyResponseViewSet, basename="surveyresponse")
router.register("batches", batches.SurveyBatchViewSet, basename="surveybatch")

urlpatterns = [*router.urls]
