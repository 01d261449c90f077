#!/bin/sh
# Makes a development CA and the certificates docker-compose.yml mounts from ./deploy/certs:
#   ca.crt               the CA both services trust (TLS_CLIENT_CA, GOALS_TLS_CA) and buf curl checks with (--cacert)
#   goals.crt/.key       the goals service: server certificate for DNS goals and localhost
#   meals.crt/.key       the meals service: server certificate for DNS meals and localhost, and its client
#                        identity toward goals (spiffe://mealplan.example/meals)
#   admin.crt/.key       an operator (spiffe://mealplan.example/admin: any method in deploy/policy.example.yaml)
#   reporting.crt/.key   a read-only caller (spiffe://mealplan.example/reporting)
# Usage: deploy/make-dev-certs.sh [directory]   (default deploy/certs). For development only: the keys are
# world-readable so that the containers' user can read them through the bind mount, and valid for 30 days.
set -eu
dir=${1:-"$(dirname "$0")/certs"}
days=30
trust_domain=spiffe://mealplan.example
mkdir -p "$dir"
cd "$dir"

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

ec_key ca
openssl req -x509 -new -key ca.key -out ca.crt -days "$days" -subj "/CN=mealplan development CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

# leaf NAME SUBJECT_ALT_NAMES EXTENDED_KEY_USAGE
leaf() {
  ec_key "$1"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1"
  printf 'basicConstraints=critical,CA:FALSE\nsubjectAltName=%s\nextendedKeyUsage=%s\n' "$2" "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days "$days" -out "$1.crt" -extfile "$1.ext"
  rm "$1.csr" "$1.ext"
}

leaf goals "DNS:goals,DNS:localhost,IP:127.0.0.1,URI:$trust_domain/goals" serverAuth,clientAuth
leaf meals "DNS:meals,DNS:localhost,IP:127.0.0.1,URI:$trust_domain/meals" serverAuth,clientAuth
leaf admin "URI:$trust_domain/admin" clientAuth
leaf reporting "URI:$trust_domain/reporting" clientAuth

chmod 644 ./*.key ./*.crt
rm ca.key
echo "certificates in $(pwd): ca.crt goals meals admin reporting"
