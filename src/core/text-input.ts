/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a statement with
 * one fails inside the database, long after GraphQL accepted the value. Every
 * text the client sends — string literals anywhere in the document (arguments,
 * nested input objects, lists, variable defaults) and every string in the
 * variables, at any depth — is checked once, before anything runs.
 */
import { Kind, visit, type DocumentNode } from 'graphql';

export interface NulFound {
  /** Where: `$input.filter.search` for a variable, `literal` for the document. */
  where: string;
}

function inValue(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = inValue(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key.includes('\u0000')) return `${path}.${key.replace(/\u0000/g, '\\u0000')}`;
    const found = inValue(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function findNul(document: DocumentNode, variables: Record<string, unknown> | undefined): NulFound | null {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = inValue(value, `$${name}`);
    if (found) return { where: found };
  }
  let literal: NulFound | null = null;
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes('\u0000')) {
        literal = { where: 'a string literal' };
        return false;
      }
      return undefined;
    },
  });
  return literal;
}

export function nulMessage(found: NulFound): string {
  return `Text values must not contain the NUL character (\\u0000): found in ${found.where}`;
}
