from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.finance.api.views import actuals, alerts, budgets, change_orders, commitments, cost_codes

router = SimpleRouter()
router.register("cost-codes", cost_codes.CostCodeViewSet, basename="finance-costcode")
router.register("budgets", budgets.BudgetViewSet, basename="finance-budget")
router.register("budget-lines", budgets.BudgetLineViewSet, basename="finance-budgetline")
router.register("budget-modifications", budgets.BudgetModificationViewSet, basename="finance-budgetmodification")
router.register("change-orders", change_orders.ChangeOrderViewSet, basename="finance-changeorder")
router.register("commitments", commitments.CommitmentViewSet, basename="finance-commitment")
router.register("cost-records", actuals.CostRecordViewSet, basename="finance-costrecord")
router.register("alerts", alerts.CostAlertViewSet, basename="finance-costalert")

# The read-only budget view, earned value, portfolio and drill-down endpoints are in views/reports.py.
urlpatterns = [
    path("settings/", alerts.CostSettingsView.as_view(), name="finance-costsettings"),
    *router.urls,
]
