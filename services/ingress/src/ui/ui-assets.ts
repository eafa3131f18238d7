import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One static file of the dashboard, read once at start. */
export interface UiAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const files: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/**
 * Loads the dashboard's files from `dist/ui/assets` (copied there by the build, see
 * services/ingress/scripts/copy-ui-assets.mjs). Only these names are ever served.
 */
export function loadUiAssets(directory: string = join(__dirname, 'assets')): Map<string, UiAsset> {
  const assets = new Map<string, UiAsset>();
  for (const [name, contentType] of Object.entries(files)) {
    assets.set(name, { contentType, body: readFileSync(join(directory, name)) });
  }
  return assets;
}
