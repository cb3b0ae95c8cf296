"""Filter sets of the calendars API lists."""

import django_filters

from tandem.calendars.models import WorkCalendar


class CalendarFilter(django_filters.FilterSet):
    class Meta:
        model = WorkCalendar
        fields = ["is_default"]
