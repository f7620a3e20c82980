#!/usr/bin/env bash
# Instruction counts (callgrind) of the decision vs the JSON floor over the demo week: a
# load-independent companion to the criterion timings. Prints the ratios: typed decision vs
# (parse event + serialize decision), and process_json vs (event JSON -> serde_json::Value ->
# JSON), the floor issue 17 measures against.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p ringback --example bench_work
bin=target/release/examples/bench_work
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" 2>&1 \
    | sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
base=$(count setup)
process=$(( $(count process) - base ))
floor=$(( $(count floor) - base ))
json=$(( $(count json) - base ))
value=$(( $(count value) - base ))
echo "instructions for 3 × demo week: decision ${process}, JSON floor ${floor}, process_json ${json}, event Value parse+serialize ${value}"
awk -v p="$process" -v f="$floor" 'BEGIN { printf "decision / JSON floor = %.2f\n", p / f }'
awk -v j="$json" -v v="$value" 'BEGIN { printf "process_json / event Value parse+serialize = %.2f (issue 17 target: <= 2.5)\n", j / v }'
