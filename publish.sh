#!/usr/bin/env bash
# Builds the NativeAOT q2google into artifacts/, with a .sha256 beside each file.
#   ./publish.sh              every target below
#   ./publish.sh linux-x64    just that one
# Fails on any trim/AOT warning. Run as root on Debian/Ubuntu and it installs the compilers it needs.
set -euo pipefail
cd "$(dirname "$0")"

all_targets=(linux-x64)
targets=("${@:-${all_targets[@]}}")

packages_for() {
  case "$1" in
    linux-x64) echo "clang" ;;
    *) echo "publish.sh: unknown target '$1' (known: ${all_targets[*]})" >&2; exit 2 ;;
  esac
}

need=()
for target in "${targets[@]}"; do
  for package in $(packages_for "$target"); do
    dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
  done
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "publish.sh: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "publish.sh: missing packages: ${need[*]} (install them, e.g. sudo apt-get install ${need[*]})" >&2
    exit 2
  fi
fi

mkdir -p artifacts
for target in "${targets[@]}"; do
  out="artifacts/$target"
  log="artifacts/$target.log"
  props=()
  rid=$target
  case "$target" in
    linux-x64) ;;
  esac
  echo "publish.sh: building $target"
  rm -rf "$out.publish"
  # From scratch: an up-to-date native step prints no warnings, and we must see them all.
  rm -rf "Q2Google.Native/obj/Release/net10.0/$rid" "Q2Google.Native/bin/Release/net10.0/$rid"
  if ! dotnet publish Q2Google.Native -c Release -r "$rid" -o "$out.publish" "${props[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "publish.sh: $target failed" >&2
    exit 1
  fi
  # IL2xxx (trimming) and IL3xxx (AOT) warnings mean code that may break only in the published binary.
  if grep -E "warning IL[0-9]{4}" "$log" >&2; then
    echo "publish.sh: $target has trim/AOT warnings (above); fix them" >&2
    exit 1
  fi
  mv "$out.publish/q2google" "artifacts/q2google-$target"
  rm -rf "$out.publish"
  (cd artifacts && sha256sum "q2google-$target" >"q2google-$target.sha256")
  size=$(stat -c %s "artifacts/q2google-$target")
  awk -v t="$target" -v s="$size" 'BEGIN { printf "publish.sh: artifacts/q2google-%s  %d bytes (%.1f MB)\n", t, s, s / 1000000 }'
done
