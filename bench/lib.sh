# Shared by the bench scripts that drive dbdeck in tmux against the emulator: source it after
# setting `socket` (the tmux server's name); it makes `dir` and cleans both up on exit.
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
# Polls the screen until `pattern` (an extended regex) shows; gives up after BENCH_TIMEOUT
# seconds (default 1800: a cold listing at the rate limit, or 200 keys at 100k before issue 10).
wait_for() {
  local deadline=$(($(now_ns) + ${BENCH_TIMEOUT:-1800} * 1000000000))
  until screen | grep -Eq -- "$1"; do
    if [ "$(now_ns)" -gt "$deadline" ]; then
      echo "timed out waiting for $1" >&2
      screen >&2
      return 1
    fi
  done
}
# Starts `$bin emulator` with the given options; sets `base` to its URL.
start_emulator() {
  "$bin" emulator --listen 127.0.0.1:0 "$@" >"$dir/emulator.out" &
  emulator_pid=$!
  until grep -q "listening on" "$dir/emulator.out" 2>/dev/null; do sleep 0.05; done
  base=$(grep -o 'http://[0-9.:]*' "$dir/emulator.out" | head -1)
}
