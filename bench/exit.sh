#!/usr/bin/env bash
# Time from a signal to the end of `dbdeck --demo`, with a generated password on screen, and
# whether the blanking came before leaving the alternate screen. Target: under 100 ms.
# Usage: bench/exit.sh [runs] [profile]   (profile: release (default) or debug; needs tmux)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
profile=${2:-release}
if [ "$profile" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
bin="${CARGO_TARGET_DIR:-target}/$profile/dbdeck"
socket="dbdeck-bench-exit-$$"
dir=$(mktemp -d)
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
tmux -L "$socket" -f /dev/null new-session -d -s keep "sleep 600"
wait_for() {
  for _ in $(seq 300); do
    tmux -L "$socket" capture-pane -p -t app 2>/dev/null | grep -q "$1" && return 0
    sleep 0.05
  done
  echo "timed out waiting for $1" >&2
  return 1
}
now_ns() { date +%s%N; }
for signal in TERM INT HUP; do
  for run in $(seq "$runs"); do
    raw="$dir/raw-$signal-$run"
    # `exec`: the pane's process is dbdeck itself; the pipe is in place before its first byte.
    tmux -L "$socket" new-session -d -s app -x 100 -y 30 \
      "exec env XDG_STATE_HOME=$dir $bin --demo --app shop-prod" \; \
      pipe-pane -o -t app "cat >> $raw"
    wait_for app_reporting
    tmux -L "$socket" send-keys -t app n
    wait_for "New PostgreSQL user"
    tmux -L "$socket" send-keys -t app -l bench_user
    tmux -L "$socket" send-keys -t app Tab Space Enter
    wait_for "Shown only once"
    pid=$(tmux -L "$socket" display -p -t app '#{pane_pid}')
    start=$(now_ns)
    kill "-$signal" "$pid"
    while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do :; done
    end=$(now_ns)
    sleep 0.2
    order=$(python3 - "$raw" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
leave = raw.rfind(b"\x1b[?1049l")
blank = raw.rfind(b"\x1b[2J\x1b[3J\x1b[H", 0, leave)
query = b"\x1b[6n" in raw
print("blank before leave" if 0 <= blank < leave else "NO BLANK", "| cursor query!" if query else "")
PY
)
    printf 'SIG%-4s run %d: exited %6.1f ms after the signal; %s\n' "$signal" "$run" \
      "$(awk -v d=$((end - start)) 'BEGIN { print d / 1e6 }')" "$order"
    tmux -L "$socket" kill-session -t app 2>/dev/null || true
  done
done
