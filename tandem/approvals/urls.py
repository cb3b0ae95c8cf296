"""The approvals pages (owned by the pages' author)."""

app_name = "approvals"

urlpatterns = []
