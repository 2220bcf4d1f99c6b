/**
 * Opaque global ids (Relay): base64url("Type:uuid"). Clients must not parse
 * them; the server decodes and checks the type before any lookup.
 */
import { BadUserInputError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedId { type: string; id: string }

/** null when the text is not a well-formed global id. */
export function parseGlobalId(globalId: string): DecodedId | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) {
    return null;
  }
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = text.indexOf(':');
  if (sep <= 0) return null;
  const type = text.slice(0, sep);
  const id = text.slice(sep + 1);
  if (!/^[A-Za-z]+$/.test(type) || !UUID.test(id)) return null;
  return { type, id: id.toLowerCase() };
}

/** Decodes an id that must name an object of one of `types`; BAD_USER_INPUT otherwise. */
export function decodeId(globalId: string, types: string | string[], field = 'id'): string {
  const allowed = Array.isArray(types) ? types : [types];
  const decoded = parseGlobalId(globalId);
  if (!decoded) throw new BadUserInputError(`${field}: "${String(globalId).slice(0, 60)}" is not a valid id`, field);
  if (!allowed.includes(decoded.type)) {
    throw new BadUserInputError(`${field}: expected the id of a ${allowed.join(' or ')}, got the id of a ${decoded.type}`, field);
  }
  return decoded.id;
}
