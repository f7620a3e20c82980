"""The language-neutral corpus in tests/corpus/*.json, with the exact semantics of
core/tests/corpus.rs: `expect` is a partial decision (objects match on the keys given, arrays
element by element and in full length, scalars by JSON equality: 1 and 1.0 and true differ),
`expect_trace` entries must appear in the trace, `expect_error` gives the code (and the path
when given). Each case runs twice: as JSON text through `process_json`, and as Python objects
through `process`, which must give the same decision."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import ringback

from conftest import CORPUS

Case = Dict[str, Any]
CASES = sorted(CORPUS.glob("*.json"))
_MISSING = object()


def test_corpus_is_there() -> None:
    assert len(CASES) >= 30, f"corpus has only {len(CASES)} cases"


def _json_eq(e: Any, a: Any) -> bool:
    """serde_json::Value equality: numbers keep int/float apart, bools are not numbers."""
    if type(e) is not type(a):
        return False
    if isinstance(e, dict):
        return e.keys() == a.keys() and all(_json_eq(e[k], a[k]) for k in e)
    if isinstance(e, list):
        return len(e) == len(a) and all(_json_eq(x, y) for x, y in zip(e, a))
    return bool(e == a)


def _render(v: Any) -> str:
    return json.dumps(v, separators=(",", ":"))


def _trace_entry(t: Any) -> Any:
    """A trace entry as a dict: `"stage/rule=result"` (level `codes`) is read into its parts."""
    if not isinstance(t, str):
        return t
    stage, _, rest = t.partition("/") if "/" in t else ("", "", t)
    rule, _, result = rest.partition("=")
    return {"stage": stage, "rule": rule, "result": result}


def partial_match(expected: Any, actual: Any, path: str, errors: List[str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k, ev in expected.items():
            if k in actual:
                partial_match(ev, actual[k], f"{path}.{k}", errors)
            elif ev is None or ev is False or ev == []:
                pass  # an optional field is left out when null, false or empty
            else:
                errors.append(f"{path}.{k}: missing in decision")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            errors.append(
                f"{path}: expected {len(expected)} element(s), got {len(actual)}: {_render(actual)}"
            )
            return
        for i, (ev, av) in enumerate(zip(expected, actual)):
            partial_match(ev, av, f"{path}[{i}]", errors)
    elif not _json_eq(expected, actual):
        errors.append(f"{path}: expected {_render(expected)}, got {_render(actual)}")


def load_policy(case: Case) -> str:
    if "policy" not in case:
        raise AssertionError("case has no policy")
    policy = case["policy"]
    if isinstance(policy, str):
        return (CORPUS / "policies" / f"{policy}.json").read_text()
    return _render(policy)


def text_of(case: Case, obj_key: str, text_key: str) -> str:
    if isinstance(case.get(text_key), str):
        return str(case[text_key])
    value = case.get(obj_key)
    return "" if value is None else _render(value)


def check_outcome(case: Case, result: Any, error: Optional[ringback.RingbackError]) -> List[str]:
    want = case.get("expect_error")
    if want is not None:
        if error is None:
            return [f"expected error {_render(want)}, got decision {_render(result)}"]
        code = want.get("code") if isinstance(want.get("code"), str) else ""
        if error.code != code:
            return [f"expected error {code}, got {error}"]
        if isinstance(want.get("path"), str) and error.path != want["path"]:
            return [f"expected error path `{want['path']}`, got `{error.path}` ({error})"]
        return []
    if error is not None:
        return [f"unexpected error {error}"]
    if "expect" not in case:
        return ["case has neither expect nor expect_error"]
    errors: List[str] = []
    partial_match(case["expect"], result, "decision", errors)
    trace = [
        _trace_entry(t)
        for t in (result.get("trace") if isinstance(result.get("trace"), list) else [])
    ]
    wanted = case.get("expect_trace")
    for want_entry in wanted if isinstance(wanted, list) else []:
        def matches(t: Any) -> bool:
            for k in ("stage", "rule", "result"):
                w = want_entry.get(k, _MISSING)
                if w is not _MISSING and not (k in t and _json_eq(w, t[k])):
                    return False
            needle = want_entry.get("detail_contains")
            if isinstance(needle, str):
                detail = t.get("detail")
                return needle in (detail if isinstance(detail, str) else "")
            return True

        if not any(matches(t) for t in trace):
            errors.append(f"trace has no entry matching {_render(want_entry)}")
    return errors


def run_text(case: Case) -> Tuple[Any, Optional[ringback.RingbackError]]:
    try:
        engine = ringback.Engine(load_policy(case))
        out = engine.process_json(text_of(case, "event", "event_text"), text_of(case, "crm", "crm_text"))
        return json.loads(out), None
    except ringback.RingbackError as e:
        return None, e


def run_objects(case: Case) -> Tuple[Any, Optional[ringback.RingbackError]]:
    """The same case through dicts: the parsed policy, event and CRM where the case has
    them as objects (raw text cases go in as text)."""
    try:
        policy = case.get("policy")
        engine = ringback.Engine(json.loads(load_policy(case)) if isinstance(policy, str) else policy or {})
        event = case["event_text"] if isinstance(case.get("event_text"), str) else case.get("event", "")
        crm = case["crm_text"] if isinstance(case.get("crm_text"), str) else case.get("crm")
        return engine.process(event if event is not None else "", crm), None
    except ringback.RingbackError as e:
        return None, e


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    case = json.loads(path.read_text())
    result, error = run_text(case)
    errors = check_outcome(case, result, error)
    assert not errors, f"{path.name}:\n  " + "\n  ".join(errors)

    result2, error2 = run_objects(case)
    if error is None:
        assert error2 is None, f"dict path failed where text path passed: {error2}"
        assert result2 == result
    else:
        assert error2 is not None, f"dict path passed where text path failed with {error!r}"
        assert (error2.code, error2.path) == (error.code, error.path), f"{error2!r} vs {error!r}"
