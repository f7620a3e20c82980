"""ringback.messaging over real HTTP: a decision's texts sent through the Twilio fake
(``tests/crm-fake``) with a ``requests.Session`` carrying Basic credentials; each text once,
a STOP at Twilio written back so that no later decision texts the number."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import pytest
import requests

import ringback

from conftest import MINIMAL_POLICY
from test_crm import fake  # noqa: F401  (the fixture)

ACCOUNT = "AC00000000000000000000000000000001"
CONFIG = {"account_sid": ACCOUNT, "from": "+16025550100"}


def twilio() -> requests.Session:
    s = requests.Session()
    s.auth = (ACCOUNT, "fake-token")
    return s


def texting(engine: ringback.Engine, event_id: str, number: str, at: str) -> tuple[Dict[str, Any], str]:
    d = engine.process({"event_id": event_id, "location_id": "phx-01", "occurred_at": at,
                        "caller_number": number, "disposition": "no_answer"}, {"contacts": []})
    step: Optional[Dict[str, Any]] = next((s for s in d["follow_up"] if s["action"] == "send_sms"), None)
    assert step is not None and step["compliance"]["verdict"] != "blocked", d["follow_up"]
    return d, str(step["at"])


def messages(base: str) -> list[Dict[str, Any]]:
    out: list[Dict[str, Any]] = requests.get(base + "/__fake/state", timeout=10).json()["twilio"]
    return out


def test_each_text_once_and_a_stop_is_written_back(fake: str) -> None:  # noqa: F811
    engine = ringback.Engine(MINIMAL_POLICY)
    d, at = texting(engine, "TX-1", "+16025550144", "2026-11-24T09:15:00-07:00")
    # The fake Twilio's clock reads the step's instant.
    from datetime import datetime
    now = int(datetime.fromisoformat(at).timestamp())
    assert requests.post(fake + "/__fake/config", data=json.dumps({"twilio_now": now}), timeout=10).ok
    first = ringback.messaging.send(d, twilio(), config=CONFIG, now=at, base_url=fake)
    again = ringback.messaging.send(json.dumps(d), twilio(), config=json.dumps(CONFIG), now=at, base_url=fake)
    assert first["state"] == "done" and len(first["sent"]) == 1 and first["sent"][0]["created"]
    assert len(again["sent"]) == 1 and not again["sent"][0]["created"], "found, not sent twice"
    assert len(messages(fake)) == 1

    # The next caller replied STOP to this sender long ago.
    assert requests.post(fake + "/__fake/config", data=json.dumps({"twilio_opted_out": ["+16025550155"]}), timeout=10).ok
    replayer = ringback.Replayer(engine)
    e1 = {"event_id": "TX-2", "location_id": "phx-01", "occurred_at": "2026-11-24T09:30:00-07:00",
          "caller_number": "+16025550155", "disposition": "no_answer"}
    d2 = replayer.decide(e1)
    step_at = next(s["at"] for s in d2["follow_up"] if s["action"] == "send_sms")
    out = ringback.messaging.send(d2, twilio(), config=CONFIG, now=step_at, base_url=fake)
    assert out["failed"][0]["code"] == "recipient_opted_out" and out["failed"][0]["provider_code"] == 21610
    for r in out["consent_updates"]:
        replayer.suppress(r["channel"], r["number"])
    d3 = replayer.decide({**e1, "event_id": "TX-3", "occurred_at": "2026-11-25T09:30:00-07:00"})
    assert all(s["compliance"]["verdict"] == "blocked" for s in d3["follow_up"] if s["action"] == "send_sms")
    assert len(messages(fake)) == 1


def test_bad_input_is_a_coded_error() -> None:
    engine = ringback.Engine(MINIMAL_POLICY)
    d, at = texting(engine, "TX-9", "+16025550166", "2026-11-24T09:15:00-07:00")
    with pytest.raises(ringback.InvalidCrmError) as e:
        ringback.messaging.Send(d, {"account_sid": "AC123"}, at)
    assert e.value.path == "account_sid"
    with pytest.raises(ringback.InvalidTimestampError):
        ringback.messaging.Send(d, CONFIG, "tomorrow")
    with pytest.raises(ringback.RingbackError):
        ringback.Replayer(engine).suppress("fax", "+16025550166")
    cb = ringback.messaging.read_callback("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=21610&To=%2B16025550166")
    assert cb["revocation"]["number"] == "+16025550166"
