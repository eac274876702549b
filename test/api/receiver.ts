// A webhook receiver for the API tests, in the vitest process: workerd's
// outbound fetches to https://receiver.test/ land here (vitest.config.ts).
// `POST /hooks/<mode>/<name>` answers by its mode and records the request;
// `GET /log/<name>` answers what `<name>` received, for the spec to check
// (signatures included). Modes: `ok` 200; `flaky2` 503 twice, then 200;
// `down` always 500 with a long body; `moved` 302 (never followed); `flood` 200
// with a 4 MB body streamed slowly as it is read (`GET /pulled/<name>`: how much was).
export const RECEIVER = "https://receiver.test";

interface Received {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  contentType: string | null;
  body: string;
}

const log = new Map<string, Received[]>();
const pulled = new Map<string, number>();

/** 4 MB in 16 KB chunks, 5 ms apart, made only as the reader asks for them. */
function flood(name: string) {
  const chunk = new Uint8Array(16 * 1024).fill(120);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const sent = pulled.get(name) ?? 0;
      if (sent >= 4 * 1024 * 1024) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, 5));
      pulled.set(name, sent + chunk.length);
      controller.enqueue(chunk);
    },
  });
}

export async function receive(request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  if (url.origin !== RECEIVER) return null;
  const [, kind, mode, name] = url.pathname.split("/");
  if (kind === "log" && request.method === "GET" && mode) {
    return Response.json(log.get(mode) ?? []);
  }
  if (kind === "pulled" && request.method === "GET" && mode) {
    return Response.json(pulled.get(mode) ?? 0);
  }
  if (kind !== "hooks" || request.method !== "POST" || !mode || !name) return new Response("unknown", { status: 404 });
  const seen = log.get(name) ?? [];
  seen.push({
    id: request.headers.get("webhook-id"),
    timestamp: request.headers.get("webhook-timestamp"),
    signature: request.headers.get("webhook-signature"),
    contentType: request.headers.get("content-type"),
    body: await request.text(),
  });
  log.set(name, seen);
  switch (mode) {
    case "ok":
      return new Response("thanks");
    case "flaky2":
      return seen.length <= 2 ? new Response("busy", { status: 503 }) : new Response("thanks");
    case "down":
      return new Response(`down ${"x".repeat(2000)}`, { status: 500 });
    case "flood":
      return new Response(flood(name));
    case "moved":
      return new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } });
    default:
      return new Response("unknown mode", { status: 404 });
  }
}
