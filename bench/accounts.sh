#!/usr/bin/env bash
# A large account at start: the binary in tmux at 120x40 against the emulator with N apps in two
# regions (each with a PostgreSQL database) and Scalingo's limit of 60 requests a minute on.
# First a cold start (no database list kept): the time until the progress line shows, the time
# until every app is read, and how many requests the emulator refused or failed. Then a second
# start with the list kept: the time until the kept list is on screen.
# Targets (issue 10): the kept list on screen under 100 ms after start; a cold listing that ends
# without a failed request, inside the limit, with progress shown.
# Usage: bench/accounts.sh [apps]   (default 500; a cold listing of 500 apps takes about ten
# minutes at 55 requests a minute; builds the release binary first unless DBDECK_BIN names one;
# needs tmux, curl and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
apps=${1:-500}
if [ -z "${DBDECK_BIN:-}" ]; then cargo build --release --quiet; fi
bin=$(realpath "${DBDECK_BIN:-${CARGO_TARGET_DIR:-target}/release/dbdeck}")
token=tk-us-demo-dbdeck-emulator-not-a-secret
socket="dbdeck-bench-accounts-$$"
dir=$(mktemp -d)
emulator_pid=
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  [ -z "$emulator_pid" ] || kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
now_ns() { date +%s%N; }
ms_since() { awk -v d=$(($(now_ns) - $1)) 'BEGIN { printf "%.0f ms", d / 1e6 }'; }
screen() { tmux -L "$socket" capture-pane -p -t app; }
wait_for() {
  local deadline=$(($(now_ns) + ${ACCOUNTS_TIMEOUT:-1800} * 1000000000))
  until screen | grep -Eq -- "$1"; do
    if [ "$(now_ns)" -gt "$deadline" ]; then
      echo "timed out waiting for $1" >&2
      screen >&2
      return 1
    fi
  done
}
start_dbdeck() {
  tmux -L "$socket" -f /dev/null new-session -d -s app -x 120 -y 40 \
    "exec env -u SCALINGO_REGION -u SCALINGO_APP -u XDG_CONFIG_HOME HOME=$dir/home \
     XDG_CACHE_HOME=$dir/cache XDG_STATE_HOME=$dir/state \
     SCALINGO_AUTH_URL=$base SCALINGO_API_TOKEN=$token $bin --no-journal --log-file $dir/dbdeck.log"
}

# The demo has 5 apps; the rest are generated.
"$bin" emulator --listen 127.0.0.1:0 --rate-limit 60 --extra-apps $((apps - 5)) >"$dir/emulator.out" &
emulator_pid=$!
until grep -q "listening on" "$dir/emulator.out" 2>/dev/null; do sleep 0.05; done
base=$(grep -o 'http://[0-9.:]*' "$dir/emulator.out" | head -1)
mkdir -p "$dir/home"

start=$(now_ns)
start_dbdeck
wait_for "apps read"
progress=$(ms_since "$start")
wait_for "$apps databases in"
cold=$(ms_since "$start")
refused=$(curl -sf "$base/_emulator/requests" | python3 -c '
import json, sys
requests = json.load(sys.stdin)
requests = requests.get("requests", requests) if isinstance(requests, dict) else requests
print(sum(1 for r in requests if r.get("status") != 200), "of", len(requests))')
tmux -L "$socket" kill-session -t app
mode=$(stat -c %a "$dir/cache/dbdeck/databases.json")

start=$(now_ns)
start_dbdeck
wait_for "Databases \($apps\)"
kept=$(ms_since "$start")

printf '| %-46s | %-24s |\n' "$apps apps in 2 regions, limit 60 a minute" "figure"
printf '|%s|%s|\n' "$(printf -- '-%.0s' $(seq 48))" "$(printf -- '-%.0s' $(seq 26))"
printf '| %-46s | %-24s |\n' "cold: progress line on screen" "$progress"
printf '| %-46s | %-24s |\n' "cold: every app read" "$cold"
printf '| %-46s | %-24s |\n' "cold: requests refused or failed" "$refused"
printf '| %-46s | %-24s |\n' "kept list file mode" "$mode"
printf '| %-46s | %-24s |\n' "second start: kept list on screen" "$kept"
