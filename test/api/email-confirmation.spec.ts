// Confirmed signups (issue 26, double opt-in): with `requireEmailConfirmation`,
// an untrusted signup (the widget's join) is unconfirmed until the confirm
// link is opened: its referral awards are pending `email_unconfirmed`, it is
// not ranked and earns no prize; the link confirms once; the cron rejects what
// is still unconfirmed past `confirmationDays`. Trusted signups confirm at once.
// Each test calls from its own addresses (198.18.9x.x).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectError, expectLedgerConsistent } from "./app";
import {
  confirmEmails,
  confirmToken,
  entryByEmail,
  joinAs,
  linkToken,
  openLink,
  optInArena,
  referralRows,
} from "./email-confirmation-helpers";
import { addPrize, awardsOf, referralsMilestone } from "./prize-helpers";
import { RECEIVER } from "./receiver";
import { runCron } from "./standings-helpers";
import { enableEmail, settled, waitForMail } from "./email-helpers";

const DAY_MS = 86_400_000;

describe("an unconfirmed signup", () => {
  it("holds the referral, is not ranked and earns nothing until its link is opened, once", async () => {
    const { app, advocate } = await optInArena();
    await enableEmail(app, []);
    await referralsMilestone(app, 1);
    await addPrize(app, { name: "5 points", kind: "milestone", threshold: { points: 5 } });
    await app.post("/api/v1/webhook-endpoints", { url: `${RECEIVER}/hooks/ok/optin${Date.now()}`, events: ["award.confirmed"] });
    await joinAs(app, "bob@example.com", advocate.referralCode, "198.18.91.1");
    const bob = await entryByEmail(app, "bob@example.com");
    expect(bob.email_confirmation).toBe("pending");
    const deadline = Date.parse(bob.confirm_by!);
    expect(deadline - Date.now()).toBeGreaterThan(7 * DAY_MS - 60_000);
    expect(deadline - Date.now()).toBeLessThanOrEqual(7 * DAY_MS);
    // Both awards pending behind the address; the rules' own hold (none) kept.
    const held = await referralRows(app);
    expect(held.map((r) => [r.reason, r.status, r.hold, r.after_hold])).toEqual([
      ["referral_advocate", "pending", "email_unconfirmed", null],
      ["referral_friend", "pending", "email_unconfirmed", null],
    ]);
    const pending = (await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`)).body.data;
    expect(pending.map((a: any) => a.holdReason)).toEqual(["email_unconfirmed", "email_unconfirmed"]);
    expect((await app.entry(advocate.id)).totalPoints).toBe(0);
    // Not ranked, no prize for anyone.
    const board = (await app.get(`/api/v1/contests/${app.contestId}/leaderboard`)).body.data;
    expect(JSON.stringify(board)).not.toContain(bob.id);
    expect(await awardsOf(app)).toEqual([]);
    // The confirm message was sent once, to the signup's address.
    await settled(app.contestId);
    expect(await confirmEmails(app)).toEqual([
      { entry_id: bob.id, kind: "confirm", to_address: "bob@example.com", status: "sent", dedupe_key: `confirm:${bob.id}` },
    ]);

    const token = await linkToken(app, bob);
    const first = await openLink(token, "198.18.91.2");
    expect(first.status, JSON.stringify(first.body)).toBe(303);
    expect(first.headers.get("location")).toBe(`https://rocket.test/r/${app.contestId}?confirmed=1`);
    const after = await referralRows(app);
    expect(after.map((r) => [r.reason, r.status, r.hold])).toEqual([
      ["referral_advocate", "confirmed", null],
      ["referral_friend", "confirmed", null],
    ]);
    expect((await app.entry(advocate.id)).totalPoints).toBe(10);
    expect((await entryByEmail(app, "bob@example.com")).email_confirmation).toBeNull();
    // The advocate's two milestones and Bob's points milestone.
    const earned = await awardsOf(app);
    expect(earned.map((a: any) => a.entryId).sort()).toEqual([advocate.id, advocate.id, bob.id].sort());
    const board2 = (await app.get(`/api/v1/contests/${app.contestId}/leaderboard`)).body.data;
    expect(JSON.stringify(board2)).toContain(bob.id);
    const events = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM webhook_events WHERE type = 'award.confirmed' AND subject_id IN (?, ?)",
    )
      .bind(String(after[0].id), String(after[1].id))
      .first<{ n: number }>();
    expect(events!.n).toBe(2);

    // Single use: the second opening says so and awards nothing more.
    const again = await openLink(token, "198.18.91.3");
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe(`https://rocket.test/r/${app.contestId}?confirmed=already`);
    expect(await referralRows(app)).toEqual(after);
    expect(await awardsOf(app)).toHaveLength(3);
    await expectLedgerConsistent(app.contestId);
  });

  it("takes the hold the rules gave it when confirmed (review stays pending)", async () => {
    const { app, advocate } = await optInArena({ referralAwards: "review" });
    await joinAs(app, "rev@example.com", advocate.referralCode, "198.18.92.1");
    const rev = await entryByEmail(app, "rev@example.com");
    expect((await referralRows(app)).map((r) => [r.hold, r.after_hold])).toEqual([
      ["email_unconfirmed", "review"],
      ["email_unconfirmed", "review"],
    ]);
    expect((await openLink(await linkToken(app, rev), "198.18.92.2")).status).toBe(303);
    expect((await referralRows(app)).map((r) => [r.status, r.hold])).toEqual([
      ["pending", "review"],
      ["pending", "review"],
    ]);
    await expectLedgerConsistent(app.contestId);
  });

  it("confirms once when the link is opened twice at the same time", async () => {
    const { app, advocate } = await optInArena();
    await referralsMilestone(app, 1);
    await joinAs(app, "twice@example.com", advocate.referralCode, "198.18.93.1");
    const token = await linkToken(app, await entryByEmail(app, "twice@example.com"));
    const both = await Promise.all([openLink(token, "198.18.93.2"), openLink(token, "198.18.93.3")]);
    expect(both.map((r) => r.status)).toEqual([303, 303]);
    const states = both.map((r) => new URL(r.headers.get("location")!).searchParams.get("confirmed")).sort();
    expect(states).toEqual(["1", "already"]);
    expect((await app.entry(advocate.id)).totalPoints).toBe(10);
    expect(await awardsOf(app)).toHaveLength(1);
    await expectLedgerConsistent(app.contestId);
  });

  it("refuses forged, expired and malformed tokens", async () => {
    const { app, advocate } = await optInArena();
    await joinAs(app, "eve@example.com", advocate.referralCode, "198.18.94.1");
    const eve = await entryByEmail(app, "eve@example.com");
    const expires = Math.floor(Date.parse(eve.confirm_by!) / 1000);
    expectError(await openLink(await confirmToken(app, eve.id, expires, "not-the-secret"), "198.18.94.2"), 401, "Invalid confirmation link");
    // The real link with its expiry moved on, not signed again.
    const moved = (await confirmToken(app, eve.id, expires)).replace(`.${expires}.`, `.${expires + 60}.`);
    expectError(await openLink(moved, "198.18.94.3"), 401, "Invalid confirmation link");
    const past = Math.floor(Date.now() / 1000) - 10;
    expectError(await openLink(await confirmToken(app, eve.id, past), "198.18.94.4"), 409, "This confirmation link has expired");
    expectError(await openLink("rtp_whatever", "198.18.94.5"), 400);
    expectError(await openLink("rtc_garbage", "198.18.94.6"), 401, "Invalid confirmation link");
    expect((await entryByEmail(app, "eve@example.com")).email_confirmation).toBe("pending");
    expect((await referralRows(app)).every((r) => r.status === "pending")).toBe(true);
  });
});

describe("a trusted signup", () => {
  it("is confirmed at once, as before", async () => {
    const { app, advocate } = await optInArena();
    await app.addEntry("trusted@example.com", { referralCode: advocate.referralCode });
    const trusted = await entryByEmail(app, "trusted@example.com");
    expect(trusted.email_confirmation).toBeNull();
    expect((await referralRows(app)).map((r) => [r.status, r.hold])).toEqual([
      ["confirmed", null],
      ["confirmed", null],
    ]);
    expect(await confirmEmails(app)).toEqual([]);
  });

  it("of an address a browser signed up confirms it, releasing its held referral", async () => {
    const { app, advocate } = await optInArena();
    await joinAs(app, "claimed@example.com", advocate.referralCode, "198.18.97.1");
    expect((await entryByEmail(app, "claimed@example.com")).email_confirmation).toBe("pending");
    await app.addEntry("claimed@example.com");
    const claimed = await entryByEmail(app, "claimed@example.com");
    expect(claimed.email_confirmation).toBeNull();
    expect(claimed.email_confirmed_at).not.toBeNull();
    expect((await referralRows(app)).map((r) => [r.status, r.hold])).toEqual([
      ["confirmed", null],
      ["confirmed", null],
    ]);
    expect((await app.entry(advocate.id)).totalPoints).toBe(10);
    await expectLedgerConsistent(app.contestId);
  });
});

describe("without the setting", () => {
  it("a browser signup is not held for its address", async () => {
    const { app, advocate } = await optInArena({ requireEmailConfirmation: false });
    await joinAs(app, "plain@example.com", advocate.referralCode, "198.18.95.1");
    expect((await entryByEmail(app, "plain@example.com")).email_confirmation).toBeNull();
    expect((await referralRows(app)).map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
  });
});

describe("the cron", () => {
  it("rejects signups still unconfirmed past confirmationDays, and their link stops working", async () => {
    const { app, advocate } = await optInArena({ confirmationDays: 2 });
    await joinAs(app, "late@example.com", advocate.referralCode, "198.18.96.1");
    await joinAs(app, "ontime@example.com", advocate.referralCode, "198.18.96.2");
    const late = await entryByEmail(app, "late@example.com");
    const ontime = await entryByEmail(app, "ontime@example.com");
    expect(Date.parse(late.confirm_by!) - Date.now()).toBeLessThanOrEqual(2 * DAY_MS);
    const token = await linkToken(app, late);
    // Its time ran out (as if it signed up three days ago).
    await env.DB.prepare("UPDATE entries SET confirm_by = ? WHERE id = ?")
      .bind(new Date(Date.now() - DAY_MS).toISOString(), late.id)
      .run();
    await runCron();
    expect((await entryByEmail(app, "late@example.com")).email_confirmation).toBe("expired");
    expect((await entryByEmail(app, "ontime@example.com")).email_confirmation).toBe("pending");
    const rows = await referralRows(app);
    expect(rows.filter((r) => r.entry_id === late.id).map((r) => r.status)).toEqual(["rejected"]);
    expect(rows.filter((r) => r.entry_id === ontime.id).map((r) => r.status)).toEqual(["pending"]);
    expect(rows.filter((r) => r.status === "rejected")).toHaveLength(2);
    // The token still verifies, but the entry is no longer waiting.
    expectError(await openLink(token, "198.18.96.3"), 409, "This confirmation link has expired");
    await runCron();
    expect((await referralRows(app)).filter((r) => r.status === "rejected")).toHaveLength(2);
    await expectLedgerConsistent(app.contestId);
  });
});

describe("the confirm email", () => {
  it("goes at once and carries the link that confirms the signup", async () => {
    const { app, advocate } = await optInArena();
    await enableEmail(app, []);
    await joinAs(app, "carol@example.com", advocate.referralCode, "198.18.97.1");
    // Sent at once: the join hands its message to the email queue.
    const [mail] = await waitForMail("carol@example.com");
    const link = /https?:\/\/\S+\/api\/referral\/confirm\?token=[A-Za-z0-9_.%-]+/.exec(mail.text ?? "");
    expect(link, mail.text).not.toBeNull();
    expect(mail.html).toContain(link![0]);
    const token = new URL(link![0]).searchParams.get("token")!;
    const opened = await openLink(token, "198.18.97.2");
    expect(opened.status, JSON.stringify(opened.body)).toBe(303);
    expect((await entryByEmail(app, "carol@example.com")).email_confirmation).toBeNull();
    expect((await app.entry(advocate.id)).totalPoints).toBe(10);
  });
});
