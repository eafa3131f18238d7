#!/usr/bin/env bash
# Installs the coding-agent CLIs the agents e2e tests and bench drive through aigw, pinned, into
# ${AIGW_CACHE:-~/.cache/aigw}/agents (outside git). Idempotent: a no-op when both are present.
# claude-code 2.1.197 is the newest whose `engines` allows Node 20 (2.1.198+ need Node 22); both
# packages bring their native linux-x64 binary as an npm optional dependency (no other download).
# Prints the agents folder; binaries are in <folder>/node_modules/.bin.
set -euo pipefail
CLAUDE_CODE_VERSION="2.1.197"
CODEX_VERSION="0.169.0"
DIR="${AIGW_CACHE:-$HOME/.cache/aigw}/agents"
STAMP="$DIR/.installed-claude-code-$CLAUDE_CODE_VERSION-codex-$CODEX_VERSION"
if [[ -f "$STAMP" && -x "$DIR/node_modules/.bin/claude" && -x "$DIR/node_modules/.bin/codex" ]]; then
  echo "$DIR"
  exit 0
fi
mkdir -p "$DIR"
# A lock so parallel test files do not install into the same folder at once.
exec 9>"$DIR/.install.lock"
flock 9
if [[ ! -f "$STAMP" ]]; then
  [[ -f "$DIR/package.json" ]] || echo '{"name":"aigw-agents","private":true}' >"$DIR/package.json"
  # The CLIs' own postinstall steps only pick the platform binary; no network beyond npm.
  DISABLE_AUTOUPDATER=1 npm install --prefix "$DIR" --no-audit --no-fund \
    --loglevel=error \
    "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "@openai/codex@$CODEX_VERSION" >&2
  "$DIR/node_modules/.bin/claude" --version >&2
  "$DIR/node_modules/.bin/codex" --version >&2
  rm -f "$DIR"/.installed-*
  touch "$STAMP"
fi
echo "$DIR"
