import { decodeId } from '../core/global-id';

/** Decodes a global id of the expected type in a mutation's input (BAD_USER_INPUT otherwise). */
export function idOf(globalId: string, type: string, field: string): string {
  return decodeId(globalId, type, `input.${field}`);
}
