"""Follow-up texts from Python: each allowed ``send_sms`` step of a decision sent through
Twilio Programmable Messaging, at most once per step, never outside its legal instant.

The logic is the Rust core's sans-I/O machine; this module only moves its requests over an
HTTP session you own (a ``requests.Session`` or ``httpx.Client`` with your Twilio Basic
credentials)::

    import requests, ringback

    session = requests.Session()
    session.auth = (account_sid, auth_token)
    outcome = ringback.messaging.send(decision, session, config={
        "account_sid": account_sid, "messaging_service_sid": "MG...",
    }, now="2026-11-24T09:16:00-07:00")
    for revocation in outcome["consent_updates"]:
        replayer.suppress(revocation["channel"], revocation["number"])

``outcome["sent"]`` lists the texts Twilio took (``created: False`` for one found from an
earlier run), ``deferred`` those to send later (call ``send`` again at ``send_at``),
``failed`` those Twilio refused (the decision stands), ``consent_updates`` the opt-outs to
write back.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Mapping, Union

from ._ringback import _twilio_read_callback, _TwilioSend
from .crm import Machine, drive

__all__ = ["BASE_URL", "Send", "read_callback", "send"]

#: Twilio's REST API.
BASE_URL = "https://api.twilio.com"

_Json = Dict[str, Any]
_Doc = Union[Mapping[str, Any], str]


class Send(Machine):
    """The send run of one decision's texts through Twilio."""

    def __init__(self, decision: _Doc, config: _Doc, now: str) -> None:
        self._inner = _TwilioSend(decision, config, now)


def send(
    decision: _Doc,
    session: Any,
    *,
    config: _Doc,
    now: str,
    base_url: str = BASE_URL,
    sleep: Callable[[float], None] = time.sleep,
) -> _Json:
    """Sends ``decision``'s texts over ``session`` at ``now`` (RFC 3339) and returns the
    outcome (``state`` ``done`` or ``failed``; ``sent``, ``deferred``, ``failed``,
    ``skipped``, ``consent_updates``)."""
    return drive(Send(decision, config, now), session, base_url, sleep)


def read_callback(form: str) -> _Json:
    """What a Twilio webhook body (a status callback, or an inbound message under Advanced
    Opt-Out) says: ``{sid, status, error_code, revocation}``."""
    return _twilio_read_callback(form)
