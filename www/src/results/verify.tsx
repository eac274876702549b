// "Verify this draw": on a press, the checks of ./check.ts one by one, then
// the sequence step by step (k, x, W, rejected or the pick) and the verdict.
import { useState } from "preact/hooks";
import type { Draw } from "./api";
import { verifyDraw, type Check, type Outcome } from "./check";

export function Verify({ d, finalizedAt, contestId, prizeId }: { d: Draw; finalizedAt: string | null; contestId: string; prizeId: string }) {
  const [checks, setChecks] = useState<Check[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setOutcome(null);
    const seen: Check[] = [];
    setChecks([]);
    try {
      const out = await verifyDraw(d, finalizedAt, (c) => {
        seen.push(c);
        setChecks([...seen]);
      });
      setOutcome(out);
    } catch (e) {
      seen.push({ label: "The check could run", ok: false, detail: e instanceof Error ? e.message : String(e) });
      setChecks([...seen]);
      setOutcome({ ok: false, list: [], steps: [] });
    } finally {
      setRunning(false);
    }
  };
  const failed = checks.find((c) => !c.ok);
  return (
    <section class="verify">
      <h4>Verify this draw</h4>
      <p>
        Recomputes the picks here, in your browser (WebCrypto SHA-256 and HMAC), from the values above and the eligible list, exactly as docs/DRAWS.md states the
        rules. The beacon's BLS signature (that the chain really produced this round) is not checked in this page: <code>{`node scripts/verify-draw.mjs ${location.origin} ${contestId} ${prizeId}`}</code>{" "}
        checks it, and all of the below.
      </p>
      <button type="button" onClick={() => void run()} disabled={running}>
        {running ? "Verifying…" : "Verify this draw"}
      </button>
      {checks.length > 0 && (
        <ol class="checks">
          {checks.map((c, i) => (
            <li key={i} class={c.ok ? "ok" : "bad"}>
              <strong>{c.ok ? "Passed" : "Failed"}:</strong> {c.label}
              <br />
              <span class="v">{c.detail}</span>
            </li>
          ))}
        </ol>
      )}
      {outcome && outcome.steps.length > 0 && (
        <div class="scroll" role="region" aria-label={`The recomputed sequence of prize ${prizeId}`} tabIndex={0}>
          <table>
            <caption>
              The sequence: x = the first 16 bytes of HMAC-SHA256(key, "rocket-draw" || k), W = the weight still in the list; x ≥ floor(2^128 / W) × W is rejected,
              else t = x mod W picks the first entry whose running total exceeds t.
            </caption>
            <thead>
              <tr>
                <th scope="col">k</th>
                <th scope="col">x (hex)</th>
                <th scope="col">W</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {outcome.steps.map((s) => (
                <tr key={s.k}>
                  <td>{s.k}</td>
                  <td class="v">{s.x.toString(16).padStart(32, "0")}</td>
                  <td>{String(s.total)}</td>
                  <td>
                    {s.pick == null
                      ? `rejected (x ≥ ${s.limit})`
                      : `t = ${s.t}: picks ${outcome.list[s.pick]?.entryId ?? "?"} (line ${s.pick + 1})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" class={outcome ? (outcome.ok ? "ok verdict" : "bad verdict") : "verdict"}>
        {outcome
          ? outcome.ok
            ? "Verified: these picks follow from the published seed, list and beacon (check the beacon's signature with scripts/verify-draw.mjs)."
            : `Not verified: failed check "${failed?.label ?? "?"}".`
          : ""}
      </p>
    </section>
  );
}
