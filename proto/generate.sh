#!/usr/bin/env bash
# Regenerates libs/contracts/src/generated from proto/ with the pinned buf and ts-proto.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf ../libs/contracts/src/generated
../node_modules/.bin/buf generate
../node_modules/.bin/prettier --log-level warn --write ../libs/contracts/src/generated
