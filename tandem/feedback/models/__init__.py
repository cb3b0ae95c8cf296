"""Models of the feedback app: surveys and their answers, recoveries, service requests, account health."""

from tandem.feedback.models.requests import REQUEST_FIELDS, ServiceRequest
from tandem.feedback.models.settings import FeedbackSettings, HealthScore
from tandem.feedback.models.surveys import (
    Recovery,
    Survey,
    SurveyBatch,
    SurveyOptOut,
    SurveyResponse,
    SurveyTemplate,
    category_of,
)

__all__ = [
    "REQUEST_FIELDS",
    "FeedbackSettings",
    "HealthScore",
    "Recovery",
    "ServiceRequest",
    "Survey",
    "SurveyBatch",
    "SurveyOptOut",
    "SurveyResponse",
    "SurveyTemplate",
    "category_of",
]
