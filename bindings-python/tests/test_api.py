"""The Python API: policy forms, dicts with datetimes, CRM forms and CrmIndex, batches,
outcomes, ticks, ingest, version, and the interpreter released while the core runs."""

from __future__ import annotations

import json
import re
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

import pytest

import ringback

from conftest import FIXTURES, MINIMAL_POLICY, REPO, SMALL_EVENT

TOML_POLICY = """\
version = "2026-11-a"

[[locations]]
id = "phx-01"
name = "Phoenix Camelback"
vertical = "home_services"
time_zone = "America/Phoenix"
country = "US"
state = "AZ"
phone = "+16025550100"
holidays = ["2026-11-26"]
avg_inquiry_value = 250
currency = "USD"
on_call = true

[locations.hours]
mon = [["07:00", "18:00"]]
tue = [["07:00", "18:00"]]
wed = [["07:00", "18:00"]]
thu = [["07:00", "18:00"]]
fri = [["07:00", "18:00"]]
sat = [["08:00", "14:00"]]
"""


def test_version_matches_the_crates() -> None:
    cargo = (REPO / "Cargo.toml").read_text()
    match = re.search(r'\[workspace\.package\][^\[]*?version = "([^"]+)"', cargo)
    assert match is not None
    assert ringback.__version__ == match.group(1)
    assert ringback.ENGINE_VERSION == match.group(1)


def test_decision_for_the_small_event(engine: ringback.Engine) -> None:
    d = engine.process(SMALL_EVENT)
    assert d["status"] == "follow_up"
    assert d["category"] == "ring_no_answer"
    assert d["policy_version"] == "2026-11-a"
    assert d["engine_version"] == ringback.__version__
    assert d["caller"]["e164"] == "+16025550143"
    assert d["record"]["action"] == "create_lead"
    assert d["record"]["upsert_key"] == "phone:+16025550143"
    assert d["sla"]["due_at_local"] == "2026-11-24T09:45:00-07:00"
    assert d["value_at_risk"] == 750.0
    assert isinstance(d["trace"], list) and d["trace"]
    assert engine.policy_version == "2026-11-a"
    assert repr(engine) == 'Engine(policy_version="2026-11-a")'


def test_process_json_is_process_as_text(engine: ringback.Engine) -> None:
    text = engine.process_json(json.dumps(SMALL_EVENT))
    assert isinstance(text, str)
    assert json.loads(text) == engine.process(SMALL_EVENT)
    assert engine.process_json(json.dumps(SMALL_EVENT).encode()) == text
    assert engine.process(json.dumps(SMALL_EVENT)) == engine.process(SMALL_EVENT)


def test_default_policy_plus_a_location() -> None:
    policy = ringback.default_policy()
    assert isinstance(policy, dict)
    assert policy["locations"] == []
    policy["version"] = "2026-11-a"
    policy["locations"] = MINIMAL_POLICY["locations"]
    d = ringback.Engine(policy).process(SMALL_EVENT)
    assert d["status"] == "follow_up"
    assert d["caller"]["e164"] == "+16025550143"


def test_policy_in_every_form(tmp_path: Path, engine: ringback.Engine) -> None:
    expected = engine.process(SMALL_EVENT)["decision_id"]
    json_file = tmp_path / "policy.json"
    json_file.write_text(json.dumps(MINIMAL_POLICY))
    toml_file = tmp_path / "policy.toml"
    toml_file.write_text(TOML_POLICY)
    forms: List[Any] = [
        MINIMAL_POLICY,
        json.dumps(MINIMAL_POLICY),
        json.dumps(MINIMAL_POLICY, indent=2),
        json.dumps(MINIMAL_POLICY).encode(),
        TOML_POLICY,
        json_file,
        str(json_file),
        toml_file,
    ]
    for form in forms:
        assert ringback.Engine(form).process(SMALL_EVENT)["decision_id"] == expected, type(form)


def test_policy_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        ringback.Engine(tmp_path / "missing.json")
    assert "missing.json" in str(info.value)
    with pytest.raises(FileNotFoundError):
        ringback.Engine("no/such/policy.toml")
    with pytest.raises(TypeError):
        ringback.Engine(42)  # type: ignore[arg-type]
    with pytest.raises(ringback.InvalidJsonError):
        ringback.Engine('{"version": ')


def test_aware_datetimes_equal_their_text(engine: ringback.Engine) -> None:
    expected = engine.process(SMALL_EVENT)
    phoenix = ZoneInfo("America/Phoenix")
    forms = [
        datetime(2026, 11, 24, 9, 15, tzinfo=phoenix),
        datetime(2026, 11, 24, 9, 15, tzinfo=timezone(timedelta(hours=-7))),
        datetime(2026, 11, 24, 16, 15, tzinfo=timezone.utc),
    ]
    for occurred in forms:
        d = engine.process(dict(SMALL_EVENT, occurred_at=occurred))
        assert d["sla"]["due_at"] == expected["sla"]["due_at"]
        assert d["status"] == expected["status"]
    # Same offset as the text: byte-identical decision.
    assert engine.process(dict(SMALL_EVENT, occurred_at=forms[1])) == expected


def test_dates_in_a_policy_dict() -> None:
    policy = json.loads(json.dumps(MINIMAL_POLICY))
    policy["locations"][0]["holidays"] = [date(2026, 11, 26)]
    thanksgiving = dict(SMALL_EVENT, occurred_at=datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("America/Phoenix")))
    with_date = ringback.Engine(policy).process(thanksgiving)
    with_text = ringback.Engine(MINIMAL_POLICY).process(thanksgiving)
    assert with_date["category"] == with_text["category"] == "after_hours"
    assert with_date["decision_id"] == with_text["decision_id"]


def test_tuples_and_bytes_keys() -> None:
    assert json.loads(ringback._ringback._to_json({"a": (1, 2.5, True, None, "x")})) == {"a": [1, 2.5, True, None, "x"]}
    assert ringback._ringback._to_json({"big": 2**70}) == '{"big":1180591620717411303424}'
    assert ringback._ringback._from_json('{"a":[1,2.5,true,null,"\\u00e9"]}') == {"a": [1, 2.5, True, None, "é"]}
    with pytest.raises(ringback.InvalidJsonError):
        ringback._ringback._from_json('{"a": 1} trailing')


def contact(cid: str, number: str, kind: str = "customer") -> Dict[str, Any]:
    return {"id": cid, "kind": kind, "phones": [number], "first_name": "Ana", "location_id": "phx-01"}


def test_crm_in_every_form(engine: ringback.Engine) -> None:
    contacts = [contact("c1", "602-555-0143"), contact("c2", "+1 480 555 0100", "lead")]
    snapshot = {"contacts": contacts}
    forms: List[Any] = [
        snapshot,
        contacts,
        tuple(contacts),
        json.dumps(snapshot),
        json.dumps(snapshot).encode(),
        ringback.CrmIndex(engine, snapshot),
        ringback.CrmIndex(engine, contacts),
        engine.index(json.dumps(snapshot)),
    ]
    decisions = [engine.process(SMALL_EVENT, crm) for crm in forms]
    assert decisions[0]["record"]["action"] == "append_to_customer"
    assert decisions[0]["record"]["contact_id"] == "c1"
    for d in decisions[1:]:
        assert d == decisions[0]
    assert json.loads(engine.process_json(json.dumps(SMALL_EVENT), forms[5])) == decisions[0]
    assert len(forms[5]) == 2
    assert repr(forms[5]) == "CrmIndex(contacts=2)"


def test_crm_index_belongs_to_its_engine(engine: ringback.Engine) -> None:
    other = ringback.Engine(MINIMAL_POLICY)
    index = ringback.CrmIndex(other, [contact("c1", "602-555-0143")])
    with pytest.raises(ringback.InvalidCrmError) as info:
        engine.process(SMALL_EVENT, index)
    assert "another Engine" in info.value.message
    assert other.process(SMALL_EVENT, index)["record"]["contact_id"] == "c1"


def test_bad_crm_index_input(engine: ringback.Engine) -> None:
    with pytest.raises(ringback.InvalidCrmError) as info:
        ringback.CrmIndex(engine, [{"id": "c1", "kind": "lead", "phones": 7}])
    assert info.value.path == "contacts[0].phones"


def test_demo_week_process_json_process_many_and_index_agree(
    demo_engine: ringback.Engine, demo_lines: List[str], demo_events: List[Dict[str, Any]], demo_crm: Dict[str, Any]
) -> None:
    crm_text = json.dumps(demo_crm)
    expected = [json.loads(demo_engine.process_json(line, crm_text)) for line in demo_lines]
    assert len(expected) == len(demo_lines) >= 400
    statuses = {d["status"] for d in expected}
    assert {"follow_up", "manual_review"} <= statuses
    assert any(d["record"]["action"].startswith("append_to") for d in expected)
    index = ringback.CrmIndex(demo_engine, demo_crm)
    assert len(index) == len(demo_crm["contacts"])
    assert [demo_engine.process(e, index) for e in demo_events] == expected
    assert demo_engine.process_many(demo_events, index) == expected
    assert demo_engine.process_many(demo_lines, demo_crm, threads=1) == expected
    assert demo_engine.process_many(iter(demo_events), index, threads=8) == expected
    assert demo_engine.process_many([], index) == []


def test_process_many_reports_the_failing_index(engine: ringback.Engine) -> None:
    events = [SMALL_EVENT] * 40 + [dict(SMALL_EVENT, location_id="nowhere")] + [SMALL_EVENT] * 40
    with pytest.raises(ringback.UnknownLocationError) as info:
        engine.process_many(events, threads=2)
    assert info.value.path == "[40].location_id"


def test_process_many_can_return_errors_in_place(engine: ringback.Engine) -> None:
    naive = dict(SMALL_EVENT, occurred_at=datetime(2026, 11, 24, 9, 15))
    events: List[Any] = [SMALL_EVENT] * 40 + [dict(SMALL_EVENT, location_id="nowhere"), naive, "{truncated"] + [
        SMALL_EVENT
    ] * 40
    out = engine.process_many(events, threads=2, errors="return")
    assert len(out) == len(events)
    good = engine.process(SMALL_EVENT)
    assert out[:40] == [good] * 40 and out[43:] == [good] * 40
    unknown, bad_time, bad_json = out[40], out[41], out[42]
    assert isinstance(unknown, ringback.UnknownLocationError) and unknown.path == "[40].location_id"
    assert isinstance(bad_time, ringback.InvalidTimestampError) and bad_time.path.startswith("[41]")
    assert isinstance(bad_json, ringback.InvalidJsonError) and bad_json.path.startswith("[42]")
    with pytest.raises(ValueError):
        engine.process_many(events, errors="ignore")  # type: ignore[call-overload]


def test_record_outcome_and_learning_state(engine: ringback.Engine) -> None:
    decision = engine.process(SMALL_EVENT)
    outcome = {
        "event_id": "CAL123",
        "kind": "converted",
        "at": datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Phoenix")),
        "value": 400,
    }
    attribution, learning = engine.record_outcome(decision, outcome)
    assert attribution["outcome"] == "converted"
    assert attribution["decision_id"] == decision["decision_id"]
    assert attribution["recovered_value"] == 400.0
    assert attribution["sla_met"] is True
    assert list(learning["locations"]) == ["phx-01"]
    # The state goes back in as a dict or as JSON text, and keeps learning.
    _, learning2 = engine.record_outcome(json.dumps(decision), outcome, learning)
    _, learning3 = engine.record_outcome(decision, json.dumps(outcome, default=lambda d: d.isoformat()), json.dumps(learning))
    assert learning2 == learning3
    assert learning2 != learning
    with pytest.raises(ringback.InvalidEventError):
        engine.record_outcome(decision, dict(outcome, kind="delighted"))


def test_tick(engine: ringback.Engine) -> None:
    followup = {
        "id": "f1",
        "created_at": "2026-11-24T09:15:00-07:00",
        "due_at": datetime(2026, 11, 24, 9, 45, tzinfo=ZoneInfo("America/Phoenix")),
        "location_id": "phx-01",
    }
    phoenix = ZoneInfo("America/Phoenix")
    assert engine.tick(followup, datetime(2026, 11, 24, 9, 30, tzinfo=phoenix)) == {
        "action": "nothing",
        "next_at": "2026-11-24T16:45:00Z",
    }
    assert engine.tick(followup, "2026-11-24T09:50:00-07:00") == {
        "action": "breached",
        "overdue_minutes": 5,
        "tier": 1,
    }
    escalate = engine.tick(followup, datetime(2026, 11, 24, 17, 5, tzinfo=timezone.utc))
    assert (escalate["action"], escalate["tier"], escalate["handler"]) == ("escalate", 2, "corporate")
    with pytest.raises(ringback.InvalidTimestampError) as info:
        engine.tick(followup, "soon")
    assert info.value.path == "now"
    with pytest.raises(ringback.UnknownLocationError):
        engine.tick(dict(followup, location_id="nowhere"), "2026-11-24T09:50:00-07:00")


def test_ingest_module_has_every_vendor() -> None:
    assert ringback.ingest.VENDORS == ringback.VENDORS
    assert len(ringback.VENDORS) == 21
    for vendor in ringback.VENDORS:
        assert callable(getattr(ringback.ingest, vendor)), vendor
        assert vendor in ringback.ingest.__all__
    with pytest.raises(ValueError):
        ringback._ringback.ingest("nokia", "{}")


def test_ingest_callrail_sample() -> None:
    body = (FIXTURES / "vendors" / "callrail-post-call-missed-reconstructed.json").read_bytes()
    out = ringback.ingest.callrail(body, location_map={"404-555-8514": "atl-01"}, callrail_webhook="post_call")
    assert out["ingested"] == "event"
    event = out["event"]
    assert event["event_id"] == "766970532"
    assert event["location_id"] == "atl-01"
    assert event["caller_number"] == "+12148654559"
    assert event["disposition"] == "no_answer"
    assert event["provider"] == "callrail"
    # Also from the parsed dict and from text.
    assert ringback.ingest.callrail(json.loads(body), location_map={"404-555-8514": "atl-01"}, callrail_webhook="post_call") == out
    assert ringback.ingest.callrail(body.decode(), location_map={"404-555-8514": "atl-01"}, callrail_webhook="post_call") == out


def test_ingest_twilio_form_body_with_datetime_option() -> None:
    body = (FIXTURES / "vendors" / "twilio-dial-action-no-answer-verbatim.txt").read_text()
    received = datetime(2026, 11, 24, 16, 15, 30, tzinfo=timezone.utc)
    out = ringback.ingest.twilio(body, location_map={"+17722476154": "psl-01"}, received_at=received)
    assert out["ingested"] == "event"
    event = out["event"]
    assert event["event_id"] == "CA4b2c80691a3b7059f44c09530901f525"
    assert event["location_id"] == "psl-01"
    assert event["caller_number"] == "+17722065315"
    assert event["raw_disposition"] == "no-answer"
    assert event["received_at"] in ("2026-11-24T16:15:30Z", "2026-11-24T16:15:30+00:00")


def test_ingest_aircall_hungup_is_incomplete() -> None:
    body = (FIXTURES / "vendors" / "aircall-call-hungup-inbound-missed-verbatim.json").read_bytes()
    out = ringback.ingest.aircall(body, default_location="vie-01")
    assert out["ingested"] == "incomplete"
    assert isinstance(out["reason"], str) and out["reason"]


def test_ingest_vapi_dropped_transfer_carries_the_ai_summary() -> None:
    body = (FIXTURES / "vendors" / "vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json").read_bytes()
    out = ringback.ingest.vapi(body, location_map={"+14155559876": "bayside"})
    assert out["ingested"] == "event"
    event = out["event"]
    assert event["disposition"] == "no_answer"
    assert event["ai_receptionist"]["handled"] is False
    assert event["ai_receptionist"]["captured_intent"] == "billing_question"
    assert "front desk" in event["ai_receptionist"]["summary"]


def test_ingest_mapping_from_a_dialogtech_query_string() -> None:
    query = "call_id=dt-1&caller=3125550143&dialed=8005550199&start=2019-06-04%2018%3A22%3A10&disposition=Hung%20Up"
    with pytest.raises(ringback.UnsupportedPayloadError) as e:
        ringback.ingest.dialogtech(query, default_location="chi-01", time_zone="America/Chicago")
    assert e.value.path == "disposition"
    out = ringback.ingest.dialogtech(
        query,
        default_location="chi-01",
        time_zone="America/Chicago",
        mapping={"dispositions": {"hung up": "abandoned"}},
    )
    assert out["event"]["disposition"] == "abandoned"
    assert out["event"]["occurred_at"] == "2019-06-04T18:22:10-05:00"


def test_ingest_many_keeps_every_good_item_of_a_page() -> None:
    def record(i: int) -> Dict[str, Any]:
        return {
            "id": f"r{i}", "telephonySessionId": f"s-{i}", "startTime": "2026-11-24T16:01:00.000Z",
            "type": "Voice", "direction": "Inbound", "result": "Missed",
            "from": {"phoneNumber": f"+1602555{1000 + i}"}, "to": {"phoneNumber": "+14155550100"},
        }

    records = [record(i) for i in range(250)]
    records[7]["startTime"] = "not a time"
    items = ringback.ingest.many("ringcentral", {"records": records}, default_location="sf-01")
    assert len(items) == 250
    assert sum(1 for x in items if x["ingested"] == "event") == 249
    assert items[7]["ingested"] == "error"
    assert items[7]["error"]["code"] == "invalid_timestamp"
    assert items[7]["error"]["path"] == "records[7].startTime"
    with pytest.raises(ringback.UnsupportedPayloadError):
        ringback.ingest.many("ringcentral", {"records": 3})


def test_explain_puts_a_lean_decision_into_words(demo_engine: ringback.Engine, demo_lines: List[str], demo_crm: Dict[str, Any]) -> None:
    event = json.loads(demo_lines[0])
    decision = demo_engine.process(event, demo_crm)
    assert decision["trace"] and all(isinstance(t, str) and "/" in t for t in decision["trace"])
    full = demo_engine.explain(event, demo_crm, decision_id=decision["decision_id"])
    assert full["decision_id"] == decision["decision_id"]
    # Every code is a rule of the full trace, in order; the full trace also has the rules
    # whose outcome a decision field states, and every entry has words.
    words = [f"{t['stage']}/{t['rule']}={t['result']}" for t in full["trace"]]
    at = 0
    for code in decision["trace"]:
        at = words.index(code, at) + 1
    assert len(words) > len(decision["trace"])
    assert all(isinstance(t["detail"], str) for t in full["trace"])
    with pytest.raises(ringback.InvalidEventError) as e:
        demo_engine.explain(dict(event, caller_number="+16025550199"), demo_crm, decision_id=decision["decision_id"])
    assert e.value.path == "decision_id"


def test_interpreter_is_released_while_the_core_runs(demo_engine: ringback.Engine, demo_lines: List[str], demo_crm: Dict[str, Any]) -> None:
    """With a 1 µs switch interval, a call that kept the interpreter would let the main
    thread run only for a few loop turns around it; a call that releases it lets the main
    thread spin for the whole time the core runs."""
    index = ringback.CrmIndex(demo_engine, demo_crm)
    batch = demo_lines * 3
    state = {"inside": False, "done": False}

    def work() -> None:
        state["inside"] = True
        demo_engine.process_many(batch, index, threads=1)
        state["inside"] = False
        state["done"] = True

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        worker = threading.Thread(target=work)
        spins = 0
        worker.start()
        while not state["done"]:
            if state["inside"]:
                spins += 1
        worker.join()
    finally:
        sys.setswitchinterval(old)
    assert spins > 1000, spins


def test_process_many_wants_an_iterable_of_events(engine: ringback.Engine) -> None:
    for wrong in (SMALL_EVENT, json.dumps(SMALL_EVENT), b"[]"):
        with pytest.raises(TypeError):
            engine.process_many(wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.process_many(42)  # type: ignore[call-overload]


def test_the_same_crm_snapshot_is_reused_and_a_changed_one_is_not(
    demo_lines: List[str], demo_events: List[Dict[str, Any]], demo_crm: Dict[str, Any]
) -> None:
    """A webhook handler passes the same CRM dict call after call: the engine reuses its
    index (issue 17) and must still answer exactly as a fresh engine does when the dict
    changes between calls (a contact added or removed, a mutated field)."""
    policy = REPO / "demo" / "policy.json"
    engine = ringback.Engine(policy)

    def fresh(event: Dict[str, Any], crm: Dict[str, Any]) -> str:
        return ringback.Engine(policy).process_json(json.dumps(event), json.dumps(crm))

    crm = json.loads(json.dumps(demo_crm))
    matched = [
        e for e in demo_events
        if engine.process(e, crm)["record"]["action"] in ("append_to_customer", "append_to_lead")
    ][:5]
    assert matched, "the demo week has callers the CRM knows"
    for event in matched:
        assert engine.process(event, crm) == json.loads(fresh(event, crm))
        contact_id = engine.process(event, crm)["record"]["contact_id"]
        # The same dict object, mutated: the caller's contact removed.
        removed = [c for c in crm["contacts"] if c["id"] == contact_id]
        crm["contacts"] = [c for c in crm["contacts"] if c["id"] != contact_id]
        without = engine.process(event, crm)
        assert without["record"]["contact_id"] != contact_id
        assert without == json.loads(fresh(event, crm))
        crm["contacts"].extend(removed)
        assert engine.process(event, crm)["record"]["contact_id"] == contact_id
    assert [engine.process_json(line, json.dumps(crm)) for line in demo_lines[:30]] == [
        fresh(json.loads(line), crm) for line in demo_lines[:30]
    ]
