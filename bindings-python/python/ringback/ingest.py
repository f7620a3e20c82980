"""Vendor webhook payloads to canonical missed-call events (SPEC section 5).

Each function takes the body exactly as the vendor sent it (``str`` or ``bytes``; a JSON body
may also be passed already parsed, as a dict) and ingest options as keyword arguments, and
returns one of::

    {"ingested": "event", "event": {...}}          # pass result["event"] to Engine.process
    {"ingested": "not_missed", "reason": "..."}    # an answered call
    {"ingested": "incomplete", "reason": "..."}    # an early or partial webhook

A payload that is not a valid webhook of that vendor raises
:class:`ringback.UnsupportedPayloadError` (or another :class:`ringback.RingbackError`).
"""

from __future__ import annotations

from typing import Any, Dict, Union

from ._ringback import VENDORS
from ._ringback import ingest as _ingest

#: A webhook body as received (``str``/``bytes``) or a parsed JSON body.
Payload = Union[str, bytes, Dict[str, Any]]

__all__ = [
    "callrail",
    "twilio",
    "aircall",
    "dialpad",
    "vonage",
    "invoca",
    "ringcentral",
    "zoom",
    "ctm",
    "Payload",
    "VENDORS",
]


def callrail(payload: Payload, **options: Any) -> Dict[str, Any]:
    """CallRail post-call / call-modified webhook (JSON); pre-call and routing-complete
    webhooks are ``incomplete``. Pass ``callrail_webhook=`` when the endpoint knows which."""
    return _ingest("callrail", payload, options or None)


def twilio(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Twilio callbacks, form-encoded as posted: Dial action, status, Enqueue, Record,
    recording and transcription callbacks."""
    return _ingest("twilio", payload, options or None)


def aircall(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Aircall ``call.ended`` / ``call.hungup`` webhooks (JSON)."""
    return _ingest("aircall", payload, options or None)


def dialpad(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Dialpad call events (JSON, or a JWT-wrapped body)."""
    return _ingest("dialpad", payload, options or None)


def vonage(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Vonage Voice API event webhooks (JSON)."""
    return _ingest("vonage", payload, options or None)


def invoca(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Invoca post-call webhooks (JSON; template-driven fields)."""
    return _ingest("invoca", payload, options or None)


def ringcentral(payload: Payload, **options: Any) -> Dict[str, Any]:
    """RingCentral call-log records (JSON)."""
    return _ingest("ringcentral", payload, options or None)


def zoom(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Zoom Phone ``phone.callee_missed`` and related events (JSON)."""
    return _ingest("zoom", payload, options or None)


def ctm(payload: Payload, **options: Any) -> Dict[str, Any]:
    """CallTrackingMetrics call webhooks (JSON)."""
    return _ingest("ctm", payload, options or None)
