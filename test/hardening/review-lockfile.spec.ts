/**
 * `npm install` in a fresh clone must not rewrite the tracked lockfile.
 * Node.js 20 ships npm 10, which drops the `libc` fields that npm 11 writes
 * for platform-specific optional packages; npm 11 keeps a lockfile without
 * them as it is. So the lockfile is committed in the form both write: no
 * `libc` fields, and a root entry that matches package.json exactly (any
 * difference makes every npm rewrite it).
 *
 * Checked by hand with both npm versions (network needed, so not here):
 *   git clone -b <branch> <repo> /tmp/v && cd /tmp/v
 *   npm install --no-audit --no-fund && git status --porcelain      # npm 11: prints nothing
 *   npx -y npm@10.8.2 install --no-audit --no-fund --ignore-scripts && git status --porcelain   # prints nothing
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));

test('the root lockfile has no libc fields (npm 10 would remove them on install)', () => {
  const lock = read('package-lock.json');
  const withLibc = Object.entries(lock.packages as Record<string, { libc?: unknown }>).filter(([, p]) => p.libc !== undefined).map(([name]) => name);
  expect(withLibc).toEqual([]);
});

test('the lockfile\'s root entry matches package.json', () => {
  const lock = read('package-lock.json');
  const pkg = read('package.json');
  const root = lock.packages[''];
  expect({ name: lock.name, version: lock.version, lockfileVersion: lock.lockfileVersion }).toEqual({ name: pkg.name, version: pkg.version, lockfileVersion: 3 });
  expect({ dependencies: root.dependencies, devDependencies: root.devDependencies, engines: root.engines, license: root.license }).toEqual({
    dependencies: pkg.dependencies, devDependencies: pkg.devDependencies, engines: pkg.engines, license: pkg.license,
  });
});
