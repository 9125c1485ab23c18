# Sourced by every .ci script (bash; works with and without `set -e`): the pieces they all need, written once.
#   messages     say, ok, pass, fail, die, missing, require   (prefixed with the script's name)
#   cleanup      on_exit, make_workdir                         (one EXIT trap that runs every registered cleanup)
#   packages     installed, apt_install
#   test media   make_photo, make_video
#   emulator     make_test_ca, start_emulator, start_tls_emulator, stop_emulator, emulator_curl, emulator_state,
#                emulator_has_sha256, json_field
#   timing       now_us, timed, seconds, measure, peak_rss_mb, median, ratio, meets
#   chroot       chroot_runtime, make_chroot, in_chroot
# Nothing here trusts a throwaway CA system-wide or changes the machine, except apt_install (as root, when asked).

# ---- messages -------------------------------------------------------------------------------------------------
# Every line names its script, so a .ci/run log says which step spoke. A script may set ci_name before sourcing.
ci_name=${ci_name:-$(basename "$0")}
failures=${failures:-0}

say() { echo "$ci_name: $*"; }
ok() { say "ok: $*"; }
pass() { say "passed"; }
# fail MESSAGE: a failed check that does not stop the script (those that run every check count them, then exit).
fail() { say "FAILED: $*" >&2; failures=$((failures + 1)); }
# die MESSAGE: a failed check that makes the rest meaningless: exit 1.
die() { say "FAILED: $*" >&2; exit 1; }
# missing MESSAGE: something this machine lacks, not a fault of q2google: exit 2, as the benchmarks always did.
missing() { say "$*" >&2; exit 2; }
# require COMMAND HINT: stops (exit 2) unless COMMAND is here; HINT says how to get it.
require() { command -v "$1" >/dev/null || missing "needs $1: $2"; }

# ---- cleanup --------------------------------------------------------------------------------------------------
# One EXIT trap for everything: scripts add their own cleanup with on_exit instead of writing a trap that must
# repeat every other cleanup (a second `trap … EXIT` replaces the first). Newest first, so an emulator
# stops before the folder it writes to goes. A failing cleanup never hides the others or the script's status,
# which cleanups can read as exit_status (to keep logs of a failed run, say).
ci_exit_hooks=()
on_exit() {
  local hook
  printf -v hook '%q ' "$@"
  ci_exit_hooks+=("$hook")
}
ci_run_exit_hooks() {
  exit_status=$? # first: any command, even `local`, would overwrite $?
  local i
  for ((i = ${#ci_exit_hooks[@]} - 1; i >= 0; i--)); do eval "${ci_exit_hooks[i]}" || true; done
  exit "$exit_status"
}
trap ci_run_exit_hooks EXIT
# Ctrl+C or a kill still runs the cleanups (check-rclone relies on this to put /etc/hosts back).
trap 'exit 130' INT
trap 'exit 143' TERM

# make_workdir: sets work to a new private folder in /tmp named after the script, removed on exit.
make_workdir() {
  work=$(mktemp -d "/tmp/q2g-$ci_name.XXXXXX")
  on_exit rm -rf "$work"
}

# ---- packages -------------------------------------------------------------------------------------------------
# installed PACKAGE: whether dpkg has PACKAGE (or PACKAGE:ARCH) installed.
installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

# apt_install PACKAGE...: installs, as root, those not installed yet; an :arm64 one needs the arm64 architecture
# added first, or apt does not know it. Returns non-zero when something is missing and cannot be installed.
apt_install() {
  local need=() package
  for package; do installed "$package" || need+=("$package"); done
  [ ${#need[@]} -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    say "missing packages (as root: apt-get install ${need[*]})" >&2
    return 1
  fi
  if [[ " ${need[*]}" == *:arm64* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  say "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
}

# ---- test media -----------------------------------------------------------------------------------------------
# make_photo FILE BYTES / make_video FILE BYTES: a file of exactly BYTES, a JPEG / MP4 signature and then noise.
# q2google reads a file's first bytes and skips one that is no photo or video, whatever its name; noise, so
# nothing on the way can compress it.
make_photo() { { printf '\377\330\377\340'; head -c $(($2 - 4)) /dev/urandom; } >"$1"; }
make_video() { { printf '\000\000\000\030ftypmp42'; head -c $(($2 - 12)) /dev/urandom; } >"$1"; }

# ---- the emulator ---------------------------------------------------------------------------------------------
# make_test_ca DIR HOST...: a throwaway CA (DIR/ca.crt) and a server certificate from it (DIR/server.crt,
# DIR/server.key) for every HOST and 127.0.0.1. Valid two days; trusted only where a client is told about it.
make_test_ca() {
  local dir=$1 san="IP:127.0.0.1" host
  shift
  mkdir -p "$dir"
  for host; do san+=",DNS:$host"; done
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=q2google CI throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$1" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$san" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  openssl verify -CAfile "$dir/ca.crt" "$dir/server.crt" >/dev/null || die "could not make the throwaway CA's certificates"
}

# start_emulator BIN DIR [EMULATOR OPTION...]: `BIN emulator` over plain HTTP on 127.0.0.1, in the background.
start_emulator() {
  local bin=$1 dir=$2
  shift 2
  emu_ca=
  ci_start_emulator "$bin" "$dir" http://127.0.0.1 "$@"
}

# start_tls_emulator BIN DIR HOST [EMULATOR OPTION...]: the same over HTTPS with the certificate make_test_ca DIR
# made, handing out URLs with HOST (a made-up name, or 127.0.0.1). Clients are told of DIR/ca.crt explicitly.
start_tls_emulator() {
  local bin=$1 dir=$2 host=$3
  shift 3
  emu_ca=$dir/ca.crt
  ci_start_emulator "$bin" "$dir" "https://$host" --tls-cert "$dir/server.crt" --tls-key "$dir/server.key" --host-name "$host" "$@"
}

# ci_start_emulator BIN DIR URL-START OPTION...: starts it (on port EMULATOR_PORT, default 0: a free one), waits
# for the URL it prints, and sets emu_pid, emu_url (…/), emu_host, emu_port, emu_token (DIR/emu/token.json:
# the ready-made login) and emu_curl_tls (see emulator_curl). Its data goes to DIR/emu, its log to DIR/emu.log. Stopped on exit; one at a time.
ci_start_emulator() {
  local bin=$1 dir=$2 want=$3 address
  shift 3
  stop_emulator
  mkdir -p "$dir"
  # A URL file left by an earlier emulator would be read before the new one truncates it.
  rm -f "$dir/emu.url"
  if [ -z "${ci_emulator_hooked:-}" ]; then on_exit stop_emulator && ci_emulator_hooked=1; fi
  "$bin" emulator --port "${EMULATOR_PORT:-0}" --data-dir "$dir/emu" "$@" >"$dir/emu.url" 2>"$dir/emu.log" &
  emu_pid=$!
  for _ in $(seq 100); do
    [ -s "$dir/emu.url" ] && break
    kill -0 "$emu_pid" 2>/dev/null || break
    sleep 0.1
  done
  emu_url=$(head -1 "$dir/emu.url" 2>/dev/null || true)
  if [[ $emu_url != "$want"[:/]* ]]; then
    cat "$dir/emu.log" >&2
    die "the emulator did not start (wanted $want…, got '$emu_url')"
  fi
  address=${emu_url#*://}
  address=${address%%/*}
  emu_host=${address%:*}
  emu_port=${address##*:}
  [ "$address" != "$emu_host" ] || emu_port=$([[ $emu_url == https:* ]] && echo 443 || echo 80)
  emu_token=$dir/emu/token.json
  # Over HTTPS curl trusts only the throwaway CA, and reaches a made-up host name at 127.0.0.1 without /etc/hosts.
  emu_curl_tls=()
  [ -z "$emu_ca" ] || emu_curl_tls=(--cacert "$emu_ca" --resolve "$emu_host:$emu_port:127.0.0.1")
}

# stop_emulator: stops the running emulator, if any (safe to call twice; also runs on exit).
stop_emulator() {
  if [ -n "${emu_pid:-}" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
    emu_pid=
  fi
  return 0
}

# emulator_curl CURL-ARGUMENT...: curl as a client of this emulator (curl -sS "${emu_curl_tls[@]}" for a caller
# that needs the program itself, to time it).
emulator_curl() { curl -sS "${emu_curl_tls[@]}" "$@"; }

# emulator_state: the emulator's own view (every media item with its SHA-256), as JSON.
emulator_state() { emulator_curl -f "${emu_url}emulator/state"; }

# emulator_has_sha256 FILE: whether the emulator holds a media item with FILE's exact bytes.
emulator_has_sha256() {
  local state sum
  sum=$(sha256sum "$1" | cut -d' ' -f1)
  state=$(emulator_state) && [[ $state == *"\"sha256\":\"$sum\""* ]]
}

# json_field FILE NAME: a string field of the emulator's indented JSON files (token.json, client_secret.json).
json_field() { sed -n "s/.*\"$2\": *\"\([^\"]*\)\".*/\1/p" "$1" | head -1; }

# ---- timing ---------------------------------------------------------------------------------------------------
# now_us: the clock in microseconds, without forking `date` (a fork costs about what a --version does).
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# ci_elapsed START_US: seconds since START_US, to the millisecond ("1.234").
ci_elapsed() { awk -v n=$(($(now_us) - $1)) 'BEGIN { printf "%.3f", n / 1e6 }'; }

# timed COMMAND...: runs COMMAND (a shell function too) and sets took to its wall time, as ci_elapsed prints it.
# Call it directly, not in $(...), so took survives; returns COMMAND's status.
timed() {
  local start
  start=$(now_us)
  "$@" || return
  took=$(ci_elapsed "$start")
}

# seconds COMMAND...: prints COMMAND's wall time; its stdout is dropped. For $(...), where `set -e` does not
# reach: a failed command is reported and returned, not timed, since the figure of a failed run would mislead.
seconds() {
  local status=0
  timed "$@" >/dev/null || status=$?
  [ "$status" = 0 ] || { say "FAILED: $1 exited $status" >&2; return "$status"; }
  echo "$took"
}

# measure PROGRAM [ARGUMENT...]: one run giving both figures: sets took (as timed) and peak_mb (peak RSS in MiB,
# GNU time's %M). PROGRAM must be a program, not a function: GNU time runs it. Call it directly, not in $(...),
# and redirect its output as PROGRAM's. Returns PROGRAM's status.
measure() {
  local rss status=0
  rss=$(mktemp)
  timed /usr/bin/time -f %M -o "$rss" "$@" || status=$?
  [ "$status" != 0 ] || peak_mb=$(($(tail -1 "$rss") / 1024))
  rm -f "$rss"
  return "$status"
}

# peak_rss_mb PROGRAM [ARGUMENT...]: its peak RSS in MiB, as measure finds it; its stdout is dropped.
peak_rss_mb() { measure "$@" >/dev/null && echo "$peak_mb"; }

# median NUMBER...: the middle one (the upper middle of an even count): one slow run on a shared machine
# does not move it.
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# ratio A B: A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# meets VALUE OP GOAL: whether VALUE <= or >= GOAL (OP), as numbers with decimals.
meets() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { exit !((op == "<=" && v <= g) || (op == ">=" && v >= g)) }'; }

# ---- chroot ---------------------------------------------------------------------------------------------------
# chroot_runtime ROOT HOST: what `docker run --add-host HOST:127.0.0.1` adds to an image, and all a static
# q2google needs of a system besides a CA bundle: /dev/urandom and an /etc/hosts that names HOST. Root only (mknod).
chroot_runtime() {
  mkdir -p "$1/dev" "$1/etc"
  mknod -m 666 "$1/dev/urandom" c 1 9
  printf '127.0.0.1 localhost\n127.0.0.1 %s\n' "$2" >"$1/etc/hosts"
}

# make_chroot ROOT BIN CA HOST: an otherwise empty root holding BIN as /q2google, chroot_runtime's two files, an
# empty /home, and the system's CA bundle with CA appended (as a NAS's bundle would hold a private CA).
make_chroot() {
  local root=$1 bin=$2 ca=$3 host=$4 bundle=$1/etc/ssl/certs/ca-certificates.crt
  mkdir -p "$root/etc/ssl/certs" "$root/home"
  cp "$bin" "$root/q2google"
  chroot_runtime "$root" "$host"
  cat /etc/ssl/certs/ca-certificates.crt "$ca" >"$bundle" 2>/dev/null || cp "$ca" "$bundle"
}

# in_chroot ROOT TOKEN-JSON COMMAND...: COMMAND inside ROOT, bounded to 5 minutes, with no environment but
# HOME=/home and the login in memory (Q2GOOGLE_TOKEN_JSON: no token file). This machine exports SSL_CERT_FILE
# and SSL_CERT_DIR; a NAS does not, so nothing may leak in. The token goes by environment, never by argument,
# where ps would show it.
in_chroot() {
  local root=$1 token=$2 timeout chroot
  shift 2
  timeout=$(command -v timeout) chroot=$(command -v chroot)
  (
    for name in $(compgen -e); do unset "$name" 2>/dev/null || true; done
    export HOME=/home Q2GOOGLE_TOKEN_JSON="$token"
    exec "$timeout" 300 "$chroot" "$root" "$@"
  )
}
