"""Side-by-side cost per call, in one run, on the demo week (demo/events.jsonl, demo/policy.json,
demo/crm.json held in a ringback.CrmIndex):

- ``Engine.process_json(str) -> str``: a whole ringback decision from JSON text;
- ``Engine.process(dict) -> dict``: the same decision from and to Python dicts;
- ``phonenumbers.parse`` + ``is_valid_number`` + ``format_number(E164)`` on the same events'
  caller numbers: the first step a Python integrator would otherwise write by hand.

The same rows on a one-location day (phx-01, Tuesday 2026-11-24: 12 calls), the CRM passed as
a dict on every call (the location's contacts and those on the day's numbers, with the
suppression lists), as a webhook handler does.

Also the boundary conversions that chose the implementation (Python values <-> JSON text in
Rust vs ``json.dumps``/``json.loads``) and ``process_many`` throughput.

Usage: ``python benches/python_bench.py [--rounds N] [--quick]``. Each figure is the best
round, in microseconds of the calling thread's CPU time per call (``process_many``, which
uses two threads: CPU time of the process, and wall time, per event).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import phonenumbers

import ringback
from ringback import _ringback

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "demo"
DAY_LOCATION, DAY_DATE = "phx-01", "2026-11-24"


def digits(number: Any) -> str:
    """The last ten digits of a number as typed (or of a `{number, type}` phone)."""
    if isinstance(number, dict):
        number = number.get("number")
    return "".join(ch for ch in str(number or "") if ch.isdigit())[-10:]


def one_day(events: List[Dict[str, Any]], crm: Dict[str, Any]) -> tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """The day's events at one location, and the CRM an integrator would pass with each:
    the location's contacts and every contact on one of the day's numbers."""
    day = [e for e in events if e["location_id"] == DAY_LOCATION and e["occurred_at"].startswith(DAY_DATE)]
    callers = {digits(e.get("caller_number")) for e in day}
    contacts = [
        c for c in crm["contacts"]
        if c.get("location_id") == DAY_LOCATION or any(digits(p) in callers for p in c["phones"])
    ]
    return day, {"contacts": contacts, "suppressions": crm["suppressions"]}


def per_call(fn: Callable[[Any], Any], items: List[Any]) -> float:
    """CPU seconds of this thread per call of ``fn`` over ``items`` (CPU time, not wall
    time, so that other processes on a shared machine disturb the figure less)."""
    started = time.thread_time()
    for item in items:
        fn(item)
    return (time.thread_time() - started) / len(items)


def phone_step(regions: Dict[str, str]) -> Callable[[Dict[str, Any]], Optional[str]]:
    def step(event: Dict[str, Any]) -> Optional[str]:
        raw = event.get("caller_number")
        if not raw:
            return None
        try:
            number = phonenumbers.parse(raw, regions.get(event["location_id"], "US"))
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    return step


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="one short round (a smoke test)")
    args = parser.parse_args(argv)

    policy = json.loads((DEMO / "policy.json").read_text())
    regions = {loc["id"]: loc.get("country", "US") for loc in policy.get("locations", [])}
    lines = (DEMO / "events.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    engine = ringback.Engine(policy)
    crm_all = json.loads((DEMO / "crm.json").read_text())
    index = ringback.CrmIndex(engine, crm_all)
    day, day_crm = one_day(events, crm_all)
    day_lines = [json.dumps(e) for e in day]
    day_crm_text = json.dumps(day_crm)
    assert len(day) == 12, len(day)
    if args.quick:
        lines, events, rounds = lines[:50], events[:50], 1
    else:
        rounds = max(1, args.rounds)

    decisions_text = [engine.process_json(line, index) for line in lines]
    decisions = [json.loads(t) for t in decisions_text]
    # The three paths agree before anything is timed.
    assert [engine.process(e, index) for e in events] == decisions
    assert engine.process_many(events, index) == decisions
    step = phone_step(regions)
    e164 = [step(e) for e in events]
    assert sum(1 for x in e164 if x) > len(events) // 2

    cases: Dict[str, Callable[[], float]] = {
        "day: Engine.process (dict, CRM dict)": lambda: per_call(lambda e: engine.process(e, day_crm), day * 20),
        "day: Engine.process_json (str, CRM str)": lambda: per_call(
            lambda s: engine.process_json(s, day_crm_text), day_lines * 20
        ),
        "day: phonenumbers parse+is_valid+format": lambda: per_call(step, day * 20),
        "Engine.process_json (str -> str)": lambda: per_call(lambda s: engine.process_json(s, index), lines),
        "Engine.process (dict -> dict)": lambda: per_call(lambda e: engine.process(e, index), events),
        "phonenumbers parse+is_valid+format": lambda: per_call(step, events),
        "  json.dumps(event)": lambda: per_call(json.dumps, events),
        "  Rust dict -> JSON (_to_json)": lambda: per_call(_ringback._to_json, events),
        "  json.loads(decision)": lambda: per_call(json.loads, decisions_text),
        "  Rust JSON -> dict (_from_json)": lambda: per_call(_ringback._from_json, decisions_text),
        "  json.loads(process_json(json.dumps(e)))": lambda: per_call(
            lambda e: json.loads(engine.process_json(json.dumps(e), index)), events
        ),
        "Engine.process_many, CPU per event (2 threads)": lambda: engine_many(engine, events, index, time.process_time),
        "Engine.process_many, wall time per event": lambda: engine_many(engine, events, index, time.perf_counter),
        "Engine.process_many threads=1, wall time per event": lambda: engine_many(
            engine, events, index, time.perf_counter, threads=1
        ),
    }
    best = {name: float("inf") for name in cases}
    for _ in range(rounds):
        for name, run in cases.items():
            best[name] = min(best[name], run())

    print(f"ringback {ringback.__version__}, Python {sys.version.split()[0]}, {len(events)} demo events, "
          f"avg event {sum(map(len, lines)) // len(lines)} B, avg decision "
          f"{sum(map(len, decisions_text)) // len(decisions_text)} B, best of {rounds} round(s)")
    for name, seconds in best.items():
        print(f"{name:45s} {seconds * 1e6:9.2f} us/call")
    phone = best["phonenumbers parse+is_valid+format"]
    for name in ("Engine.process_json (str -> str)", "Engine.process (dict -> dict)"):
        ratio = best[name] / phone
        verdict = "cheaper" if ratio < 1 else "dearer"
        print(f"{name} / phone step = {ratio:.2f} ({verdict} than the phone step alone)")
    day_phone = best["day: phonenumbers parse+is_valid+format"]
    for name in ("day: Engine.process (dict, CRM dict)", "day: Engine.process_json (str, CRM str)"):
        print(f"{name} / phone step = {best[name] / day_phone:.2f}")
    scaling = best["Engine.process_many threads=1, wall time per event"] / best["Engine.process_many, wall time per event"]
    print(f"process_many 2 threads vs 1 (wall) = {scaling:.2f}x")
    return 0


def engine_many(
    engine: ringback.Engine,
    events: List[Dict[str, Any]],
    index: ringback.CrmIndex,
    clock: Callable[[], float],
    threads: int = 2,
) -> float:
    """Per event of one ``process_many`` call: process CPU time (both threads) or wall time."""
    started = clock()
    engine.process_many(events, index, threads=threads)
    return (clock() - started) / len(events)


if __name__ == "__main__":
    sys.exit(main())
