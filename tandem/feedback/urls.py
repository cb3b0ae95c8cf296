from django.urls import path

from tandem.feedback.views import public

app_name = "feedback"

urlpatterns: list = []

# The customer's pages, at the short public address /s/<token>/ (namespace "survey", see tandem/urls.py).
public_patterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/unsubscribe/", public.unsubscribe, name="unsubscribe"),
]
