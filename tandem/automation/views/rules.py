"""Rule pages: list, form builder (new/edit), detail with versions, runs, dry run and manual run."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


rule_list = rule_add = rule_dry_run = rule_detail = rule_edit = rule_toggle = rule_remove = rule_run = _todo
record_rules = _todo
