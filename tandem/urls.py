"""Root URL configuration: pages, the REST API under /api/v1/, health checks."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tandem.core.views import shell as core_views
from tandem.feedback import urls as feedback_urls
from tandem.resources.api.views import leveling as leveling_api

api_v1 = [
    path("", include("tandem.accounts.api.urls")),
    path("", include("tandem.records.api.urls")),
    path("audit/", include("tandem.audit.api.urls")),
    path("notifications/", include("tandem.notifications.api.urls")),
    path("comments/", include("tandem.comments.api.urls")),
    path("printing/", include("tandem.printing.api.urls")),
    path("crm/", include("tandem.crm.api.urls")),
    # Leveling a project from the resources app (projects does not import resources).
    path("projects/projects/<int:pk>/level/", leveling_api.ProjectLevelView.as_view(), name="projects-project-level"),
    path(
        "projects/projects/<int:pk>/level/accept/",
        leveling_api.ProjectLevelAcceptView.as_view(),
        name="projects-project-level-accept",
    ),
    path("projects/", include("tandem.projects.api.urls")),
    path("feedback/", include("tandem.feedback.api.urls")),
    path("resources/", include("tandem.resources.api.urls")),
    path("finance/", include("tandem.finance.api.urls")),
    path("approvals/", include("tandem.approvals.api.urls")),
    path("imports/", include("tandem.integrations.api.urls")),
    path("automation/", include("tandem.automation.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("tandem.accounts.urls")),
    path("audit/", include("tandem.audit.urls")),
    path("notifications/", include("tandem.notifications.urls")),
    path("comments/", include("tandem.comments.urls")),
    path("printing/", include("tandem.printing.urls")),
    path("crm/", include("tandem.crm.urls")),
    path("projects/", include("tandem.projects.urls")),
    path("feedback/", include("tandem.feedback.urls")),
    path("resources/", include("tandem.resources.urls")),
    path("finance/", include("tandem.finance.urls")),
    path("approvals/", include("tandem.approvals.urls")),
    path("s/", include((feedback_urls.public_patterns, "survey"))),
    path("imports/", include("tandem.integrations.urls")),
    path("automation/", include("tandem.automation.urls")),
    path("recycle-bin/", include("tandem.records.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
]

handler403 = "tandem.core.views.shell.error_403"
handler404 = "tandem.core.views.shell.error_404"
handler500 = "tandem.core.views.shell.error_500"

if "tandem.testing" in settings.INSTALLED_APPS:
    urlpatterns += [path("testing/", include("tandem.testing.urls"))]
