// Helpers of the email template specs (issue 26): the owner's templates API
// (`GET/PUT /api/v1/contests/:id/email-templates[/:kind]`) and the test send.
import { expect } from "vitest";
import { call, type Json, type Reply, type TestApp } from "./app";

/** `PUT .../email-templates/:kind` with `body`, as the owner. */
export function putTemplate(app: TestApp, kind: string, body: Json): Promise<Reply> {
  return call("PUT", `/api/v1/contests/${app.contestId}/email-templates/${kind}`, { key: app.privateKey, body });
}

/** Turns the message `kind` on (through the API); answers its template. */
export async function turnOn(app: TestApp, kind: string): Promise<Json> {
  const r = await putTemplate(app, kind, { enabled: true });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.data.enabled).toBe(true);
  return r.body.data;
}

/** `GET .../email-templates`: every kind's template, by kind. */
export async function templates(app: TestApp): Promise<Record<string, Json>> {
  const r = await app.get(`/api/v1/contests/${app.contestId}/email-templates`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return Object.fromEntries(r.body.data.map((t: Json) => [t.kind, t]));
}

/** `POST .../emails/test`. */
export function sendTest(app: TestApp, body: Json, key = app.privateKey): Promise<Reply> {
  return call("POST", `/api/v1/contests/${app.contestId}/emails/test`, { key, body });
}
