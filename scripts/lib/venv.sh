# shellcheck shell=bash
# Sourced by scripts/run and scripts/test: one place that knows how the repo's .venv is made.
# Needs REPO_ROOT set by the caller.

_counter_die() {
    echo "error: $*" >&2
    exit 1
}

# Print the first python that is 3.11 or newer; $PYTHON wins if set.
counter_find_python() {
    local candidate found=""
    for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
        found+=" $candidate ($("$candidate" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '?'))"
    done
    if [[ -n $found ]]; then
        _counter_die "Counter needs Python 3.11 or newer; found only:$found. Install Python 3.11+ or set PYTHON=/path/to/python3.11."
    fi
    _counter_die "Counter needs Python 3.11 or newer, and no python3 is on PATH. Install Python 3.11+ or set PYTHON=/path/to/python3.11."
}

# counter_ensure_venv STAMP PIP_TARGET
# Re-installs only when pyproject.toml is newer than STAMP, so the second run costs nothing.
counter_ensure_venv() {
    local stamp="$REPO_ROOT/.venv/$1" target=$2 py
    if [[ ! -x $REPO_ROOT/.venv/bin/python ]]; then
        py=$(counter_find_python)
        echo "Creating .venv with $py ..." >&2
        # Debian's own python3 has no ensurepip without python3-venv; say so instead of a traceback.
        "$py" -m venv "$REPO_ROOT/.venv" ||
            _counter_die "could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)"
    fi
    if ! "$REPO_ROOT/.venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        _counter_die ".venv holds a Python older than 3.11 or a broken one: delete $REPO_ROOT/.venv and run again."
    fi
    if [[ ! -f $stamp || $REPO_ROOT/pyproject.toml -nt $stamp ]]; then
        echo "Installing $target into .venv ..." >&2
        # -q hides the progress chatter but pip still prints warnings and errors.
        (cd "$REPO_ROOT" && .venv/bin/python -m pip install -q --disable-pip-version-check -e "$target") ||
            _counter_die "pip install -e $target failed (see above)"
        touch "$stamp"
    fi
}
