#!/usr/bin/env bash
# Growth curve of the search on generated lycées: for each size and seed, time to the
# first valid timetable and the final soft cost, one thread, fixed time limit.
# Usage: benches/scaling.sh [TIME_LIMIT] [SIZES...]     (default: 10s 10 20 40 80)
# Prints a Markdown table; the per-run JSON lines go to out/scaling/.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-10s}; shift || true
sizes=${*:-10 20 40 80}
seeds="1 2 3 4 5"
cargo build --release -q -p creneau-cli
bin=./target/release/creneau
mkdir -p out/scaling
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }
echo "| classes | sessions | valid runs | median time to valid (s) | worst time to valid (s) | median final soft cost |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $sizes; do
  school=out/scaling/lycee-$n.json
  $bin generate --classes "$n" --seed 1 -o "$school"
  sessions=$($bin check "$school" | sed -E 's/.* ([0-9]+) sessions.*/\1/')
  : > out/scaling/runs-$n.jsonl
  for s in $seeds; do
    $bin solve "$school" --time-limit "$limit" --threads 1 --seed "$s" --progress json 2>/dev/null | tail -n 1 >> out/scaling/runs-$n.jsonl
  done
  valid=$(grep -c '"valid":true' out/scaling/runs-$n.jsonl || true)
  ttv=$(python3 -c 'import json,sys; [print(json.loads(l)["time_to_valid"] or "inf") for l in open(sys.argv[1])]' out/scaling/runs-$n.jsonl)
  soft=$(python3 -c 'import json,sys; [print(json.loads(l)["soft"]) for l in open(sys.argv[1])]' out/scaling/runs-$n.jsonl)
  printf "| %s | %s | %s/5 | %.3f | %.3f | %s |\n" "$n" "$sessions" "$valid" "$(echo "$ttv" | median)" "$(echo "$ttv" | sort -g | tail -n1)" "$(echo "$soft" | median)"
done
