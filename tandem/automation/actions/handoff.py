"""The won-deal handoff: a scheduled, staffed, budgeted project from a template, once per deal.

The template is the rule's fixed one or the first entry of a map whose deal type / product matches. The
project takes the deal's name, customer, deal and contract; its budget is the signed contract's amount (the
deal's amount when there is no contract yet); its customer contacts are the deal's contact and the account's
contacts; the contract's payment periods that fall due on a project milestone are linked to the template
milestone of that name; the PM is picked by the rule (skill, load, round robin or a named person, with a
fallback when nobody qualifies). A deal that already has a project gets no second one: the step reports the
existing project and, unless the rule says to carry on, the run stops there, so winning a deal again tells nobody
about a project that was not made.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.automation.actions import ActionContext, ActionFailed, ActionType, Outcome, Param, register
from tandem.automation.actions.people import STRATEGIES, pick, pick_user, validate_spec
from tandem.automation.catalog import RECORD_TYPES, record_json

IF_EXISTS = (
    ("stop", gettext_lazy("Stop: skip the later actions")),
    ("continue", gettext_lazy("Carry on with the existing project")),
)


def _validate(params: dict, definition: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    template = params.get("template")
    if not isinstance(template, dict) or template.get("mode") not in ("fixed", "by_deal"):
        errors["template"] = [_("Choose a template, or map deal types to templates.")]
    elif template["mode"] == "fixed" and not isinstance(template.get("id"), int):
        errors["template"] = [_("Choose a template.")]
    elif template["mode"] == "by_deal":
        entries = template.get("map", [])
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("template"), int) for e in entries
        ):
            errors["template"] = [_("Each mapping needs a template.")]
        elif template.get("default") is not None and not isinstance(template.get("default"), int):
            errors["template"] = [_("Choose the default template.")]
    problems = validate_spec(params.get("manager"))
    if problems:
        errors["manager"] = problems
    roles = params.get("roles", {})
    if not isinstance(roles, dict) or not all(isinstance(k, str) and k for k in roles):
        errors["roles"] = [_("Map each role placeholder to how its person is picked.")]
    else:
        for placeholder, spec in roles.items():
            for problem in validate_spec(spec):
                errors.setdefault("roles", []).append(f"{placeholder}: {problem}")
    start = params.get("start_in_working_days", 1)
    if not isinstance(start, int) or isinstance(start, bool) or not 0 <= start <= 250:
        errors["start_in_working_days"] = [_("Enter 0 to 250 working days.")]
    return errors


def choose_template(ctx: ActionContext, deal, spec: dict):
    """The current version of the template the spec picks for this deal, or None."""
    from tandem.projects.models import ProjectTemplate

    if spec.get("mode") == "fixed":
        template_id = spec.get("id")
    else:
        products = [line.product.casefold() for line in deal.lines.all()]
        template_id = spec.get("default")
        for entry in spec.get("map", []):
            wanted_type = entry.get("deal_type") or ""
            wanted_product = (entry.get("product") or "").strip().casefold()
            if wanted_type and wanted_type != deal.deal_type:
                continue
            if wanted_product and not any(wanted_product in p for p in products):
                continue
            template_id = entry["template"]
            break
    if template_id is None:
        return None
    chosen = ProjectTemplate.objects.filter(tenant_id=ctx.tenant_id, pk=template_id).first()
    if chosen is None:
        raise ActionFailed(_("The rule's project template no longer exists."))
    # A template is edited by adding versions: always instantiate the current one of that name.
    return ProjectTemplate.objects.filter(tenant_id=ctx.tenant_id, name=chosen.name, is_current=True).first() or chosen


def resolve_roles(ctx: ActionContext, template, params: dict, manager) -> tuple[dict, list[str]]:
    """People for the template's role placeholders: the rule's spec for a placeholder, else the least-loaded
    member holding the tenant role of that key; "pm" is the project manager. Returns (roles, unresolved)."""
    from tandem.accounts.models import Role
    from tandem.projects.models import TemplateTask
    from tandem.projects.services.templates import PM_ROLE

    if template is None:
        return {}, []
    wanted = sorted(
        set(TemplateTask.objects.filter(template=template).exclude(role="").values_list("role", flat=True)) - {PM_ROLE}
    )
    explicit = params.get("roles") or {}
    known_roles = set(Role.objects.filter(tenant_id=ctx.tenant_id, key__in=wanted).values_list("key", flat=True))
    people, unresolved = {}, []
    for placeholder in wanted:
        spec = explicit.get(placeholder)
        if spec is None and placeholder in known_roles:
            spec = {"strategy": "least_loaded", "role": placeholder}
        if spec is None:
            unresolved.append(placeholder)
            continue
        try:
            people[placeholder] = pick_user(ctx, spec, cursor_key=f"rule:{ctx.rule.pk}:{ctx.index}:{placeholder}")
        except ActionFailed:
            unresolved.append(placeholder)
    return people, unresolved


def _contacts(deal) -> list[int]:
    from tandem.crm.models import AccountContact

    ids = [deal.contact_id] if deal.contact_id else []
    if deal.account_id:
        links = AccountContact.objects.filter(account_id=deal.account_id, contact__deleted_at__isnull=True)
        ids += [cid for cid in links.order_by("-is_primary", "id").values_list("contact_id", flat=True)]
    return list(dict.fromkeys(ids))


def create_project(ctx: ActionContext, params: dict) -> Outcome:
    from tandem.calendars.services.calendars import calendar_default
    from tandem.calendars.workdays import Workdays
    from tandem.crm.models import Contract, Deal
    from tandem.crm.services.activities import activity_create
    from tandem.projects.models import Project
    from tandem.projects.services.contracts import payment_milestones_link
    from tandem.projects.services.projects import project_create
    from tandem.projects.services.templates import template_instantiate

    deal = Deal.objects.select_for_update().filter(tenant_id=ctx.tenant_id, pk=getattr(ctx.record, "pk", None)).first()
    if deal is None:
        raise ActionFailed(_("The deal no longer exists."))
    existing = Project.objects.filter(tenant_id=ctx.tenant_id, deal_id=deal.pk).order_by("id").first()
    project_type = RECORD_TYPES["projects.project"]
    contract = (
        Contract.objects.filter(tenant_id=ctx.tenant_id, deal_id=deal.pk)
        .exclude(status="terminated")
        .order_by("-signed_on", "-id")
        .first()
    )
    # The messages after this step say which amount they quote: the contract's when there is one.
    contract_data = {"contract": record_json(RECORD_TYPES["crm.contract"], contract)} if contract else {}
    if existing is not None:
        stop = params.get("if_exists", "stop") != "continue"
        summary = _("Deal already has project %(number)s; no second project was created.") % {"number": existing.number}
        if stop:
            summary += " " + _("Nothing new to tell: the later actions were skipped.")
        return Outcome(
            summary, {"project": record_json(project_type, existing), "created": False, **contract_data}, stop=stop
        )
    template = choose_template(ctx, deal, params.get("template") or {})
    if template is None:
        # A tenant that never had a template (created before its first administrator joined) gets the starter one.
        from tandem.automation.services.defaults import starter_template_install

        template = starter_template_install(access=ctx.access)
    picked = pick(ctx, params.get("manager") or {}, cursor_key=f"rule:{ctx.rule.pk}:{ctx.index}:pm")
    manager = picked.user
    calendar = calendar_default(tenant_id=ctx.tenant_id)
    start = Workdays(calendar).add(ctx.now.date(), int(params.get("start_in_working_days", 1)))
    fields = {
        "account_id": deal.account_id,
        "deal_id": deal.pk,
        "contract_id": contract.pk if contract else None,
        "contract_finish": contract.end_on if contract else None,
        "budget": contract.amount if contract else deal.amount,
        "contact_ids": _contacts(deal),
        "description": _("Created from won deal %(number)s %(name)s.") % {"number": deal.number, "name": deal.name},
    }
    team = [deal.owner] if deal.owner_id != manager.pk else []
    roles, unresolved = resolve_roles(ctx, template, params, manager)
    team += [u for u in roles.values() if u.pk != manager.pk and u not in team]
    if template is not None:
        project = template_instantiate(
            access=ctx.access,
            template=template,
            name=deal.name,
            start_date=start,
            roles=roles,
            owner=manager,
            team=team,
            **fields,
        )
    else:
        project = project_create(
            access=ctx.access, name=deal.name, start_date=start, owner=manager, team=team, **fields
        )
    links = payment_milestones_link(project=project, contract=contract)
    activity_create(
        access=ctx.access,
        subject=_("Project %(number)s created from this deal") % {"number": project.number},
        content=_("Project manager: %(pm)s; template: %(template)s.")
        % {"pm": manager, "template": template.name if template else "—"},
        kind="note",
        deal=deal,
        account=deal.account,
        project_id=project.pk,
    )
    project.refresh_from_db()
    summary = _("Project %(number)s “%(name)s” created, PM %(pm)s, %(tasks)s tasks.") % {
        "number": project.number,
        "name": project.name,
        "pm": manager,
        "tasks": project.tasks.count(),
    }
    if picked.fallback:
        summary += " " + _("PM: %(reason)s.") % {"reason": picked.fallback}
    if unresolved:
        summary += " " + _("Roles left unassigned: %(roles)s.") % {"roles": ", ".join(unresolved)}
    return Outcome(
        summary,
        {
            "project": record_json(project_type, project),
            "created": True,
            "template": template.name if template else None,
            "payment_milestones": links,
            "roles": {placeholder: user.pk for placeholder, user in roles.items()},
            "unassigned_roles": unresolved,
            "manager_fallback": picked.fallback,
            **contract_data,
        },
    )


register(
    ActionType(
        "create_project",
        gettext_lazy("Create project from template"),
        create_project,
        params=(
            Param("template", gettext_lazy("Template"), "project_template_map", required=True),
            Param("manager", gettext_lazy("Project manager"), "user_pick", required=True, choices=STRATEGIES),
            Param("start_in_working_days", gettext_lazy("Start after (working days)"), "int", default=1),
            Param(
                "if_exists",
                gettext_lazy("When the deal already has a project"),
                "choice",
                choices=IF_EXISTS,
                default="stop",
                help=gettext_lazy(
                    "Stopping means winning a deal again tells nobody about a project that was not made."
                ),
            ),
            Param(
                "roles",
                gettext_lazy("Other roles"),
                "role_map",
                default={},
                help=gettext_lazy(
                    "Template role placeholders → how the person is picked; a placeholder named like a role "
                    "(e.g. foreman) takes that role's least-loaded member."
                ),
            ),
        ),
        models=("crm.deal",),
        validate=_validate,
        help=gettext_lazy(
            "Once per deal: a deal that already has a project gets no second one (and, by default, the later "
            "actions are skipped)."
        ),
    )
)
