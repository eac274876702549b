// award-events.spec.ts's watch over one account: an endpoint subscribed to
// the award events on test/api/receiver.ts, and, after each step, the ledger
// rows the step wrote checked against the `award.created` deliveries: exactly
// one per new row, signed (checked with `standardwebhooks`), its data the row.
import { env } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { expect, vi } from "vitest";
import type { Json, TestApp } from "./app";
import { RECEIVER } from "./receiver";

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

interface LedgerRow {
  id: number;
  entry_id: string;
  contest_id: string;
  delta: number;
  reason: string;
  status: string;
  created_at: string;
}

let names = 0;

/** The account's ledger rows after row `after`, oldest first. */
async function rowsAfter(accountId: string, after: number): Promise<LedgerRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT l.id, l.entry_id, l.contest_id, l.delta, l.reason, l.status, l.created_at
       FROM ledger l JOIN contests c ON c.id = l.contest_id
      WHERE c.account_id = ? AND l.id > ? ORDER BY l.id`,
  )
    .bind(accountId, after)
    .all<LedgerRow>();
  return results;
}

export class AwardWatch {
  private seen = 0;
  private lastRow = 0;
  /** Every award.created body received so far, in order of arrival. */
  readonly created: Json[] = [];
  /** Every award event body received (created, confirmed, rejected). */
  readonly all: Json[] = [];

  private constructor(
    private readonly app: TestApp,
    private readonly name: string,
    private readonly secret: string,
  ) {}

  /** An endpoint of `app`'s account listening for the award events; rows already written are not watched. */
  static async start(app: TestApp) {
    const name = `award${Date.now().toString(36)}${(names++).toString(36)}`;
    const r = await app.post("/api/v1/webhook-endpoints", {
      url: `${RECEIVER}/hooks/ok/${name}`,
      events: ["award.created", "award.confirmed", "award.rejected"],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const watch = new AwardWatch(app, name, r.body.data.secret);
    const rows = await rowsAfter(app.accountId, 0);
    watch.lastRow = rows.at(-1)?.id ?? 0;
    return watch;
  }

  private async received(): Promise<Received[]> {
    return (await fetch(`${RECEIVER}/log/${this.name}`)).json();
  }

  /**
   * The step since the last call wrote `rows` new ledger rows and `others`
   * other award events (confirmed, rejected): waits for them, checks one
   * `award.created` per new row, with the row as its data, and no more.
   * Answers the new rows' award.created bodies, in row order.
   */
  async step(rows: number, others = 0): Promise<Json[]> {
    const fresh = await rowsAfter(this.app.accountId, this.lastRow);
    expect(fresh.length, "new ledger rows").toBe(rows);
    const got = await vi.waitFor(
      async () => {
        const all = await this.received();
        expect(all.length - this.seen).toBeGreaterThanOrEqual(rows + others);
        return all;
      },
      { timeout: 10_000, interval: 50 },
    );
    // Anything more would have come with the rest: look once more after a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await this.received();
    expect(after.length, "no more award events than expected").toBe(got.length);
    const bodies = after.slice(this.seen).map((r) => {
      const headers = { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature };
      return new Webhook(this.secret).verify(r.body, headers) as Json;
    });
    this.seen = after.length;
    this.all.push(...bodies);
    const created = bodies.filter((b) => b.type === "award.created");
    expect(created.length, "one award.created per new row").toBe(rows);
    expect(bodies.length - created.length).toBe(others);
    const byRow = fresh.map((row) => {
      const events = created.filter((b) => b.data.id === row.id);
      expect(events.length, `award.created of ledger row ${row.id}`).toBe(1);
      expect(events[0].data).toMatchObject({
        id: row.id,
        entryId: row.entry_id,
        contestId: row.contest_id,
        points: row.delta,
        reason: row.reason,
        createdAt: row.created_at,
      });
      return events[0];
    });
    this.created.push(...byRow);
    // In D1 too: one event row per ledger row, no duplicate.
    for (const row of fresh) {
      const n = await env.DB.prepare(
        "SELECT COUNT(*) AS n FROM webhook_events WHERE account_id = ? AND type = 'award.created' AND subject_id = ?",
      )
        .bind(this.app.accountId, String(row.id))
        .first<{ n: number }>();
      expect(n?.n).toBe(1);
    }
    this.lastRow = fresh.at(-1)?.id ?? this.lastRow;
    return byRow;
  }
}
