"""ringback: deterministic missed-call recovery decisions, in-process.

Build an :class:`Engine` once from a policy, then turn every missed call into a decision::

    import ringback

    policy = ringback.default_policy()
    policy["locations"] = [{"id": "phx-01", "name": "Phoenix", "vertical": "home_services",
                            "time_zone": "America/Phoenix", "country": "US", "state": "AZ",
                            "hours": {"tue": [["07:00", "18:00"]]}}]
    engine = ringback.Engine(policy)
    decision = engine.process({"event_id": "CAL123", "location_id": "phx-01",
                               "occurred_at": "2026-11-24T09:15:00-07:00",
                               "caller_number": "(602) 555-0143", "disposition": "no_answer"})

Everything runs in the Rust core with the interpreter released; errors are subclasses of
:class:`RingbackError` with a stable ``.code`` and the JSON ``.path`` of the bad value.
"""

from . import crm, ingest, messaging
from ._ringback import (
    ENGINE_VERSION,
    ERROR_CODES,
    VENDORS,
    CrmIndex,
    Engine,
    InternalError,
    InvalidCrmError,
    InvalidEventError,
    InvalidJsonError,
    InvalidPolicyError,
    InvalidTimestampError,
    InvalidTimeZoneError,
    Plan,
    Replayer,
    RingbackError,
    UnknownLocationError,
    UnsupportedPayloadError,
    __version__,
    bucket,
    default_policy,
)

__all__ = [
    "ENGINE_VERSION",
    "ERROR_CODES",
    "VENDORS",
    "CrmIndex",
    "Engine",
    "InternalError",
    "InvalidCrmError",
    "InvalidEventError",
    "InvalidJsonError",
    "InvalidPolicyError",
    "InvalidTimeZoneError",
    "InvalidTimestampError",
    "Plan",
    "Replayer",
    "RingbackError",
    "UnknownLocationError",
    "UnsupportedPayloadError",
    "__version__",
    "bucket",
    "crm",
    "default_policy",
    "ingest",
    "messaging",
]
