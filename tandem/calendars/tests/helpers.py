"""Helpers of the calendar tests (also used by the projects tests that reschedule on calendar changes)."""


def week_data(calendar, **days):
    from tandem.calendars.forms import hours_text

    data = {
        "name": calendar.name,
        "description": calendar.description,
        "is_default": "on" if calendar.is_default else "",
    }
    data.update({f"day_{i}": hours_text(day) for i, day in enumerate(calendar.week)})
    data.update(days)
    return data
