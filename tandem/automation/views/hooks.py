"""The inbound-webhook endpoint of rules triggered by an outside system (secret URL + Standard Webhooks HMAC)."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tandem.automation.services.rules import rule_webhook_receive
from tandem.core.errors import ApplicationError

MAX_BODY = 256 * 1024


@csrf_exempt
@require_POST
def receive(request, token: str):
    """202 with the run's id; 401 for an unknown token or a bad signature; 400 for a body that is not JSON."""
    if len(request.body) > MAX_BODY:
        return JsonResponse({"detail": "body too large"}, status=413)
    try:
        run = rule_webhook_receive(token=token, body=request.body, headers=request.headers)
    except PermissionDenied:
        return JsonResponse({"detail": "unknown hook or bad signature"}, status=401)
    except ApplicationError as exc:
        return JsonResponse({"detail": str(exc.message if hasattr(exc, "message") else exc)}, status=400)
    return JsonResponse({"run": run.pk if run else None, "duplicate": run is None}, status=202)
