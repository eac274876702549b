// The contest's email settings (issue 26): the sender and the default language
// of the messages, flat on the contest (docs/API.md, "Email").
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectError, TestApp } from "./app";

describe("email settings", () => {
  it("a new contest sends no email and speaks English until told otherwise", async () => {
    const app = await TestApp.create();
    expect(app.contest).toMatchObject({ emailFrom: null, emailFromName: null, emailReplyTo: null, emailLocale: "en" });
    const created = await TestApp.create({ emailFrom: "news@mail.example.com", emailLocale: "de" });
    expect(created.contest).toMatchObject({ emailFrom: "news@mail.example.com", emailLocale: "de" });
  });

  it("PATCH sets, keeps and clears the sender; the row holds what the view shows", async () => {
    const app = await TestApp.create();
    const set = await app.setContest({
      emailFrom: " contest@mail.example.com ",
      emailFromName: "Spring\r\nBcc: someone@example.com",
      emailReplyTo: "help@example.com",
      emailLocale: "fr",
    });
    // Trimmed; the name's line break is a space, never a header of its own.
    expect(set).toMatchObject({
      emailFrom: "contest@mail.example.com",
      emailFromName: "Spring Bcc: someone@example.com",
      emailReplyTo: "help@example.com",
      emailLocale: "fr",
    });
    const row = await env.DB.prepare(
      "SELECT email_from, email_from_name, email_reply_to, email_locale FROM contests WHERE id = ?1",
    )
      .bind(app.contestId)
      .first();
    expect(row).toEqual({
      email_from: "contest@mail.example.com",
      email_from_name: "Spring Bcc: someone@example.com",
      email_reply_to: "help@example.com",
      email_locale: "fr",
    });

    // Another setting's PATCH leaves them as they are.
    expect(await app.setContest({ advocatePoints: 3 })).toMatchObject({ emailFrom: "contest@mail.example.com", emailLocale: "fr" });
    const got = await app.get(`/api/v1/contests/${app.contestId}`);
    expect(got.body.data).toMatchObject({ emailFromName: "Spring Bcc: someone@example.com", emailReplyTo: "help@example.com" });

    // null and blank clear.
    expect(await app.setContest({ emailFrom: null, emailFromName: "", emailReplyTo: null })).toMatchObject({
      emailFrom: null,
      emailFromName: null,
      emailReplyTo: null,
      emailLocale: "fr",
    });
  });

  it("refuses what is not an address or a shipped language, naming the field, and writes nothing", async () => {
    const app = await TestApp.create();
    await app.setContest({ emailFrom: "contest@mail.example.com" });
    const path = `/api/v1/contests/${app.contestId}`;
    const cases: [unknown, RegExp][] = [
      [{ emailFrom: "contest" }, /emailFrom must be an email address/],
      [{ emailFrom: "contest@localhost" }, /emailFrom must be an email address/],
      [{ emailReplyTo: "a b@example.com" }, /emailReplyTo must be an email address/],
      [{ emailLocale: "it" }, /emailLocale must be one of en, fr, de, es/],
      [{ emailLocale: "fr-CA" }, /emailLocale/],
      [{ emailFromName: "x".repeat(101) }, /emailFromName is longer than 100 characters/],
      [{ email: { from: "a@example.com" } }, /unknown field/],
    ];
    for (const [body, message] of cases) {
      expectError(await app.patch(path, body), 400, message);
    }
    expectError(await app.post("/api/v1/contests", { name: "x", emailFrom: "nope" }), 400, /emailFrom/);
    const got = await app.get(path);
    expect(got.body.data).toMatchObject({ emailFrom: "contest@mail.example.com", emailLocale: "en" });
  });
});
