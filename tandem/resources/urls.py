from django.urls import path  # noqa: F401

from tandem.resources.views import leveling

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    # Utilisation and timelines.
    # Conflicts.
    # Suggestions and staff requests.
    # Leveling and priority.
    path("leveling/", leveling.leveling_home, name="leveling_home"),
    path("leveling/<int:pk>/", leveling.leveling_detail, name="leveling_detail"),
    path("leveling/<int:pk>/accept/", leveling.leveling_accept, name="leveling_accept"),
    path("leveling/<int:pk>/discard/", leveling.leveling_discard, name="leveling_discard"),
    path("leveling/project/<int:pk>/", leveling.project_level, name="project_level"),
    path("priority/<int:pk>/", leveling.priority_override, name="priority_override"),
]
