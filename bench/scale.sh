#!/usr/bin/env bash
# End-to-end cost of a large Users tab: the release binary in tmux at 120x40 against the
# emulator (its own process, so its CPU is not counted), the PostgreSQL database of the demo's
# shop-prod seeded with N users. Each latency is the time from sending the keys to the first
# `tmux capture-pane` that shows their effect (the selected row, or the filter's count), polled
# without pause; CPU is dbdeck's own (utime + stime, in 10 ms ticks).
# Targets (issue 10): 200 queued j at 100k in under 100 ms, peak RSS under 48 MiB, a pending
# request under 5% of a core.
# Usage: bench/scale.sh [users...]   (default: 1000 100000; builds the release binary first
# unless DBDECK_BIN names one; needs tmux, curl and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 100000)
if [ -z "${DBDECK_BIN:-}" ]; then cargo build --release --quiet; fi
bin=$(realpath "${DBDECK_BIN:-${CARGO_TARGET_DIR:-target}/release/dbdeck}")
token=tk-us-demo-dbdeck-emulator-not-a-secret
addon=ad-0b9a3c1e-4d2f-4a6b-9c8d-7e6f5a4b3c21 # shop-prod's PostgreSQL in assets/demo.json
socket="dbdeck-bench-scale-$$"
hz=$(getconf CLK_TCK)
# shellcheck source=bench/lib.sh
. bench/lib.sh
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
cpu_s() { awk -v t="$1" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'; }
user() { printf 'user_%06d' "$1"; }

declare -A result
for n in "${counts[@]}"; do
  python3 - "$n" "$addon" >"$dir/seed.json" <<'PY'
import json, sys
n, addon = int(sys.argv[1]), sys.argv[2]
seed = json.load(open("assets/demo.json"))
for app in seed["apps"]:
    for a in app["addons"]:
        if a["id"] == addon:
            a["database"]["users"] = [
                {"name": f"user_{i:06d}", "read_only": i % 3 == 0, "protected": i == 0} for i in range(n)
            ]
json.dump(seed, sys.stdout)
PY
  start_emulator --seed "$dir/seed.json" --feature-settle-ms 0
  mkdir -p "$dir/home"
  tmux -L "$socket" -f /dev/null new-session -d -s app -x 120 -y 40 \
    "exec env -u SCALINGO_REGION -u XDG_CACHE_HOME -u XDG_STATE_HOME -u XDG_CONFIG_HOME HOME=$dir/home \
     SCALINGO_AUTH_URL=$base SCALINGO_API_TOKEN=$token $bin --app shop-prod --no-journal \
     --log-file $dir/dbdeck.log"
  wait_for "> $(user 0)"
  sleep 1 # let the info messages of start-up expire
  pid=$(tmux -L "$socket" display -p -t app '#{pane_pid}')

  start=$(now_ns)
  tmux -L "$socket" send-keys -t app j
  wait_for "> $(user 1)"
  result[$n,one]=$(ms_since "$start")

  keys=$(printf 'j%.0s' $(seq 200))
  before=$(ticks "$pid")
  start=$(now_ns)
  tmux -L "$socket" send-keys -t app -l "$keys"
  wait_for "> $(user 201)"
  result[$n,burst]="$(ms_since "$start") ($(cpu_s $(($(ticks "$pid") - before))) CPU-s)"

  start=$(now_ns)
  tmux -L "$socket" send-keys -t app G
  wait_for "> $(user $((n - 1)))"
  result[$n,bottom]=$(ms_since "$start")

  start=$(now_ns)
  tmux -L "$socket" send-keys -t app / && tmux -L "$socket" send-keys -t app -l user_0009
  wait_for 'filter "user_0009"'
  result[$n,filter]=$(ms_since "$start")
  tmux -L "$socket" send-keys -t app Escape
  wait_for "Users \($n\)"

  # The users' list held back 30 s by the emulator: the spinner turns meanwhile.
  curl -sf -o /dev/null -X POST "$base/_emulator/faults" -H 'content-type: application/json' \
    -d "{\"method\": \"GET\", \"path\": \"/api/databases/$addon/users\", \"action\": {\"kind\": \"delay\", \"ms\": 30000}}"
  tmux -L "$socket" send-keys -t app r
  sleep 1
  before=$(ticks "$pid")
  sleep 5
  pending=$(($(ticks "$pid") - before))
  start=$(now_ns)
  tmux -L "$socket" send-keys -t app j
  wait_for "> $(user 1)"
  result[$n,pending]="$(awk -v t=$pending -v hz="$hz" 'BEGIN { printf "%.0f%%", 100 * t / hz / 5 }') of a core, j in $(ms_since "$start")"
  result[$n,rss]=$(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status")

  tmux -L "$socket" kill-session -t app
  kill "$emulator_pid"
  wait "$emulator_pid" 2>/dev/null || true
  emulator_pid=
done

row() {
  printf '| %-32s |' "$1"
  for n in "${counts[@]}"; do printf ' %-32s |' "${result[$n,$2]}"; done
  printf '\n'
}
printf '| %-32s |' ""
for n in "${counts[@]}"; do printf ' %-32s |' "$n users"; done
printf '\n|%s|' "$(printf -- '-%.0s' $(seq 34))"
for _ in "${counts[@]}"; do printf '%s|' "$(printf -- '-%.0s' $(seq 34))"; done
printf '\n'
row "one j" one
row "200 rapid j" burst
row "G" bottom
row "/ + 9 characters" filter
row "peak RSS" rss
row "while a request is pending (5 s)" pending
