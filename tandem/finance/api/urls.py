from django.urls import path

from tandem.finance.api.views import reports, settings

# The read endpoints (reports); the CRUD viewsets are registered by the services side.
urlpatterns = [
    path("budgets/<int:pk>/view/", reports.BudgetViewView.as_view(), name="finance-budget-view"),
    path("budgets/<int:pk>/cells/", reports.BudgetCellView.as_view(), name="finance-budget-cells"),
    path("budgets/<int:pk>/earned-value/", reports.EarnedValueView.as_view(), name="finance-budget-earned-value"),
    path("portfolio/", reports.PortfolioView.as_view(), name="finance-portfolio"),
    path("settings/", settings.CostSettingsView.as_view(), name="finance-settings"),
]
