# shellcheck shell=bash
# Throwaway PostgreSQL and CUPS for tests. Sourced by .ci/run and scripts/pg_local.
# There is no systemd on CI machines, so nothing starts by itself; whoever calls
# start_* must arrange for stop_services to run (trap ... EXIT).

COUNTER_PG_PORT=${COUNTER_PG_PORT:-5433}
_COUNTER_PG_DIR=""
_COUNTER_PG_PID=""
_COUNTER_CUPS_PID=""

_svc_log() { echo "[services] $*" >&2; }

# Newest server version installed, so a Debian release bump needs no edit here.
_pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -z $dir || ! -x $dir/initdb ]]; then
        _svc_log "no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        return 1
    fi
    echo "$dir"
}

# initdb refuses to run as root; as root we become postgres, otherwise we run as
# ourselves (a developer's own cluster, still with a superuser named postgres).
_as_pg_owner() {
    if [[ $EUID -eq 0 ]]; then
        su postgres -s /bin/sh -c "$1"
    else
        sh -c "$1"
    fi
}

# Exports COUNTER_TEST_PG_URL; the cluster lives in a fresh temp dir.
start_postgres() {
    local bindir db=${1:-counter_test}
    bindir=$(_pg_bindir) || return 1
    _COUNTER_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/counter-pg.XXXXXX")
    # Data, socket and log all in one dir owned by the server's user.
    [[ $EUID -eq 0 ]] && chown postgres:postgres "$_COUNTER_PG_DIR"
    _as_pg_owner "'$bindir/initdb' -D '$_COUNTER_PG_DIR/data' -A trust -U postgres --no-sync" \
        >"$_COUNTER_PG_DIR/initdb.log" 2>&1 || {
        cat "$_COUNTER_PG_DIR/initdb.log" >&2
        return 1
    }
    _as_pg_owner "'$bindir/pg_ctl' -D '$_COUNTER_PG_DIR/data' -l '$_COUNTER_PG_DIR/server.log' -w -o \"-p $COUNTER_PG_PORT -k '$_COUNTER_PG_DIR' -c listen_addresses=127.0.0.1 -c fsync=off\" start" \
        >/dev/null || {
        cat "$_COUNTER_PG_DIR/server.log" >&2
        return 1
    }
    _COUNTER_PG_PID=$(head -n 1 "$_COUNTER_PG_DIR/data/postmaster.pid")
    "$bindir/createdb" -h 127.0.0.1 -p "$COUNTER_PG_PORT" -U postgres "$db"
    export COUNTER_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$COUNTER_PG_PORT/$db"
    _svc_log "PostgreSQL $(basename "$(dirname "$bindir")") pid $_COUNTER_PG_PID on 127.0.0.1:$COUNTER_PG_PORT, data in $_COUNTER_PG_DIR"
}

# Exports COUNTER_TEST_CUPS_QUEUE. Needs root (cupsd, lpadmin).
start_cups() {
    if lpstat -r 2>/dev/null | grep -q 'is running'; then
        # Someone else's cupsd: use it, and leave it alone in stop_services.
        _svc_log "cupsd already running; reusing it"
    else
        /usr/sbin/cupsd -f &
        _COUNTER_CUPS_PID=$!
        local i
        for ((i = 0; i < 100; i++)); do
            lpstat -r 2>/dev/null | grep -q 'is running' && break
            if ! kill -0 "$_COUNTER_CUPS_PID" 2>/dev/null; then
                _svc_log "cupsd exited during start"
                _COUNTER_CUPS_PID=""
                return 1
            fi
            sleep 0.1
        done
        lpstat -r | grep -q 'is running' || {
            _svc_log "cupsd did not come up within 10 s"
            return 1
        }
        _svc_log "cupsd pid $_COUNTER_CUPS_PID"
    fi
    # cups-pdf writes each job to ~/PDF of the submitting user (Out in /etc/cups/cups-pdf.conf).
    lpadmin -p PDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
    export COUNTER_TEST_CUPS_QUEUE=PDF
}

# Wait (bounded) for a process we do not parent to go away.
_svc_wait_gone() {
    local pid=$1 i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# Safe to call more than once and after a failed start.
stop_services() {
    if [[ -n $_COUNTER_CUPS_PID ]]; then
        kill -TERM "$_COUNTER_CUPS_PID" 2>/dev/null || true
        wait "$_COUNTER_CUPS_PID" 2>/dev/null || true
        _COUNTER_CUPS_PID=""
    fi
    if [[ -n $_COUNTER_PG_PID ]]; then
        # SIGINT is PostgreSQL's "fast" shutdown: ends sessions, no waiting for clients.
        kill -INT "$_COUNTER_PG_PID" 2>/dev/null || true
        _svc_wait_gone "$_COUNTER_PG_PID"
        _COUNTER_PG_PID=""
    fi
    if [[ -n $_COUNTER_PG_DIR && -d $_COUNTER_PG_DIR ]]; then
        rm -rf "$_COUNTER_PG_DIR"
        _COUNTER_PG_DIR=""
    fi
}
