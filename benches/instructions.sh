#!/usr/bin/env bash
# Instruction counts (callgrind) of the decision vs the JSON floor over the demo week: a
# load-independent companion to the criterion timings. Prints the ratio.
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
echo "instructions for 3 × demo week: decision ${process}, JSON floor ${floor}"
awk -v p="$process" -v f="$floor" 'BEGIN { printf "decision / JSON floor = %.2f\n", p / f }'
