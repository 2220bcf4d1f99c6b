/**
 * The portal's trusted documents: each operation of src/graphql/*.graphql
 * with the fragments it uses, printed, keyed by the SHA-256 of that text,
 * written to dist/persisted-documents.json at build time. In production the
 * server runs only these documents for browser sessions and for API tokens
 * that do not allow any document (src/http/trusted-documents.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, visit } from 'graphql';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function collectDocuments(dir = path.join(web, 'src', 'graphql')) {
  const definitions = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .flatMap((f) => parse(readFileSync(path.join(dir, f), 'utf8')).definitions);
  const fragments = new Map(definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const documents = {};
  for (const operation of definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)) {
    const used = new Map();
    const collect = (node) =>
      visit(node, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          if (used.has(name) || !fragments.has(name)) return;
          used.set(name, fragments.get(name));
          collect(fragments.get(name));
        },
      });
    collect(operation);
    const text = print({ kind: Kind.DOCUMENT, definitions: [operation, ...[...used.keys()].sort().map((n) => used.get(n))] });
    documents[createHash('sha256').update(text).digest('hex')] = text;
  }
  return documents;
}

/** Vite plugin: emits dist/persisted-documents.json with the build. */
export function persistedDocuments() {
  return {
    name: 'vantage-persisted-documents',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'persisted-documents.json', source: `${JSON.stringify(collectDocuments(), null, 2)}\n` });
    },
  };
}
