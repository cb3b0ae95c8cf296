from django.urls import path  # noqa: F401

from tandem.resources.views import conflicts

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    # Utilisation and timelines.
    # Conflicts.
    path("conflicts/", conflicts.conflict_list, name="conflict_list"),
    path("conflicts/<int:pk>/", conflicts.conflict_detail, name="conflict_detail"),
    path("conflicts/<int:pk>/dismiss/", conflicts.conflict_dismiss, name="conflict_dismiss"),
    path("settings/", conflicts.settings_page, name="settings"),
    path("settings/refresh/", conflicts.refresh_now, name="conflicts_refresh"),
    # Suggestions and staff requests.
    # Leveling and priority.
]
