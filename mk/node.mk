# Node.js package `ringback` (bindings-node/, napi-rs): `make test-node`.
# npm ci from the committed lockfile, release build of the addon, drift checks of the
# generated typings (index.d.ts/index.js from napi-rs, types.d.ts from schema/), the
# node --test suites and the example webhook server.

NODE_DIR := bindings-node
NODE_OUT := target/node-build

.PHONY: test-node node-deps node-build node-types-check node-test node-example node-bench

node-deps:
	cd $(NODE_DIR) && npm ci --no-audit --no-fund

# napi-rs writes the addon, index.js and index.d.ts into a scratch dir; the committed
# loader and typings must be exactly what it generated.
node-build: node-deps
	rm -rf $(NODE_OUT)
	cd $(NODE_DIR) && npx napi build --platform --release --output-dir ../$(NODE_OUT)
	diff -u $(NODE_DIR)/index.d.ts $(NODE_OUT)/index.d.ts || { echo "bindings-node/index.d.ts is stale: copy $(NODE_OUT)/index.d.ts"; exit 1; }
	diff -u $(NODE_DIR)/index.js $(NODE_OUT)/index.js || { echo "bindings-node/index.js is stale: copy $(NODE_OUT)/index.js"; exit 1; }
	cp $(NODE_OUT)/*.node $(NODE_DIR)/

node-types-check: node-deps
	cd $(NODE_DIR) && node scripts/gen-types.js --check

node-test: node-build node-types-check
	$(CARGO) build --quiet -p ringback-crm-fake
	cd $(NODE_DIR) && node --expose-gc --test test/

node-example: node-build
	node examples/node/server.js --self-test
	$(CARGO) build --quiet -p ringback-crm-fake
	node examples/node/crm_sync.js --self-test

test-node: node-test node-example

# Not part of `make test`: prints µs/call side by side with libphonenumber-js.
node-bench: node-build
	node benches/node_bench.js

EXTRA_TESTS += test-node
