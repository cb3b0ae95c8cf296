"""Leveling pages and the project priority panel."""


def priority_panel(request, project):
    return None
