#!/usr/bin/env node
/**
 * Installs the portal's own dependencies (web/package-lock.json) with `npm ci`,
 * skipping the work when web/node_modules already matches the lockfile. Run
 * by the root package's postinstall, so `npm install` at the root is enough.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = path.join(web, 'package-lock.json');
const marker = path.join(web, 'node_modules', '.vantage-lock-sha256');
const wanted = createHash('sha256').update(readFileSync(lock)).digest('hex');

if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === wanted) {
  console.log('portal dependencies are up to date (web/node_modules)');
} else {
  console.log('installing the portal dependencies (web/package-lock.json)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // npm_config_* of the root install (e.g. --omit=dev, --prefix) must not leak into this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_')));
  // Engine warnings from the code generator's dependencies (they declare Node 22; the generator runs on Node 20, as every build shows) would bury the output.
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--include=dev', '--loglevel=error'], { cwd: web, stdio: 'inherit', env });
  writeFileSync(marker, `${wanted}\n`);
}
