"""Partitioning (issue 18): `ringback.bucket` is FNV-1a-64 of the UTF-8 key modulo the
bucket count (checked against a Python implementation of the published function), and the
demo week replayed bucket by bucket through `Plan` decides byte for byte as one replay."""

from __future__ import annotations

import json
import multiprocessing
from typing import Any, Dict, List, Tuple

import ringback

from conftest import DEMO


def fnv1a64(key: str) -> int:
    h = 0xCBF29CE484222325
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) % (1 << 64)
    return h


def test_bucket_is_the_documented_function() -> None:
    assert fnv1a64("a") == 0xAF63DC4C8601EC8C
    keys = ["", "a", "+16025550143", "CAL-8154", "Ünïcode", "x" * 300]
    for key in keys:
        for n in (1, 7, 64, 1000):
            assert ringback.bucket(key, n) == fnv1a64(key) % n
    assert ringback.bucket("a", 0) == 0


def replay_lines(engine: ringback.Engine, crm: Any, lines: List[str]) -> List[str]:
    return ringback.Replayer(engine, crm).replay_jsonl("\n".join(lines)).splitlines()


def replay_part(args: Tuple[ringback.Engine, Dict[str, Any], List[str]]) -> List[str]:
    """A worker process's task: the engine arrives pickled, with its bucket's contacts."""
    engine, part, lines = args
    return replay_lines(engine, part, lines)


def test_buckets_replayed_in_worker_processes_equal_one_replay(
    demo_lines: List[str], demo_crm: Dict[str, Any]
) -> None:
    engine = ringback.Engine(DEMO / "policy.json")
    whole = sorted(replay_lines(engine, demo_crm, demo_lines))
    plan = ringback.Plan(engine, demo_crm, 7)
    parts = plan.split()
    tasks: List[Tuple[ringback.Engine, Dict[str, Any], List[str]]] = [(engine, part, []) for part in parts]
    for line in demo_lines:
        tasks[plan.event_bucket(line)][2].append(line)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        out = pool.map(replay_part, tasks)
    assert sorted(d for part in out for d in part) == whole


def test_bucket_by_bucket_replays_as_one(demo_lines: List[str], demo_crm: Dict[str, Any]) -> None:
    engine = ringback.Engine(DEMO / "policy.json")
    whole = sorted(replay_lines(engine, demo_crm, demo_lines))
    for buckets in (1, 7, 64):
        plan = ringback.Plan(engine, demo_crm, buckets)
        assert plan.buckets == buckets
        parts = plan.split()
        assert sum(len(p["contacts"]) for p in parts) == len(demo_crm["contacts"])
        assert all(p["suppressions"] == parts[0]["suppressions"] for p in parts)
        by_bucket: List[List[str]] = [[] for _ in parts]
        for line in demo_lines:
            by_bucket[plan.event_bucket(line)].append(line)
        sharded = [d for part, ls in zip(parts, by_bucket) for d in replay_lines(engine, part, ls)]
        assert sorted(sharded) == whole, f"{buckets} buckets"
    plan = ringback.Plan(engine, demo_crm, 64)
    contact_buckets = plan.contact_buckets()
    assert len(contact_buckets) == len(demo_crm["contacts"])
    phones = dict(plan.phones())
    assert len(phones) >= len(demo_crm["contacts"])
    # An event as a dict buckets as its JSON text does.
    event = json.loads(demo_lines[0])
    assert plan.event_bucket(event) == plan.event_bucket(demo_lines[0])
