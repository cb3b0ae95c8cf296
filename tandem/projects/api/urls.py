from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tandem.projects.api.views import baselines, projects, tasks, templates

router = SimpleRouter()
router.register("projects", projects.ProjectViewSet, basename="projects-project")
router.register("tasks", tasks.TaskViewSet, basename="projects-task")
router.register("dependencies", tasks.DependencyViewSet, basename="projects-dependency")
router.register("baselines", baselines.BaselineViewSet, basename="projects-baseline")
router.register("templates", templates.TemplateViewSet, basename="projects-projecttemplate")

urlpatterns = [
    path("warnings/", projects.WarningsView.as_view(), name="projects-warnings"),
    path("import/mspdi/", projects.MspdiImportView.as_view(), name="projects-import-mspdi"),
    path("", include("tandem.calendars.api.urls")),
    *router.urls,
]
