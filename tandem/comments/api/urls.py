from django.urls import path

from tandem.comments.api import views

urlpatterns = [
    path("records/<str:type_key>/<int:pk>/", views.RecordCommentsView.as_view(), name="comment-list"),
    path("<int:pk>/", views.CommentView.as_view(), name="comment-detail"),
]
