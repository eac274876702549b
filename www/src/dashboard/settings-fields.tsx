// The inputs of the settings form: numbers, currency codes, write-only
// secrets, and the contest's currency rates (a map currency -> value of one
// unit in the points currency) as editable rows. What they hold is plain data
// in settings-draft.ts.
import { blankRateRow, type RateRow, type SecretDraft } from "./settings-draft";
import { Field } from "./ui";

/** The attributes of an input for a three-letter currency code. */
export const CURRENCY_CODE_INPUT = {
  required: true,
  maxLength: 3,
  pattern: "[A-Za-z]{3}",
  autocomplete: "off",
  autoCapitalize: "characters",
  spellcheck: false,
} as const;

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
          onClick={() => onChange([...rows, blankRateRow()])}
        >
          Add a currency rate
        </button>
      </div>
    </div>
  );
}

/** A required number input with its label and hint; `whole`: integers only. */
export function NumberField(props: {
  id: string;
  label: string;
  hint: string;
  min: number;
  max: number;
  whole?: boolean;
  value: string;
  onInput: (e: { currentTarget: { value: string } }) => void;
}) {
  const { id, label, hint, min, max, whole = false, value, onInput } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="number"
        inputMode={whole ? "numeric" : "decimal"}
        min={min}
        max={max}
        step={whole ? 1 : "any"}
        required
        value={value}
        onInput={onInput}
        aria-describedby={`${id}-hint`}
      />
    </Field>
  );
}

/** A 3-letter currency code (ISO 4217); the API stores it upper-case. */
export function CurrencyField(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onInput: (e: { currentTarget: { value: string } }) => void;
}) {
  const { id, label, hint, value, onInput } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        value={value}
        onInput={onInput}
        {...CURRENCY_CODE_INPUT}
        aria-describedby={`${id}-hint`}
      />
    </Field>
  );
}

/** A write-only secret: typed to replace, or (when one is set) a box to remove it. */
export function SecretField(props: {
  id: string;
  label: string;
  hint: string;
  configured: boolean;
  draft: SecretDraft;
  onChange: (s: SecretDraft) => void;
}) {
  const { id, label, hint, configured, draft, onChange } = props;
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="password"
        autocomplete="off"
        spellcheck={false}
        maxLength={200}
        value={draft.value}
        disabled={draft.clear}
        onInput={(e) => onChange({ value: e.currentTarget.value, clear: false })}
        aria-describedby={`${id}-hint`}
      />
      {configured && (
        <div class="check">
          <input
            id={`${id}-clear`}
            type="checkbox"
            checked={draft.clear}
            onChange={(e) => onChange({ value: "", clear: e.currentTarget.checked })}
          />
          <label for={`${id}-clear`}>Remove the saved {label.toLowerCase()}</label>
        </div>
      )}
    </Field>
  );
}
