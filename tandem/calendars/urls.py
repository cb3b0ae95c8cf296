"""The work calendar pages. The projects app mounts them at /projects/calendars/ in its URL namespace, where
their paths and names (`projects:calendars`, `projects:calendar_detail`, …) have always been."""

from django.urls import path

from tandem.calendars import views

urlpatterns = [
    path("", views.calendar_list, name="calendars"),
    path("new/", views.calendar_add, name="calendar_add"),
    path("<int:pk>/", views.calendar_detail, name="calendar_detail"),
    path("<int:pk>/delete/", views.calendar_remove, name="calendar_delete"),
    path("<int:pk>/seed-holidays/", views.holidays_seed, name="calendar_seed"),
    path("<int:pk>/import-holidays/", views.holidays_import, name="calendar_import"),
    path("<int:pk>/resources/", views.resources_set, name="calendar_resources"),
    path("<int:pk>/exceptions/add/", views.exception_add, name="calendar_exception_add"),
    path("<int:pk>/exceptions/<int:exception_id>/delete/", views.exception_remove, name="calendar_exception_delete"),
]
