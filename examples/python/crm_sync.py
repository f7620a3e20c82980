"""Missed call -> Salesforce, HubSpot, Zoho CRM, Dynamics 365 or Pipedrive, the way an integrator wires it: search the CRM by the
caller's number, decide, write the decision (lead, activity, callback task) without ever
creating a duplicate. Copy `handle_missed_call` into your webhook handler.

    SALESFORCE_URL=https://yourorg.my.salesforce.com SALESFORCE_TOKEN=... \\
        python examples/python/crm_sync.py salesforce event.json
    python examples/python/crm_sync.py --self-test     # against the repository's CRM fake
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict

import requests

import ringback

HERE = Path(__file__).resolve().parent
ENGINE = ringback.Engine(HERE / "policy.json")


def handle_missed_call(event: Dict[str, Any], system: str, base_url: str, http: requests.Session) -> Dict[str, Any]:
    """One webhook: lookup -> decision -> sync. Safe to run again for a retried webhook."""
    crm = ringback.crm.snapshot(http, base_url, system, caller=event.get("caller_number") or "",
                                location=event["location_id"]) if event.get("caller_number") else {"contacts": []}
    decision = ENGINE.process(event, crm)
    outcome = ringback.crm.sync(decision, http, base_url, system)
    if outcome["state"] != "done":
        # Nothing written is lost and nothing is written twice: retry the whole call later.
        raise RuntimeError(f"CRM sync stopped: {outcome['failure']}")
    return {"status": decision["status"], "record": decision["record"]["action"], "written": outcome["written"]}


def session(token: str, system: str) -> requests.Session:
    s = requests.Session()
    # Zoho takes its own scheme; the others an OAuth bearer token.
    s.headers["Authorization"] = f"Zoho-oauthtoken {token}" if system == "zoho" else f"Bearer {token}"
    return s


def self_test() -> None:
    fake = Path(os.environ.get("RINGBACK_CRM_FAKE", HERE.parents[1] / "target" / "debug" / "crm-fake"))
    proc = subprocess.Popen([str(fake)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    base = proc.stdout.readline().strip().removeprefix("listening on ")
    try:
        event = {"event_id": "CAL-EX-1", "location_id": "atl-01", "occurred_at": "2026-11-24T10:15:00-05:00",
                 "caller_number": "(404) 555-0198", "disposition": "no_answer"}
        for system in ringback.crm.SYSTEMS:
            first = handle_missed_call(event, system, base, session("fake-token", system))
            retry = handle_missed_call(event, system, base, session("fake-token", system))
            assert first["record"] == "create_lead", first
            assert not any(w["created"] for w in retry["written"]), retry
            print(system, first["record"], len(first["written"]), "records written; the retry created none")
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


def main() -> None:
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    system, event_file = sys.argv[1], sys.argv[2]
    prefix = system.upper()
    base, token = os.environ[f"{prefix}_URL"], os.environ[f"{prefix}_TOKEN"]
    event = json.loads(Path(event_file).read_text())
    print(json.dumps(handle_missed_call(event, system, base, session(token, system)), indent=2))


if __name__ == "__main__":
    main()
