#!/usr/bin/env bash
# Prepares a patched copy of the FerretDB module for the launcher's build and tests.
#
#   tools/ferretdb-launcher/prepare.sh WORKDIR
#
# Copies the module that go.mod requires (from the Go module cache, downloading it
# through the module proxy if needed) into WORKDIR/ferretdb, applies ferretdb.patch
# (why: tools/ferretdb-launcher/README.md), and writes WORKDIR/launcher.mod and
# WORKDIR/launcher.sum: the launcher's go.mod and go.sum plus a replace onto the copy.
# Build or test with `go build -modfile=WORKDIR/launcher.mod` from this folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
mkdir -p "$work"
work=$(cd "$work" && pwd)

module=github.com/FerretDB/FerretDB
version=$(cd "$here" && go list -m -f '{{.Version}}' "$module")
dir=$(cd "$here" && GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -d "$dir" ] || { echo "prepare.sh: module $module@$version not found in the Go module cache" >&2; exit 1; }

rm -rf "$work/ferretdb"
cp -R "$dir" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"
# A repository of its own, so that git apply patches this copy and nothing around it.
git -C "$work/ferretdb" init -q
git -C "$work/ferretdb" apply --whitespace=nowarn "$here/ferretdb.patch"
rm -rf "$work/ferretdb/.git"

cp "$here/go.mod" "$work/launcher.mod"
cp "$here/go.sum" "$work/launcher.sum"
printf '\nreplace %s => %s\n' "$module" "$work/ferretdb" >> "$work/launcher.mod"
