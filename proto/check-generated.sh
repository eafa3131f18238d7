#!/usr/bin/env bash
# Fails when libs/contracts/src/generated is not what proto/ generates (stale or hand-edited).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r libs/contracts/src/generated "$tmp/committed"
bash proto/generate.sh
if ! diff -r "$tmp/committed" libs/contracts/src/generated > "$tmp/diff"; then
  cat "$tmp/diff" | head -50
  echo "generated contracts are stale: run 'npm run proto:generate' and commit" >&2
  exit 1
fi
echo "generated contracts are up to date"
