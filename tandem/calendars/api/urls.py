from rest_framework.routers import SimpleRouter

from tandem.calendars.api import views

# Mounted under /api/v1/projects/ (by the projects API), where the endpoints have always been.
router = SimpleRouter()
router.register("calendars", views.CalendarViewSet, basename="projects-workcalendar")

urlpatterns = router.urls
