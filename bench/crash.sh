#!/usr/bin/env bash
# The crash harness, long: SIGKILLs a release `iep504 serve` IEP504_CRASH_KILLS times at seeded
# random moments while IEP504_CRASH_WRITERS threads POST case events, and checks after every
# restart that each acknowledged write is there exactly once (see crates/cli/tests/durability.rs).
# Prints one JSON summary per backend: kills survived, acknowledged writes, events/s while writing.
# PostgreSQL runs too when IEP504_TEST_DATABASE_URL is set (a fresh schema, dropped afterwards).
# Usage: IEP504_CRASH_KILLS=200 bench/crash.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
export IEP504_CRASH_KILLS=${IEP504_CRASH_KILLS:-200}
export IEP504_CRASH_WRITERS=${IEP504_CRASH_WRITERS:-4}
export IEP504_CRASH_SEED=${IEP504_CRASH_SEED:-504}
cargo build --release --bin iep504 --quiet
export IEP504_BIN="$target_dir/release/iep504"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test -p cli --test durability -- crash_ --test-threads=1 --nocapture >"$log" 2>&1 || status=$?
grep -oE 'crash-summary .*|test result.*|panicked.*|note: .*SKIPPED.*' "$log" || true
if [ "$status" -ne 0 ]; then tail -n 60 "$log"; fi
exit "$status"
