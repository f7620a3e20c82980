"""The Python code blocks of bindings-python/README.md and of the repository README run as
written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import List

import pytest

READMES = [
    Path(__file__).resolve().parents[1] / "README.md",
    Path(__file__).resolve().parents[2] / "README.md",
]


def blocks() -> List[str]:
    return [
        b
        for readme in READMES
        for b in re.findall(r"```python\n(.*?)```", readme.read_text(), flags=re.S)
    ]


def test_readme_has_examples() -> None:
    assert len(blocks()) >= 2


@pytest.mark.parametrize("n", range(len(blocks())))
def test_readme_block_runs(n: int) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks()[n], f"README.md block {n}", "exec"), {"__name__": "__readme__"})
    if "print(" in blocks()[n]:
        assert out.getvalue().strip()
