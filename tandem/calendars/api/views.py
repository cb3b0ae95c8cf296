"""Work calendars API: weekly hours, exceptions (holidays, 调休), seeding from `chinesecalendar`."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from tandem.calendars import selectors
from tandem.calendars.api import serializers as s
from tandem.calendars.filters import CalendarFilter
from tandem.calendars.models import WorkCalendar
from tandem.calendars.services import calendars as calendar_services
from tandem.calendars.services import holidays as holiday_services
from tandem.core.api.inputs import query_int, validated
from tandem.core.api.views import TenantViewSet
from tandem.core.validators import YEAR_MAX, YEAR_MIN


class CalendarViewSet(TenantViewSet):
    """Work calendars. `holiday_library_years` says which years the holiday library covers; outside them
    the exceptions table is the only source of holidays."""

    queryset = WorkCalendar.objects.all()
    serializer_class = s.CalendarOutput
    permission_object = "projects.workcalendar"
    action_permissions = {
        "exceptions:GET": "view",
        "exceptions:POST": "change",
        "exception_remove": "change",
        "seed_holidays": "change",
        "import_holidays": "change",
        "resources:GET": "view",
        "resources:PUT": "change",
    }
    filterset_class = CalendarFilter
    search_fields = ["name"]
    ordering_fields = ["id", "name"]
    ordering = ["-is_default", "name"]

    def get_queryset(self):
        return selectors.calendar_list(access=self.request.access, action=self.restrict_action())

    def get_serializer_class(self):
        return s.CalendarDetailOutput if self.action == "retrieve" else s.CalendarOutput

    @extend_schema(request=s.CalendarInput, responses={201: s.CalendarOutput})
    def create(self, request):
        data = validated(s.CalendarInput, request.data)
        calendar = calendar_services.calendar_create(
            access=request.access,
            name=data["name"],
            week=data.get("week"),
            is_default=data.get("is_default", False),
            description=data.get("description", ""),
            seed_holidays=data["seed_holidays"],
        )
        return Response(self.get_serializer(calendar).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CalendarInput, responses=s.CalendarOutput)
    def update(self, request, pk=None, partial=False):
        calendar = self.get_object()
        data = validated(s.CalendarInput, request.data, partial=partial)
        data.pop("seed_holidays", None)
        calendar = calendar_services.calendar_update(access=request.access, calendar=calendar, **data)
        return Response(self.get_serializer(calendar).data)

    @extend_schema(request=s.CalendarInput, responses=s.CalendarOutput)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    def destroy(self, request, pk=None):
        calendar_services.calendar_delete(access=request.access, calendar=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("year", int, required=False)],
        responses=s.CalendarExceptionOutput(many=True),
    )
    @extend_schema(methods=["POST"], request=s.CalendarExceptionInput, responses={201: s.CalendarExceptionOutput})
    @action(detail=True, methods=["get", "post"])
    def exceptions(self, request, pk=None):
        """The calendar's dated exceptions (optionally of one year); post one to make a date a holiday or workday."""
        calendar = self.get_object()
        if request.method == "GET":
            year = query_int(request, "year", min_value=YEAR_MIN, max_value=YEAR_MAX)
            rows = selectors.calendar_exceptions(calendar=calendar, year=year)
            return Response(s.CalendarExceptionOutput(rows, many=True).data)
        data = validated(s.CalendarExceptionInput, request.data)
        exception = calendar_services.calendar_exception_set(access=request.access, calendar=calendar, **data)
        return Response(s.CalendarExceptionOutput(exception).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"exceptions/(?P<exception_id>\d+)")
    def exception_remove(self, request, pk=None, exception_id=None):
        """Remove one exception: the date follows the weekly pattern again."""
        calendar = self.get_object()
        exception = selectors.calendar_exceptions(calendar=calendar).filter(pk=exception_id).first()
        if exception is None:
            raise Http404
        calendar_services.calendar_exception_remove(access=request.access, exception=exception)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.SeedHolidaysInput, responses=s.SeedHolidaysOutput)
    @action(detail=True, methods=["post"], url_path="seed-holidays")
    def seed_holidays(self, request, pk=None):
        """Copy Chinese public holidays and make-up workdays from the library (all its years, or the ones given)."""
        calendar = self.get_object()
        data = validated(s.SeedHolidaysInput, request.data)
        changed = calendar_services.calendar_seed_holidays(
            access=request.access, calendar=calendar, years=data.get("years")
        )
        years = list(calendar_services.chinese_calendar_years())
        return Response({"changed": changed, "holiday_library_years": years})

    @extend_schema(request={"multipart/form-data": s.HolidayImportInput}, responses=s.HolidayImportOutput)
    @action(detail=True, methods=["post"], url_path="import-holidays", parser_classes=[MultiPartParser, FormParser])
    def import_holidays(self, request, pk=None):
        """Import a year of public holidays and make-up workdays from an .ics or .csv file; `dry_run` only says what
        would change. A file with any problem is refused whole (`errors.file` lists the problems)."""
        calendar = self.get_object()
        data = validated(s.HolidayImportInput, request.data)
        rows = holiday_services.holiday_file_rows(upload=data["file"])
        if data["dry_run"]:
            plan = holiday_services.calendar_holidays_plan(access=request.access, calendar=calendar, rows=rows)
        else:
            plan = holiday_services.calendar_holidays_import(
                access=request.access, calendar=calendar, rows=rows, file_name=data["file"].name
            )
        return Response(s.HolidayImportOutput(plan, context={"dry_run": data["dry_run"]}).data)

    @extend_schema(methods=["GET"], responses=s.CalendarResourcesOutput)
    @extend_schema(methods=["PUT"], request=s.CalendarResourcesInput, responses=s.CalendarResourcesOutput)
    @action(detail=True, methods=["get", "put"])
    def resources(self, request, pk=None):
        """The people who work this calendar (resource calendars): their tasks without a calendar of their own
        are scheduled on it. PUT replaces the list; a person moves here from any other calendar."""
        calendar = self.get_object()
        if request.method == "GET":
            return Response({"users": selectors.calendar_resources(calendar=calendar)})
        data = validated(s.CalendarResourcesInput, request.data)
        users = calendar_services.calendar_resources_set(access=request.access, calendar=calendar, users=data["users"])
        return Response({"users": users})
