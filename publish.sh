#!/usr/bin/env bash
# Builds the NativeAOT q2google into artifacts/, with a .sha256 beside each file.
#   ./publish.sh                       every target below
#   ./publish.sh linux-x64-static ...  just those
# Targets: linux-x64 (dynamic: glibc >= 2.34 and OpenSSL 3 or 1.1 on the target), linux-arm64 (the same,
# cross-compiled), and linux-x64-static / linux-arm64-static (glibc and OpenSSL linked in: any Linux kernel of
# that architecture, no libraries needed). Builds on an x86_64 Debian/Ubuntu machine; run as root and it
# installs the packages it needs, otherwise it names the missing ones. Fails on any trim/AOT warning.
set -euo pipefail
cd "$(dirname "$0")"

all_targets=(linux-x64 linux-arm64 linux-x64-static linux-arm64-static)
targets=("${@:-${all_targets[@]}}")

packages_for() {
  case "$1" in
    linux-x64) echo "clang" ;;
    # gcc/bfd links the non-PIE static binary; cmake builds .NET's OpenSSL shim against libssl.a.
    linux-x64-static) echo "gcc libc6-dev libssl-dev:amd64 cmake make pkgconf" ;;
    # clang cross-links (gcc cannot with the flags ILC passes); llvm's objcopy strips; the aarch64 gcc gives glibc and crt files.
    linux-arm64) echo "clang llvm lld gcc-aarch64-linux-gnu" ;;
    linux-arm64-static) echo "clang llvm lld gcc-aarch64-linux-gnu cmake make pkgconf libssl-dev:arm64" ;;
  esac
}

for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "publish.sh: unknown target '$target' (known: ${all_targets[*]})" >&2; exit 2; }
done

if [ "$(uname -m)" != x86_64 ]; then
  echo "publish.sh: builds on an x86_64 machine (this one is $(uname -m)); the arm64 targets are cross-compiled from there" >&2
  exit 2
fi

installed() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }
need=()
for target in "${targets[@]}"; do
  for package in $(packages_for "$target"); do
    installed "$package" || [[ " ${need[*]} " == *" $package "* ]] || need+=("$package")
  done
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # libssl-dev:arm64 comes from Debian's arm64 archive, which apt reads only once the architecture is added.
    if [[ " ${need[*]} " == *":arm64 "* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
      echo "publish.sh: adding the arm64 package architecture (for libssl-dev:arm64)"
      dpkg --add-architecture arm64
    fi
    echo "publish.sh: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "publish.sh: missing packages: ${need[*]}" >&2
    if [[ " ${need[*]} " == *":arm64 "* ]]; then
      echo "  as root: dpkg --add-architecture arm64 && apt-get update && apt-get install ${need[*]}" >&2
    else
      echo "  as root: apt-get install ${need[*]}" >&2
    fi
    exit 2
  fi
fi

mkdir -p artifacts
for target in "${targets[@]}"; do
  out="artifacts/$target"
  log="artifacts/$target.log"
  props=()
  env=()
  static=false
  case "$target" in
    linux-x64 | linux-arm64) rid=$target ;;
    linux-x64-static)
      rid=linux-x64 static=true
      # Non-PIE: bfd asserts on a static-PIE link of this size.
      props=(-p:StaticExecutable=true -p:PositionIndependentExecutable=false -p:CppCompilerAndLinker=gcc -p:StaticOpenSslLinking=true)
      ;;
    linux-arm64-static)
      rid=linux-arm64 static=true
      # The OpenSSL shim is built by cmake with plain CC=clang: CFLAGS makes it aarch64, and PKG_CONFIG_LIBDIR
      # keeps FindOpenSSL from picking the x86_64 libcrypto (which silently builds the shim without ALPN).
      # lld, because llvm-objcopy cannot strip what bfd links for a static aarch64 binary.
      env=(CFLAGS=--target=aarch64-linux-gnu PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig)
      props=(-p:StaticExecutable=true -p:PositionIndependentExecutable=false -p:StaticOpenSslLinking=true -p:LinkerFlavor=lld)
      ;;
  esac
  echo "publish.sh: building $target"
  rm -rf "$out.publish"
  # From scratch: an up-to-date native step prints no warnings, and we must see them all. The static and
  # dynamic builds of one RID share these folders (and cmake caches which libssl it found), so neither may
  # reuse the other's.
  rm -rf "Q2Google.Native/obj/Release/net10.0/$rid" "Q2Google.Native/bin/Release/net10.0/$rid"
  if ! env "${env[@]}" dotnet publish Q2Google.Native -c Release -r "$rid" -o "$out.publish" "${props[@]}" >"$log" 2>&1; then
    cat "$log" >&2
    echo "publish.sh: $target failed" >&2
    exit 1
  fi
  # IL2xxx (trimming) and IL3xxx (AOT) warnings mean code that may break only in the published binary.
  if grep -E "warning IL[0-9]{4}" "$log" >&2; then
    echo "publish.sh: $target has trim/AOT warnings (above); fix them" >&2
    exit 1
  fi
  if $static && ! grep -q 'SSL_get0_alpn_selected - found' "$log"; then
    echo "publish.sh: $target: the OpenSSL shim was built against the wrong libcrypto (no ALPN found); see $log" >&2
    exit 1
  fi
  mv "$out.publish/q2google" "artifacts/q2google-$target"
  # Stack traces in a bug report are addresses (StackTraceSupport=false keeps the binary small): this build's symbols
  # turn them back into names (llvm-symbolizer --obj=artifacts/symbols/q2google-TARGET.dbg ADDRESS). Not for download.
  mkdir -p artifacts/symbols
  cp "Q2Google.Native/bin/Release/net10.0/$rid/native/q2google.dbg" "artifacts/symbols/q2google-$target.dbg"
  rm -rf "$out.publish"
  if $static && readelf -d "artifacts/q2google-$target" | grep -q NEEDED; then
    echo "publish.sh: $target is not static: it needs $(readelf -d "artifacts/q2google-$target" | grep NEEDED | tr -s ' ' | cut -d' ' -f6 | tr '\n' ' ')" >&2
    exit 1
  fi
  (cd artifacts && sha256sum "q2google-$target" >"q2google-$target.sha256")
  size=$(stat -c %s "artifacts/q2google-$target")
  awk -v t="$target" -v s="$size" 'BEGIN { printf "publish.sh: artifacts/q2google-%s  %d bytes (%.1f MB)\n", t, s, s / 1000000 }'
done
# The static and cross builds leave Release obj/ folders behind; a plain `dotnet test` restores and builds
# Debug without a RID on its own, so nothing here needs undoing.
