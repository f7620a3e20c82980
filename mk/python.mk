# The Python package `ringback` (bindings-python/, issue 8): built with maturin into the
# repo's .venv, its stubs checked with mypy.stubtest, its pytest suite run (shared corpus,
# every error class, 8 threads, a 1,000,000-call RSS check, the FastAPI webhook example),
# and the side-by-side benchmark run once on a slice of the demo week as a smoke test.
# `make bench-python` runs the full benchmark.

PY_PKG  := bindings-python
# Pinned; phonenumbers matches the version nanp-check pins (both share .venv).
PY_REQS := maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 fastapi==0.163.2 httpx2==2.16.2 \
           phonenumbers==9.0.33 requests==2.34.2 types-requests==2.33.0.20261030
PY_VENV := $(abspath $(VENV))

.PHONY: test-python python-deps python-develop python-typecheck bench-python

python-deps: $(VPY)
	$(VPY) -m pip install --quiet $(PY_REQS)

# Builds the abi3 extension (release profile) and installs the package in .venv (editable).
python-develop: python-deps
	cd $(PY_PKG) && VIRTUAL_ENV=$(PY_VENV) PATH="$(PY_VENV)/bin:$$PATH" \
		$(PY_VENV)/bin/maturin develop --release --quiet

# The stubs match the built module (stubtest), and the package, the tests and the example
# type-check against them (run from bindings-python/ so mypy's cache stays there, ignored).
python-typecheck: python-develop
	cd $(PY_PKG) && $(PY_VENV)/bin/python -m mypy.stubtest ringback
	cd $(PY_PKG) && $(PY_VENV)/bin/python -m mypy --strict python/ringback tests ../examples/python ../benches/python_bench.py

test-python: python-typecheck
	$(CARGO) build --quiet -p ringback-crm-fake
	$(VPY) -m pytest $(PY_PKG)/tests -q -p no:cacheprovider
	$(VPY) benches/python_bench.py --quick

bench-python: python-develop
	$(VPY) benches/python_bench.py

EXTRA_TESTS += test-python
