# Shared start of the end-to-end tests that run otharden.exe on a SIMULATED
# 2008 host inside one simulated session (source it after expect.sh; bash).
#   sim_e2e_begin NAME EXE HOSTNAME
# sets exe, here, repo, sim, work, prefix; exits 77 (skipped, loudly) for a
# 32-bit exe without wine32; builds the host, opens a session (ended at exit)
# and defines run (otharden.exe in the host) and winepath_of (Linux -> Z:\).
winepath_of() { printf 'Z:%s' "${1//\//\\}"; }
# sim_have_wine32, sim_no_wine32_reason, the loaders (tests/sim/lib.sh)
SIM_PROG=${SIM_PROG:-sim-e2e} . "$(cd "$(dirname "${BASH_SOURCE[0]}")/../sim" && pwd)/lib.sh"

sim_e2e_begin() {
  local name=$1 host=$3
  exe=$(readlink -f "$2")
  here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
  repo=$(cd "$here/../.." && pwd)
  sim=$repo/tests/sim
  work=${SIM_BUILD_DIR:-$repo/build/sim}/$name-$(basename "$(dirname "$exe")")
  rm -rf "$work"  # each test owns its work folder: start clean
  mkdir -p "$work"
  prefix=$work/host

  local arch
  arch=$(x86_64-w64-mingw32-objdump -f "$exe" | awk '/file format/ {print $NF}')
  if [[ $arch == pei-i386 ]] && ! sim_have_wine32; then
    echo "################################################################################"
    echo "# $name SKIPPED for the x86 otharden.exe: $(sim_no_wine32_reason)."
    echo "################################################################################"
    exit 77
  fi
  "$sim/make-host.sh" "$sim/hosts/$host.host" "$prefix" >"$work/make.log" 2>&1 ||
    { bad "the simulator could not build the host $host"; cat "$work/make.log"; exit 1; }
  "$sim/session.sh" begin "$prefix" >"$work/session.log" 2>&1 ||
    { bad "could not begin a simulated session"; cat "$work/session.log"; exit 1; }
  trap '"$sim/session.sh" end "$prefix" >/dev/null 2>&1' EXIT
}

run() { "$sim/run-in-host.sh" "$prefix" "$exe" "$@"; }

# host_state [SERVICE...]: the named services (tests/sim/service-state.sh format)
# and, on a host with a simulated firewall, the firewall (fw-state.sh format), read
# in ONE run of the simulator's sim_state.exe inside the session. A read is never
# retried: an incomplete answer fails the test (and says so on stderr).
host_state() {
  local args=() out rc=0 n
  [[ $# -gt 0 ]] && args=(services "$@")
  [[ -f $prefix/$SIM_PREFIX_DIR/fwprobe.exe ]] && args+=(firewall)
  # Wine's err channel is on for this read: when it fails, what Wine said is shown.
  out=$(SIM_WINEDEBUG=err+all "$sim/run-in-host.sh" "$prefix" 'C:\otharden-sim\sim_state.exe' "${args[@]}" \
          2>"$work/host_state.err") || rc=$?
  n=$(grep -c . <<<"$(grep -v '^profile=\|^rules=\|^rule=' <<<"$out")")
  if [[ $rc -gt 1 || $n -ne $# ]] || { [[ ${args[-1]} == firewall ]] && ! grep -q '^rules=' <<<"$out"; }; then
    echo "host_state: sim_state.exe answered exit $rc with $n service lines for $# services; stderr:" >&2
    sed 's/^/    | /' "$work/host_state.err" >&2
  fi
  printf '%s\n' "$out"
}

# sim_scm ARGS...: the simulator's SCM helper in the session, e.g. `sim_scm stop SNMP`
# (ControlService(STOP), then waits until STOPPED: no wait loop in the test).
sim_scm() { "$sim/run-in-host.sh" "$prefix" 'C:\otharden-sim\sim_scm.exe' "$@"; }
