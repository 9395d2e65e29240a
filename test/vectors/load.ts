import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads the shared signature vectors copied from ../shared/vectors (see test/vectors/README.md). */
export function loadVectors(file: string): Record<string, unknown>[] {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function vectorKey(name: 'app_private' | 'app_public' | 'platform_private' | 'platform_public'): string {
  return readFileSync(fileURLToPath(new URL(`keys/${name}.pem`, import.meta.url)), 'utf8');
}
