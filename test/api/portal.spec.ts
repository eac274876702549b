// Getting back to one's link (issue 26): `POST /api/referral/portal-link`
// (open, limited, the same answer for any address) and the owner's
// `POST /api/v1/entries/:id/sign-in-email`. Both queue the `portal` message.
// Addresses 198.18.140-149.x.
import { describe, expect, it } from "vitest";
import { call, expectError, TestApp } from "./app";
import { waitForMail } from "./email-helpers";
import { askLink, portalCount, portalRows, sendsFrom } from "./portal-helpers";
import { TURNSTILE } from "./turnstile-secrets";

async function contestWithEntry(settings = {}, email = "Ada.Advocate@Example.com") {
  const app = await TestApp.create(settings);
  await sendsFrom(app);
  const entry = await app.addEntry(email, { name: "Ada" });
  return { app, entry };
}

describe("POST /api/referral/portal-link", () => {
  it("answers the same for an address with an entry and one without; only the entry gets the message", async () => {
    const { app, entry } = await contestWithEntry();
    const known = await askLink({ contestId: app.contestId, email: "ADA.advocate@example.com" }, "198.18.140.1");
    const unknown = await askLink({ contestId: app.contestId, email: "nobody@example.com" }, "198.18.140.1");
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(known.body).toEqual({ success: true, data: { requested: true } });
    const rows = await portalRows(app);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ entry_id: entry.id, to_address: "ada.advocate@example.com" });
  });

  it("sends the portal email: its link is the hosted page with a participant token (1 hour) that reads the entry", async () => {
    // An address of its own: the capture collects every test's mail by address.
    const address = "bea.portal@example.com";
    const { app, entry } = await contestWithEntry({}, address);
    expect((await askLink({ contestId: app.contestId, email: address }, "198.18.146.1")).status).toBe(202);
    const [mail] = await waitForMail(address);
    expect(mail!.to).toEqual([address]);
    const pattern = new RegExp(`https://rocket\\.test/r/${app.contestId}#token=(rtp_[\\w.-]+)`);
    const token = pattern.exec(mail!.text ?? "")?.[1];
    expect(token, mail!.text).toMatch(new RegExp(`^rtp_${entry.id}\\.`));
    expect(mail!.html).toContain(`/r/${app.contestId}#token=${token}`);
    const expires = Number(token!.split(".")[1]);
    expect(expires - Date.now() / 1000).toBeGreaterThan(3500);
    expect(expires - Date.now() / 1000).toBeLessThanOrEqual(3600);
    const read = await call("GET", `/api/v1/entries/${entry.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect(read.body.data.referralCode).toBe(entry.referralCode);
  });

  it("queues one message a minute per entry however often it is asked", async () => {
    const { app } = await contestWithEntry();
    for (let i = 0; i < 3; i++) {
      expect((await askLink({ contestId: app.contestId, email: "ada.advocate@example.com" }, "198.18.141.1")).status).toBe(202);
    }
    const rows = await portalRows(app);
    // Three asks within a minute (rarely two minutes): one row per minute.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(rows.length);
  });

  it("sends nothing to an erased entry, with the same answer", async () => {
    const { app, entry } = await contestWithEntry();
    expect((await app.del(`/api/v1/entries/${entry.id}`)).status).toBe(200);
    const r = await askLink({ contestId: app.contestId, email: "ada.advocate@example.com" }, "198.18.142.1");
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ success: true, data: { requested: true } });
    expect(await portalCount(app)).toBe(0);
  });

  it("409 when the contest sends no email, 404 for an unknown contest, 400 for a bad address", async () => {
    const app = await TestApp.create();
    await app.addEntry("ada@example.com");
    expectError(await askLink({ contestId: app.contestId, email: "ada@example.com" }, "198.18.143.1"), 409, /sends no email/);
    expect(await portalCount(app)).toBe(0);
    expectError(await askLink({ contestId: "ct_nope", email: "ada@example.com" }, "198.18.143.2"), 404);
    expectError(await askLink({ contestId: app.contestId, email: "not an address" }, "198.18.143.3"), 400, /email/);
  });

  it("asks for Turnstile's token when the contest does, like join", async () => {
    const { app } = await contestWithEntry({ turnstileSecret: TURNSTILE.passes });
    const body = { contestId: app.contestId, email: "ada.advocate@example.com" };
    expectError(await askLink(body, "198.18.144.1"), 403, /Bot check failed/);
    expect(await portalCount(app)).toBe(0);
    expect((await askLink({ ...body, turnstileToken: "XXXX.DUMMY.TOKEN.XXXX" }, "198.18.144.1")).status).toBe(202);
    expect(await portalCount(app)).toBe(1);
  });

  it("is limited like the other open writes: 20 a window per address and contest, then 429", async () => {
    const { app } = await contestWithEntry();
    const left = 10_000 - (Date.now() % 10_000);
    if (left < 6_000) await new Promise((r) => setTimeout(r, left + 100));
    const ip = "198.18.145.1";
    for (let i = 0; i < 20; i++) {
      const r = await askLink({ contestId: app.contestId, email: `someone${i}@example.com` }, ip);
      expect(r.status, `ask ${i}`).toBe(202);
    }
    expectError(await askLink({ contestId: app.contestId, email: "ada.advocate@example.com" }, ip), 429);
    expect(await portalCount(app)).toBe(0);
  }, 30_000);
});

describe("POST /api/v1/entries/:entryId/sign-in-email", () => {
  it("queues the participant's portal message: 202", async () => {
    const { app, entry } = await contestWithEntry();
    const r = await app.post(`/api/v1/entries/${entry.id}/sign-in-email`);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(await portalRows(app)).toMatchObject([{ entry_id: entry.id, to_address: "ada.advocate@example.com" }]);
  });

  it("401 without a key, 403 with the public key, 404 for another account's or an erased entry", async () => {
    const { app, entry } = await contestWithEntry();
    const path = `/api/v1/entries/${entry.id}/sign-in-email`;
    expectError(await call("POST", path, {}), 401);
    expectError(await app.post(path, {}, app.publicKey), 403);
    const other = await TestApp.create();
    expectError(await other.post(path), 404);
    expect((await app.del(`/api/v1/entries/${entry.id}`)).status).toBe(200);
    expectError(await app.post(path), 404);
    expect(await portalCount(app)).toBe(0);
  });

  it("409 when the contest has no sender address", async () => {
    const app = await TestApp.create();
    const entry = await app.addEntry("ada@example.com");
    expectError(await app.post(`/api/v1/entries/${entry.id}/sign-in-email`), 409, /sender address/);
    expect(await portalCount(app)).toBe(0);
  });
});
