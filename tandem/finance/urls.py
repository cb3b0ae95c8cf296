from django.urls import path

from tandem.finance.views import budget, earned_value, portfolio

app_name = "finance"

urlpatterns = [
    path("", portfolio.portfolio_page, name="portfolio"),
    path("export/", portfolio.portfolio_export, name="portfolio_export"),
    # A project's money.
    path("projects/<int:pk>/budget/", budget.budget_page, name="budget"),
    path("projects/<int:pk>/budget/cell/", budget.budget_cell, name="budget_cell"),
    path("projects/<int:pk>/budget/export/", budget.budget_export, name="budget_export"),
    path("projects/<int:pk>/earned-value/", earned_value.earned_value_page, name="earned_value"),
    path("projects/<int:pk>/earned-value/export/", earned_value.earned_value_export, name="earned_value_export"),
]
