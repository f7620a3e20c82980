"""8 Python threads call `process` at once on one shared Engine and CrmIndex; every
result must equal the single-threaded decision."""

from __future__ import annotations

import json
import threading
from typing import Any, Dict, List

import ringback

THREADS = 8


def test_eight_threads_share_one_engine(
    demo_engine: ringback.Engine, demo_events: List[Dict[str, Any]], demo_lines: List[str], demo_crm: Dict[str, Any]
) -> None:
    index = ringback.CrmIndex(demo_engine, demo_crm)
    expected = [demo_engine.process(e, index) for e in demo_events]
    expected_text = [demo_engine.process_json(line, index) for line in demo_lines]
    assert [json.loads(t) for t in expected_text] == expected

    start = threading.Barrier(THREADS)
    results: List[Any] = [None] * THREADS
    failures: List[BaseException] = []

    def work(n: int) -> None:
        try:
            start.wait()
            # Each thread walks the week from a different offset, half of them as text.
            order = list(range(len(demo_events)))
            order = order[n * 37 % len(order):] + order[: n * 37 % len(order)]
            out: Dict[int, Any] = {}
            for _round in range(2):
                for i in order:
                    if n % 2:
                        out[i] = demo_engine.process_json(demo_lines[i], index)
                    else:
                        out[i] = demo_engine.process(demo_events[i], index)
            results[n] = out
        except BaseException as e:  # noqa: BLE001 - reported below
            failures.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    for n, out in enumerate(results):
        assert out is not None and len(out) == len(demo_events)
        for i, got in out.items():
            if n % 2:
                assert got == expected_text[i], (n, i)
            else:
                assert got == expected[i], (n, i)


def test_threads_share_errors_cleanly(engine: ringback.Engine) -> None:
    """Errors raised concurrently carry their own code and path."""
    from conftest import SMALL_EVENT

    bad = [dict(SMALL_EVENT, location_id=f"nowhere-{n}") for n in range(THREADS)]
    seen: List[Any] = [None] * THREADS
    start = threading.Barrier(THREADS)

    def work(n: int) -> None:
        start.wait()
        for _ in range(200):
            try:
                engine.process(bad[n])
            except ringback.UnknownLocationError as e:
                seen[n] = (e.code, e.path, f"nowhere-{n}" in e.message)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [("unknown_location", "location_id", True)] * THREADS
