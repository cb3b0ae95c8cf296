"""Filter sets of the projects API lists.

Related records are filtered by plain ids (NumberFilter), not model choices: a choice filter would
validate the id against every tenant's rows and so tell a caller which foreign ids exist.
"""

import django_filters

from tandem.projects.models import Baseline, Dependency, Project, ProjectTemplate, Task


class ProjectFilter(django_filters.FilterSet):
    owner = django_filters.NumberFilter(field_name="owner_id")
    calendar = django_filters.NumberFilter(field_name="calendar_id")
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Project
        fields = ["status", "health", "account_id", "deal_id", "contract_id"]


class TaskFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    parent = django_filters.NumberFilter(field_name="parent_id")
    assignee = django_filters.NumberFilter(field_name="assignees", distinct=True)
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull")

    class Meta:
        model = Task
        fields = ["kind", "is_milestone", "is_summary", "is_critical"]


class DependencyFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    predecessor = django_filters.NumberFilter(field_name="predecessor_id")
    successor = django_filters.NumberFilter(field_name="successor_id")

    class Meta:
        model = Dependency
        fields = ["type"]


class BaselineFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")

    class Meta:
        model = Baseline
        fields = ["number"]


class TemplateFilter(django_filters.FilterSet):
    class Meta:
        model = ProjectTemplate
        fields = ["name", "is_current", "source"]
