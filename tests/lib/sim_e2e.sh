# Shared start of the end-to-end tests that run otharden.exe on a SIMULATED
# 2008 host inside one simulated session (source it after expect.sh; bash).
#   sim_e2e_begin NAME EXE HOSTNAME
# sets exe, here, repo, sim, work, prefix; exits 77 (skipped, loudly) for a
# 32-bit exe without wine32; builds the host, opens a session (ended at exit)
# and defines run (otharden.exe in the host) and winepath_of (Linux -> Z:\).
winepath_of() { printf 'Z:%s' "${1//\//\\}"; }

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
  if [[ $arch == pei-i386 ]] && ! [[ -e /usr/lib/wine/i386-windows/ntdll.dll ]]; then
    echo "################################################################################"
    echo "# $name SKIPPED for the x86 otharden.exe: wine32 (i386) is not installed."
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

# service-state.sh reads "state=missing" when Wine's sc.exe answers nothing,
# which it does now and then while the SCM is busy: read again (at most 5 s)
# so a test judges otharden, not a missed read.
#   settled_services SERVICE...
settled_services() {
  local out i
  for i in 1 2 3 4 5; do
    out=$("$sim/service-state.sh" "$prefix" "$@")
    grep -q 'state=missing' <<<"$out" || break
    sleep 1
  done
  printf '%s\n' "$out"
}

# fw-state.sh prints nothing, or "missing" profile values, when Wine's reg.exe
# answers nothing under load: read again (at most 5 s). A profile line is
# always there when the read worked (fw-state.sh prints all three).
settled_firewall() {
  local out i
  for i in 1 2 3 4 5; do
    out=$("$sim/firewall/fw-state.sh" "$prefix")
    if grep -q '^profile=public ' <<<"$out" && ! grep '^profile=' <<<"$out" | grep -q '=missing'; then break; fi
    sleep 1
  done
  printf '%s\n' "$out"
}
