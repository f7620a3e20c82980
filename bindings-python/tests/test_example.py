"""The FastAPI webhook example in examples/python/, driven by its test client."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime, timezone
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

import ringback

from conftest import FIXTURES, REPO

EXAMPLE = REPO / "examples" / "python" / "webhook_app.py"
ARRIVED = datetime(2018, 2, 19, 18, 41, 30, tzinfo=timezone.utc)


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_app", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["webhook_app"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> Any:
    app_module = load_example()
    engine = ringback.Engine(REPO / "examples" / "python" / "policy.json")
    app = app_module.create_app(engine, app_module.LOCATION_MAP, clock=lambda: ARRIVED)
    return TestClient(app)


def test_example_module_builds_its_app() -> None:
    module = load_example()
    assert module.app.title == "ringback CallRail webhook"


def test_missed_call_webhook_returns_the_decision(client: Any) -> None:
    body = (FIXTURES / "vendors" / "callrail-post-call-missed-reconstructed.json").read_bytes()
    response = client.post("/webhooks/callrail", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["event_id"] == "766970532"
    assert decision["policy_version"] == "example-2026-11"
    assert decision["category"] == "ring_no_answer"
    assert decision["caller"]["e164"] == "+12148654559"
    assert decision["record"]["action"] == "create_lead"
    assert decision["record"]["upsert_key"] == "phone:+12148654559"
    assert decision["record"]["interaction"]["location_id"] == "atl-01"
    assert decision["attribution"]["gclid"] == "EAIaIQobChMI-example-gclid"
    assert decision["status"] in ("follow_up", "deferred")
    assert decision["follow_up"], decision


def test_voicemail_webhook_is_a_voicemail(client: Any) -> None:
    body = (FIXTURES / "vendors" / "callrail-post-call-voicemail-verbatim.json").read_bytes()
    response = client.post("/webhooks/callrail", content=body)
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["category"] == "voicemail"
    assert decision["left_voicemail"] is True


def test_pre_call_webhook_is_not_decided(client: Any) -> None:
    payload = json.loads((FIXTURES / "vendors" / "callrail-post-call-missed-reconstructed.json").read_text())
    payload["duration"] = "0"
    response = client.post("/webhooks/callrail?kind=pre_call", content=json.dumps(payload))
    assert response.status_code == 200, response.text
    assert response.json()["ingested"] == "incomplete"


def test_unreadable_webhook_gets_a_coded_422(client: Any) -> None:
    response = client.post("/webhooks/callrail", content=b'{"answered": false, "call_type": "missed"')
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] in ringback.ERROR_CODES
    assert error["code"] != "internal"
    assert isinstance(error["path"], str) and error["message"]
