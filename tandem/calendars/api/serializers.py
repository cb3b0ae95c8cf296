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


class HolidayYearsOutput(serializers.Serializer):
    library = serializers.ListField(child=serializers.IntegerField(), help_text="Years filled in from the library.")
    imported = serializers.ListField(child=serializers.IntegerField(), help_text="Years imported from a file.")


class CalendarDetailOutput(CalendarOutput):
    holiday_years = serializers.SerializerMethodField(
        help_text="The years this calendar's exceptions table holds public holidays for, by source."
    )

    class Meta(CalendarOutput.Meta):
        fields = [*CalendarOutput.Meta.fields, "holiday_years"]

    @extend_schema_field(HolidayYearsOutput)
    def get_holiday_years(self, obj) -> dict:
        from tandem.calendars.selectors import holiday_coverage

        coverage = holiday_coverage(calendar=obj)
        return {"library": list(coverage.library), "imported": list(coverage.imported)}


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


class HolidayImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="An .ics file, or a CSV of date, name, kind (holiday / workday, 休 / 班).")
    dry_run = serializers.BooleanField(default=False, help_text="Only say what importing would change.")


class HolidayImportDateOutput(serializers.Serializer):
    date = serializers.DateField(source="row.date")
    name = serializers.CharField(source="row.name")
    is_working = serializers.BooleanField(source="row.is_working")
    action = serializers.ChoiceField(
        choices=["new", "changed", "unchanged", "kept"], help_text="`kept`: a date entered by hand stays as it is."
    )


class HolidayImportOutput(serializers.Serializer):
    dry_run = serializers.SerializerMethodField(help_text="True: nothing was written.")
    years = serializers.ListField(child=serializers.IntegerField())
    holidays = serializers.IntegerField()
    workdays = serializers.IntegerField()
    new = serializers.IntegerField(source="new_count")
    changed = serializers.IntegerField(source="changed_count")
    kept = serializers.IntegerField(source="kept_count", help_text="Dates entered by hand, left as they are.")
    removed = serializers.SerializerMethodField(help_text="Dates of these years the file no longer lists.")
    dates = HolidayImportDateOutput(many=True)

    def get_removed(self, plan) -> int:
        return len(plan.removed)

    def get_dry_run(self, plan) -> bool:
        return bool(self.context.get("dry_run"))
