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
cli-demo:
	$(CARGO) run --quiet --release -p ringback-cli -- replay --policy $(DEMO)/policy.json --crm $(DEMO)/crm.json $(DEMO)/events.jsonl > target/demo-replay.txt
	tail -n 12 target/demo-replay.txt

demo:
	$(CARGO) run --release -p ringback-cli -- replay --policy $(DEMO)/policy.json --crm $(DEMO)/crm.json $(DEMO)/events.jsonl

schema:
	$(CARGO) run --quiet -p ringback-cli -- schema --out schema

bench:
	$(CARGO) bench -p ringback --bench process

clean:
	$(CARGO) clean
	rm -rf $(VENV)
