from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.finance.api.views import (
    actuals,
    alerts,
    budgets,
    change_orders,
    commitments,
    cost_codes,
    reports,
    settings,
    templates,
)

router = SimpleRouter()
router.register("cost-codes", cost_codes.CostCodeViewSet, basename="finance-costcode")
router.register("budgets", budgets.BudgetViewSet, basename="finance-budget")
router.register("budget-lines", budgets.BudgetLineViewSet, basename="finance-budgetline")
router.register("budget-modifications", budgets.BudgetModificationViewSet, basename="finance-budgetmodification")
router.register("change-orders", change_orders.ChangeOrderViewSet, basename="finance-changeorder")
router.register("commitments", commitments.CommitmentViewSet, basename="finance-commitment")
router.register("cost-records", actuals.CostRecordViewSet, basename="finance-costrecord")
router.register("alerts", alerts.CostAlertViewSet, basename="finance-costalert")
router.register("template-budget-lines", templates.TemplateBudgetLineViewSet, basename="finance-templatebudgetline")

urlpatterns = [
    # Read-only: a budget's view, the records behind a cell, earned value, and the portfolio.
    path("budgets/<int:pk>/view/", reports.BudgetViewView.as_view(), name="finance-budget-view"),
    path("budgets/<int:pk>/cells/", reports.BudgetCellView.as_view(), name="finance-budget-cells"),
    path("budgets/<int:pk>/earned-value/", reports.EarnedValueView.as_view(), name="finance-budget-earned-value"),
    path("portfolio/", reports.PortfolioView.as_view(), name="finance-portfolio"),
    path("settings/", settings.CostSettingsView.as_view(), name="finance-costsettings"),
    *router.urls,
]
