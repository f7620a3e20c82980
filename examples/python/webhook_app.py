"""A CallRail webhook receiver that decides every missed call with ringback.

Run it (with ``pip install ringback fastapi uvicorn``)::

    uvicorn webhook_app:app --port 8000

and point CallRail's post-call webhook at ``POST /webhooks/callrail`` (and its call-modified
webhook at ``POST /webhooks/callrail?kind=call_modified``). The response is the
decision (what to write to the CRM, which follow-up to send when, and why), or
``{"ingested": "not_missed" | "incomplete", ...}`` for a webhook that is not a missed call.
A payload ringback cannot read gets a 422 with the error's stable ``code`` and JSON ``path``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import ringback

HERE = Path(__file__).resolve().parent

#: CallRail tracking numbers (any format) -> location ids of the policy.
LOCATION_MAP: Dict[str, str] = {"(404) 555-8514": "atl-01"}


def utc_now() -> datetime:
    """The webhook's arrival time: "now" is an input of the engine, never read by it."""
    return datetime.now(timezone.utc)


def create_app(
    engine: ringback.Engine,
    location_map: Mapping[str, str],
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """Builds the app around one engine (compiled once, shared by every request)."""
    app = FastAPI(title="ringback CallRail webhook")

    @app.exception_handler(ringback.RingbackError)
    async def ringback_error(_: Request, exc: ringback.RingbackError) -> JSONResponse:
        status = 422 if isinstance(exc, ValueError) else 500
        body = {"error": {"code": exc.code, "path": exc.path, "message": exc.message}}
        return JSONResponse(body, status_code=status)

    @app.post("/webhooks/callrail")
    async def callrail(request: Request, kind: str = "post_call") -> Dict[str, Any]:
        """``kind`` names the CallRail webhook this endpoint is configured for:
        ``post_call`` (default), ``call_modified``, ``pre_call``, ``call_routing_complete``."""
        body = await request.body()
        ingested = ringback.ingest.callrail(
            body,
            location_map=dict(location_map),
            callrail_webhook=kind,
            received_at=clock(),
        )
        if ingested["ingested"] != "event":
            return ingested
        # The CRM search for the caller's number would go here; an empty CRM means "unknown
        # caller". A batch job would pass a ringback.CrmIndex instead.
        return engine.process(ingested["event"], crm=None)

    return app


app = create_app(ringback.Engine(HERE / "policy.json"), LOCATION_MAP)
