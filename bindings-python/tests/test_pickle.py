"""Python objects that travel (issue 18): an `Engine` pickles as its policy text and comes
back through `Engine.cached`, deciding byte for byte as before, in this process and in a
fresh one; every other exported class refuses with a message that says what to do."""

from __future__ import annotations

import copy
import inspect
import json
import multiprocessing
import pickle
from typing import Any, Callable, Dict, List

import pytest

import ringback
from ringback import _ringback

from conftest import DEMO, MINIMAL_POLICY, SMALL_EVENT


def decide_in_child(args: tuple[bytes, List[str], str]) -> List[str]:
    """Runs in a spawned process: unpickles the engine and decides."""
    blob, lines, crm = args
    engine = pickle.loads(blob)
    return [engine.process_json(line, crm) for line in lines]


def test_an_engine_pickles_and_decides_byte_for_byte(demo_lines: List[str]) -> None:
    engine = ringback.Engine(DEMO / "policy.json")
    crm = (DEMO / "crm.json").read_text()
    lines = demo_lines[:60]
    want = [engine.process_json(line, crm) for line in lines]
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(engine, protocol=protocol))
        assert isinstance(back, ringback.Engine)
        assert back.policy_version == engine.policy_version
        assert [back.process_json(line, crm) for line in lines] == want
    assert [copy.deepcopy(engine).process_json(line, crm) for line in lines] == want
    # A fresh interpreter (what Spark, Dask and Ray workers are) decides the same.
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        assert pool.map(decide_in_child, [(pickle.dumps(engine), lines, crm)]) == [want]


def test_engines_from_any_policy_form_pickle() -> None:
    toml = (
        'version = "2026-11-a"\n[[locations]]\nid = "phx-01"\nname = "Phoenix Camelback"\n'
        'vertical = "home_services"\ntime_zone = "America/Phoenix"\ncountry = "US"\nstate = "AZ"\n'
    )
    for policy in (MINIMAL_POLICY, json.dumps(MINIMAL_POLICY), toml, toml.encode()):
        engine = ringback.Engine(policy)
        back = pickle.loads(pickle.dumps(engine))
        assert back.process_json(json.dumps(SMALL_EVENT)) == engine.process_json(json.dumps(SMALL_EVENT))


def test_cached_engines_compile_once_and_share_an_index(demo_lines: List[str]) -> None:
    text = (DEMO / "policy.json").read_text()
    a = ringback.Engine.cached(text)
    b = ringback.Engine.cached(text)
    index = ringback.CrmIndex(a, json.loads((DEMO / "crm.json").read_text()))
    # The index is for the compiled policy both share: b takes it (another Engine would not).
    assert [b.process_json(line, index) for line in demo_lines[:20]] == [
        a.process_json(line, index) for line in demo_lines[:20]
    ]
    with pytest.raises(ringback.InvalidCrmError):
        ringback.Engine(text).process_json(demo_lines[0], index)
    # Unpickling goes through the cache too.
    c = pickle.loads(pickle.dumps(a))
    assert c.process_json(demo_lines[0], index) == a.process_json(demo_lines[0], index)
    with pytest.raises(ringback.InvalidPolicyError):
        ringback.Engine.cached('{"version": 3}')


def test_every_exported_class_pickles_or_says_why_not() -> None:
    engine = ringback.Engine(MINIMAL_POLICY)
    decision = engine.process(SMALL_EVENT)
    factories: Dict[str, Callable[[], Any]] = {
        "Engine": lambda: engine,
        "CrmIndex": lambda: ringback.CrmIndex(engine, []),
        "Replayer": lambda: ringback.Replayer(engine),
        "Plan": lambda: ringback.Plan(engine, [], 4),
        "_CrmLookup": lambda: _ringback._crm_lookup("salesforce", "+16025550143", "phx-01"),
        "_CrmSync": lambda: _ringback._CrmSync("hubspot", decision),
        "_TwilioSend": lambda: _ringback._TwilioSend(
            decision, {"account_sid": "AC" + "0" * 32, "from": "+16025550100"}, "2026-11-24T16:20:00Z"
        ),
    }
    exported = {
        name for name, obj in inspect.getmembers(_ringback, inspect.isclass)
        if not issubclass(obj, BaseException)
    }
    assert exported == set(factories), "a new class needs a pickling decision and a line here"
    for name, make in factories.items():
        obj = make()
        if name == "Engine":
            assert type(pickle.loads(pickle.dumps(obj))) is ringback.Engine
            continue
        with pytest.raises(TypeError, match=r"cannot be pickled: .+; .+") as e:
            pickle.dumps(obj)
        assert "ringback." in str(e.value)
    # The Python wrappers carry the native object: they refuse with the same words.
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(ringback.crm.Sync("hubspot", decision))


def test_threads_asking_for_the_same_policy_share_one_compiled_engine() -> None:
    import threading

    policy = dict(MINIMAL_POLICY, version="cached-race-1")
    text = json.dumps(policy)
    engines: List[ringback.Engine] = []
    start = threading.Barrier(4)

    def get() -> None:
        start.wait()
        engines.append(ringback.Engine.cached(text))

    threads = [threading.Thread(target=get) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(engines) == 4
    index = ringback.CrmIndex(engines[0], [])
    event = json.dumps(SMALL_EVENT)
    # One compiled policy: the index built with the first serves every one of them.
    assert {e.process_json(event, index) for e in engines} == {engines[0].process_json(event, index)}
