# Sourced by the .ci/prove-* and benchmark scripts: a throwaway CA, and the emulator serving HTTPS with a
# certificate from it. Nothing here trusts the CA system-wide; each client is told about it explicitly.

# make_test_ca DIR HOST: DIR/ca.crt (the CA), DIR/server.crt + DIR/server.key (for HOST and 127.0.0.1).
make_test_ca() {
  local dir=$1 host=$2
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=q2google CI throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$host" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s,IP:127.0.0.1\n' \
    "$host" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
  openssl verify -CAfile "$dir/ca.crt" "$dir/server.crt" >/dev/null
}

# start_tls_emulator BIN DIR HOST: runs `BIN emulator` over HTTPS with DIR's certificate, handing out URLs with
# HOST; sets emu_pid, emu_url (https://HOST:PORT/) and emu_port. Its data (token.json, …) goes to DIR/emu.
start_tls_emulator() {
  local bin=$1 dir=$2 host=$3
  # A URL file left by an earlier emulator would be read before the new one truncates it.
  rm -f "$dir/emu.url"
  "$bin" emulator --port 0 --data-dir "$dir/emu" --tls-cert "$dir/server.crt" --tls-key "$dir/server.key" --host-name "$host" \
    >"$dir/emu.url" 2>"$dir/emu.log" &
  emu_pid=$!
  for _ in $(seq 100); do [ -s "$dir/emu.url" ] && break; sleep 0.1; done
  emu_url=$(head -1 "$dir/emu.url")
  if [[ $emu_url != https://"$host":* ]]; then
    cat "$dir/emu.log" >&2
    echo "the emulator did not start with TLS (got '$emu_url')" >&2
    return 1
  fi
  emu_port=${emu_url##*:}
  emu_port=${emu_port%/}
}

stop_emulator() {
  if [ -n "${emu_pid:-}" ]; then
    kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
    emu_pid=
  fi
  return 0
}

# emulator_has_sha256 DIR FILE: whether the emulator holds a media item with FILE's exact bytes (asked over
# HTTPS with curl, which trusts only the throwaway CA and resolves the made-up host name to 127.0.0.1).
emulator_has_sha256() {
  local dir=$1 file=$2 host=${emu_url#https://}
  host=${host%%:*}
  curl -sSf --cacert "$dir/ca.crt" --resolve "$host:$emu_port:127.0.0.1" "${emu_url}emulator/state" \
    | grep -q "\"sha256\":\"$(sha256sum "$file" | cut -d' ' -f1)\""
}

# make_photo FILE BYTES / make_video FILE BYTES: random content behind a real JPEG / MP4 signature, since
# q2google skips a file whose first bytes are no photo or video format, whatever its name.
make_photo() { { printf '\xff\xd8\xff\xe0'; head -c $(($2 - 4)) /dev/urandom; } >"$1"; }
make_video() { { printf '\x00\x00\x00\x18ftypmp42'; head -c $(($2 - 12)) /dev/urandom; } >"$1"; }
