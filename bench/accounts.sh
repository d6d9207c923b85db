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
# ACCOUNTS_LIMIT=0: no limit on either side (a quick cold listing, to time the kept list alone).
limit=${ACCOUNTS_LIMIT:-60}
pace=$([ "$limit" = 0 ] && echo off || echo "55/60")
if [ -z "${DBDECK_BIN:-}" ]; then cargo build --release --quiet; fi
bin=$(realpath "${DBDECK_BIN:-${CARGO_TARGET_DIR:-target}/release/dbdeck}")
token=tk-us-demo-dbdeck-emulator-not-a-secret
socket="dbdeck-bench-accounts-$$"
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_dbdeck() {
  tmux -L "$socket" -f /dev/null new-session -d -s app -x 120 -y 40 \
    "exec env -u SCALINGO_REGION -u SCALINGO_APP -u XDG_CONFIG_HOME HOME=$dir/home \
     XDG_CACHE_HOME=$dir/cache XDG_STATE_HOME=$dir/state \
     DBDECK_RATE_LIMIT=$pace SCALINGO_AUTH_URL=$base SCALINGO_API_TOKEN=$token \
     $bin --no-journal --log-file $dir/dbdeck.log"
}

# The demo has 5 apps; the rest are generated.
start_emulator --rate-limit "$limit" --extra-apps $((apps - 5))
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

printf '| %-46s | %-24s |\n' "$apps apps in 2 regions, $([ "$limit" = 0 ] && echo "no limit" || echo "limit $limit a minute")" "figure"
printf '|%s|%s|\n' "$(printf -- '-%.0s' $(seq 48))" "$(printf -- '-%.0s' $(seq 26))"
printf '| %-46s | %-24s |\n' "cold: progress line on screen" "$progress"
printf '| %-46s | %-24s |\n' "cold: every app read" "$cold"
printf '| %-46s | %-24s |\n' "cold: requests refused or failed" "$refused"
printf '| %-46s | %-24s |\n' "kept list file mode" "$mode"
printf '| %-46s | %-24s |\n' "second start: kept list on screen" "$kept"
