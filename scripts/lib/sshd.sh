# Sourced by scripts/test: a throwaway OpenSSH server on 127.0.0.1 for the SSH tunnel tests, as
# Scalingo's bastion is reached (user `git`, a key from an agent, forwarding to the database
# only). Needs root (sshd switches to `git`); elsewhere the tunnel tests skip, and fail under CI.
#
# Exports DBDECK_TEST_SSH_PORT, _AUTH_SOCK (a throwaway ssh-agent holding the authorized key),
# _HOST_KEY (the server's public host key), _WRONG_KEY (a private key sshd does not accept),
# _LOG (sshd's log, which names every forwarded channel) and _DB_HOST, a name for the test
# database that only sshd resolves: sshd runs in a mount namespace of its own where /etc/hosts
# has it. PermitOpen allows that name with the test databases' ports (the arguments), nothing
# else.

SSH_DIR=
SSHD_PID=
SSH_AGENT_PID=
GIT_USER_CREATED=

stop_sshd() {
    if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
    if [ -n "$SSH_AGENT_PID" ]; then kill "$SSH_AGENT_PID" 2>/dev/null || true; fi
    if [ -n "$GIT_USER_CREATED" ]; then userdel git 2>/dev/null || true; fi
    if [ -n "$SSH_DIR" ]; then rm -rf "$SSH_DIR"; fi
}

start_sshd() {
    local db_host=db.bastion-only.test permit="" p
    for p in "$@"; do permit="$permit $db_host:$p"; done
    if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v ssh-agent >/dev/null; then
        if [ "${CI:-}" = true ]; then
            echo "scripts/test: CI=true but sshd cannot run (root and openssh-server needed)" >&2
            exit 1
        fi
        echo "scripts/test: no sshd as root here: the SSH tunnel tests will skip" >&2
        return
    fi
    if ! id git >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /bin/sh git
        GIT_USER_CREATED=1
    fi
    # '*': no password, but not a locked account (sshd refuses those without PAM).
    usermod -p '*' git
    mkdir -p /run/sshd
    SSH_DIR=$(mktemp -d /tmp/dbdeck-ssh.XXXXXX)
    # sshd reads authorized_keys as `git`: the directory must be traversable, owned by root.
    chmod 755 "$SSH_DIR"
    ssh-keygen -q -t ed25519 -N '' -C 'dbdeck test host' -f "$SSH_DIR/host_key"
    ssh-keygen -q -t ed25519 -N '' -C 'dbdeck test client' -f "$SSH_DIR/client_key"
    ssh-keygen -q -t ed25519 -N '' -C 'dbdeck test wrong key' -f "$SSH_DIR/wrong_key"
    cp "$SSH_DIR/client_key.pub" "$SSH_DIR/authorized_keys"
    chmod 644 "$SSH_DIR/authorized_keys"
    local port
    port=$((20000 + RANDOM % 40000))
    while port_in_use "$port"; do port=$((20000 + RANDOM % 40000)); done
    cat >"$SSH_DIR/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $SSH_DIR/host_key
PidFile none
AuthorizedKeysFile $SSH_DIR/authorized_keys
# Its directory is under /tmp (world-writable), which StrictModes refuses.
StrictModes no
AllowUsers git
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitTTY no
X11Forwarding no
AllowAgentForwarding no
AllowTcpForwarding local
PermitOpen$permit
LogLevel DEBUG1
CONF
    { cat /etc/hosts; echo "127.0.0.1 $db_host"; } >"$SSH_DIR/hosts"
    chmod 644 "$SSH_DIR/hosts"
    # shellcheck disable=SC2016 # expanded by the inner shell
    unshare --mount sh -c 'mount --bind "$1" /etc/hosts && exec /usr/sbin/sshd -D -f "$2" -E "$3"' \
        sh "$SSH_DIR/hosts" "$SSH_DIR/sshd_config" "$SSH_DIR/sshd.log" &
    SSHD_PID=$!
    for _ in $(seq 1 100); do
        port_in_use "$port" && break
        kill -0 "$SSHD_PID" 2>/dev/null || { cat "$SSH_DIR/sshd.log" >&2; exit 1; }
        sleep 0.1
    done
    eval "$(ssh-agent -s -a "$SSH_DIR/agent.sock")" >/dev/null
    SSH_AUTH_SOCK="$SSH_DIR/agent.sock" ssh-add -q "$SSH_DIR/client_key" 2>/dev/null
    export DBDECK_TEST_SSH_PORT=$port DBDECK_TEST_SSH_AUTH_SOCK="$SSH_DIR/agent.sock"
    export DBDECK_TEST_SSH_HOST_KEY="$SSH_DIR/host_key.pub" DBDECK_TEST_SSH_WRONG_KEY="$SSH_DIR/wrong_key"
    export DBDECK_TEST_SSH_LOG="$SSH_DIR/sshd.log" DBDECK_TEST_SSH_DB_HOST=$db_host
    echo "scripts/test: sshd on 127.0.0.1:$port (pid $SSHD_PID), forwarding only to$permit"
}
