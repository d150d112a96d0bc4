/**
 * The moment an allow entry stops applying. A bare date means the whole day is included:
 * `expires: 2026-03-31` still applies on 31 March (UTC) and stops at 1 April 00:00 UTC.
 *
 * @public
 */
export function parseExpiry(expires: string): Date | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expires);
  if (day) {
    const date = new Date(
      Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1),
    );
    // Reject 2026-02-30 and friends, which Date would roll over silently.
    const previous = new Date(date.getTime() - 86_400_000);
    return previous.toISOString().slice(0, 10) === expires ? date : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(expires)) return undefined;
  const time = Date.parse(expires);
  return Number.isNaN(time) ? undefined : new Date(time);
}
