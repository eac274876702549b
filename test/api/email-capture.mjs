// The API tests' stand-in for Cloudflare Email Service's `send_email`
// binding (vitest.config.ts binds EMAIL to this worker's `Capture`
// entrypoint): it records every message the worker sends so a test can read
// them (test/api/email-helpers.ts), and refuses a sender on the domain
// `fails.test` the way the simulated binding refuses a sender it does not
// allow (`email from X not allowed`), so a test can make a send fail.
import { WorkerEntrypoint } from "cloudflare:workers";

const sent = [];

function address(a) {
  return typeof a === "string" ? a : a.email;
}

export class Capture extends WorkerEntrypoint {
  async send(message) {
    const from = address(message.from);
    if (from.endsWith("@fails.test")) throw new Error(`email from ${from} not allowed`);
    const messageId = `<${crypto.randomUUID()}@${from.split("@")[1]}>`;
    sent.push({
      from: typeof message.from === "string" ? { email: message.from, name: "" } : { ...message.from },
      to: (Array.isArray(message.to) ? message.to : [message.to]).map(address),
      replyTo: message.replyTo ? address(message.replyTo) : undefined,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { ...(message.headers ?? {}) },
      messageId,
    });
    return { messageId };
  }

  async sentTo(to) {
    return sent.filter((m) => m.to.includes(to));
  }
}

export default { fetch: () => new Response("email capture") };
