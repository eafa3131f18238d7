#!/usr/bin/env node
// The `aigw` command; the TypeScript CLI is compiled to dist/ by `npm run build`.
require('../dist/cli.js');
