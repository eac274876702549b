// Numbers, money and dates as the dashboard shows them.
const integer = new Intl.NumberFormat("en-US");

export function count(n: number): string {
  return integer.format(n);
}

/** Revenue per currency, e.g. "$1,234.50 · €20.00"; "0" when none. */
export function revenue(byCurrency: Record<string, number>): string {
  const parts = Object.entries(byCurrency)
    .filter(([, amount]) => amount !== 0)
    .map(([currency, amount]) => {
      try {
        return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
      } catch {
        return `${amount} ${currency}`;
      }
    });
  return parts.length ? parts.join(" · ") : "0";
}

/** An ISO-8601 UTC timestamp as "2026-06-01 00:00 UTC". */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** An ISO-8601 UTC timestamp as a datetime-local value read as UTC ("2026-06-01T00:00"). */
export function toUtcInput(iso: string | null): string {
  return iso ? iso.slice(0, 16) : "";
}

/** A datetime-local value read as UTC, back to RFC 3339 ("2026-06-01T00:00:00Z"). */
export function fromUtcInput(value: string): string | null {
  if (value === "") return null;
  return value.length === 16 ? `${value}:00Z` : `${value}Z`;
}

/** A signed change of points: "+5", "-3", "0". */
export function signed(n: number): string {
  return n > 0 ? `+${integer.format(n)}` : integer.format(n);
}

/** An amount in major units of a currency: "$49.99". */
export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** When a contest ends, in its tense: "ends 2026-12-31 00:00 UTC" ahead,
 * "ended on 2026-06-01 12:00 UTC" once ended (when it ended, or the end date
 * that ended it), "ended" when no date says when; null: no end set. */
export function endText(c: { status: string; endsAt?: string | null; endedAt?: string | null }, now = Date.now()): string | null {
  const passed = c.endsAt != null && Date.parse(c.endsAt) <= now;
  if (c.status === "ended" || c.endedAt != null || passed) {
    const when = c.endedAt ?? (passed ? c.endsAt : null);
    return when ? `ended on ${utc(when)}` : "ended";
  }
  return c.endsAt ? `ends ${utc(c.endsAt)}` : null;
}
