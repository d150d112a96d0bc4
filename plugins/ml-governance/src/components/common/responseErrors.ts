import type { ResponseError } from '@backstage/errors';

/** The backend has nothing for this entity yet (never scanned, or unknown to it). */
export function isNotFound(error: Error | undefined): boolean {
  return (error as Partial<ResponseError> | undefined)?.statusCode === 404;
}

/** Someone else changed the record first (a stale revision). */
export function isConflict(error: Error | undefined): boolean {
  return (error as Partial<ResponseError> | undefined)?.statusCode === 409;
}
