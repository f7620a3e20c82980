"""Shared paths and engines for the ringback Python test suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import ringback

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo"
CORPUS = REPO / "tests" / "corpus"
FIXTURES = Path(__file__).resolve().parents[2] / "tests"  # FIXTURES / "vendors": the shared vendor samples

#: The SPEC's minimal policy (section 3.3).
MINIMAL_POLICY: Dict[str, Any] = {
    "version": "2026-11-a",
    "locations": [
        {
            "id": "phx-01",
            "name": "Phoenix Camelback",
            "vertical": "home_services",
            "time_zone": "America/Phoenix",
            "country": "US",
            "state": "AZ",
            "phone": "+16025550100",
            "hours": {
                "mon": [["07:00", "18:00"]],
                "tue": [["07:00", "18:00"]],
                "wed": [["07:00", "18:00"]],
                "thu": [["07:00", "18:00"]],
                "fri": [["07:00", "18:00"]],
                "sat": [["08:00", "14:00"]],
            },
            "holidays": ["2026-11-26"],
            "avg_inquiry_value": 250,
            "currency": "USD",
            "on_call": True,
        }
    ],
}

#: A missed call at the minimal policy's location, during opening hours.
SMALL_EVENT: Dict[str, Any] = {
    "event_id": "CAL123",
    "location_id": "phx-01",
    "occurred_at": "2026-11-24T09:15:00-07:00",
    "caller_number": "(602) 555-0143",
    "disposition": "no_answer",
}


@pytest.fixture(scope="session")
def engine() -> ringback.Engine:
    return ringback.Engine(MINIMAL_POLICY)


@pytest.fixture(scope="session")
def demo_engine() -> ringback.Engine:
    return ringback.Engine(DEMO / "policy.json")


@pytest.fixture(scope="session")
def demo_lines() -> List[str]:
    return (DEMO / "events.jsonl").read_text().splitlines()


@pytest.fixture(scope="session")
def demo_events(demo_lines: List[str]) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in demo_lines]


@pytest.fixture(scope="session")
def demo_crm() -> Dict[str, Any]:
    crm: Dict[str, Any] = json.loads((DEMO / "crm.json").read_text())
    return crm
