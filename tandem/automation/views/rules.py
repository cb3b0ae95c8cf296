"""Rule pages (list, form builder, runs)."""

from django.http import HttpResponse


def rule_list(request):
    return HttpResponse("")


def run_list(request):
    return HttpResponse("")
