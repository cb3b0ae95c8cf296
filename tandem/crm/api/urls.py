from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.crm.api.views import accounts, activities, contracts, pools, sales, targets, workbench

router = SimpleRouter()
router.register("accounts", accounts.AccountViewSet, basename="account")
router.register("contacts", accounts.ContactViewSet, basename="contact")
router.register("leads", sales.LeadViewSet, basename="lead")
router.register("pipelines", sales.PipelineViewSet, basename="pipeline")
router.register("deals", sales.DealViewSet, basename="deal")
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("contracts", contracts.ContractViewSet, basename="contract")
router.register("payment-milestones", contracts.PaymentMilestoneViewSet, basename="paymentmilestone")
router.register("receipts", contracts.ReceiptViewSet, basename="receipt")
router.register("pools", pools.PoolViewSet, basename="pool")
router.register("targets", targets.SalesTargetViewSet, basename="salestarget")

urlpatterns = [
    path("settings/", activities.CrmSettingsView.as_view(), name="crm-settings"),
    path("workbench/", workbench.WorkbenchView.as_view(), name="crm-workbench"),
    path("response-times/", workbench.ResponseTimesView.as_view(), name="crm-response-times"),
    path("accounts/<int:pk>/release/", pools.AccountReleaseView.as_view(), name="account-release"),
    path("accounts/<int:pk>/lock/", pools.AccountLockView.as_view(), name="account-lock"),
    path("accounts/<int:pk>/unlock/", pools.AccountUnlockView.as_view(), name="account-unlock"),
    *router.urls,
]
