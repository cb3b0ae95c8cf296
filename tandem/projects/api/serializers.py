"""Input and output serializers of the projects API: separate, so reads never accept writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.accounts.api.serializers import MaskedFieldsMixin
from tandem.projects.choices import (
    ConstraintType,
    DurationUnit,
    Health,
    LinkType,
    ProjectStatus,
    TaskKind,
    WarningKind,
)
from tandem.projects.models import (
    Baseline,
    Dependency,
    Project,
    ProjectStatusUpdate,
    ProjectTemplate,
    Task,
    TemplateLink,
    TemplateTask,
)

# --- projects ------------------------------------------------------------------------------------


class ProjectOutput(MaskedFieldsMixin, serializers.ModelSerializer):
    field_rule_prefix = "projects.project"
    field_rule_names = {"budget": "cost"}
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    team = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "number",
            "code",
            "name",
            "description",
            "account_id",
            "deal_id",
            "contract_id",
            "contact_ids",
            "budget",
            "owner",
            "owner_name",
            "team",
            "start_date",
            "start_time",
            "planned_finish",
            "contract_finish",
            "status",
            "health",
            "calendar",
            "status_date",
            "completed_at",
            "scheduled_start",
            "scheduled_finish",
            "scheduled_at",
            "created_at",
            "updated_at",
        ]


class ProjectInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    account_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    deal_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    contract_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    contact_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=100,
        help_text="Customer contact ids (the account's contacts, or the deal's contact).",
    )
    budget = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Budget in the tenant's currency; set from the contract amount when the deal's contract is signed.",
    )
    owner = serializers.IntegerField(required=False, help_text="User id of the project manager; default: you.")
    team = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=500)
    start_date = serializers.DateField()
    start_time = serializers.TimeField(
        required=False, allow_null=True, help_text="When work may begin that day; default: the calendar's first hour."
    )
    planned_finish = serializers.DateField(required=False, allow_null=True)
    contract_finish = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    health = serializers.ChoiceField(choices=Health.choices, required=False)
    calendar = serializers.IntegerField(required=False, help_text="Work calendar id; default: the tenant's.")
    status_date = serializers.DateField(required=False, allow_null=True)
    completion_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Setting `status` to completed while tasks are open needs this reason (kept as a status update) "
        "or `complete_open_tasks`.",
    )
    complete_open_tasks = serializers.BooleanField(
        required=False, help_text="With `status` completed: mark the open tasks done as well (up to now)."
    )


class ProjectCompleteInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why the project is completed while tasks are open; kept as a status update and audited.",
    )
    complete_open_tasks = serializers.BooleanField(
        default=False, help_text="Mark the open tasks done as well (up to now) instead of giving a reason."
    )


class ProjectStatusUpdateOutput(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = ProjectStatusUpdate
        fields = ["id", "project", "date", "health", "text", "author", "author_name", "created_at"]


class ProjectStatusUpdateInput(serializers.Serializer):
    date = serializers.DateField(required=False)
    health = serializers.ChoiceField(choices=Health.choices)
    text = serializers.CharField(max_length=20000)


class ScheduleTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.IntegerField(source="external_uid", allow_null=True, help_text="MS Project UID, if imported.")
    outline_number = serializers.CharField()
    name = serializers.CharField()
    is_summary = serializers.BooleanField()
    is_milestone = serializers.BooleanField()
    duration = serializers.IntegerField(help_text="Working minutes.")
    early_start = serializers.DateTimeField(allow_null=True)
    early_finish = serializers.DateTimeField(allow_null=True)
    late_start = serializers.DateTimeField(allow_null=True)
    late_finish = serializers.DateTimeField(allow_null=True)
    total_float = serializers.IntegerField(allow_null=True, help_text="Working minutes.")
    free_float = serializers.IntegerField(allow_null=True, help_text="Working minutes.")
    critical = serializers.BooleanField(source="is_critical")


class ScheduleOutput(serializers.Serializer):
    project = serializers.IntegerField()
    time_zone = serializers.CharField()
    scheduled_start = serializers.DateTimeField(allow_null=True)
    scheduled_finish = serializers.DateTimeField(allow_null=True)
    scheduled_at = serializers.DateTimeField(allow_null=True)
    tasks = ScheduleTaskOutput(many=True)


class CalendarFeedInput(serializers.Serializer):
    rotate = serializers.BooleanField(default=False, help_text="Make a new URL; the old one stops working.")


class CalendarFeedOutput(serializers.Serializer):
    url = serializers.CharField()


class SaveAsTemplateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    roles = serializers.DictField(
        child=serializers.CharField(max_length=50),
        required=False,
        help_text="User id → role placeholder for the assignees; the PM is 'pm', others default to 'engineer'.",
    )

    def validate_roles(self, value) -> dict[int, str]:
        """User ids arrive as the object's keys, so as text; a key that is no id is left out."""
        return {int(k): v for k, v in value.items() if str(k).isdigit()}


# --- tasks and dependencies ------------------------------------------------------------------------


class TaskOutput(serializers.ModelSerializer):
    assignees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "parent",
            "sort_order",
            "outline_number",
            "outline_level",
            "is_summary",
            "name",
            "kind",
            "is_milestone",
            "duration",
            "duration_unit",
            "percent_complete",
            "actual_start",
            "actual_finish",
            "assignees",
            "constraint_type",
            "constraint_date",
            "calendar",
            "notes",
            "payment_percent",
            "checklist",
            "external_uid",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
            "total_float",
            "free_float",
            "is_critical",
            "scheduled_at",
            "created_by",
            "created_at",
            "updated_at",
        ]


class TaskInput(serializers.Serializer):
    project = serializers.IntegerField(required=False, help_text="Required when creating.")
    parent = serializers.IntegerField(required=False, allow_null=True)
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False)
    is_milestone = serializers.BooleanField(required=False)
    duration = serializers.IntegerField(required=False, allow_null=True, min_value=0, help_text="Working minutes.")
    duration_unit = serializers.ChoiceField(choices=DurationUnit.choices, required=False)
    percent_complete = serializers.IntegerField(required=False, min_value=0, max_value=100)
    actual_start = serializers.DateTimeField(required=False, allow_null=True)
    actual_finish = serializers.DateTimeField(required=False, allow_null=True)
    assignees = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=100)
    constraint_type = serializers.ChoiceField(choices=ConstraintType.choices, required=False)
    constraint_date = serializers.DateTimeField(required=False, allow_null=True)
    calendar = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    payment_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, min_value=0, max_value=100
    )
    checklist = serializers.ListField(child=serializers.JSONField(), required=False, max_length=200)


class TaskMoveInput(serializers.Serializer):
    parent = serializers.IntegerField(allow_null=True, help_text="The new parent task; null = top level.")
    position = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class DependencyOutput(serializers.ModelSerializer):
    class Meta:
        model = Dependency
        fields = ["id", "project", "predecessor", "successor", "type", "lag", "created_at"]


class DependencyInput(serializers.Serializer):
    predecessor = serializers.IntegerField()
    successor = serializers.IntegerField()
    type = serializers.ChoiceField(choices=LinkType.choices, default=LinkType.FS)
    lag = serializers.IntegerField(default=0, help_text="Working minutes; negative = lead.")


class DependencyUpdateInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=LinkType.choices, required=False)
    lag = serializers.IntegerField(required=False)


# --- baselines -----------------------------------------------------------------------------------


class BaselineOutput(serializers.ModelSerializer):
    class Meta:
        model = Baseline
        fields = ["id", "project", "number", "name", "taken_at", "created_by"]


class BaselineInput(serializers.Serializer):
    project = serializers.IntegerField()
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    number = serializers.IntegerField(required=False, min_value=1, max_value=10)


class VarianceOutput(serializers.Serializer):
    task = serializers.IntegerField(source="task.pk")
    outline_number = serializers.CharField(source="task.outline_number")
    name = serializers.CharField(source="task.name")
    baseline_start = serializers.DateTimeField(allow_null=True)
    baseline_finish = serializers.DateTimeField(allow_null=True)
    baseline_duration = serializers.IntegerField(allow_null=True)
    start = serializers.SerializerMethodField()
    finish = serializers.SerializerMethodField()
    duration = serializers.IntegerField(source="task.duration")
    start_variance_days = serializers.IntegerField(allow_null=True)
    finish_variance_days = serializers.IntegerField(allow_null=True)
    duration_variance = serializers.IntegerField(allow_null=True, help_text="Working minutes.")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_start(self, row):
        value = row.task.actual_start or row.task.early_start
        return serializers.DateTimeField().to_representation(value) if value else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_finish(self, row):
        value = row.task.actual_finish or row.task.early_finish
        return serializers.DateTimeField().to_representation(value) if value else None


# --- templates -----------------------------------------------------------------------------------


class TemplateTaskOutput(serializers.ModelSerializer):
    class Meta:
        model = TemplateTask
        fields = [
            "id",
            "parent",
            "sort_order",
            "name",
            "kind",
            "is_milestone",
            "offset_days",
            "duration",
            "duration_unit",
            "role",
            "payment_percent",
            "checklist",
            "notes",
        ]


class TemplateLinkOutput(serializers.ModelSerializer):
    class Meta:
        model = TemplateLink
        fields = ["id", "predecessor", "successor", "type", "lag"]


class TemplateOutput(serializers.ModelSerializer):
    class Meta:
        model = ProjectTemplate
        fields = ["id", "name", "version", "is_current", "source", "source_project", "description", "created_at"]


class TemplateDetailOutput(TemplateOutput):
    tasks = TemplateTaskOutput(many=True, read_only=True)
    links = TemplateLinkOutput(many=True, read_only=True)

    class Meta(TemplateOutput.Meta):
        fields = [*TemplateOutput.Meta.fields, "tasks", "links"]


class TemplateTaskInput(serializers.Serializer):
    key = serializers.CharField(max_length=50, help_text="Your id for the task, used by parent_key and links.")
    parent_key = serializers.CharField(max_length=50, required=False, allow_null=True)
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False)
    is_milestone = serializers.BooleanField(required=False)
    offset_days = serializers.IntegerField(required=False, min_value=0, max_value=10000)
    duration = serializers.IntegerField(required=False, min_value=0, max_value=5_256_000)
    duration_unit = serializers.ChoiceField(choices=DurationUnit.choices, required=False)
    role = serializers.CharField(max_length=50, required=False, allow_blank=True)
    payment_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, min_value=0, max_value=100
    )
    checklist = serializers.ListField(child=serializers.JSONField(), required=False, max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class TemplateLinkInput(serializers.Serializer):
    predecessor_key = serializers.CharField(max_length=50)
    successor_key = serializers.CharField(max_length=50)
    type = serializers.ChoiceField(choices=LinkType.choices, default=LinkType.FS)
    lag = serializers.IntegerField(default=0, min_value=-2_628_000, max_value=2_628_000)


class TemplateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    tasks = TemplateTaskInput(many=True)
    links = TemplateLinkInput(many=True, required=False)


class TemplateVersionInput(TemplateInput):
    name = serializers.CharField(
        max_length=200, required=False, help_text="The template's own name, if given; a new version keeps it."
    )


class TemplateFromProjectInput(SaveAsTemplateInput):
    project = serializers.IntegerField()


class InstantiateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    owner = serializers.IntegerField(required=False, help_text="User id of the PM; default: you.")
    team = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=500)
    roles = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="Role placeholder → user id, e.g. {'engineer': 7}."
    )
    account_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    deal_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    contract_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    contract_finish = serializers.DateField(required=False, allow_null=True)
    calendar = serializers.IntegerField(required=False)


# --- warnings and import -------------------------------------------------------------------------


class WarningOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WarningKind.choices)
    kind_label = serializers.CharField()
    project = serializers.IntegerField(source="project.pk")
    project_name = serializers.CharField(source="project.name")
    task = serializers.IntegerField(source="task.pk", allow_null=True, default=None)
    task_name = serializers.CharField(source="task.name", allow_null=True, default=None)
    owner = serializers.IntegerField(source="owner.pk", help_text="The user who must act.")
    owner_name = serializers.CharField(source="owner.__str__")
    due = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField()
    message = serializers.CharField()


class MspdiImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="A Microsoft Project XML (MSPDI) file.")
    name = serializers.CharField(max_length=200, required=False, help_text="Project name; default: the file's.")
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)


class MspdiImportOutput(ProjectOutput):
    import_warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What was adjusted on import (approximated lags, ignored links, constraints without a date).",
    )

    class Meta(ProjectOutput.Meta):
        fields = [*ProjectOutput.Meta.fields, "import_warnings"]
