"""ringback.Replayer: the core's replay loop from Python. The demo week must come out byte
for byte as the shared case ``tests/replay/demo_week.json`` says (the same case the CLI,
Node and C suites check), through JSON lines and through a list of dicts."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any, Dict, List

import pytest

import ringback

from conftest import MINIMAL_POLICY, REPO

CASE: Dict[str, Any] = json.loads((REPO / "tests" / "replay" / "demo_week.json").read_text())


def _read(rel: str) -> str:
    return (REPO / rel).read_text()


def _replayer() -> ringback.Replayer:
    engine = ringback.Engine(REPO / CASE["policy"])
    return ringback.Replayer(engine, _read(CASE["crm"]))


def test_demo_week_jsonl_is_the_shared_case_byte_for_byte() -> None:
    r = _replayer()
    out = r.replay_jsonl(_read(CASE["events"]))
    expect = CASE["expect"]
    assert hashlib.sha256(out.encode()).hexdigest() == expect["jsonl_sha256"]
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == expect["lines"]
    assert lines[0]["event_id"] == expect["first_event_id"]
    statuses: Dict[str, int] = {}
    for d in lines:
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    assert statuses == expect["statuses"]
    for line in _read(CASE["outcomes"]).splitlines():
        r.record_outcome(line)
    summary = r.summary()
    assert summary["portfolio"]["missed_calls"] == expect["missed_calls"]
    assert summary["portfolio"]["converted"] == expect["converted"]
    assert summary["portfolio"]["recovered_value"] == expect["recovered_value"]
    assert r.stats == {"events": 473, "rejected": 0, "outcomes": 432, "outcomes_rejected": 0}


def test_a_list_of_dicts_in_any_order_gives_the_same_decisions() -> None:
    events = [json.loads(line) for line in _read(CASE["events"]).splitlines() if line.strip()]
    events.reverse()
    answers = _replayer().replay(events)
    assert all(isinstance(a, dict) for a in answers)
    text = "".join(json.dumps(a, separators=(",", ":"), ensure_ascii=False) + "\n" for a in answers)
    reference = [json.loads(line) for line in _replayer().replay_jsonl(_read(CASE["events"])).splitlines()]
    assert answers == reference
    assert len(text) > 0


def _decision(answer: object) -> Dict[str, Any]:
    assert isinstance(answer, dict), answer
    return answer


def _event(event_id: str, at: str, **extra: Any) -> Dict[str, Any]:
    e: Dict[str, Any] = {
        "event_id": event_id,
        "location_id": "phx-01",
        "occurred_at": at,
        "caller_number": "(602) 555-0143",
        "disposition": "voicemail",
        "voicemail": {"transcript": "the water heater is leaking, call me back"},
    }
    e.update(extra)
    return e


def test_retry_is_a_duplicate_and_a_bad_event_keeps_its_place() -> None:
    engine = ringback.Engine(MINIMAL_POLICY)
    r = ringback.Replayer(engine)
    first = _event("CAL-1", "2026-11-24T09:15:00-07:00")
    retry = _event("CAL-1", "2026-11-24T09:15:00-07:00", received_at="2026-11-24T09:17:00-07:00")
    later = _event("CAL-2", "2026-11-24T11:00:00-07:00")
    nowhere = _event("CAL-3", "2026-11-24T10:00:00-07:00", location_id="nowhere")
    answers = r.replay([later, first, {"event_id": 5}, retry, nowhere])
    # Replay order: first (09:15), the bad dict right after its predecessor (first), the
    # retry, nowhere (10:00), later (11:00).
    assert [a["event_id"] if isinstance(a, dict) else type(a).__name__ for a in answers] == [
        "CAL-1",
        "InvalidEventError",
        "CAL-1",
        "UnknownLocationError",
        "CAL-2",
    ]
    assert _decision(answers[0])["status"] == "follow_up"
    assert _decision(answers[2])["status"] == "duplicate_event"
    bad = answers[1]
    assert isinstance(bad, ringback.RingbackError) and bad.path.startswith("[2]")
    unknown = answers[3]
    assert isinstance(unknown, ringback.UnknownLocationError) and unknown.path.startswith("[4]")
    assert _decision(answers[4])["record"]["action"] == "append_to_open_followup"
    assert r.stats["rejected"] == 2


def test_decide_streams_and_outcomes_match_the_counted_decision() -> None:
    engine = ringback.Engine(MINIMAL_POLICY)
    r = ringback.Replayer(engine, [])
    d = r.decide(_event("CAL-1", "2026-11-24T09:15:00-07:00"))
    assert d["status"] == "follow_up"
    again = r.decide(json.dumps(_event("CAL-1", "2026-11-24T09:15:00-07:00")))
    assert again["status"] == "duplicate_event"
    a = r.record_outcome({"event_id": "CAL-1", "kind": "converted", "value": 300, "at": "2026-11-24T10:00:00-07:00"})
    assert a["recovered_value"] == 300
    with pytest.raises(ringback.InvalidEventError) as e:
        r.record_outcome({"event_id": "CAL-404", "kind": "engaged", "at": "2026-11-24T10:00:00-07:00"})
    assert e.value.path == "event_id"
    with pytest.raises(ringback.UnknownLocationError):
        r.decide(_event("CAL-9", "2026-11-24T09:15:00-07:00", location_id="nowhere"))
    assert r.summary()["portfolio"]["missed_calls"] == 1
    with pytest.raises(TypeError):
        r.replay(_event("CAL-1", "2026-11-24T09:15:00-07:00"))
    with pytest.raises(TypeError):
        r.replay_jsonl([])  # type: ignore[arg-type]


def test_a_crm_index_is_copied_not_changed() -> None:
    engine = ringback.Engine(MINIMAL_POLICY)
    index = ringback.CrmIndex(engine, [])
    r = ringback.Replayer(engine, index)
    r.decide(_event("CAL-1", "2026-11-24T09:15:00-07:00"))
    # The engine still sees an empty CRM through the index: the replay wrote into its copy.
    assert engine.process(_event("CAL-1", "2026-11-24T09:15:00-07:00"), index)["status"] == "follow_up"
    other = ringback.Engine(MINIMAL_POLICY)
    with pytest.raises(ringback.InvalidCrmError):
        ringback.Replayer(other, index)


def test_threads_take_turns_on_one_replayer() -> None:
    engine = ringback.Engine(MINIMAL_POLICY)
    r = ringback.Replayer(engine)
    errors: List[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(50):
                r.decide(_event(f"T{k}-{i}", "2026-11-24T09:15:00-07:00", caller_number=f"60255501{k:02d}"))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert r.stats["events"] == 400
    assert r.summary()["portfolio"]["missed_calls"] == 400
