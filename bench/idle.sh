#!/usr/bin/env bash
# Idle cost of `dbdeck --demo`: CPU time used over a quiet period, and resident memory.
# Target: an idle dbdeck sleeps (~0% CPU: no timer runs unless something animates).
# Usage: bench/idle.sh [seconds]   (builds the release binary first; needs tmux)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
cargo build --release --quiet
socket="dbdeck-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true' EXIT
tmux -L "$socket" -f /dev/null new-session -d -s app -x 100 -y 30 \
  "exec env DBDECK_LOG_FILE=/tmp/dbdeck-bench.log ${CARGO_TARGET_DIR:-target}/release/dbdeck --demo"
for _ in $(seq 100); do
  tmux -L "$socket" capture-pane -p -t app | grep -q app_reporting && break
  sleep 0.1
done
sleep 1 # let the info messages of start-up expire
pid=$(tmux -L "$socket" display -p -t app '#{pane_pid}')
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
sleep "$seconds"
after=$(ticks)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
awk -v t=$((after - before)) -v hz="$hz" -v s="$seconds" -v rss="$rss" 'BEGIN {
  printf "idle CPU over %d s: %.2f s of CPU (%.2f%% of a core)\nresident memory: %.1f MiB\n", s, t / hz, 100 * t / hz / s, rss / 1024 }'
tmux -L "$socket" send-keys -t app q
