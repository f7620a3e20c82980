# ringback — build and test everything with one command: `make test`.
# Installs what it needs by name from the registries (Python packages into ./.venv).

CARGO  ?= cargo
PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
DEMO   := demo

.PHONY: test lint rust-test examples nanp-check demo-check cli-demo demo bench schema clean

# Binding suites (C, Python, Node) each add their target to EXTRA_TESTS in mk/*.mk.
EXTRA_TESTS :=
.DEFAULT_GOAL := test
-include mk/*.mk

test: lint rust-test examples nanp-check demo-check cli-demo $(EXTRA_TESTS)
	@echo "make test: all checks passed"

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test:
	$(CARGO) test

# Every example runs (the Rust one prints three decisions).
examples:
	$(CARGO) run --quiet -p ringback --example decide

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip

# The NANP area-code table is generated from libphonenumber metadata; fail on drift.
nanp-check: $(VPY)
	$(VPY) -m pip install --quiet phonenumbers==9.0.33
	$(VPY) scripts/gen_nanp.py --check core/data/nanp_area_codes.csv

# The committed demo week is what the generator produces; fail on drift.
demo-check:
	rm -rf target/demo-check
	$(CARGO) run --quiet -p ringback-cli -- gen-demo --out target/demo-check
	diff -r $(DEMO) target/demo-check

# The README's first command, on the demo week (output kept in target/ for inspection).
# Also the README's HTML report and what-if commands.
cli-demo:
	$(CARGO) run --quiet --release -p ringback-cli -- replay --policy $(DEMO)/policy.json --crm $(DEMO)/crm.json --outcomes $(DEMO)/outcomes.jsonl $(DEMO)/events.jsonl > target/demo-replay.txt
	grep -A 14 '^RECOVERY REPORT' target/demo-replay.txt
	$(CARGO) run --quiet --release -p ringback-cli -- replay --policy $(DEMO)/policy.json --crm $(DEMO)/crm.json --outcomes $(DEMO)/outcomes.jsonl --format quiet --report html --out target/recovery-report.html $(DEMO)/events.jsonl
	grep -q '<svg' target/recovery-report.html
	$(CARGO) run --quiet --release -p ringback-cli -- compare --policy $(DEMO)/policy.json --policy $(DEMO)/policy-sla10.json --crm $(DEMO)/crm.json --outcomes $(DEMO)/outcomes.jsonl $(DEMO)/events.jsonl > target/demo-compare.txt
	head -n 20 target/demo-compare.txt

demo:
	$(CARGO) run --release -p ringback-cli -- replay --policy $(DEMO)/policy.json --crm $(DEMO)/crm.json --outcomes $(DEMO)/outcomes.jsonl $(DEMO)/events.jsonl

schema:
	$(CARGO) run --quiet -p ringback-cli -- schema --out schema

# Every row of issue 17's table side by side with its reference step, each measured in
# one run: Rust (criterion: typed, process_json, the serde_json Value floor, trace levels,
# CRM syncs), instruction counts (callgrind, load-independent), Python against
# phonenumbers, Node against libphonenumber-js. Timings are printed, never asserted.
bench: python-develop node-build
	$(CARGO) bench -p ringback --bench process
	bash benches/instructions.sh
	$(VPY) benches/python_bench.py
	node benches/node_bench.js

clean:
	$(CARGO) clean
	rm -rf $(VENV)
