"""Every error class: generated from the core's ErrorCode::ALL, raised by a real bad input,
carrying `.code`, `.path` and `.message`, and subclassing ValueError for bad input."""

from __future__ import annotations

import ast
import json
import pickle
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Dict, List, Type

import pytest

import ringback
from ringback import _ringback

from conftest import FIXTURES, MINIMAL_POLICY, SMALL_EVENT

STUB = Path(ringback.__file__).resolve().parent / "_ringback.pyi"


def class_name(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_")) + "Error"


def error_classes() -> Dict[str, Type[ringback.RingbackError]]:
    return {
        name: obj
        for name, obj in vars(ringback).items()
        if isinstance(obj, type) and issubclass(obj, ringback.RingbackError) and obj is not ringback.RingbackError
    }


def test_one_class_per_core_code() -> None:
    codes = ringback.ERROR_CODES
    assert codes[0] == "invalid_json" and codes[-1] == "internal"
    assert len(codes) == len(set(codes)) == 9
    classes = error_classes()
    assert sorted(classes) == sorted(class_name(c) for c in codes)
    for code in codes:
        cls = classes[class_name(code)]
        assert cls.code == code
        assert cls.__module__ == "ringback"
        assert issubclass(cls, ringback.RingbackError)
        assert issubclass(cls, ValueError) == (code != "internal"), code
        assert cls.__doc__


def test_stub_and_package_list_every_class() -> None:
    tree = ast.parse(STUB.read_text())
    stub_classes = {
        node.name: [ast.unparse(b) for b in node.bases]
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name.endswith("Error")
    }
    expected = {
        class_name(c): ["RingbackError"] + (["ValueError"] if c != "internal" else [])
        for c in ringback.ERROR_CODES
    }
    expected["RingbackError"] = ["Exception"]
    assert stub_classes == expected
    for name in expected:
        assert name in ringback.__all__


def bad_location_policy() -> Dict[str, Any]:
    policy: Dict[str, Any] = json.loads(json.dumps(MINIMAL_POLICY))
    policy["locations"][0]["time_zone"] = "Mars/Olympus_Mons"
    return policy


def raises_invalid_json(engine: ringback.Engine) -> None:
    engine.process_json('{"event_id": "x",')


def raises_invalid_event(engine: ringback.Engine) -> None:
    engine.process({k: v for k, v in SMALL_EVENT.items() if k != "disposition"})


def raises_invalid_crm(engine: ringback.Engine) -> None:
    engine.process(SMALL_EVENT, {"contacts": [{"id": "c1", "kind": "martian"}]})


def raises_invalid_policy(engine: ringback.Engine) -> None:
    ringback.Engine({"version": "x", "locations": [{"id": "a", "colour": "red"}]})


def raises_unknown_location(engine: ringback.Engine) -> None:
    engine.process(dict(SMALL_EVENT, location_id="nowhere-99"))


def raises_invalid_timestamp(engine: ringback.Engine) -> None:
    engine.process(dict(SMALL_EVENT, occurred_at="next tuesday"))


def raises_invalid_time_zone(engine: ringback.Engine) -> None:
    ringback.Engine(bad_location_policy())


def raises_unsupported_payload(engine: ringback.Engine) -> None:
    # An Aircall webhook handed to the CallRail parser.
    ringback.ingest.callrail((FIXTURES / "vendors" / "aircall-call-ended-inbound-missed-with-voicemail-verbatim.json").read_bytes())


def raises_internal(engine: ringback.Engine) -> None:
    _ringback._panic_for_test()


TRIGGERS: Dict[str, Callable[[ringback.Engine], None]] = {
    "invalid_json": raises_invalid_json,
    "invalid_event": raises_invalid_event,
    "invalid_crm": raises_invalid_crm,
    "invalid_policy": raises_invalid_policy,
    "unknown_location": raises_unknown_location,
    "invalid_timestamp": raises_invalid_timestamp,
    "invalid_time_zone": raises_invalid_time_zone,
    "unsupported_payload": raises_unsupported_payload,
    "internal": raises_internal,
}

EXPECTED_PATHS = {
    "invalid_event": "",
    "invalid_crm": "contacts[0].kind",
    "invalid_policy": "locations[0].colour",
    "unknown_location": "location_id",
    "invalid_timestamp": "occurred_at",
    "invalid_time_zone": "locations[0].time_zone",
    "internal": "",
}


def test_every_code_has_a_trigger() -> None:
    assert sorted(TRIGGERS) == sorted(ringback.ERROR_CODES)


@pytest.mark.parametrize("code", list(TRIGGERS))
def test_error_is_raised_with_code_and_path(engine: ringback.Engine, code: str) -> None:
    cls = getattr(ringback, class_name(code))
    with pytest.raises(cls) as info:
        TRIGGERS[code](engine)
    err = info.value
    assert type(err) is cls
    assert isinstance(err, ringback.RingbackError)
    assert err.code == code
    assert isinstance(err.path, str) and isinstance(err.message, str) and err.message
    if code in EXPECTED_PATHS:
        assert err.path == EXPECTED_PATHS[code], str(err)
    assert str(err).startswith(code + ": ")
    if err.path:
        assert f"at {err.path}: " in str(err)
    if code == "internal":
        assert "deliberate test panic" in err.message
        assert not isinstance(err, ValueError)
    else:
        assert isinstance(err, ValueError)


def test_missing_field_is_named(engine: ringback.Engine) -> None:
    with pytest.raises(ringback.InvalidEventError) as info:
        raises_invalid_event(engine)
    assert "disposition" in info.value.message


def test_errors_pickle_with_their_attributes(engine: ringback.Engine) -> None:
    with pytest.raises(ringback.UnknownLocationError) as info:
        raises_unknown_location(engine)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is ringback.UnknownLocationError
    assert (copy.code, copy.path, copy.message) == (info.value.code, info.value.path, info.value.message)


NAIVE = datetime(2026, 11, 24, 9, 15)


@pytest.mark.parametrize(
    "call, path",
    [
        (lambda e: e.process(dict(SMALL_EVENT, occurred_at=NAIVE)), "occurred_at"),
        (
            lambda e: e.process(SMALL_EVENT, [{"id": "c1", "kind": "lead", "phones": [], "created_at": NAIVE}]),
            "contacts[0].created_at",
        ),
        (
            lambda e: e.process(SMALL_EVENT, {"contacts": [{"id": "c1", "recent_events": [{"occurred_at": NAIVE}]}]}),
            "contacts[0].recent_events[0].occurred_at",
        ),
        (lambda e: e.process_many([SMALL_EVENT, dict(SMALL_EVENT, received_at=NAIVE)]), "[1].received_at"),
        (lambda e: e.tick({"id": "f1", "created_at": "2026-11-24T09:15:00-07:00"}, NAIVE), "now"),
    ],
    ids=["event", "crm-list", "crm-nested", "batch", "tick-now"],
)
def test_naive_datetime_is_a_clear_error(engine: ringback.Engine, call: Any, path: str) -> None:
    with pytest.raises(ringback.InvalidTimestampError) as info:
        call(engine)
    assert info.value.path == path
    assert "naive datetime" in info.value.message
    assert "timezone-aware" in info.value.message


class Opaque:
    pass


@pytest.mark.parametrize(
    "value, path, words",
    [
        ({"attribution": {"utm": {"x": Opaque()}}}, "attribution.utm.x", "Opaque"),
        ({"ring_seconds": float("nan")}, "ring_seconds", "not a JSON number"),
        ({"attribution": {"utm": {1: "a"}}}, "attribution.utm", "keys must be str"),
    ],
    ids=["object", "nan", "int-key"],
)
def test_unconvertible_values_are_invalid_event(engine: ringback.Engine, value: Dict[str, Any], path: str, words: str) -> None:
    with pytest.raises(ringback.InvalidEventError) as info:
        engine.process(dict(SMALL_EVENT, **value))
    assert info.value.path == path
    assert words in info.value.message


def test_self_referencing_dict_is_an_error_not_a_crash(engine: ringback.Engine) -> None:
    event: Dict[str, Any] = dict(SMALL_EVENT)
    loop: List[Any] = []
    loop.append(loop)
    event["attribution"] = {"utm": {"loop": loop}}
    with pytest.raises(ringback.InvalidEventError) as info:
        engine.process(event)
    assert "nested deeper" in info.value.message
    assert info.value.path.startswith("attribution.utm.loop[0][0]")


def test_garbage_inputs_raise_coded_errors(engine: ringback.Engine) -> None:
    for text in ["", "null", "[]", "42", '"x"', "{", "\x00", "{}" * 1000, "[" * 10000]:
        with pytest.raises(ringback.RingbackError) as info:
            engine.process_json(text)
        assert info.value.code in ("invalid_json", "invalid_event"), (text[:20], info.value)
    with pytest.raises(ringback.InvalidJsonError):
        engine.process_json(b"\xff\xfe")
    with pytest.raises(TypeError):
        engine.process_json({"event_id": "x"})  # type: ignore[arg-type]
