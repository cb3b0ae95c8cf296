"""Input and output shapes of the feedback API. Survey tokens never appear in any output but a link-only send."""

from __future__ import annotations

from rest_framework import serializers

from tandem.feedback.choices import SurveyChannel, SurveyLanguage
from tandem.feedback.models import Recovery, Survey, SurveyResponse, SurveyTemplate


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=40, required=False)
    kind = serializers.ChoiceField(choices=["rating", "choice", "text"])
    label = serializers.CharField(max_length=300)
    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=10)
    required = serializers.BooleanField(required=False, default=False)


class SurveyTemplateOutput(serializers.ModelSerializer):
    class Meta:
        model = SurveyTemplate
        fields = [
            "id",
            "name",
            "language",
            "intro",
            "nps_question",
            "comment_label",
            "questions",
            "thank_you",
            "colour",
            "is_default",
            "created_at",
            "updated_at",
        ]


class SurveyTemplateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    language = serializers.ChoiceField(choices=SurveyLanguage.choices, required=False)
    intro = serializers.CharField(allow_blank=True, required=False, max_length=2000)
    nps_question = serializers.CharField(max_length=300, required=False)
    comment_label = serializers.CharField(max_length=300, required=False)
    questions = QuestionSerializer(many=True, required=False, max_length=5)
    thank_you = serializers.CharField(required=False, max_length=2000)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)


class SurveyOutput(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    contact_name = serializers.CharField(source="contact.name", read_only=True, default=None)
    project_number = serializers.CharField(source="project.number", read_only=True, default=None)
    score = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "template",
            "account",
            "account_name",
            "contact",
            "contact_name",
            "project",
            "project_number",
            "batch",
            "language",
            "channel",
            "status",
            "skip_reason",
            "error",
            "sent_at",
            "expires_at",
            "reminded_at",
            "opened_at",
            "answered_at",
            "score",
            "automation_rule_name",
            "created_at",
        ]

    def get_score(self, obj) -> int | None:
        try:
            return obj.response.score
        except SurveyResponse.DoesNotExist:
            return None


class SurveySentOutput(SurveyOutput):
    link = serializers.SerializerMethodField(help_text="Only for channel `link`: the link to pass on (once).")

    class Meta(SurveyOutput.Meta):
        fields = [*SurveyOutput.Meta.fields, "link"]

    def get_link(self, obj) -> str | None:
        return self.context.get("link") or None


class SurveyInput(serializers.Serializer):
    account = serializers.IntegerField()
    contact = serializers.IntegerField(required=False, allow_null=True)
    project = serializers.IntegerField(required=False, allow_null=True)
    template = serializers.IntegerField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=SurveyChannel.choices, required=False, default=SurveyChannel.EMAIL)


class SurveyResponseOutput(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    project_number = serializers.CharField(source="project.number", read_only=True, default=None)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "survey",
            "account",
            "account_name",
            "project",
            "project_number",
            "contact",
            "manager",
            "score",
            "category",
            "comment",
            "answers",
            "tier",
            "project_type",
            "language",
            "submitted_at",
        ]


class RecoveryOutput(serializers.ModelSerializer):
    score = serializers.IntegerField(source="response.score", read_only=True)
    comment = serializers.CharField(source="response.comment", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    review_task_name = serializers.CharField(source="review_task.name", read_only=True, default=None)
    review_done = serializers.SerializerMethodField()

    class Meta:
        model = Recovery
        fields = [
            "id",
            "response",
            "score",
            "comment",
            "account",
            "account_name",
            "project",
            "review_task",
            "review_task_name",
            "review_done",
            "follow_up",
            "status",
            "created_at",
            "closed_at",
            "closed_by",
            "close_reason",
        ]

    def get_review_done(self, obj) -> bool | None:
        task = obj.review_task
        return None if task is None else task.percent_complete >= 100


class RecoveryCloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
