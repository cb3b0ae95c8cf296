"""Contracts, payment periods (回款计划) and receipts (回款) endpoints."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import resolve, validated, visible
from tandem.crm import exports
from tandem.crm.api.serializers.contracts import (
    ContractCloseInput,
    ContractInput,
    ContractOutput,
    ContractSignInput,
    MilestoneOutput,
    PaymentPlanInput,
    ReceiptInput,
    ReceiptOutput,
)
from tandem.crm.api.views.common import CrmViewSet, ExportMixin, refuse_owner_change
from tandem.crm.filters import ContractFilter, PaymentMilestoneFilter, ReceiptFilter
from tandem.crm.models import Account, Contract, Deal, PaymentMilestone, Receipt
from tandem.crm.selectors.contracts import contract_related, milestone_related, receipt_related
from tandem.crm.services import contracts as contract_services
from tandem.crm.services import receipts as receipt_services
from tandem.printing.api.views import PrintMixin

CONTRACT_REFS = {"account": (Account, "view"), "deal": (Deal, "view"), "company_signatory": "user", "owner": "user"}


class ContractViewSet(PrintMixin, ExportMixin, CrmViewSet):
    """Contracts with their payment plan and what was received, outstanding and collected."""

    queryset = Contract.objects.all()
    serializer_class = ContractOutput
    filterset_class = ContractFilter
    ordering_fields = ["id", "number", "amount", "signed_on", "end_on", "created_at"]
    ordering = ["-id"]
    action_permissions = {
        "export": "export",
        "print": "print",
        "sign": "change",
        "close": "change",
        "payment_plan": "change",
    }
    print_type = "crm.contract"
    export_columns = staticmethod(exports.contract_columns)
    export_basename = "contracts"

    def related(self, qs):
        return contract_related(qs)

    def _out(self, contract):
        return ContractOutput(contract_related(Contract.objects.filter(pk=contract.pk)).get()).data

    @extend_schema(request=ContractInput, responses={201: ContractOutput})
    def create(self, request):
        data = resolve(request.access, validated(ContractInput, request.data), CONTRACT_REFS)
        contract = contract_services.contract_create(access=request.access, **data)
        return Response(self._out(contract), status=status.HTTP_201_CREATED)

    @extend_schema(request=ContractInput, responses=ContractOutput)
    def partial_update(self, request, pk=None):
        contract = self.get_object()
        data = validated(ContractInput, request.data, partial=True)
        refuse_owner_change(data)
        data = resolve(request.access, data, CONTRACT_REFS)
        return Response(self._out(contract_services.contract_update(access=request.access, contract=contract, **data)))

    def destroy(self, request, pk=None):
        contract_services.contract_delete(access=request.access, contract=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ContractSignInput, responses=ContractOutput)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Mark a draft contract signed (crm.contract.signed); signing again changes nothing."""
        contract = self.get_object()
        data = validated(ContractSignInput, request.data)
        contract = contract_services.contract_sign(
            access=request.access, contract=contract, signed_on=data.get("signed_on")
        )
        return Response(self._out(contract))

    @extend_schema(request=ContractCloseInput, responses=ContractOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Complete or terminate a signed contract."""
        contract = self.get_object()
        data = validated(ContractCloseInput, request.data)
        contract = contract_services.contract_close(access=request.access, contract=contract, status=data["status"])
        return Response(self._out(contract))

    @extend_schema(request=PaymentPlanInput, responses=ContractOutput)
    @action(detail=True, methods=["post"], url_path="payment-plan")
    def payment_plan(self, request, pk=None):
        """Replace the payment plan; the periods must add up to the contract amount exactly."""
        contract = self.get_object()
        data = validated(PaymentPlanInput, request.data)
        contract = contract_services.payment_plan_set(access=request.access, contract=contract, periods=data["periods"])
        return Response(self._out(contract))


class PaymentMilestoneViewSet(ExportMixin, CrmViewSet):
    """Payment periods of all contracts with their status (pending, partly received, received, overdue, void);
    change them through the contract's payment plan."""

    queryset = PaymentMilestone.objects.all()
    serializer_class = MilestoneOutput
    filterset_class = PaymentMilestoneFilter
    http_method_names = ["get", "head", "options"]
    ordering_fields = ["due_on", "amount", "id"]
    ordering = ["due_on", "id"]
    export_columns = staticmethod(exports.milestone_columns)
    export_basename = "payment-milestones"

    def related(self, qs):
        return milestone_related(qs)


class ReceiptViewSet(PrintMixin, ExportMixin, CrmViewSet):
    """Money received (回款) against payment periods."""

    queryset = Receipt.objects.all()
    serializer_class = ReceiptOutput
    filterset_class = ReceiptFilter
    http_method_names = ["get", "post", "delete", "head", "options"]
    ordering_fields = ["received_on", "amount", "id"]
    ordering = ["-received_on", "-id"]
    action_permissions = {"export": "export", "print": "print"}
    print_type = "crm.receipt"
    export_columns = staticmethod(exports.receipt_columns)
    export_basename = "receipts"

    def related(self, qs):
        return receipt_related(qs)

    @extend_schema(request=ReceiptInput, responses={201: ReceiptOutput})
    def create(self, request):
        data = validated(ReceiptInput, request.data)
        milestone = visible(request.access, PaymentMilestone, data.pop("milestone"), "milestone")
        receipt = receipt_services.receipt_record(access=request.access, milestone=milestone, **data)
        return Response(ReceiptOutput(receipt).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        receipt_services.receipt_delete(access=request.access, receipt=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
