import { DomainError } from '../errors/domain-error';

/** A page of a collection (SPEC §5): `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Opaque keyset cursors: the sort key of the last row of a page, as base64url JSON. Clients pass it back
 * unchanged; keyset (not offset) paging stays correct while rows are added or change.
 */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor into `length` key parts; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string, length: number): (string | number | null)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((k) => k === null || ['string', 'number'].includes(typeof k))) return key;
  } catch {
    // fall through to the 400
  }
  throw DomainError.validation('request.bad_cursor', [{ field: 'cursor', message: 'is not a cursor returned by this collection' }]);
}

/**
 * Decodes the cursor of a newest-first collection keyed by `(created_at, id)`. A cursor that decodes but holds
 * anything else is a 400 too, rather than reaching PostgreSQL's parsers (a 500).
 */
export function decodeCreatedCursor(cursor: string): [createdAt: string, id: string] {
  const [createdAt, id] = decodeCursor(cursor, 2);
  if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && typeof id === 'string' && UUID.test(id)) return [createdAt, id];
  throw DomainError.validation('request.bad_cursor', [{ field: 'cursor', message: 'is not a cursor returned by this collection' }]);
}

/** Takes `limit + 1` fetched rows and makes the page: the extra row only says there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, view: (row: R) => T, keyOf: (row: R) => readonly (string | number | null)[]): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items: items.map(view), nextCursor };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from a URL, or the nil uuid when it is not a uuid: it then matches nothing (404) instead of making
 * PostgreSQL's uuid parser fail (500). */
export function uuidOrNone(id: string): string {
  return UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000';
}
