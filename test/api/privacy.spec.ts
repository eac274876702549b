// Less personal data: masked emails for everyone but private keys, no answer
// that tells whether an email has an entry, visits without query or fragment
// (once a day per address), client addresses only as a keyed HMAC, no private
// keys in URLs, security headers, clean texts, erasure and export.
// Each test uses its own contest and addresses (198.18.60-79.x).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, count, expectError, type Json, ledgerOf, type Reply, settled, TestApp } from "./app";

const CLEAN_TEXT = "must not contain control or bidirectional-override characters";
const KEY_IN_QUERY = "Private keys are refused in the query string: send it in the x-api-key header";

/** A browser call (no key) from `ip`. */
function browser(method: "GET" | "POST", path: string, ip: string, body?: unknown) {
  return call(method, path, { body, headers: { "CF-Connecting-IP": ip } });
}

function validateCode(app: TestApp, code: string, ip: string) {
  return browser("GET", `/api/referral/validate-code?code=${encodeURIComponent(code)}&contestId=${app.contestId}`, ip);
}

function trackVisit(app: TestApp, referralCode: string, ip: string, url?: string) {
  return browser("POST", "/api/referral/track-visit", ip, { referralCode, contestId: app.contestId, url });
}

function trackSignup(app: TestApp, body: Json, ip: string) {
  return browser("POST", "/api/referral/track-signup", ip, { contestId: app.contestId, ...body });
}

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function sha256Hex(s: string) {
  return hex(await crypto.subtle.digest("SHA-256", enc(s)));
}

async function hmacHex(key: string, s: string) {
  const k = await crypto.subtle.importKey("raw", enc(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", k, enc(s)));
}

async function visitRows(entryId: string) {
  const { results } = await env.DB.prepare("SELECT url, ip_hash, day FROM visits WHERE entry_id = ? ORDER BY created_at")
    .bind(entryId)
    .all<{ url: string | null; ip_hash: string; day: string }>();
  return results;
}

describe("validate-code", () => {
  it("masks the advocate's email unless the contest sets exposeReferrerEmail", async () => {
    const app = await TestApp.create();
    expect(app.contest.exposeReferrerEmail).toBe(false);
    const jane = await app.addEntry("jane@example.com", { name: "Jane Doe" });
    const ip = "198.18.60.1";
    const masked = await validateCode(app, jane.referralCode, ip);
    expect(masked.status).toBe(200);
    expect(masked.body).toEqual({ valid: true, referrerEmail: "ja***@example.com", referrerName: "Jane Doe", contestId: app.contestId });

    expect((await app.setContest({ exposeReferrerEmail: true })).exposeReferrerEmail).toBe(true);
    expect((await validateCode(app, jane.referralCode, ip)).body.referrerEmail).toBe("jane@example.com");

    await app.setContest({ exposeReferrerEmail: false });
    expect((await validateCode(app, jane.referralCode, ip)).body.referrerEmail).toBe("ja***@example.com");
  });
});

describe("public keys never see a full email", () => {
  it("entries, entry, leaderboard, participants, referrals, code check and bonus-action lookup", async () => {
    const app = await TestApp.create();
    const jane = await app.addEntry("jane@example.com", { name: "Jane Doe" });
    const friend = await app.addEntry("friend@example.com", { name: "Fred Friend", referralCode: jane.referralCode });
    await app.addBonusAction({ action: "follow_twitter", description: "Follow us", points: 5, confirmationType: "auto", order: 1 });
    const c = app.contestId;
    const reads: [string, (body: Json) => unknown, unknown, unknown][] = [
      [`/api/v1/contests/${c}/entries`, (b) => b.data.map((e: Json) => e.email), ["ja***@example.com", "fr***@example.com"], ["jane@example.com", "friend@example.com"]],
      [`/api/v1/entries/${jane.id}`, (b) => b.data.email, "ja***@example.com", "jane@example.com"],
      [`/api/v1/contests/${c}/leaderboard`, (b) => b.data.map((e: Json) => e.email).sort(), ["fr***@example.com", "ja***@example.com"], ["friend@example.com", "jane@example.com"]],
      [`/api/v1/getAllParticipants?id=${c}`, (b) => b.content.map((p: Json) => p.email), ["ja***@example.com", "fr***@example.com"], ["jane@example.com", "friend@example.com"]],
      [`/api/v1/getParticipant?id=${c}&email=jane%40example.com`, (b) => b.email, "ja***@example.com", "jane@example.com"],
      [`/api/v1/getReferrals?id=${c}&email=jane%40example.com`, (b) => b.content.map((p: Json) => p.email), ["fr***@example.com"], ["friend@example.com"]],
      [`/api/v1/validateCode?campaignId=${c}&code=${jane.referralCode}`, (b) => b.email, "ja***@example.com", "jane@example.com"],
      [`/api/v1/entries/lookup/bonus-actions?email=friend%40example.com&contestId=${c}`, (b) => b.data.email, "fr***@example.com", "friend@example.com"],
      [`/api/v1/entries/${friend.id}/bonus-actions`, (b) => b.data.email, "fr***@example.com", "friend@example.com"],
    ];
    for (const [path, pick, maskedValue, fullValue] of reads) {
      const pub = await app.get(path, app.publicKey);
      expect(pub.status, `${path}: ${JSON.stringify(pub.body)}`).toBe(200);
      expect(pick(pub.body), path).toEqual(maskedValue);
      expect(JSON.stringify(pub.body), path).not.toMatch(/jane@example\.com|friend@example\.com/);
      const priv = await app.get(path);
      expect(priv.status, path).toBe(200);
      expect(pick(priv.body), path).toEqual(fullValue);
    }
  });
});

describe("track-signup for an email that already has an entry", () => {
  it("answers alreadyExists and nothing about that entry", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const jane = await app.addEntry("jane@example.com", { name: "Jane" });
    const r = await trackSignup(app, { email: "Jane@Example.com", referralCode: ada.referralCode, name: "Someone else" }, "198.18.61.1");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, data: { alreadyExists: true, pointsAwarded: { advocate: 0, friend: 0 }, status: "none" } });
    expect(JSON.stringify(r.body)).not.toContain(jane.id);
    expect(JSON.stringify(r.body)).not.toContain(jane.referralCode);
    expect(await ledgerOf(ada.id)).toEqual([]);
    expect(await app.entry(jane.id)).toMatchObject({ name: "Jane", referredBy: null });
  });
});

describe("visits", () => {
  it("keep only origin, path and utm_* of the landing URL", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const r = await trackVisit(app, ada.referralCode, "198.18.62.1", "https://shop.example/p?ref=X&email=a%40b.c&utm_source=news#reset=secret");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true });
    const urls = async (id: string) => (await visitRows(id)).map((v) => v.url);
    expect(await settled(() => urls(ada.id), ["https://shop.example/p?utm_source=news"])).toEqual(["https://shop.example/p?utm_source=news"]);

    const bob = await app.addEntry("bob@example.com");
    await trackVisit(app, bob.referralCode, "198.18.62.1", "https://shop.example?ref=X");
    expect(await settled(() => urls(bob.id), ["https://shop.example/"])).toEqual(["https://shop.example/"]);
    // A non-http(s) URL is still refused.
    expectError(await trackVisit(app, bob.referralCode, "198.18.62.2", "javascript:alert(1)"), 400, /url/);
    expect(await visitRows(bob.id)).toHaveLength(1);
  });

  it("a 5000-character URL is cut to 2048 characters, not refused", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const long = `https://shop.example/${"a".repeat(5000)}`;
    const r = await trackVisit(app, ada.referralCode, "198.18.63.1", long);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await settled(() => visitRows(ada.id).then((v) => v.length), 1);
    const [row] = await visitRows(ada.id);
    expect(row.url!.length).toBeLessThanOrEqual(2048);
    expect(row.url!.length).toBeGreaterThan(2000);
    expect(long.startsWith(row.url!)).toBe(true);
  });

  it("count once per address and day: a repeat answers 200 without a row", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const first = await trackVisit(app, ada.referralCode, "198.18.64.1", "https://shop.example/a");
    const again = await trackVisit(app, ada.referralCode, "198.18.64.1", "https://shop.example/b");
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual({ success: true });
    // The repeat was queued like any visit; its day's row already exists.
    expect(await settled(() => visitRows(ada.id).then((v) => v.length), 1)).toBe(1);
    const other = await trackVisit(app, ada.referralCode, "198.18.64.2", "https://shop.example/c");
    expect(other.status).toBe(200);
    expect(await settled(() => visitRows(ada.id).then((v) => v.length), 2)).toBe(2);
    const rows = await visitRows(ada.id);
    expect(rows[0].ip_hash).not.toBe(rows[1].ip_hash);
    expect(rows.map((v) => v.day)).toEqual([rows[0].day, rows[0].day]);
    expect((await app.get(`/api/v1/contests/${app.contestId}/stats`)).body.data.visits).toBe(2);
  });

  it("store the address as a keyed HMAC, not a plain hash of public values", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const ip = "198.18.65.1";
    expect((await trackVisit(app, ada.referralCode, ip)).status).toBe(200);
    await settled(() => visitRows(ada.id).then((v) => v.length), 1);
    const [row] = await visitRows(ada.id);
    expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.ip_hash).not.toBe(await sha256Hex(`${app.contestId}:${ip}`));
    expect(row.ip_hash).not.toBe(await sha256Hex(ip));
    // HMAC-SHA256(IP_HASH_KEY, contestId + ":" + address), as documented.
    expect(row.ip_hash).toBe(await hmacHex(env.IP_HASH_KEY, `${app.contestId}:${ip}`));
    expect(await count("SELECT COUNT(*) AS n FROM visits WHERE ip_hash LIKE ? OR url LIKE ?", `%${ip}%`, `%${ip}%`)).toBe(0);

    // A tracker signup's address is stored the same way.
    const r = await trackSignup(app, { email: "friend@example.com", referralCode: ada.referralCode }, ip);
    expect(r.status).toBe(200);
    const hash = await env.DB.prepare("SELECT signup_ip_hash AS h FROM entries WHERE id = ?").bind(r.body.data.entryId).first<{ h: string }>();
    expect(hash?.h).toBe(row.ip_hash);
  });
});

describe("API keys in the query string", () => {
  it("a private key in ?apiKey= is a 401; a public key there still reads", async () => {
    const app = await TestApp.create();
    const headers = { "CF-Connecting-IP": "198.18.66.1" };
    expectError(await call("GET", `/api/v1/contests/${app.contestId}?apiKey=${app.privateKey}`, { headers }), 401, KEY_IN_QUERY);
    expectError(await call("GET", `/api/v1/contests?apiKey=${encodeURIComponent(app.privateKey)}`, { headers }), 401, KEY_IN_QUERY);
    expectError(await call("GET", `/api/v1/contests/${app.contestId}?apiKey=rt_sk_unknown`, { headers }), 401, KEY_IN_QUERY);
    const pub = await call("GET", `/api/v1/contests/${app.contestId}?apiKey=${app.publicKey}`, { headers });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body.data.id).toBe(app.contestId);
    // The same private key in the header is fine.
    expect((await call("GET", `/api/v1/contests/${app.contestId}`, { key: app.privateKey, headers })).status).toBe(200);
  });
});

describe("security headers", () => {
  const expectHeaders = (r: Reply) => {
    expect(r.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(r.headers.get("Referrer-Policy")).toBe("no-referrer");
  };

  it("on successes and on errors", async () => {
    const app = await TestApp.create();
    const ip = "198.18.67.1";
    const replies = [
      await app.get(`/api/v1/contests/${app.contestId}`),
      await validateCode(app, "NOPE", ip),
      await call("GET", `/api/v1/contests/${app.contestId}`, { headers: { "CF-Connecting-IP": ip } }),
      await app.get("/api/v1/contests/ct_nope"),
      await call("GET", "/api/no-such-thing"),
      await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "nope" }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 401, 404, 404, 400]);
    for (const r of replies) expectHeaders(r);
  });
});

describe("names and texts", () => {
  const bad = ["Eve\u202Egpj.exe", "a\u0000b", "\u2066x\u2069", "x\u001b[31m", "a\u200Fb", "a\u0085b"];

  it("control and bidi characters are a 400 naming the field, on every surface; nothing written", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const before = await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId);
    for (const name of bad) {
      const message = `Invalid request body: name ${CLEAN_TEXT}`;
      expectError(await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "eve@example.com", name }), 400, message);
      expectError(await trackSignup(app, { email: "eve@example.com", referralCode: ada.referralCode, name }, "198.18.68.1"), 400, message);
      expectError(await app.post("/api/v1/contests", { name }), 400, message);
      expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { name }), 400, message);
      expectError(await app.patch(`/api/v1/entries/${ada.id}`, { name }), 400, message);
    }
    expectError(
      await app.post(`/api/v1/entries/${ada.id}/adjust-points`, { points: 5, reason: "bonus\u202E" }),
      400,
      `Invalid request body: reason ${CLEAN_TEXT}`,
    );
    expectError(await app.patch(`/api/v1/contests/${app.contestId}`, { description: "x\u0007" }), 400, `Invalid request body: description ${CLEAN_TEXT}`);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?", app.contestId)).toBe(before);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE contest_id = ? AND email = 'eve@example.com'", app.contestId)).toBe(0);
    expect((await app.entry(ada.id)).name).toBeNull();
    expect((await app.get(`/api/v1/contests/${app.contestId}`)).body.data.name).toBe("Spring launch");
    expect(await ledgerOf(ada.id)).toEqual([]);
  });

  it("tabs and line breaks are allowed; HTML is stored and answered as the same text", async () => {
    const app = await TestApp.create();
    const html = `<img src=x onerror="alert('x')"> & <b>Bob</b>`;
    const created = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "bob@example.com", name: html });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.data.name).toBe(html);
    expect((await app.entry(created.body.data.id)).name).toBe(html);
    const row = await env.DB.prepare("SELECT name FROM entries WHERE id = ?").bind(created.body.data.id).first<{ name: string }>();
    expect(row?.name).toBe(html);
    const board = await app.get(`/api/v1/contests/${app.contestId}/leaderboard`, app.publicKey);
    expect(board.body.data[0].name).toBe(html);
    const multi = await app.post(`/api/v1/contests/${app.contestId}/entries`, { email: "tab@example.com", name: "Tab\tName\nTwo" });
    expect(multi.status).toBe(201);
    expect(multi.body.data.name).toBe("Tab\tName\nTwo");
  });
});

describe("erasure and export", () => {
  /** Erin: referred by Ada, referred Frank, bought something, has a bonus proof and an adjustment note. */
  async function erinsContest() {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com", { name: "Ada" });
    const erin = await app.addEntry("erin@example.com", { name: "Erin Example", referralCode: ada.referralCode });
    const frank = await app.addEntry("frank@example.com", { referralCode: erin.referralCode });
    const p = await app.post(`/api/v1/contests/${app.contestId}/purchases`, { email: "erin@example.com", orderId: "order-erin-1", amount: 30 });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const share = await app.addBonusAction({ action: "share_referral", description: "Share your link", points: 20, confirmationType: "manual", order: 1 });
    await app.post(`/api/v1/entries/${erin.id}/bonus-actions/${share.id}/complete`, { proof: "https://x.com/erin/status/1" });
    await app.post(`/api/v1/entries/${erin.id}/bonus-actions/${share.id}/approve`);
    const adj = await app.post(`/api/v1/entries/${erin.id}/adjust-points`, { points: 7, reason: "Thanks Erin Example" });
    expect(adj.status).toBe(201);
    return { app, ada, erin, frank, share };
  }

  it("export answers everything stored about the person", async () => {
    const { app, erin } = await erinsContest();
    const r = await app.get(`/api/v1/entries/${erin.id}/export`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = r.body.data;
    expect(Object.keys(d).sort()).toEqual(["bonusCompletions", "entry", "ledger", "limit", "purchases", "rewards"]);
    expect(d.entry).toMatchObject({ id: erin.id, email: "erin@example.com", name: "Erin Example", referralCode: erin.referralCode });
    expect(d.limit).toBe(10_000);
    const ledger = await ledgerOf(erin.id);
    expect(ledger.length).toBeGreaterThanOrEqual(2);
    expect(d.ledger.map((l: Json) => [l.points, l.reason, l.refId])).toEqual(ledger.map((l) => [l.delta, l.reason, l.ref_id]));
    expect(d.ledger).toContainEqual(expect.objectContaining({ reason: "adjustment", note: "Thanks Erin Example" }));
    expect(d.purchases).toEqual([expect.objectContaining({ orderId: "order-erin-1", email: "erin@example.com", amount: 30 })]);
    expect(d.bonusCompletions).toEqual([expect.objectContaining({ proof: "https://x.com/erin/status/1", status: "verified" })]);
  });

  it("DELETE erases the person; totals, ledger rows and others' points stay", async () => {
    const { app, ada, erin, frank } = await erinsContest();
    const ip = "198.18.69.1";
    const adaBefore = await app.entry(ada.id);
    const erinBefore = await app.entry(erin.id);
    const frankBefore = await app.entry(frank.id);
    const adaLedger = await ledgerOf(ada.id);
    const erinLedger = await ledgerOf(erin.id);
    expect(erinBefore.totalPoints).toBeGreaterThan(0);
    expect((await validateCode(app, erin.referralCode, ip)).body.valid).toBe(true);

    const r = await app.del(`/api/v1/entries/${erin.id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ success: true, data: { id: erin.id, erased: true, alreadyErased: false } });

    // Gone from the API (reads and changes by id are 404); the anonymous row keeps its totals.
    for (const path of [`/api/v1/entries/${erin.id}`, `/api/v1/entries/${erin.id}/ledger`, `/api/v1/entries/${erin.id}/bonus-actions`, `/api/v1/entries/${erin.id}/export`]) {
      expectError(await app.get(path), 404, "Entry not found");
    }
    expectError(await app.patch(`/api/v1/entries/${erin.id}`, { name: "Back" }), 404, "Entry not found");
    const after = await env.DB.prepare("SELECT referral_code, total_points, pending_points FROM entries WHERE id = ?").bind(erin.id).first<Json>();
    expect(after).toMatchObject({ total_points: erinBefore.totalPoints, pending_points: erinBefore.pendingPoints });
    expect(after.referral_code).not.toBe(erin.referralCode);
    expect(await validateCode(app, erin.referralCode, ip)).toMatchObject({ status: 200, body: { valid: false } });
    expectError(await trackSignup(app, { email: "new@example.com", referralCode: erin.referralCode }, ip), 404, "Referral code not found");

    // Totals and ledger rows stay.
    expect(await app.entry(ada.id)).toMatchObject({ totalPoints: adaBefore.totalPoints, pendingPoints: adaBefore.pendingPoints });
    expect(await app.entry(frank.id)).toMatchObject({ totalPoints: frankBefore.totalPoints, referredBy: erin.id });
    expect(await ledgerOf(ada.id)).toEqual(adaLedger);
    expect(await ledgerOf(erin.id)).toEqual(erinLedger);

    // Nothing personal left in D1.
    const stored = await env.DB.prepare("SELECT email, email_display, name, first_name, last_name, signup_ip_hash, erased_at FROM entries WHERE id = ?")
      .bind(erin.id)
      .first<Json>();
    expect(stored).toMatchObject({ email: `erased:${erin.id}`, email_display: "(erased)", name: null, first_name: null, last_name: null, signup_ip_hash: null });
    expect(stored.erased_at).toEqual(expect.any(String));
    const buyer = await env.DB.prepare("SELECT buyer_email FROM purchases WHERE contest_id = ? AND order_id = 'order-erin-1'").bind(app.contestId).first<{ buyer_email: string }>();
    expect(buyer?.buyer_email).not.toContain("erin@example.com");
    expect(buyer?.buyer_email).toBe(`erased:${erin.id}`);
    expect(await count("SELECT COUNT(*) AS n FROM bonus_completions WHERE entry_id = ? AND (proof IS NOT NULL OR answer IS NOT NULL)", erin.id)).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM ledger WHERE entry_id = ? AND note IS NOT NULL AND reason = 'adjustment'", erin.id)).toBe(0);

    // The owner's exports keep the anonymous rows.
    const people = await app.get(`/api/v1/contests/${app.contestId}/export/participants.csv`);
    expect(people.body).toContain("(erased)");
    expect(String(people.body)).not.toMatch(/erin@example\.com|Erin Example/);

    const again = await app.del(`/api/v1/entries/${erin.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ success: true, data: { id: erin.id, erased: true, alreadyErased: true } });
    expectError(await app.get(`/api/v1/entries/${erin.id}`), 404, "Entry not found");
  });

  it("a tracker signup's address hash is erased too", async () => {
    const app = await TestApp.create();
    const ada = await app.addEntry("ada@example.com");
    const r = await trackSignup(app, { email: "gus@example.com", referralCode: ada.referralCode, name: "Gus" }, "198.18.70.1");
    expect(r.status).toBe(200);
    const id = r.body.data.entryId;
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE id = ? AND signup_ip_hash IS NOT NULL", id)).toBe(1);
    expect((await app.get(`/api/v1/entries/${id}/export`)).body.data.entry.addressHashStored).toBeTruthy();
    expect((await app.del(`/api/v1/entries/${id}`)).status).toBe(200);
    expect(await count("SELECT COUNT(*) AS n FROM entries WHERE id = ? AND signup_ip_hash IS NULL AND name IS NULL", id)).toBe(1);
    // The D1 check above is the proof; the API no longer shows the erased entry at all.
    expectError(await app.get(`/api/v1/entries/${id}/export`), 404, "Entry not found");
  });

  it("public keys may not erase or export: 403; another account's entry: 404", async () => {
    const { app, erin } = await erinsContest();
    expectError(await app.del(`/api/v1/entries/${erin.id}`, app.publicKey), 403, "Private key required");
    expectError(await app.get(`/api/v1/entries/${erin.id}/export`, app.publicKey), 403, "Private key required");
    const stranger = await TestApp.create();
    expectError(await stranger.del(`/api/v1/entries/${erin.id}`), 404, "Entry not found");
    expectError(await stranger.get(`/api/v1/entries/${erin.id}/export`), 404, "Entry not found");
    expect((await app.entry(erin.id)).email).toBe("erin@example.com");
  });
});
