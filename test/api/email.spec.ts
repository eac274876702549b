// Participant email (issue 26): lifecycle messages through the queue and the
// Email Service binding (the capture of test/api/email-capture.mjs), the
// one-click unsubscribe, erased and capped addresses, failures and retries.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, type Json, TestApp } from "./app";
import { addPrize, uploadCodes } from "./prize-helpers";
import { runCron } from "./standings-helpers";
import { emailRows, enableEmail, sentTo, settled, unsubscribeUrl, waitForMail } from "./email-helpers";

describe("welcome", () => {
  it("is sent when on: rendered, from the contest's sender, with the one-click unsubscribe headers", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["welcome"]);
    const entry = await app.addEntry("ann.welcome@example.com", { name: "<img src=x onerror=alert(1)>" });
    const [mail] = await waitForMail("ann.welcome@example.com");
    expect(mail.to).toEqual(["ann.welcome@example.com"]);
    expect(mail.subject).toBe("Welcome to Spring launch");
    // The name arrives as text: escaped in the HTML.
    expect(mail.text).toContain("Hi <img src=x onerror=alert(1)>,");
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(mail.html).not.toContain("<img");
    expect(mail.from).toEqual({ email: "news@shop.test", name: "Shop News" });
    expect(mail.replyTo).toBe("help@shop.test");
    expect(mail.text).toContain(`https://rocket.test/r/${app.contestId}?ref=${entry.referralCode}`);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const url = unsubscribeUrl(mail);
    expect(mail.text).toContain(url);
    const rows = await emailRows(app.contestId);
    expect(rows).toMatchObject([{ kind: "welcome", to_address: "ann.welcome@example.com", status: "sent", attempts: 1 }]);
    const list = await app.get(`/api/v1/contests/${app.contestId}/emails?status=sent`);
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject([{ kind: "welcome", to: "ann.welcome@example.com", status: "sent", attempts: 1 }]);
    expect(list.body.pagination.total).toBe(1);
  });

  it("is not sent when the contest did not turn it on", async () => {
    const app = await TestApp.create();
    await enableEmail(app, []);
    await app.addEntry("off.welcome@example.com");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sentTo("off.welcome@example.com")).toEqual([]);
    expect(await emailRows(app.contestId)).toEqual([]);
  });
});

describe("one-click unsubscribe", () => {
  it("suppresses the address's later optional messages of that contest (RFC 8058 POST)", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["welcome", "referral.confirmed"]);
    const advocate = await app.addEntry("unsub.adv@example.com");
    const [welcome] = await waitForMail("unsub.adv@example.com");
    const url = unsubscribeUrl(welcome);
    const res = await SELF.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, data: { unsubscribed: true } });
    // The landing link answers the same, again.
    const again = await call("GET", url.replace("https://rocket.test", ""));
    expect(again.status).toBe(200);
    await app.addEntry("unsub.friend@example.com", { referralCode: advocate.referralCode });
    await waitForRow(app.contestId, "referral.confirmed");
    await settled(app.contestId);
    expect((await emailRows(app.contestId)).filter((r) => r.kind === "referral.confirmed")).toMatchObject([
      { to_address: "unsub.adv@example.com", status: "suppressed", attempts: 0 },
    ]);
    expect(await sentTo("unsub.adv@example.com")).toHaveLength(1);
  });

  it("refuses a token that does not verify", async () => {
    const r = await call("POST", "/api/referral/unsubscribe?token=u1.ct_x.616e6e.00");
    expectError(r, 403);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM email_suppressions WHERE contest_id = 'ct_x'").first<{ n: number }>())?.n).toBe(0);
  });
});

describe("limits and failures", () => {
  it("caps an address at 10 messages a day per contest: the 11th is capped, not sent", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["referral.confirmed"]);
    const advocate = await app.addEntry("capped.adv@example.com");
    for (let i = 0; i < 11; i++) await app.addEntry(`capped.friend${i}@example.com`, { referralCode: advocate.referralCode });
    await waitForRows(app.contestId, 11);
    await settled(app.contestId);
    const rows = await emailRows(app.contestId);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(10);
    expect(rows.filter((r) => r.status === "capped")).toHaveLength(1);
    expect(await sentTo("capped.adv@example.com")).toHaveLength(10);
  });

  it("retries a failing send, then records it failed for the owner", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["welcome"], "news@fails.test");
    await app.addEntry("failing@example.com");
    await waitForRow(app.contestId, "welcome");
    await settled(app.contestId);
    const list = await app.get(`/api/v1/contests/${app.contestId}/emails?status=failed`);
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject([
      { kind: "welcome", to: "failing@example.com", status: "failed", attempts: 5, lastError: "email from news@fails.test not allowed" },
    ]);
    expect(await sentTo("failing@example.com")).toEqual([]);
  });

  it("sends once when the same event is handled twice", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["welcome"]);
    await app.addEntry("twice@example.com");
    await waitForMail("twice@example.com");
    const event = await env.DB.prepare("SELECT id FROM webhook_events WHERE account_id = ? AND type = 'entry.created'")
      .bind(app.accountId)
      .first<{ id: string }>();
    await env.WEBHOOKS.sendBatch([{ body: { event: event!.id } }, { body: { event: event!.id } }]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await sentTo("twice@example.com")).toHaveLength(1);
    expect(await emailRows(app.contestId)).toHaveLength(1);
  });
});

describe("lifecycle messages from their paths", () => {
  it("referral.confirmed goes to the advocate when a held referral is confirmed by the owner", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    await enableEmail(app, ["referral.confirmed"]);
    const advocate = await app.addEntry("held.adv@example.com");
    const signup = await call("POST", "/api/referral/track-signup", {
      body: { email: "held.friend@example.com", contestId: app.contestId, referralCode: advocate.referralCode },
    });
    expect(signup.status).toBe(200);
    const pending = await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`);
    const award = pending.body.data.find((a: Json) => a.entryId === advocate.id);
    expect(award).toBeTruthy();
    expect(await emailRows(app.contestId)).toEqual([]);
    const r = await app.post(`/api/v1/awards/${award.id}/confirm`);
    expect(r.status).toBe(200);
    const [mail] = await waitForMail("held.adv@example.com");
    expect(mail.text).toContain("a friend you referred to Spring launch now counts for you");
    expect(await emailRows(app.contestId)).toMatchObject([{ kind: "referral.confirmed", status: "sent", dedupe_key: `referral.confirmed:${award.id}` }]);
  });

  it("an erased advocate gets nothing: the message is recorded erased", async () => {
    const app = await TestApp.create({ referralAwards: "review" });
    await enableEmail(app, ["referral.confirmed"]);
    const advocate = await app.addEntry("erased.adv@example.com");
    const signup = await call("POST", "/api/referral/track-signup", {
      body: { email: "erased.friend@example.com", contestId: app.contestId, referralCode: advocate.referralCode },
    });
    expect(signup.status).toBe(200);
    const pending = await app.get(`/api/v1/contests/${app.contestId}/awards?status=pending`);
    const award = pending.body.data.find((a: Json) => a.entryId === advocate.id);
    expect((await app.del(`/api/v1/entries/${advocate.id}`)).status).toBe(200);
    expect((await app.post(`/api/v1/awards/${award.id}/confirm`)).status).toBe(200);
    await waitForRow(app.contestId, "referral.confirmed");
    await settled(app.contestId);
    expect(await emailRows(app.contestId)).toMatchObject([{ kind: "referral.confirmed", status: "erased", attempts: 0 }]);
    expect(await sentTo("erased.adv@example.com")).toEqual([]);
  });

  it("contest.results goes to every ranked entry after finalize", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["contest.results"]);
    const a = await app.addEntry("results.a@example.com");
    await app.addEntry("results.b@example.com", { referralCode: a.referralCode });
    expect((await call("POST", `/api/v1/contests/${app.contestId}/end`, { key: app.privateKey })).status).toBe(200);
    const f = await call("POST", `/api/v1/contests/${app.contestId}/finalize`, { key: app.privateKey });
    expect([200, 202]).toContain(f.status);
    const [first] = await waitForMail("results.a@example.com");
    const [second] = await waitForMail("results.b@example.com");
    expect(first.text).toContain("You finished at rank 1");
    expect(second.text).toContain("You finished at rank 2");
  });
});

async function waitForRows(contestId: string, n: number, ms = 10_000) {
  const until = Date.now() + ms;
  while ((await emailRows(contestId)).length < n) {
    if (Date.now() > until) throw new Error(`fewer than ${n} email rows after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForRow(contestId: string, kind: string, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await emailRows(contestId)).some((r) => r.kind === kind)) {
    if (Date.now() > until) throw new Error(`no ${kind} row after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("prize.earned", () => {
  it("goes to the winner with the code (the cron's pass finds prizes no event told)", async () => {
    const app = await TestApp.create();
    await enableEmail(app, ["prize.earned"]);
    const prize = await addPrize(app, { name: "Tote bag", kind: "milestone", threshold: { referrals: 1 }, fulfilment: { type: "code" } });
    await uploadCodes(app, prize.id, ["TOTE-1234"]);
    const advocate = await app.addEntry("prize.adv@example.com");
    await app.addEntry("prize.friend@example.com", { referralCode: advocate.referralCode });
    await runCron();
    const [mail] = await waitForMail("prize.adv@example.com");
    expect(mail.subject).toBe("You earned Tote bag in Spring launch");
    expect(mail.text).toContain("Your code: TOTE-1234");
    // Again: nothing more.
    await runCron();
    await settled(app.contestId);
    expect(await sentTo("prize.adv@example.com")).toHaveLength(1);
  });
});
