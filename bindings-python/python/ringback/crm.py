"""CRM records from Python: search a CRM by the caller's number and write decisions into it
(Salesforce, HubSpot, Zoho CRM, Dynamics 365, Pipedrive) without creating anything twice.

The logic is the Rust core's sans-I/O machines; this module only moves their requests over
an HTTP session you own (a ``requests.Session`` or an ``httpx.Client`` carrying your
credentials)::

    import requests, ringback

    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    crm = ringback.crm.snapshot(session, base_url, "salesforce", caller="(602) 555-0143",
                                location="phx-01")
    decision = engine.process(event, crm)
    outcome = ringback.crm.sync(decision, session, base_url, "salesforce")

``outcome["state"]`` is ``"done"`` or ``"failed"`` (with ``outcome["failure"]``); running
the same decision's sync again is safe: every record carries its own key.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol, Sequence, Union

from ._ringback import _CrmLookup, _crm_lookup, _CrmSync

__all__ = ["SYSTEMS", "Lookup", "Machine", "Sync", "drive", "lookup", "snapshot", "sync"]

#: The CRMs ringback writes to.
SYSTEMS = ("salesforce", "hubspot", "zoho", "dynamics", "pipedrive")

_Config = Union[None, Mapping[str, Any], str]
_Json = Dict[str, Any]


class Lookup:
    """The search requests for one caller, and how to read their answers."""

    def __init__(self, inner: _CrmLookup) -> None:
        self._inner = inner

    @property
    def requests(self) -> List[_Json]:
        """The requests to send, in order: ``{method, path, headers, body, delay_seconds}``."""
        return self._inner.requests()

    @property
    def key(self) -> str:
        """The upsert key a new lead for this caller would carry."""
        return self._inner.key

    def retry_delay(self, response: Mapping[str, Any], attempt: int) -> Optional[int]:
        """Seconds to wait before sending a request again after ``response`` (its
        ``attempt``-th failure), or ``None`` to use the answer as it is."""
        return self._inner.retry_delay(response, attempt)

    def snapshot(self, responses: Sequence[Mapping[str, Any]]) -> _Json:
        """Reads the answers (``{status, headers, body}``, one per request) into a CRM snapshot."""
        return self._inner.snapshot(list(responses))


def lookup(system: str, caller: str, location: str, config: _Config = None) -> Lookup:
    """The search requests for ``caller`` (any number format) calling ``location``."""
    return Lookup(_crm_lookup(system, caller, location, config))


class _Native(Protocol):
    def next_request(self) -> Optional[_Json]: ...
    def feed(self, response: Mapping[str, Any]) -> None: ...
    def outcome(self) -> _Json: ...
    @property
    def request_bound(self) -> int: ...


class Machine:
    """A sans-I/O machine of the core (a CRM sync, a messaging send): ``next_request()``,
    send it, ``feed(answer)``, until ``next_request()`` is ``None``; then ``outcome()``."""

    _inner: _Native

    def next_request(self) -> Optional[_Json]:
        """The next request (wait ``delay_seconds`` first), or ``None`` when done or stopped."""
        return self._inner.next_request()

    def feed(self, response: Mapping[str, Any]) -> None:
        """Reads the answer ``{status, headers, body}`` to the last request."""
        self._inner.feed(response)

    def outcome(self) -> _Json:
        """What the machine did so far."""
        return self._inner.outcome()

    @property
    def request_bound(self) -> int:
        """The most requests this machine can send."""
        return self._inner.request_bound


class Sync(Machine):
    """The sync machine of one decision into a CRM."""

    def __init__(self, system: str, decision: Union[Mapping[str, Any], str], config: _Config = None) -> None:
        self._inner = _CrmSync(system, decision, config)


def drive(machine: Machine, session: Any, base_url: str, sleep: Callable[[float], None] = time.sleep) -> _Json:
    """Runs ``machine`` to its end over ``session``: each request sent to ``base_url`` after
    its ``delay_seconds``, each answer fed back; returns the outcome."""
    while True:
        request = machine.next_request()
        if request is None:
            return machine.outcome()
        if request.get("delay_seconds"):
            sleep(float(request["delay_seconds"]))
        machine.feed(_send(session, base_url, request))


def _send(session: Any, base_url: str, request: Mapping[str, Any]) -> _Json:
    url = base_url.rstrip("/") + str(request["path"])
    headers = {str(k): str(v) for k, v in request["headers"]}
    body = request.get("body")
    data = body.encode("utf-8") if isinstance(body, str) else None
    if type(session).__module__.split(".")[0] == "httpx":
        resp = session.request(request["method"], url, headers=headers, content=data)
    else:
        resp = session.request(request["method"], url, headers=headers, data=data)
    return {
        "status": int(resp.status_code),
        "headers": [[str(k), str(v)] for k, v in resp.headers.items()],
        "body": resp.text,
    }


def snapshot(
    session: Any,
    base_url: str,
    system: str,
    *,
    caller: str,
    location: str,
    config: _Config = None,
    sleep: Callable[[float], None] = time.sleep,
) -> _Json:
    """Searches the CRM for ``caller`` over ``session`` and returns the CRM snapshot to pass
    to ``Engine.process``. A throttled or failed search (429, 5xx) is sent again after the
    wait the core's retry policy gives."""
    lk = lookup(system, caller, location, config)
    answers = []
    for request in lk.requests:
        attempt = 1
        answer = _send(session, base_url, request)
        while (delay := lk.retry_delay(answer, attempt)) is not None:
            sleep(float(delay))
            attempt += 1
            answer = _send(session, base_url, request)
        answers.append(answer)
    return lk.snapshot(answers)


def sync(
    decision: Union[Mapping[str, Any], str],
    session: Any,
    base_url: str,
    system: str,
    *,
    config: _Config = None,
    sleep: Callable[[float], None] = time.sleep,
) -> _Json:
    """Writes ``decision`` into the CRM over ``session``: sends each request the machine
    asks for (after its ``delay_seconds``), feeds the answer back, and returns the outcome
    (``state`` ``done`` or ``failed``; ``written``, ``skipped``, ``requests``, ``retries``)."""
    return drive(Sync(system, decision, config), session, base_url, sleep)
