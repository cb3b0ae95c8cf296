"""The actions a rule can take: a registry of named steps, each a service call.

An action gets an `ActionContext` (the rule, the acting member, the record, the JSON it sees, what earlier
steps produced) and its parameters, and returns an `Outcome`. It signals a temporary failure with
`RetryLater` (the engine retries with backoff), a permanent one with `ActionFailed`, and a pause with
`WaitUntil` (the delay action). An outcome with `stop` ends the run early and well: the step found nothing to
do (the deal already has its project), so the steps after it, which act on what it would have made, are skipped.
In a dry run the engine runs the actions in a transaction it rolls back;
actions that reach outside the database (messages, webhooks) only describe what they would send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _


class ActionFailed(Exception):
    """A failure that another attempt would not fix (bad parameters, missing record, no permission)."""


class RetryLater(Exception):
    """A temporary failure (a receiver down, a rate limit); `after` suggests when to try again."""

    def __init__(self, message: str, after: timedelta | None = None):
        super().__init__(message)
        self.after = after


class WaitUntil(Exception):
    """The step is waiting (a delay): the run resumes at `moment`."""

    def __init__(self, moment: datetime, summary: str = ""):
        super().__init__(summary)
        self.moment = moment
        self.summary = summary


@dataclass
class Outcome:
    summary: str
    data: dict = field(default_factory=dict)  # JSON later steps and messages see, e.g. {"project": {...}}
    stop: bool = False  # nothing was done, so the later steps are not needed: they are skipped


@dataclass
class ActionContext:
    tenant_id: int
    access: object
    rule: object
    run: object | None
    index: int
    record_type: object | None
    record: object | None
    data: dict
    now: datetime
    language: str
    dry_run: bool = False
    step: object | None = None  # the ActionRun row (None in a dry run)

    @property
    def key(self) -> str:
        """A stable key for this step of this run: retries and re-dispatch send at most once."""
        run_id = getattr(self.run, "pk", None) or "dry"
        return f"run:{run_id}:{self.index}"


@dataclass(frozen=True)
class Param:
    name: str
    label: object
    kind: str  # text, template, int, choice, bool, user_pick, project_template_map, recipients, channels, field, value
    required: bool = False
    choices: tuple = ()
    default: object = None
    help: object = ""


@dataclass(frozen=True)
class ActionType:
    key: str
    label: object
    run: Callable[[ActionContext, dict], Outcome]
    params: tuple[Param, ...] = ()
    models: tuple[str, ...] = ()  # record types it applies to; empty = any trigger
    validate: Callable[[dict, dict], dict[str, list[str]]] | None = None
    help: object = ""


REGISTRY: dict[str, ActionType] = {}


def register(action: ActionType) -> ActionType:
    REGISTRY[action.key] = action
    return action


def get(key: str) -> ActionType | None:
    _load()
    return REGISTRY.get(key)


def _load() -> None:
    from tandem.automation.actions import feedback, handoff, messaging, records  # noqa: F401  (each registers its actions)


def validate_actions(actions, *, definition: dict) -> dict[str, list[str]]:
    """Field-keyed errors for a rule's action list ({"actions.0.params.name": [...]}); empty when valid."""
    _load()
    errors: dict[str, list[str]] = {}
    if not isinstance(actions, list) or not actions:
        return {"actions": [str(_("Add at least one action."))]}
    if len(actions) > 20:
        return {"actions": [str(_("A rule runs at most 20 actions."))]}
    for index, step in enumerate(actions):
        prefix = f"actions.{index}"
        if not isinstance(step, dict) or not isinstance(step.get("type"), str):
            errors[prefix] = [str(_("Each action needs a type."))]
            continue
        unknown_keys = set(step) - {"type", "params", "continue_on_failure"}
        if unknown_keys:
            errors[prefix] = [str(_("Unknown keys: %(k)s")) % {"k": ", ".join(sorted(unknown_keys))}]
            continue
        action = REGISTRY.get(step["type"])
        if action is None:
            errors[f"{prefix}.type"] = [str(_("Unknown action “%(t)s”.")) % {"t": step["type"][:60]}]
            continue
        model = definition.get("model") or ""
        if action.models and model not in action.models:
            errors[f"{prefix}.type"] = [
                str(_("“%(a)s” works on %(m)s records only.")) % {"a": action.label, "m": ", ".join(action.models)}
            ]
            continue
        params = step.get("params", {})
        if not isinstance(params, dict):
            errors[f"{prefix}.params"] = [str(_("Parameters must be an object."))]
            continue
        known = {p.name for p in action.params}
        for name in sorted(set(params) - known):
            errors.setdefault(f"{prefix}.params.{name}", []).append(str(_("Unknown parameter.")))
        for param in action.params:
            if param.required and params.get(param.name) in (None, "", [], {}):
                errors.setdefault(f"{prefix}.params.{param.name}", []).append(str(_("Required.")))
            value = params.get(param.name)
            if value is not None and param.kind == "choice" and param.choices and value not in dict(param.choices):
                errors.setdefault(f"{prefix}.params.{param.name}", []).append(str(_("Not one of the choices.")))
            if value is not None and param.kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
                errors.setdefault(f"{prefix}.params.{param.name}", []).append(str(_("Enter a whole number.")))
            if value is not None and param.kind == "template":
                from tandem.automation.messages import validate_template

                for reason in validate_template(value) if isinstance(value, str) else ["not text"]:
                    errors.setdefault(f"{prefix}.params.{param.name}", []).append(reason)
        if action.validate and not any(k.startswith(prefix) for k in errors):
            for key, messages in action.validate(params, definition).items():
                errors.setdefault(f"{prefix}.params.{key}", []).extend(messages)
    return errors


def describe() -> list[dict]:
    """Action types with their parameters, for the rule builder and the API."""
    _load()
    return [
        {
            "key": a.key,
            "label": str(a.label),
            "help": str(a.help),
            "models": list(a.models),
            "params": [
                {
                    "name": p.name,
                    "label": str(p.label),
                    "kind": p.kind,
                    "required": p.required,
                    "choices": [[c[0], str(c[1])] for c in p.choices],
                    "default": p.default,
                    "help": str(p.help),
                }
                for p in a.params
            ],
        }
        for a in REGISTRY.values()
    ]
