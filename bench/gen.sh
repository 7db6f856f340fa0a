#!/usr/bin/env bash
# Times `iep504 gen` (release build) on SQLite: wall time and peak RSS from /usr/bin/time -v, and
# the database size per 100,000 students. Prints one Markdown table row per size.
# Usage: bench/gen.sh [STUDENTS...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release -p cli --quiet
bin="$target_dir/release/iep504"
if [ "$#" -eq 0 ]; then set -- 100000 1000000; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| students | wall | peak RSS | database | per 100,000 students | events | users |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in "$@"; do
  db="$work/gen-$n.sqlite"
  /usr/bin/time -v "$bin" --db "$db" gen --students "$n" --seed 504 --anchor 2026-11-02 \
    >"$work/summary.json" 2>"$work/time.txt"
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  rss_kib=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  bytes=0
  for f in "$db" "$db-wal"; do
    if [ -f "$f" ]; then bytes=$((bytes + $(stat -c %s "$f"))); fi
  done
  events=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$work/summary.json")
  users=$(sed -n 's/.*"\(guardians\|staff\|student_accounts\)": \([0-9]*\).*/\2/p' "$work/summary.json" \
    | paste -sd+ | bc)
  awk -v n="$n" -v wall="$wall" -v rss="$rss_kib" -v bytes="$bytes" -v events="$events" -v users="$users" \
    'BEGIN { printf "| %d | %s | %.0f MiB | %.0f MiB | %.1f MiB | %d | %d |\n",
             n, wall, rss / 1024, bytes / 1048576, bytes / 1048576 * 100000 / n, events, users }'
  rm -f "$db" "$db-wal" "$db-shm"
done
