"""Input and output serializers of the calendars API: separate, so reads never accept writes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.calendars.models import CalendarException, WorkCalendar
from tandem.calendars.services.calendars import chinese_calendar_years


class CalendarOutput(serializers.ModelSerializer):
    minutes_per_day = serializers.IntegerField(read_only=True)
    holiday_library_years = serializers.SerializerMethodField(
        help_text="The years `chinesecalendar` knows; outside them the exceptions table is the only source."
    )

    class Meta:
        model = WorkCalendar
        fields = ["id", "name", "week", "is_default", "description", "minutes_per_day", "holiday_library_years"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2))
    def get_holiday_library_years(self, obj) -> list[int]:
        return list(chinese_calendar_years())


class CalendarInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    week = serializers.JSONField(
        required=False, help_text='Seven lists (Monday first) of ["HH:MM", "HH:MM"] working intervals.'
    )
    is_default = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)
    seed_holidays = serializers.BooleanField(default=True, help_text="Copy Chinese holidays and 调休 days.")


class CalendarExceptionOutput(serializers.ModelSerializer):
    class Meta:
        model = CalendarException
        fields = ["id", "calendar", "date", "is_working", "hours", "name", "source"]


class CalendarExceptionInput(serializers.Serializer):
    date = serializers.DateField()
    is_working = serializers.BooleanField()
    hours = serializers.JSONField(required=False, help_text='["HH:MM", "HH:MM"] pairs; default: a standard day.')
    name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class SeedHolidaysInput(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField(min_value=1900, max_value=2200), required=False)


class SeedHolidaysOutput(serializers.Serializer):
    changed = serializers.IntegerField()
    holiday_library_years = serializers.ListField(child=serializers.IntegerField())


class CalendarResourcesInput(serializers.Serializer):
    users = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True, max_length=1000)


class CalendarResourcesOutput(serializers.Serializer):
    users = serializers.ListField(child=serializers.IntegerField(), help_text="Members who work this calendar.")
