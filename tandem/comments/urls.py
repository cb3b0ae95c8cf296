from django.urls import path

from tandem.comments import views

app_name = "comments"

urlpatterns = [
    path("c/<int:pk>/", views.comment_detail, name="detail"),
    path("c/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("c/<int:pk>/delete/", views.comment_delete, name="delete"),
    path("files/<int:pk>/", views.comment_file, name="file"),
    # Last: a record type key ("crm.deal") could otherwise shadow the paths above.
    path("<str:type_key>/<int:pk>/", views.comment_create, name="create"),
    path("<str:type_key>/<int:pk>/members/", views.mention_suggestions, name="members"),
]
