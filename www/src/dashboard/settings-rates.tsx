// The contest's currency rates (a map currency -> value of one unit in the
// points currency) as editable rows, and the map the API takes back.

/** The attributes of an input for a three-letter currency code. */
export const CURRENCY_CODE_INPUT = {
  required: true,
  maxLength: 3,
  pattern: "[A-Za-z]{3}",
  autocomplete: "off",
  autoCapitalize: "characters",
  spellcheck: false,
} as const;

/** One row as the inputs hold it; `key` keeps a row's inputs when another is removed. */
export interface RateRow {
  key: number;
  code: string;
  rate: string;
}

let nextKey = 0;

export function rateRows(rates: Record<string, number>): RateRow[] {
  return Object.entries(rates)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, rate]) => ({ key: nextKey++, code, rate: String(rate) }));
}

/** The rows as the API's map (codes upper-case), or the problem to show. */
export function ratesOf(rows: RateRow[]): { rates: Record<string, number> } | { problem: string } {
  const rates: Record<string, number> = {};
  for (const row of rows) {
    const code = row.code.trim().toUpperCase();
    if (code === "" && row.rate.trim() === "") continue; // an empty row added and left
    if (!/^[A-Z]{3}$/.test(code)) return { problem: `Currency rates: "${row.code}" is not a 3-letter currency code.` };
    if (code in rates) return { problem: `Currency rates: ${code} is listed twice.` };
    const rate = Number(row.rate);
    if (row.rate.trim() === "" || !Number.isFinite(rate) || rate <= 0) {
      return { problem: `Currency rates: the rate of ${code} must be a number above 0.` };
    }
    rates[code] = rate;
  }
  return { rates };
}

/** Whether two maps hold the same rates. */
export function sameRates(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

export function RatesEditor({
  rows,
  pointsCurrency,
  onChange,
}: {
  rows: RateRow[];
  pointsCurrency: string;
  onChange: (rows: RateRow[]) => void;
}) {
  const unit = pointsCurrency.trim().toUpperCase() || "the points currency";
  const update = (key: number, patch: Partial<RateRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <div class="rates">
      <p class="hint" id="rates-hint">
        The value of one unit of each currency in {unit} (e.g. EUR 1.08). A purchase in a currency with no rate counts
        1:1 and its points wait for review.
      </p>
      {rows.length === 0 ? (
        <p class="quiet">No rates: every purchase is counted in {unit}.</p>
      ) : (
        <ul class="rate-rows" aria-label="Currency rates">
          {rows.map((row, i) => {
            const n = i + 1;
            return (
              <li key={row.key} class="rate-row">
                <div class="field">
                  <label for={`rate-code-${row.key}`}>Currency {n}</label>
                  <input
                    id={`rate-code-${row.key}`}
                    value={row.code}
                    onInput={(e) => update(row.key, { code: e.currentTarget.value })}
                    {...CURRENCY_CODE_INPUT}
                    aria-describedby="rates-hint"
                  />
                </div>
                <div class="field">
                  <label for={`rate-value-${row.key}`}>Rate {n} (in {unit})</label>
                  <input
                    id={`rate-value-${row.key}`}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={1000000}
                    step="any"
                    required
                    value={row.rate}
                    onInput={(e) => update(row.key, { rate: e.currentTarget.value })}
                  />
                </div>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                >
                  Remove currency {n}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div class="actions">
        <button
          type="button"
          class="secondary"
          disabled={rows.length >= 200}
          onClick={() => onChange([...rows, { key: nextKey++, code: "", rate: "" }])}
        >
          Add a currency rate
        </button>
      </div>
    </div>
  );
}
