/**
 * Trusted documents: in production a browser session (a token from `login`)
 * may run only the portal's own operations, the allow-list built with the
 * portal (web/dist/persisted-documents.json). A stolen session token then
 * cannot be used to explore the graph with hand-written queries. API tokens
 * are held to the same list unless they allow any document (their
 * `allowsAnyDocument`, asked for when the token is created: integrations);
 * the viewer carries it, so deciding reads nothing. Anonymous requests are
 * not restricted: without a viewer they can only sign in.
 *
 * The portal sends its documents in full. They are compared by a canonical
 * form (printed, definitions in a fixed order, `__typename` selections
 * removed, since the portal's client adds them), so whitespace and the
 * client's additions do not matter and nothing else gets through.
 *
 * Refused: HTTP 400, code PERSISTED_QUERY_NOT_ALLOWED, before any resolver
 * runs (after validation and the protection layer, which still count).
 * TRUSTED_DOCUMENTS=off turns it off (default: on in production only).
 */
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, parse, print, visit, type DefinitionNode, type DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../access/context';
import type { Viewer } from '../access/viewer';
import { currentRequest } from '../core/request-meta';
import { WEB_DIST } from './web';

export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';
export const PERSISTED_DOCUMENTS_FILE = path.join(WEB_DIST, 'persisted-documents.json');

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function definitionKey(d: DefinitionNode): string {
  if (d.kind === Kind.OPERATION_DEFINITION) return `0 ${d.name?.value ?? ''}`;
  if (d.kind === Kind.FRAGMENT_DEFINITION) return `1 ${d.name.value}`;
  return `2 ${d.kind}`;
}

/** The text two documents share when they differ only in layout, definition order or added `__typename`s. */
export function canonicalDocument(document: DocumentNode): string {
  const stripped = visit(document, {
    Field(node) {
      // Removing a root `__typename` too keeps the form simple; a document of only `{ __typename }` never matches a portal operation anyway.
      if (node.name.value === '__typename' && !node.alias) return null;
      return undefined;
    },
  });
  const definitions = [...stripped.definitions].sort((a, b) => (definitionKey(a) < definitionKey(b) ? -1 : definitionKey(a) > definitionKey(b) ? 1 : 0));
  return print({ kind: Kind.DOCUMENT, definitions });
}

export class TrustedDocuments {
  private readonly allowed: Set<string>;

  constructor(documents: Record<string, string>) {
    this.allowed = new Set();
    for (const [hash, text] of Object.entries(documents)) {
      if (sha256(text) !== hash) throw new Error(`persisted documents: the entry ${hash.slice(0, 12)}… does not match its SHA-256`);
      this.allowed.add(sha256(canonicalDocument(parse(text))));
    }
  }

  static load(file = PERSISTED_DOCUMENTS_FILE): TrustedDocuments {
    if (!existsSync(file)) {
      throw new Error(`TRUSTED_DOCUMENTS is on but ${file} is missing: build the portal (npm run build:web), or set TRUSTED_DOCUMENTS=off`);
    }
    return new TrustedDocuments(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
  }

  get size(): number {
    return this.allowed.size;
  }

  allows(document: DocumentNode): boolean {
    return this.allowed.has(sha256(canonicalDocument(document)));
  }
}

/** Whether the viewer's credential may send documents outside the allow-list: an API token that allows any document. */
export function mayRunAnyDocument(viewer: Viewer): boolean {
  return viewer.apiTokenId !== null && viewer.tokenAllowsAnyDocument === true;
}

/** The refusal of a document outside the allow-list, saying what would be allowed. */
export function notAllowedMessage(viewer: Viewer): string {
  return viewer.apiTokenId
    ? 'This operation is not one of the portal\'s: this API token may send only the portal\'s own operations. '
      + 'For other queries, create an API token that allows any document (createApiToken with allowAnyDocument: true, or vantage token create --any-document).'
    : 'This operation is not one of the portal\'s: a signed-in session may send only the portal\'s own operations. '
      + 'Use an API token that allows any document for other queries.';
}

export function trustedDocumentsPlugin(trusted: TrustedDocuments): ApolloServerPlugin<Context> {
  // The canonical form of each query text seen and allowed, by Apollo's hash of the text: the portal sends few distinct texts.
  const allowedTexts = new Set<string>();
  return {
    async requestDidStart() {
      return {
        // Here rather than in didResolveOperation: after the protection layer has decided, so its answers (cost, rate) come first.
        async responseForOperation(rc) {
          const viewer = rc.contextValue.viewer;
          if (!viewer || mayRunAnyDocument(viewer)) return null;
          const textHash = rc.queryHash;
          if (textHash && allowedTexts.has(textHash)) return null;
          if (trusted.allows(rc.document)) {
            if (textHash && allowedTexts.size < 10_000) allowedTexts.add(textHash);
            return null;
          }
          const meta = currentRequest();
          if (meta) (meta.errorCodes ??= []).push(PERSISTED_QUERY_NOT_ALLOWED);
          return {
            http: { status: 400, headers: new HeaderMap() },
            body: {
              kind: 'single',
              singleResult: {
                errors: [{
                  message: notAllowedMessage(viewer),
                  extensions: { code: PERSISTED_QUERY_NOT_ALLOWED },
                }],
              },
            },
          };
        },
      };
    },
  };
}
