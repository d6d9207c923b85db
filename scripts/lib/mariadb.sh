# Sourced by scripts/test: a throwaway MariaDB server on 127.0.0.1 for the MySQL console test (a
# temp dir, a user owning its database, as on Scalingo). Without mariadbd it is not started and
# that test skips (failing under CI).
#
# Exports DBDECK_TEST_MY_PORT, _USER, _PASSWORD, _DB.

MY_DIR=
MY_PID=

stop_mariadb() {
    if [ -n "$MY_PID" ]; then
        kill "$MY_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$MY_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$MY_PID" 2>/dev/null || true
    fi
    if [ -n "$MY_DIR" ]; then rm -rf "$MY_DIR"; fi
}

start_mariadb() {
    if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
        if [ "${CI:-}" = true ]; then
            echo "scripts/test: CI=true but mariadb-server is missing (.ci/run installs it)" >&2
            exit 1
        fi
        echo "scripts/test: no mariadbd here: the MySQL console test will skip" >&2
        return
    fi
    local as_root=() port
    if [ "$(id -u)" = 0 ]; then as_root=(--user=root); fi
    MY_DIR=$(mktemp -d /tmp/dbdeck-my.XXXXXX)
    mariadb-install-db --no-defaults "${as_root[@]}" --datadir="$MY_DIR/data" \
        --auth-root-authentication-method=socket --skip-test-db >"$MY_DIR/install.log" 2>&1 ||
        { cat "$MY_DIR/install.log" >&2; exit 1; }
    port=$((20000 + RANDOM % 40000))
    while port_in_use "$port"; do port=$((20000 + RANDOM % 40000)); done
    PATH="/usr/sbin:$PATH" mariadbd --no-defaults "${as_root[@]}" --datadir="$MY_DIR/data" \
        --socket="$MY_DIR/sock" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
        --pid-file="$MY_DIR/pid" --log-error="$MY_DIR/error.log" 2>>"$MY_DIR/error.log" &
    MY_PID=$!
    for _ in $(seq 1 300); do
        [ -S "$MY_DIR/sock" ] && break
        kill -0 "$MY_PID" 2>/dev/null || { cat "$MY_DIR/error.log" >&2; exit 1; }
        sleep 0.1
    done
    local password
    password=$(openssl rand -hex 16)
    mariadb --no-defaults -S "$MY_DIR/sock" -u root <<SQL
CREATE USER 'dbdeck_my'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE DATABASE dbdeck_my;
GRANT ALL ON dbdeck_my.* TO 'dbdeck_my'@'127.0.0.1';
SQL
    export DBDECK_TEST_MY_PORT=$port DBDECK_TEST_MY_USER=dbdeck_my DBDECK_TEST_MY_PASSWORD="$password"
    export DBDECK_TEST_MY_DB=dbdeck_my
    echo "scripts/test: MariaDB on 127.0.0.1:$port (pid $MY_PID)"
}
