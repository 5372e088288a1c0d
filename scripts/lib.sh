# Shared by scripts/test.sh and scripts/matrix.sh (sourced, not run): the scratch folder
# the worlds of a run live in, the network namespace the tests run in, and the check that
# nothing a run started outlived it.

# The test binaries whose expectations depend on which CRDs store what: they run a second
# time under Numaflow's minimal CRDs (namespaced installs, Numaplane: nothing pruned,
# nothing defaulted).
MINIMAL_CRD_TESTS=(write history race read malformed manifests quiet)

# scratch_make: a fresh NUMA_TESTENV_SCRATCH (in /dev/shm when there), exported.
scratch_make() {
  local parent=/dev/shm
  [ -d "$parent" ] || parent="${TMPDIR:-/tmp}"
  NUMA_TESTENV_SCRATCH="$(mktemp -d "$parent/numa-test-run.XXXXXX")"
  export NUMA_TESTENV_SCRATCH
}

# isolate_setup: ISOLATE=(a command prefix) that runs a command in a network namespace of
# its own with loopback up (`unshare -n`, needs root and ip), so the run's worlds never
# meet a demo world's Numaflow controller on its fixed ports; empty when that cannot be
# had (the worlds of this namespace then take turns).
isolate_setup() {
  ISOLATE=()
  if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
    # shellcheck disable=SC2016
    ISOLATE=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh)
    echo "==> running the tests in a network namespace of their own" >&2
  else
    echo "==> no network namespace of its own (needs root, unshare and ip): worlds in this one take turns" >&2
  fi
}

# scratch_check PREFIX: fails (status 1) when a process started under NUMA_TESTENV_SCRATCH
# is still running (every control plane a test binary starts lives there; they are killed)
# or a temporary directory was left in it; then removes the folder.
scratch_check() {
  local prefix=$1 left status=0
  sleep 0.5
  if left=$(pgrep -af -- "$NUMA_TESTENV_SCRATCH"); then
    echo "$prefix: FAIL: processes started by the tests are still running:" >&2
    echo "$left" >&2
    pkill -9 -f -- "$NUMA_TESTENV_SCRATCH" || true
    status=1
  elif [ -n "$(ls -A "$NUMA_TESTENV_SCRATCH")" ]; then
    echo "$prefix: FAIL: temporary directories left behind: $(ls "$NUMA_TESTENV_SCRATCH")" >&2
    status=1
  else
    echo "$prefix: no control-plane process or directory left behind"
  fi
  rm -rf "$NUMA_TESTENV_SCRATCH"
  return "$status"
}
