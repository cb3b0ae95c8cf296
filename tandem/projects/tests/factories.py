"""Test data for the projects app, built through the services so schedules are real."""

from __future__ import annotations

import itertools
from datetime import date

from tandem.projects.services.dependencies import dependency_add
from tandem.projects.services.projects import project_create
from tandem.projects.services.tasks import task_create
from tandem.testing.kit import access_for, make_member

_seq = itertools.count(1)
DAY = 480
START = date(2025, 3, 3)  # a Monday, outside Chinese holidays


def pm_member(tenant, **kw):
    return make_member(tenant, "pm", **kw)


def make_project(tenant, *, member=None, name=None, start_date=START, **fields):
    member = member or pm_member(tenant)
    access = access_for(member)
    project = project_create(access=access, name=name or f"项目{next(_seq)}", start_date=start_date, **fields)
    return project


def make_chain(project, member, *names, days=1, link_type="FS"):
    """Tasks in a finish-to-start chain; returns them in order."""
    access = access_for(member)
    tasks = [task_create(access=access, project=project, name=n, duration=days * DAY) for n in names]
    for a, b in zip(tasks, tasks[1:], strict=False):
        dependency_add(access=access, predecessor=a, successor=b, type=link_type)
    for t in tasks:
        t.refresh_from_db()
    return tasks
