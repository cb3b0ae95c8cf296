"""Pipelines: one default per tenant, stages replaced in order, stages and pipelines in use protected."""

import pytest

from tandem.core.errors import ApplicationError, PermissionDenied
from tandem.crm.models import CrmSettings, Pipeline
from tandem.crm.services.pipelines import (
    crm_settings_update,
    pipeline_create,
    pipeline_default,
    pipeline_delete,
    pipeline_update,
)
from tandem.crm.tests.factories import make_deal

STAGES = [
    {"name": "询价", "probability": 10},
    {"name": "投标", "probability": 40, "rotting_days": 30},
    {"name": "中标", "probability": 100, "is_won": True},
    {"name": "未中标", "probability": 0, "is_lost": True},
]


def test_default_pipeline_is_created_once(team):
    first = pipeline_default(tenant=team.tenant)
    assert pipeline_default(tenant=team.tenant) == first
    assert Pipeline.objects.filter(tenant=team.tenant).count() == 1


def test_create_a_tender_pipeline_and_make_it_the_default(team):
    old = pipeline_default(tenant=team.tenant)
    tender = pipeline_create(access=team.manager_access, name="招投标", stages=STAGES, is_default=True)
    assert [s.name for s in tender.stages.order_by("order")] == ["询价", "投标", "中标", "未中标"]
    old.refresh_from_db()
    assert tender.is_default and not old.is_default


def test_stages_are_renamed_reordered_added_and_removed(team):
    pipeline = pipeline_create(access=team.manager_access, name="招投标", stages=STAGES)
    ask, bid, won, lost = pipeline.stages.order_by("order")
    pipeline_update(
        access=team.manager_access,
        pipeline=pipeline,
        stages=[
            {"id": bid.pk, "name": "询价"},  # takes the name another stage had
            {"id": ask.pk, "name": "资格预审", "probability": 5},
            {"name": "开标", "probability": 60},
            {"id": won.pk, "name": "中标", "probability": 100, "is_won": True},
        ],
    )
    assert [(s.pk, s.name) for s in pipeline.stages.order_by("order")][:2] == [(bid.pk, "询价"), (ask.pk, "资格预审")]
    assert not pipeline.stages.filter(pk=lost.pk).exists()


def test_stage_rules_are_checked(team):
    for stages in (
        [],
        [{"name": "a"}, {"name": "a"}],
        [{"name": "a", "is_won": True}, {"name": "b", "is_won": True}],
        [{"name": "a", "is_won": True, "is_lost": True}],
        [{"name": "a", "probability": 120}],
    ):
        with pytest.raises(ApplicationError):
            pipeline_create(access=team.manager_access, name="x", stages=stages)
    assert not Pipeline.objects.filter(name="x").exists()


def test_stages_and_pipelines_in_use_are_protected(team):
    pipeline = pipeline_create(access=team.manager_access, name="招投标", stages=STAGES)
    first = pipeline.stages.order_by("order").first()
    make_deal(team.tenant, team.rep.user, stage=first)
    with pytest.raises(ApplicationError):
        pipeline_update(access=team.manager_access, pipeline=pipeline, stages=STAGES[1:])
    with pytest.raises(ApplicationError):
        pipeline_delete(access=team.manager_access, pipeline=pipeline)
    with pytest.raises(ApplicationError):
        pipeline_delete(access=team.manager_access, pipeline=pipeline_default(tenant=team.tenant))


def test_lead_sla_is_an_organisation_setting(team):
    with pytest.raises(PermissionDenied):
        crm_settings_update(access=team.manager_access, lead_response_hours=8)
    crm_settings_update(access=team.admin_access, lead_response_hours=8)
    crm_settings_update(access=team.admin_access, lead_response_hours=6)
    assert CrmSettings.objects.get(tenant=team.tenant).lead_response_hours == 6
