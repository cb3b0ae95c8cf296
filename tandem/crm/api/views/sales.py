"""Leads, pipelines and deals endpoints: CRUD, lead conversion, stage moves, win/lose, forecast."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from tandem.core.api.inputs import in_tenant, resolve, validated, visible
from tandem.core.errors import ApplicationError
from tandem.crm import exports
from tandem.crm.api.serializers.customers import LeadInput, LeadOutput
from tandem.crm.api.serializers.sales import (
    ConversionOutput,
    DealInput,
    DealLoseInput,
    DealMoveInput,
    DealOutput,
    DealWinInput,
    ForecastRow,
    LeadConvertInput,
    PipelineInput,
    PipelineOutput,
)
from tandem.crm.api.views.common import CrmViewSet, ExportMixin, refuse_owner_change
from tandem.crm.filters import DealFilter, LeadFilter
from tandem.crm.models import Account, Contact, Deal, Lead, Pipeline, Stage
from tandem.crm.selectors.accounts import contact_related
from tandem.crm.selectors.deals import deal_forecast, deal_related
from tandem.crm.selectors.leads import lead_related
from tandem.crm.services import deals as deal_services
from tandem.crm.services import leads as lead_services
from tandem.crm.services import pipelines as pipeline_services


class LeadViewSet(ExportMixin, CrmViewSet):
    """Leads (线索) with their first-response deadline; convert them into account + contact + deal."""

    queryset = Lead.objects.all()
    serializer_class = LeadOutput
    filterset_class = LeadFilter
    ordering_fields = ["id", "company", "created_at", "response_due_at", "status"]
    ordering = ["-id"]
    action_permissions = {"export": "export", "convert": "change"}
    export_columns = staticmethod(exports.lead_columns)
    export_basename = "leads"

    def related(self, qs):
        return lead_related(qs)

    def _out(self, lead):
        return LeadOutput(lead, context=self.get_serializer_context()).data

    @extend_schema(request=LeadInput, responses={201: LeadOutput})
    def create(self, request):
        data = resolve(request.access, validated(LeadInput, request.data), {"owner": "user"})
        lead = lead_services.lead_create(access=request.access, **data)
        return Response(self._out(lead), status=status.HTTP_201_CREATED)

    @extend_schema(request=LeadInput, responses=LeadOutput)
    def partial_update(self, request, pk=None):
        lead = self.get_object()
        data = validated(LeadInput, request.data, partial=True)
        refuse_owner_change(data)
        return Response(self._out(lead_services.lead_update(access=request.access, lead=lead, **data)))

    def destroy(self, request, pk=None):
        lead_services.lead_delete(access=request.access, lead=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LeadConvertInput, responses=ConversionOutput)
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Convert into an account, a contact and a deal in one step; a likely duplicate answers 409 with the
        candidates until `decision` says link, merge or create."""
        lead = self.get_object()
        data = validated(LeadConvertInput, request.data)
        deal_fields = dict(data.get("deal") or {})
        if "pipeline" in deal_fields:
            deal_fields["pipeline"] = visible(request.access, Pipeline, deal_fields["pipeline"], "deal.pipeline")
        result = lead_services.lead_convert(
            access=request.access,
            lead=lead,
            decision=data.get("decision"),
            account=visible(request.access, Account, data.get("account"), "account"),
            contact=visible(request.access, Contact, data.get("contact"), "contact"),
            create_deal=data["create_deal"],
            deal_fields={k: v for k, v in deal_fields.items() if v is not None},
        )
        context = self.get_serializer_context()
        deal = deal_related(Deal.objects.filter(pk=result.deal.pk)).get() if result.deal else None
        contact = contact_related(Contact.objects.filter(pk=result.contact.pk)).get() if result.contact else None
        body = {"lead": result.lead, "account": result.account, "contact": contact, "deal": deal}
        return Response(ConversionOutput(body, context=context).data)


class PipelineViewSet(CrmViewSet):
    """Sales pipelines and their ordered stages (probability, days before a deal goes stale)."""

    queryset = Pipeline.objects.all()
    serializer_class = PipelineOutput
    ordering_fields = ["sort_order", "id", "name"]
    ordering = ["sort_order", "id"]

    def related(self, qs):
        from django.db.models import Prefetch

        return qs.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("order", "id")))

    def list(self, request, *args, **kwargs):
        pipeline_services.pipeline_default(tenant=request.access.membership.tenant)
        return super().list(request, *args, **kwargs)

    def _out(self, pipeline):
        return PipelineOutput(self.related(Pipeline.objects.filter(pk=pipeline.pk)).get()).data

    @extend_schema(request=PipelineInput, responses={201: PipelineOutput})
    def create(self, request):
        data = validated(PipelineInput, request.data)
        if not data.get("stages"):
            raise ApplicationError(_("A pipeline needs at least one stage."), errors={"stages": [_("Required.")]})
        pipeline = pipeline_services.pipeline_create(
            access=request.access, name=data["name"], stages=data["stages"], is_default=data.get("is_default", False)
        )
        return Response(self._out(pipeline), status=status.HTTP_201_CREATED)

    @extend_schema(request=PipelineInput, responses=PipelineOutput)
    def partial_update(self, request, pk=None):
        pipeline = self.get_object()
        data = validated(PipelineInput, request.data, partial=True)
        pipeline = pipeline_services.pipeline_update(access=request.access, pipeline=pipeline, **data)
        return Response(self._out(pipeline))

    def destroy(self, request, pk=None):
        pipeline_services.pipeline_delete(access=request.access, pipeline=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


DEAL_REFS = {
    "account": (Account, "view"),
    "contact": (Contact, "view"),
    "pipeline": (Pipeline, "view"),
    "owner": "user",
}


class DealViewSet(ExportMixin, CrmViewSet):
    """Deals (商机): CRUD, kanban moves, win/lose exactly once, and the weighted forecast."""

    queryset = Deal.objects.all()
    serializer_class = DealOutput
    filterset_class = DealFilter
    ordering_fields = ["id", "number", "name", "amount", "expected_close_date", "created_at", "stage_changed_at"]
    ordering = ["-id"]
    action_permissions = {"export": "export", "forecast": "view", "win": "change", "lose": "change", "move": "change"}
    export_columns = staticmethod(exports.deal_columns)
    export_basename = "deals"

    def related(self, qs):
        return deal_related(qs)

    def _out(self, deal):
        return DealOutput(deal_related(Deal.objects.filter(pk=deal.pk)).get()).data

    @extend_schema(request=DealInput, responses={201: DealOutput})
    def create(self, request):
        data = resolve(request.access, validated(DealInput, request.data), DEAL_REFS)
        data["stage"] = in_tenant(request.access, Stage, data.get("stage"), "stage")
        deal = deal_services.deal_create(access=request.access, **data)
        return Response(self._out(deal), status=status.HTTP_201_CREATED)

    @extend_schema(request=DealInput, responses=DealOutput)
    def partial_update(self, request, pk=None):
        deal = self.get_object()
        data = validated(DealInput, request.data, partial=True)
        refuse_owner_change(data)
        if "pipeline" in data or "stage" in data:
            raise ApplicationError(
                _("Move a deal to another stage with /move/."), errors={"stage": [_("Use the move action.")]}
            )
        data = resolve(request.access, data, DEAL_REFS)
        return Response(self._out(deal_services.deal_update(access=request.access, deal=deal, **data)))

    def destroy(self, request, pk=None):
        deal_services.deal_delete(access=request.access, deal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DealMoveInput, responses=DealOutput)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move to another stage (the kanban drag); into the won or lost stage it wins or loses the deal."""
        deal = self.get_object()
        data = validated(DealMoveInput, request.data)
        stage = in_tenant(request.access, Stage, data["stage"], "stage")
        deal = deal_services.deal_move_stage(
            access=request.access, deal=deal, stage=stage, reason=data.get("reason", "")
        )
        return Response(self._out(deal))

    @extend_schema(request=DealWinInput, responses=DealOutput)
    @action(detail=True, methods=["post"])
    def win(self, request, pk=None):
        """Mark the deal won; winning a won deal returns it unchanged and emits nothing."""
        deal = self.get_object()
        data = validated(DealWinInput, request.data)
        deal = deal_services.deal_mark_won(access=request.access, deal=deal, reason=data.get("reason", ""))
        return Response(self._out(deal))

    @extend_schema(request=DealLoseInput, responses=DealOutput)
    @action(detail=True, methods=["post"])
    def lose(self, request, pk=None):
        """Mark the deal lost, with the reason."""
        deal = self.get_object()
        data = validated(DealLoseInput, request.data)
        deal = deal_services.deal_mark_lost(access=request.access, deal=deal, reason=data["reason"])
        return Response(self._out(deal))

    @extend_schema(
        responses=inline_serializer("Forecast", {"rows": ForecastRow(many=True)}),
        filters=True,
        description="Open deals (after the list filters) by expected close month: count, amount, weighted amount.",
    )
    @action(detail=False, methods=["get"])
    def forecast(self, request):
        rows = deal_forecast(self.filter_queryset(self.get_queryset()))
        return Response({"rows": ForecastRow(rows, many=True).data})
