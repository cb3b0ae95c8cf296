"""The run log: every run with its trigger, version, condition result and each action's outcome."""

from django.http import HttpResponse


def run_list(request):
    return HttpResponse("")


def run_detail(request, pk):
    return HttpResponse("")
