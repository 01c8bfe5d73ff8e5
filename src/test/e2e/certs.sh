#!/usr/bin/env bash
# Test CA and SPIFFE workload certificates for the mini-mesh, like istiod would issue them:
# the identity is the URI SAN, the subject is empty of meaning. Usage: certs.sh DIR TRUST_DOMAIN
set -euo pipefail
dir=$1 td=$2
mkdir -p "$dir"
cd "$dir"
ossl() { openssl "$@" 2>/dev/null; }

ossl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout ca.key -out ca.pem \
  -days 2 -subj "/O=mtls-probe e2e/CN=e2e mesh CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

# leaf NAME SPIFFE_ID: NAME.pem holds certificate then key, as HAProxy's crt wants it.
leaf() {
  local name=$1 id=$2
  ossl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -keyout "$name.key" -out "$name.csr" \
    -subj "/O=mtls-probe e2e/CN=$name"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=critical,URI:$id" > "$name.ext"
  ossl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "$name.ext" \
    -out "$name.crt"
  cat "$name.crt" "$name.key" > "$name.pem"
  rm -f "$name.csr" "$name.ext"
}
leaf server "spiffe://$td/ns/e2e-server/sa/httpbin"
leaf client "spiffe://$td/ns/e2e-client/sa/mtls-probe"
chmod 644 ./*.pem ./*.key # the HAProxy master (root) reads them before dropping to uid 1337
