"""A 1,000,000-call loop over the binding's entry points (text and dict conversions, a
CrmIndex, ticks, and raised errors) whose resident memory does not grow after warm-up."""

from __future__ import annotations

import gc
import json
import os
import time
from datetime import datetime, timezone
from typing import Any, Callable, List, Tuple

import ringback

from conftest import SMALL_EVENT

TOTAL_CALLS = 1_000_000
WARM_UP_CALLS = 100_000
#: A leak of 8 bytes per call would grow RSS by ~7 MiB over the measured 900,000 calls.
TOLERANCE_BYTES = 4 * 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def test_a_million_calls_do_not_grow_rss(engine: ringback.Engine) -> None:
    answered = dict(SMALL_EVENT, disposition="answered")
    answered_text = json.dumps(answered)
    answered_dict = dict(answered, occurred_at=datetime(2026, 11, 24, 16, 15, tzinfo=timezone.utc))
    contacts = [{"id": "c1", "kind": "customer", "phones": ["602-555-0143"], "location_id": "phx-01"}]
    index = ringback.CrmIndex(engine, contacts)
    missed_text = json.dumps(SMALL_EVENT)
    followup = {"id": "f1", "created_at": "2026-11-24T09:15:00-07:00", "due_at": "2026-11-24T09:45:00-07:00", "location_id": "phx-01"}
    now = datetime(2026, 11, 24, 17, 0, tzinfo=timezone.utc)
    unknown = dict(SMALL_EVENT, location_id="nowhere")

    def raise_and_catch() -> None:
        try:
            engine.process(unknown)
        except ringback.UnknownLocationError as e:
            assert e.path == "location_id"
        else:
            raise AssertionError("no error raised")

    # One round = 10 calls.
    calls: List[Tuple[Callable[..., Any], Tuple[Any, ...]]] = [
        (engine.process_json, (answered_text,)),
        (engine.process_json, (answered_text,)),
        (engine.process_json, (answered_text, index)),
        (engine.process_json, (answered_text,)),
        (engine.process_json, (answered_text, index)),
        (engine.process_json, (answered_text,)),
        (engine.process, (answered_dict, contacts)),
        (engine.tick, (followup, now)),
        (engine.process_json, (missed_text, index)),
        (raise_and_catch, ()),
    ]
    first = [f(*args) for f, args in calls]
    assert json.loads(first[0])["status"] == "not_missed"
    assert first[6]["status"] == "not_missed"
    assert first[7]["action"] == "escalate"
    assert json.loads(first[8])["record"]["contact_id"] == "c1"

    def run(rounds: int) -> None:
        for _ in range(rounds):
            for f, args in calls:
                f(*args)

    started = time.perf_counter()
    run(WARM_UP_CALLS // len(calls))
    gc.collect()
    before = rss_bytes()
    run((TOTAL_CALLS - WARM_UP_CALLS) // len(calls))
    gc.collect()
    after = rss_bytes()
    elapsed = time.perf_counter() - started
    print(f"\n1,000,000 calls in {elapsed:.1f} s; RSS {before / 2**20:.1f} MiB -> {after / 2**20:.1f} MiB")
    assert after - before < TOLERANCE_BYTES, (before, after)
