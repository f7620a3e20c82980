"""Vendor webhook payloads to canonical missed-call events (SPEC section 5).

Each function takes the body exactly as the vendor sent it (``str`` or ``bytes``; a JSON body
may also be passed already parsed, as a dict) and ingest options as keyword arguments, and
returns one of::

    {"ingested": "event", "event": {...}}          # pass result["event"] to Engine.process
    {"ingested": "not_missed", "reason": "..."}    # an answered call
    {"ingested": "incomplete", "reason": "..."}    # an early or partial webhook

A payload that is not a valid webhook of that vendor raises
:class:`ringback.UnsupportedPayloadError` (or another :class:`ringback.RingbackError`).

:func:`many` reads a page of a vendor's list API (or a list of webhook bodies) and returns
one result per item; a bad item is ``{"ingested": "error", "error": {...}}`` in its place.
"""

from __future__ import annotations

from typing import Any, Dict, List, Union

from ._ringback import VENDORS
from ._ringback import ingest as _ingest
from ._ringback import ingest_many as _ingest_many

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
    "marchex",
    "convirza",
    "whatconverts",
    "ringostat",
    "dialogtech",
    "callsource",
    "custom",
    "retell",
    "vapi",
    "bland",
    "airai",
    "voiceflow",
    "many",
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


def marchex(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Marchex standard call webhooks (one call per envelope) and Telmetrics call rows;
    zoneless local times are read in ``location_time_zones`` / ``time_zone``."""
    return _ingest("marchex", payload, options or None)


def convirza(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Convirza post-call webhooks and v3 call objects (JSON)."""
    return _ingest("convirza", payload, options or None)


def whatconverts(payload: Payload, **options: Any) -> Dict[str, Any]:
    """WhatConverts lead webhooks; in-progress calls are ``incomplete``, other lead types
    ``not_missed``."""
    return _ingest("whatconverts", payload, options or None)


def ringostat(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Ringostat webhooks (JSON, JSON-RPC or query string) through the configurable
    ``mapping``."""
    return _ingest("ringostat", payload, options or None)


def dialogtech(payload: Payload, **options: Any) -> Dict[str, Any]:
    """DialogTech Post-Call Actions (query string or URL) through the configurable
    ``mapping``."""
    return _ingest("dialogtech", payload, options or None)


def callsource(payload: Payload, **options: Any) -> Dict[str, Any]:
    """CallSource call feeds through the configurable ``mapping``."""
    return _ingest("callsource", payload, options or None)


def custom(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Any templated body through the integrator's own ``mapping``."""
    return _ingest("custom", payload, options or None)


def retell(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Retell AI webhooks (``call_ended`` / ``call_analyzed`` decide)."""
    return _ingest("retell", payload, options or None)


def vapi(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Vapi server messages (``end-of-call-report`` decides)."""
    return _ingest("vapi", payload, options or None)


def bland(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Bland AI post-call webhooks."""
    return _ingest("bland", payload, options or None)


def airai(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Air AI ``POST_CALL_OUTCOME`` / ``POST_CALL_DATA`` webhooks."""
    return _ingest("airai", payload, options or None)


def voiceflow(payload: Payload, **options: Any) -> Dict[str, Any]:
    """Voiceflow session-lifecycle webhooks (``runtime.call.*``)."""
    return _ingest("voiceflow", payload, options or None)


def many(vendor: str, payload: Union[Payload, List[Any]], **options: Any) -> List[Dict[str, Any]]:
    """A page of ``vendor``'s list API (RingCentral ``records``, CallRail ``calls``,
    WhatConverts ``leads``, Twilio ``calls``, ...) or a list of its webhook bodies: one
    result per item, a bad item as ``{"ingested": "error", "error": {...}}`` in its place."""
    return _ingest_many(vendor, payload, options or None)
