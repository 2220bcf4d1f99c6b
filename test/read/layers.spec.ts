/**
 * The layers of src/ only point down (docs/architecture.md):
 * core ← model ← access ← write ← modules ← schema, http, db, main.
 * A file may import from its own layer and the layers below it, never above.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

const MAY_IMPORT: Record<string, string[]> = {
  core: ['core'],
  model: ['core', 'model'],
  access: ['core', 'model', 'access', 'config'],
  write: ['core', 'model', 'access', 'write', 'config'],
  modules: ['core', 'model', 'access', 'write', 'modules', 'config'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level folder (or file stem) of src/ that a relative import of `file` lands in. */
function layerOf(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
  if (target.startsWith('..')) return 'outside src';
  return target.split(path.sep)[0].replace(/\.ts$/, '');
}

test('each layer imports only from itself and the layers below it', () => {
  const violations: string[] = [];
  for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
    for (const file of filesUnder(path.join(SRC, layer))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const target = layerOf(file, match[1]);
        if (target && !allowed.includes(target)) violations.push(`${path.relative(SRC, file)} imports ${match[1]} (${target})`);
      }
    }
  }
  expect(violations).toEqual([]);
});

test('every layer exists, so the check above cannot pass by walking nothing', () => {
  for (const layer of Object.keys(MAY_IMPORT)) expect(filesUnder(path.join(SRC, layer)).length).toBeGreaterThan(0);
});
