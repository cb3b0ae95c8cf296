"""Customer feedback actions: send the satisfaction survey, open a detractor's recovery, open a service request.

"Send survey" asks the account's primary contact (or the project's account's) with the tenant's default
template; a contact who may not be asked (no address, unsubscribed, in the quiet period, already asked about the
project) is skipped with its reason, which is the step's outcome, not a failure. "Open recovery" and "open a
service request" act on a survey answer.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.automation.actions import ActionContext, ActionFailed, ActionType, Outcome, Param, register
from tandem.automation.actions.people import STRATEGIES, pick_user, validate_spec
from tandem.automation.catalog import RECORD_TYPES, record_json
from tandem.feedback.choices import RequestCategory, RequestPriority

CHANNELS = (
    ("email", gettext_lazy("Email")),
    ("im", gettext_lazy("IM link")),
)


def _int_between(params: dict, name: str, low: int, high: int, default: int) -> dict[str, list[str]]:
    value = params.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return {name: [_("Enter %(low)s to %(high)s.") % {"low": low, "high": high}]}
    return {}


def _response(ctx: ActionContext):
    from tandem.feedback.models import SurveyResponse

    if ctx.record_type is None or ctx.record_type.key != "feedback.surveyresponse" or ctx.record is None:
        raise ActionFailed(_("This action needs a survey answer; the trigger has none."))
    return SurveyResponse.objects.select_related("survey__template", "project", "account").get(pk=ctx.record.pk)


def send_survey(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.feedback.models import SurveyTemplate
    from tandem.feedback.services.surveys import survey_send

    if ctx.record_type is None or ctx.record is None:
        raise ActionFailed(_("This action needs a project or an account; the trigger has none."))
    if ctx.record_type.key == "projects.project":
        from tandem.crm.models import Account

        project = ctx.record
        account = Account.objects.filter(tenant_id=ctx.tenant_id, pk=project.account_id).first()
    else:
        project, account = None, ctx.record
    if account is None:
        raise ActionFailed(_("The project has no customer to ask."))
    template = None
    if params.get("template"):
        template = SurveyTemplate.objects.filter(tenant_id=ctx.tenant_id, pk=params["template"]).first()
        if template is None:
            raise ActionFailed(_("The survey template of this rule no longer exists."))
    sent = survey_send(
        access=ctx.access,
        account=account,
        project=project,
        template=template,
        channel=params.get("channel") or "email",
        now=ctx.now,
    )
    survey = sent.survey
    data = {"survey": {"id": survey.pk, "status": survey.status, "contact": str(survey.contact or "")}}
    if sent.token is None:
        reason = survey.get_skip_reason_display()
        return Outcome(_("No survey sent: %(reason)s.") % {"reason": reason}, data, stop=True)
    if survey.channel == "im" and not ctx.dry_run:
        return _hand_over_im_link(ctx, account, sent, data)
    return Outcome(_("Survey sent to %(who)s.") % {"who": survey.contact}, data)


def _hand_over_im_link(ctx: ActionContext, account, sent, data: dict) -> Outcome:
    """No robot may write to a customer's own WeChat: the account owner gets the single-use link to forward."""
    from tandem.notifications.services.notifications import notification_send

    survey = sent.survey
    owner_id = account.owner_id
    if owner_id is None:
        raise ActionFailed(_("The account has no owner to forward the survey link."))
    title = _("Forward the satisfaction survey to %(name)s on WeChat") % {"name": survey.contact.name}
    body = _("WeChat ID: %(wechat)s. The link works once, until %(date)s:\n%(link)s") % {
        "wechat": survey.address,
        "date": survey.expires_at.date().isoformat(),
        "link": sent.link,
    }
    notification_send(
        tenant_id=ctx.tenant_id, recipient_id=owner_id, title=title, body=body, event_id=survey_notice_id(survey)
    )
    return Outcome(_("Survey link for %(who)s handed to the account owner to forward.") % {"who": survey.contact}, data)


def survey_notice_id(survey):
    """One notice per survey, however often the step is retried."""
    import uuid

    return uuid.uuid5(uuid.NAMESPACE_URL, f"tandem:survey-im:{survey.tenant_id}:{survey.pk}")


def open_recovery(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.feedback.services.recovery import recovery_open

    response = _response(ctx)
    recovery = recovery_open(
        access=ctx.access,
        response=response,
        review_days=params.get("review_days", 3),
        flag_days=params.get("flag_days", 90),
        now=ctx.now,
    )
    data = {"recovery": {"id": recovery.pk, "status": recovery.status}}
    if recovery.review_task_id:
        data["task"] = record_json(RECORD_TYPES["projects.task"], recovery.review_task)
        summary = _("Account flagged high-risk; review task “%(task)s” for the PM.") % {
            "task": recovery.review_task.name
        }
    else:
        summary = _("Account flagged high-risk (no project, so no review task).")
    return Outcome(summary, data)


def create_service_request(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.feedback.services.requests import request_create

    response = _response(ctx)
    if response.service_requests.exists():
        request = response.service_requests.first()
        return Outcome(_("The answer already has service request %(n)s.") % {"n": request.number})
    owner = pick_user(ctx, params.get("assignee") or {}, cursor_key=f"rule:{ctx.rule.pk}:{ctx.index}")
    subject = _("Customer score %(score)s/10 in the satisfaction survey") % {"score": response.score}
    request = request_create(
        access=ctx.access,
        owner=owner,
        survey_response=response,
        account=response.account,
        contact=response.contact,
        project=response.project,
        channel="survey",
        category=params.get("category") or "complaint",
        priority=params.get("priority") or "high",
        subject=subject,
        description=response.comment,
    )
    request_type = RECORD_TYPES["feedback.servicerequest"]
    return Outcome(
        _("Service request %(n)s opened for %(who)s.") % {"n": request.number, "who": owner},
        {"service_request": record_json(request_type, request)},
    )


def _validate_survey(params: dict, definition: dict) -> dict[str, list[str]]:
    template = params.get("template")
    if template is not None and (not isinstance(template, int) or isinstance(template, bool)):
        return {"template": [_("Choose a survey template.")]}
    return {}


def _validate_recovery(params: dict, definition: dict) -> dict[str, list[str]]:
    return {**_int_between(params, "review_days", 1, 60, 3), **_int_between(params, "flag_days", 1, 730, 90)}


def _validate_request(params: dict, definition: dict) -> dict[str, list[str]]:
    problems = validate_spec(params.get("assignee"))
    return {"assignee": problems} if problems else {}


register(
    ActionType(
        "send_survey",
        gettext_lazy("Send satisfaction survey"),
        send_survey,
        params=(
            Param("channel", gettext_lazy("Channel"), "choice", choices=CHANNELS, default="email"),
            Param(
                "template",
                gettext_lazy("Survey template"),
                "int",
                help=gettext_lazy("Empty: the default template in the organisation's language."),
            ),
        ),
        models=("projects.project", "crm.account"),
        validate=_validate_survey,
        help=gettext_lazy(
            "To the account's primary contact. Unsubscribed contacts, contacts asked within the quiet period and "
            "a project already asked about are skipped, with the reason in the run log."
        ),
    )
)
register(
    ActionType(
        "open_recovery",
        gettext_lazy("Open detractor recovery"),
        open_recovery,
        params=(
            Param("review_days", gettext_lazy("Review due in (working days)"), "int", default=3),
            Param("flag_days", gettext_lazy("Risk flag expires after (days)"), "int", default=90),
        ),
        models=("feedback.surveyresponse",),
        validate=_validate_recovery,
        help=gettext_lazy(
            "Flags the account high-risk with the answer as the reason and gives the project's PM a review task; "
            "it closes when the review is done and the customer is followed up, or by hand with a reason."
        ),
    )
)
register(
    ActionType(
        "create_service_request",
        gettext_lazy("Open a service request"),
        create_service_request,
        params=(
            Param("assignee", gettext_lazy("Assignee"), "user_pick", required=True, choices=STRATEGIES),
            Param(
                "priority",
                gettext_lazy("Priority"),
                "choice",
                choices=tuple(RequestPriority.choices),
                default="high",
            ),
            Param(
                "category",
                gettext_lazy("Category"),
                "choice",
                choices=tuple(RequestCategory.choices),
                default="complaint",
            ),
        ),
        models=("feedback.surveyresponse",),
        validate=_validate_request,
        help=gettext_lazy("Once per answer, with the comment as its description."),
    )
)
