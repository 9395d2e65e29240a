import { readFile } from 'node:fs/promises';

/**
 * The page's files: plain HTML, one ES module and one stylesheet, served as they are (no build step).
 * They live in the package's `dashboard/` folder, beside `src/` and `dist/`, so this resolves the same
 * from the sources (tests) and from the build (the published package).
 */
const ASSET_DIR = new URL('../../../dashboard/', import.meta.url);

export const DASHBOARD_ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;

export type DashboardAsset = keyof typeof DASHBOARD_ASSETS;

export function isDashboardAsset(name: string): name is DashboardAsset {
  return Object.hasOwn(DASHBOARD_ASSETS, name);
}

export function readDashboardAsset(name: DashboardAsset): Promise<Buffer> {
  return readFile(new URL(name, ASSET_DIR));
}
