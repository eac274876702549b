// The owner's email templates (issue 26): `GET/PUT /api/v1/contests/:id/email-templates[/:kind]`
// (on/off, subject, text, HTML; the rules of portal and confirm; placeholders
// and sizes refused by name), what the sender then sends, and the
// participant's confirmation state in the entry views and the join answer.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, TestApp } from "./app";
import { joinAs, openLink, optInArena } from "./email-confirmation-helpers";
import { enableEmail, waitForMail } from "./email-helpers";
import { putTemplate, templates, turnOn } from "./email-template-helpers";

const KINDS = ["welcome", "confirm", "referral.confirmed", "prize.earned", "contest.results", "portal"];

describe("the templates API", () => {
  it("lists every kind with its state, the shipped texts in the contest's language and its placeholders", async () => {
    const app = await TestApp.create({ emailLocale: "fr" });
    const r = await app.get(`/api/v1/contests/${app.contestId}/email-templates`);
    expect(r.status).toBe(200);
    expect(r.body.data.map((t: { kind: string }) => t.kind)).toEqual(KINDS);
    const all = await templates(app);
    expect(all.welcome).toMatchObject({
      enabled: false,
      switchable: true,
      customized: false,
      custom: { subject: false, text: false, html: false },
      locale: "fr",
      subject: "Bienvenue ! Vous participez à {{contestName}}",
      updatedAt: null,
    });
    expect(all.welcome.text).toContain("{{referralLink}}");
    expect(all.welcome.html).toContain('<a href="{{referralLink}}">{{referralLink}}</a>');
    expect(all.welcome.placeholders).toEqual(
      expect.arrayContaining(["name", "contestName", "referralLink", "portalLink", "unsubscribeLink"]),
    );
    expect(all.welcome.placeholders).not.toContain("code");
    expect(all["prize.earned"].placeholders).toEqual(expect.arrayContaining(["prizeName", "code"]));
    expect(all.confirm.placeholders).toContain("confirmLink");
    expect(all.portal).toMatchObject({ enabled: true, switchable: false });
    expect(all.confirm).toMatchObject({ enabled: false, switchable: false });
    const one = await app.get(`/api/v1/contests/${app.contestId}/email-templates/prize.earned`);
    expect(one.status).toBe(200);
    expect(one.body.data).toEqual(all["prize.earned"]);
  });

  it("changes only the fields named, resets with null or a blank text, and the sender uses it", async () => {
    const app = await TestApp.create();
    await enableEmail(app, []);
    const saved = await putTemplate(app, "welcome", {
      enabled: true,
      subject: "Hello {{name}} from {{contestName}}",
      text: "Your link: {{referralLink}}\nYou have {{ points }} points.",
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.data).toMatchObject({
      kind: "welcome",
      enabled: true,
      customized: true,
      custom: { subject: true, text: true, html: false },
      subject: "Hello {{name}} from {{contestName}}",
      text: "Your link: {{referralLink}}\nYou have {{ points }} points.",
      html: "<p>Your link: <a href=\"{{referralLink}}\">{{referralLink}}</a><br>\nYou have {{ points }} points.</p>",
    });
    expect(typeof saved.body.data.updatedAt).toBe("string");
    // A field left out keeps its value.
    const html = await putTemplate(app, "welcome", { html: "<h1>Hi {{name}}</h1><p>{{referralLink}}</p>" });
    expect(html.status).toBe(200);
    expect(html.body.data).toMatchObject({
      enabled: true,
      subject: "Hello {{name}} from {{contestName}}",
      custom: { subject: true, text: true, html: true },
    });
    const entry = await app.addEntry("tmpl.welcome@example.com", { name: "<b>Ann</b>" });
    const [mail] = await waitForMail("tmpl.welcome@example.com");
    expect(mail.subject).toBe("Hello <b>Ann</b> from Spring launch");
    expect(mail.text).toContain(`Your link: https://rocket.test/r/${app.contestId}?ref=${entry.referralCode}`);
    expect(mail.text).toContain("You have 0 points.");
    expect(mail.html).toContain("<h1>Hi &lt;b&gt;Ann&lt;/b&gt;</h1>");
    // The footer is not the template's: it stays.
    expect(mail.text).toContain("Unsubscribe: https://rocket.test/api/referral/unsubscribe?token=");
    // null and a blank text: the shipped version again; enabled null: off.
    const reset = await putTemplate(app, "welcome", { subject: null, text: "  ", html: null, enabled: null });
    expect(reset.status).toBe(200);
    expect(reset.body.data).toMatchObject({
      enabled: false,
      customized: false,
      custom: { subject: false, text: false, html: false },
      subject: "Welcome to {{contestName}}",
    });
    const row = await env.DB.prepare("SELECT enabled, subject, body_text, body_html FROM email_templates WHERE contest_id = ? AND kind = 'welcome'")
      .bind(app.contestId)
      .first();
    expect(row).toEqual({ enabled: null, subject: null, body_text: null, body_html: null });
  });

  it("keeps portal on and confirm with requireEmailConfirmation (409), its texts still editable", async () => {
    const app = await TestApp.create();
    expectError(await putTemplate(app, "portal", { enabled: false }), 409, "portal is always on");
    expect((await putTemplate(app, "portal", { enabled: true })).status).toBe(200);
    expectError(await putTemplate(app, "confirm", { enabled: true }), 409, /requireEmailConfirmation/);
    const text = await putTemplate(app, "confirm", { enabled: false, text: "Confirm: {{confirmLink}}" });
    expect(text.status).toBe(200);
    expect(text.body.data).toMatchObject({ enabled: false, text: "Confirm: {{confirmLink}}" });
    await app.setContest({ requireEmailConfirmation: true });
    expect((await templates(app)).confirm.enabled).toBe(true);
    expectError(await putTemplate(app, "confirm", { enabled: false }), 409, /requireEmailConfirmation/);
    expect((await putTemplate(app, "confirm", { enabled: true })).status).toBe(200);
    const stored = await env.DB.prepare("SELECT kind, enabled FROM email_templates WHERE contest_id = ? ORDER BY kind")
      .bind(app.contestId)
      .all();
    expect(stored.results).toEqual([
      { kind: "confirm", enabled: null },
      { kind: "portal", enabled: null },
    ]);
  });

  it("refuses placeholders the kind does not accept, by name, and oversize or control-character texts", async () => {
    const app = await TestApp.create();
    expectError(
      await putTemplate(app, "welcome", { text: "Your code is {{code}} and {{favouriteColour}}" }),
      409,
      /^text uses \{\{code\}\}, \{\{favouriteColour\}\}, not a placeholder of welcome \(it accepts .*\{\{referralLink\}\}/,
    );
    expectError(await putTemplate(app, "portal", { subject: "{{confirmLink}}" }), 409, /^subject uses \{\{confirmLink\}\}/);
    expectError(await putTemplate(app, "welcome", { html: "<p>{{rank}}</p>" }), 409, /^html uses \{\{rank\}\}/);
    expect((await putTemplate(app, "contest.results", { text: "Rank {{rank}}" })).status).toBe(200);
    expectError(await putTemplate(app, "welcome", { subject: "x".repeat(201) }), 400, "subject must be at most 200 characters");
    expectError(await putTemplate(app, "welcome", { subject: "Hi\r\nBcc: someone@example.com" }), 400);
    expectError(await putTemplate(app, "welcome", { text: "y".repeat(10_001) }), 400, "text must be at most 10000 characters");
    expectError(await putTemplate(app, "welcome", { text: "a\u0000b" }), 400, "text contains control characters");
    expectError(await putTemplate(app, "welcome", { colour: "red" }), 400);
    expectError(await putTemplate(app, "welcome", { enabled: "yes" }), 400);
    // Nothing of the refused changes was stored.
    expect((await templates(app)).welcome.customized).toBe(false);
  });

  it("answers 404 for an unknown kind or another account's contest, 403 to a public key", async () => {
    const app = await TestApp.create();
    const other = await TestApp.create();
    expectError(await app.get(`/api/v1/contests/${app.contestId}/email-templates/test`), 404);
    expectError(await putTemplate(app, "birthday", { enabled: true }), 404);
    expectError(await app.get(`/api/v1/contests/${other.contestId}/email-templates`), 404);
    expectError(await putTemplateAs(app, other), 404);
    expectError(await app.get(`/api/v1/contests/${app.contestId}/email-templates`, app.publicKey), 403);
  });

  it("turns a lifecycle message on for the sender (referral.confirmed)", async () => {
    const app = await TestApp.create();
    await enableEmail(app, []);
    await turnOn(app, "referral.confirmed");
    const advocate = await app.addEntry("tmpl.adv@example.com");
    await app.addEntry("tmpl.friend@example.com", { referralCode: advocate.referralCode });
    const [mail] = await waitForMail("tmpl.adv@example.com");
    expect(mail.subject).toBe("A referral counted for you in Spring launch");
  });
});

/** `PUT` of another account's contest's template with `app`'s key. */
function putTemplateAs(app: TestApp, other: TestApp) {
  return call("PUT", `/api/v1/contests/${other.contestId}/email-templates/welcome`, {
    key: app.privateKey,
    body: { enabled: true },
  });
}

describe("the participant's confirmation state", () => {
  it("is pending in the join answer and the entry views until the link is opened, then confirmed", async () => {
    const { app, advocate } = await optInArena();
    await enableEmail(app, []);
    expect(advocate).toMatchObject({ emailConfirmation: null, emailConfirmedAt: null, confirmBy: null });
    const joined = await joinAs(app, "views.pending@example.com", advocate.referralCode, "198.51.100.61");
    expect(joined.status).toBe(201);
    expect(joined.body.data.emailConfirmation).toBe("pending");
    expect(joined.body.data.entry).toMatchObject({ emailConfirmation: "pending", emailConfirmedAt: null });
    const confirmBy = joined.body.data.entry.confirmBy;
    expect(Date.parse(confirmBy)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    // The participant's own view (its token), and the owner's.
    const own = await call("GET", `/api/v1/entries/${joined.body.data.entry.id}`, {
      headers: { authorization: `Bearer ${joined.body.data.token}` },
    });
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ emailConfirmation: "pending", confirmBy });
    const list = await app.get(`/api/v1/contests/${app.contestId}/entries`);
    const listed = list.body.data.find((e: { id: string }) => e.id === joined.body.data.entry.id);
    expect(listed).toMatchObject({ emailConfirmation: "pending", confirmBy });
    // The confirm email's link confirms it.
    const [mail] = await waitForMail("views.pending@example.com");
    const link = /https:\/\/rocket\.test\/api\/referral\/confirm\?token=[A-Za-z0-9_.%-]+/.exec(mail.text ?? "");
    expect(link, mail.text).not.toBeNull();
    const opened = await openLink(new URL(link![0]).searchParams.get("token")!, "198.51.100.63");
    expect(opened.status, JSON.stringify(opened.body)).toBe(303);
    const after = await app.entry(joined.body.data.entry.id);
    expect(after.emailConfirmation).toBeNull();
    expect(after.confirmBy).toBeNull();
    expect(Date.parse(after.emailConfirmedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("gets its confirm link from an owner's confirm text that left it out", async () => {
    const { app, advocate } = await optInArena();
    await enableEmail(app, []);
    expect((await putTemplate(app, "confirm", { subject: "One click, {{name}}", text: "Hi {{name}}, one click and you are in." })).status).toBe(200);
    const joined = await joinAs(app, "views.ownlink@example.com", advocate.referralCode, "198.51.100.64");
    const [mail] = await waitForMail("views.ownlink@example.com");
    expect(mail.subject).toBe("One click,");
    expect(mail.text).toMatch(/^Hi, one click and you are in\.\n\nhttps:\/\/rocket\.test\/api\/referral\/confirm\?token=rtc_/);
    const link = /https:\/\/rocket\.test\/api\/referral\/confirm\?token=[A-Za-z0-9_.%-]+/.exec(mail.text ?? "");
    expect(mail.html).toContain(`<a href="${link![0]}">`);
    const opened = await openLink(new URL(link![0]).searchParams.get("token")!, "198.51.100.65");
    expect(opened.status, JSON.stringify(opened.body)).toBe(303);
    expect((await app.entry(joined.body.data.entry.id)).emailConfirmation).toBeNull();
  });

  it("is null in the join answer when the contest does not ask", async () => {
    const app = await TestApp.create();
    const joined = await joinAs(app, "views.plain@example.com", undefined, "198.51.100.62");
    expect(joined.status).toBe(201);
    expect(joined.body.data.emailConfirmation).toBeNull();
    expect(joined.body.data.entry).toMatchObject({ emailConfirmation: null, emailConfirmedAt: null, confirmBy: null });
  });
});
