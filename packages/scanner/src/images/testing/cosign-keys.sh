#!/bin/sh
# Generates a cosign-style signing key pair with OpenSSL: ECDSA P-256, what `cosign generate-key-pair`
# makes (cosign encrypts its private key; tests need no passphrase). Usage: cosign-keys.sh <dir> [name]
set -eu
dir="$1"
name="${2:-cosign}"
mkdir -p "$dir"
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$name.key" 2>/dev/null
openssl ec -in "$dir/$name.key" -pubout -out "$dir/$name.pub" 2>/dev/null
