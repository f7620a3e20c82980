"""Type stubs for the native module ``ringback._ringback`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, Literal, NoReturn, Optional, Union, final, overload

__all__ = [
    "__version__",
    "ENGINE_VERSION",
    "VENDORS",
    "Engine",
    "CrmIndex",
    "Replayer",
    "_CrmLookup",
    "_CrmSync",
    "_crm_lookup",
    "_TwilioSend",
    "_twilio_read_callback",
    "default_policy",
    "ingest",
    "ingest_many",
    "_to_json",
    "_from_json",
    "_panic_for_test",
    "RingbackError",
    "InvalidJsonError",
    "InvalidEventError",
    "InvalidCrmError",
    "InvalidPolicyError",
    "UnknownLocationError",
    "InvalidTimestampError",
    "InvalidTimeZoneError",
    "UnsupportedPayloadError",
    "InternalError",
    "ERROR_CODES",
]

__version__: Final[str]
ENGINE_VERSION: Final[str]
VENDORS: Final[tuple[str, ...]]
ERROR_CODES: Final[tuple[str, ...]]

#: A JSON-like value; ``datetime`` values must be timezone-aware.
_JsonDict = Mapping[str, Any]
#: A policy: a dict, JSON or TOML text (``str`` starting with ``{`` or containing a line
#: break, or ``bytes``), or a path to a policy file.
_PolicyLike = Union[_JsonDict, str, bytes, "os.PathLike[str]"]
#: An event: a dict (``datetime`` values allowed) or JSON text.
_EventLike = Union[_JsonDict, str, bytes]
#: A CRM: ``None``, a snapshot dict, a list of contact dicts, JSON text, or a ``CrmIndex``.
_CrmLike = Union[None, _JsonDict, Sequence[_JsonDict], str, bytes, "CrmIndex"]

@final
class Engine:
    """A compiled policy, ready to decide missed calls. Immutable and thread-safe."""

    def __new__(cls, policy: _PolicyLike) -> "Engine": ...
    @staticmethod
    def cached(policy: _PolicyLike) -> "Engine": ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...
    @property
    def policy_version(self) -> str: ...
    def process(self, event: _EventLike, crm: _CrmLike = None) -> dict[str, Any]: ...
    def explain(
        self, event: _EventLike, crm: _CrmLike = None, decision_id: Optional[str] = None
    ) -> dict[str, Any]: ...
    def process_json(
        self, event_json: Union[str, bytes], crm_json: _CrmLike = None
    ) -> str: ...
    @overload
    def process_many(
        self,
        events: Iterable[_EventLike],
        crm: _CrmLike = None,
        threads: Optional[int] = None,
        *,
        errors: Literal["raise"] = "raise",
    ) -> list[dict[str, Any]]: ...
    @overload
    def process_many(
        self,
        events: Iterable[_EventLike],
        crm: _CrmLike = None,
        threads: Optional[int] = None,
        *,
        errors: Literal["return"],
    ) -> list[Union[dict[str, Any], "RingbackError"]]: ...
    def index(self, contacts: Union[_JsonDict, Sequence[_JsonDict], str, bytes]) -> "CrmIndex": ...
    def record_outcome(
        self,
        decision: Union[_JsonDict, str, bytes],
        outcome: Union[_JsonDict, str, bytes],
        learning: Union[None, _JsonDict, str, bytes] = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]: ...
    def tick(
        self, open_followup: Union[_JsonDict, str, bytes], now: Union[datetime, str]
    ) -> dict[str, Any]: ...

@final
class CrmIndex:
    """A CRM export indexed once on the Rust side, for the engine that built it."""

    def __new__(
        cls, engine: Engine, contacts: Union[_JsonDict, Sequence[_JsonDict], str, bytes]
    ) -> "CrmIndex": ...
    def __len__(self) -> int: ...
    def __reduce__(self) -> NoReturn: ...

@final
class Replayer:
    """A replay of many calls through one engine: ordered by (occurred_at, received_at,
    event_id), each decision written back into the CRM and added to the report."""

    def __new__(cls, engine: Engine, crm: _CrmLike = None) -> "Replayer": ...
    def __reduce__(self) -> NoReturn: ...
    def decide(self, event: _EventLike) -> dict[str, Any]: ...
    def replay(self, events: Iterable[_EventLike]) -> list[Union[dict[str, Any], "RingbackError"]]: ...
    def replay_jsonl(self, text: Union[str, bytes]) -> str: ...
    def record_outcome(self, outcome: Union[_JsonDict, str, bytes]) -> dict[str, Any]: ...
    def summary(self) -> dict[str, Any]: ...
    def suppress(self, channel: str, number: str) -> None: ...
    @property
    def stats(self) -> dict[str, int]: ...

@final
class _CrmLookup:
    def __reduce__(self) -> NoReturn: ...
    def requests(self) -> list[dict[str, Any]]: ...
    @property
    def key(self) -> str: ...
    def retry_delay(self, response: Mapping[str, Any], attempt: int) -> Optional[int]: ...
    def snapshot(self, responses: Iterable[Mapping[str, Any]]) -> dict[str, Any]: ...

def _crm_lookup(
    system: str, caller: str, location: str, config: Union[None, _JsonDict, str, bytes] = None
) -> _CrmLookup: ...
@final
class _CrmSync:
    def __new__(
        cls,
        system: str,
        decision: Union[_JsonDict, str, bytes],
        config: Union[None, _JsonDict, str, bytes] = None,
    ) -> "_CrmSync": ...
    def __reduce__(self) -> NoReturn: ...
    def next_request(self) -> Optional[dict[str, Any]]: ...
    def feed(self, response: Mapping[str, Any]) -> None: ...
    def outcome(self) -> dict[str, Any]: ...
    @property
    def request_bound(self) -> int: ...

@final
class _TwilioSend:
    def __new__(
        cls, decision: Union[_JsonDict, str, bytes], config: Union[_JsonDict, str, bytes], now: str
    ) -> "_TwilioSend": ...
    def __reduce__(self) -> NoReturn: ...
    def next_request(self) -> Optional[dict[str, Any]]: ...
    def feed(self, response: Mapping[str, Any]) -> None: ...
    def outcome(self) -> dict[str, Any]: ...
    @property
    def request_bound(self) -> int: ...

def _twilio_read_callback(form: str) -> dict[str, Any]: ...
def default_policy() -> dict[str, Any]: ...
def ingest(
    vendor: str, payload: Union[str, bytes, _JsonDict], options: Optional[_JsonDict] = None
) -> dict[str, Any]: ...
def ingest_many(
    vendor: str, payload: Union[str, bytes, _JsonDict, list[Any]], options: Optional[_JsonDict] = None
) -> list[dict[str, Any]]: ...
def _to_json(value: Any) -> str: ...
def _from_json(text: str) -> Any: ...
def _panic_for_test() -> None: ...

class RingbackError(Exception):
    """Base class of every ringback error."""

    code: str
    path: str
    message: str

class InvalidJsonError(RingbackError, ValueError): ...

class InvalidEventError(RingbackError, ValueError): ...

class InvalidCrmError(RingbackError, ValueError): ...

class InvalidPolicyError(RingbackError, ValueError): ...

class UnknownLocationError(RingbackError, ValueError): ...

class InvalidTimestampError(RingbackError, ValueError): ...

class InvalidTimeZoneError(RingbackError, ValueError): ...

class UnsupportedPayloadError(RingbackError, ValueError): ...

class InternalError(RingbackError): ...
