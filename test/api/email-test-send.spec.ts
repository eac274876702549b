// The owner's test send (issue 26): `POST /api/v1/contests/:id/emails/test`
// renders a message kind with sample values and sends it through the queue to
// the owner (the contest's reply-to, else its sender, or `to`), as a `test`
// message of the owner's list; read back from the capture worker's mail.
import { describe, expect, it } from "vitest";
import { expectError, TestApp } from "./app";
import { emailRows, enableEmail, sentTo, settled, waitForMail } from "./email-helpers";
import { putTemplate, sendTest } from "./email-template-helpers";

describe("the test send", () => {
  it("sends the kind with sample values to the contest's reply-to address, listed as a test", async () => {
    const app = await TestApp.create();
    await enableEmail(app, []);
    await app.setContest({ emailReplyTo: "owner.replyto@shop.test" });
    const r = await sendTest(app, { kind: "prize.earned" });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.data).toMatchObject({ kind: "test", to: "owner.replyto@shop.test", status: "queued", attempts: 0 });
    const [mail] = await waitForMail("owner.replyto@shop.test");
    expect(mail.subject).toBe("[Test] You earned Gift card in Spring launch");
    expect(mail.text).toContain("Your code: SAMPLE-CODE");
    expect(mail.text).toContain("Hi Ada,");
    expect(mail.from).toEqual({ email: "news@shop.test", name: "Shop News" });
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    await settled(app.contestId);
    const list = await app.get(`/api/v1/contests/${app.contestId}/emails`);
    expect(list.body.data).toMatchObject([{ id: r.body.data.id, kind: "test", to: "owner.replyto@shop.test", status: "sent" }]);
  });

  it("renders the owner's template of the kind, in the contest's language, escaping the values", async () => {
    const app = await TestApp.create({ emailLocale: "de" });
    await enableEmail(app, []);
    expect((await putTemplate(app, "welcome", { html: "<p>Hallo <em>{{name}}</em>: {{referralLink}}</p>" })).status).toBe(200);
    const r = await sendTest(app, { kind: "welcome", to: "Owner.Test.DE@Shop.test" });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.data.to).toBe("owner.test.de@shop.test");
    const [mail] = await waitForMail("owner.test.de@shop.test");
    expect(mail.subject).toBe("[Test] Willkommen bei Spring launch");
    expect(mail.html).toContain("<p>Hallo <em>Ada</em>: https://rocket.test/?ref=SAMPLE</p>");
    expect(mail.text).toContain("danke für Ihre Teilnahme");
  });

  it("goes to the sender address without a reply-to; a kind that is off is still tested", async () => {
    const app = await TestApp.create();
    await app.setContest({ emailFrom: "owner.from@shop.test" });
    const r = await sendTest(app, { kind: "contest.results" });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const [mail] = await waitForMail("owner.from@shop.test");
    expect(mail.subject).toBe("[Test] The results of Spring launch");
    expect(mail.text).toContain("You finished at rank 3 with 120 points.");
  });

  it("answers 409 without a sender address, 400 for an unknown kind or a bad address", async () => {
    const app = await TestApp.create();
    expectError(await sendTest(app, { kind: "welcome" }), 409, "This contest sends no email: set its sender address first");
    await enableEmail(app, []);
    expectError(await sendTest(app, { kind: "birthday" }), 400, /^kind must be one of welcome/);
    expectError(await sendTest(app, { kind: "test" }), 400);
    expectError(await sendTest(app, { kind: "welcome", to: "not an address" }), 400, "to must be an email address");
    expectError(await sendTest(app, {}), 400);
    expectError(await sendTest(app, { kind: "welcome" }, app.publicKey), 403);
    const other = await TestApp.create();
    expectError(await sendTest(other, { kind: "welcome" }, app.privateKey), 404);
    expect(await emailRows(app.contestId)).toEqual([]);
  });

  it("counts against the address's daily cap", async () => {
    const app = await TestApp.create();
    await enableEmail(app, []);
    const to = "owner.capped@shop.test";
    for (let i = 0; i < 10; i++) expect((await sendTest(app, { kind: "portal", to })).body.data.status).toBe("queued");
    const over = await sendTest(app, { kind: "portal", to });
    expect(over.status).toBe(202);
    expect(over.body.data.status).toBe("capped");
    await settled(app.contestId);
    expect(await sentTo(to)).toHaveLength(10);
  });
});
