// The API contract: every reply `call()` sees is checked against the OpenAPI
// document the worker serves (/api/openapi.json), so a drift between the
// server and edge/openapi.json fails the test that caused it.
//
// - The operation is found like the router finds a route: a trailing slash is
//   dropped, `{param}` matches one non-empty segment, a literal segment wins
//   over a parameter, HEAD is answered by GET.
// - The status must be documented for that operation (or a `default` response
//   exist), and the body must be JSON that validates (ajv, JSON Schema 2020-12,
//   formats checked) against the response's `application/json` schema.
// - Objects are closed: a property the document does not list fails, wherever
//   a schema with `properties` is used (its use site gets
//   `unevaluatedProperties: false`, so allOf compositions still work) unless
//   the schema itself says what extra properties are (`additionalProperties`).
// - A path no operation matches is the generic 404 (`NotFound`); a documented
//   path with an undocumented method is the generic 405 (`MethodNotAllowed`),
//   whose `Allow` header must list exactly the documented methods. An OPTIONS
//   request (a CORS preflight) that the document does not describe is not
//   checked: the document does not describe preflights.
import { SELF } from "cloudflare:test";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { assert } from "vitest";

const DOC_URL = "https://rocket.test/api/openapi.json";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Node = any;

interface Route {
  template: string;
  segments: string[];
  literals: number;
  item: Node;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Node) {
    addFormats(this.ajv);
    // The component schemas as one schema resource named after the document;
    // every `#/...` reference is made absolute so compiled response schemas find
    // them. A component's root stays open (it may be one part of an allOf): the
    // places that use it close it.
    const schemas = Object.entries<Node>(doc.components?.schemas ?? {}).map(([k, s]) => [k, this.prepare(s, false)]);
    this.ajv.addSchema({ components: { schemas: Object.fromEntries(schemas) } }, DOC_URL);
    this.routes = Object.entries<Node>(doc.paths ?? {})
      .map(([template, item]) => {
        const segments = template.split("/");
        return { template, segments, literals: segments.filter((s) => !/^\{.+\}$/.test(s)).length, item };
      })
      // A literal segment wins over a parameter.
      .sort((a, b) => b.literals - a.literals);
  }

  /** Resolves a local `#/...` JSON pointer in the document. */
  private pointer(ref: string): Node {
    if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
    let node = this.doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      node = node?.[key];
    }
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node;
  }

  /** Whether a schema lists properties and leaves the others unsaid (so closing it is meaningful). */
  private closable(node: Node, seen: Set<Node> = new Set()): boolean {
    if (!isObject(node) || seen.has(node)) return false;
    seen.add(node);
    if ("additionalProperties" in node || "patternProperties" in node || "unevaluatedProperties" in node) return false;
    if (isObject(node.properties)) return true;
    if (typeof node.$ref === "string" && this.closable(this.pointer(node.$ref), new Set(seen))) return true;
    return ["allOf", "oneOf", "anyOf"].some(
      (k) => Array.isArray(node[k]) && node[k].some((s: Node) => this.closable(s, new Set(seen))),
    );
  }

  /** A copy of a schema with absolute `$ref`s and closed objects at every use site. */
  private prepare(node: Node, useSite: boolean): Node {
    if (Array.isArray(node)) return node.map((n) => this.prepare(n, useSite));
    if (!isObject(node)) return node;
    const out: Node = {};
    for (const [key, value] of Object.entries(node)) {
      switch (key) {
        case "$ref":
          out.$ref = typeof value === "string" && value.startsWith("#") ? DOC_URL + value : value;
          break;
        case "properties":
        case "patternProperties":
        case "dependentSchemas":
          out[key] = Object.fromEntries(Object.entries<Node>(value).map(([k, s]) => [k, this.prepare(s, true)]));
          break;
        case "items":
        case "additionalProperties":
        case "unevaluatedItems":
        case "contains":
        case "prefixItems":
        case "oneOf":
        case "anyOf":
          out[key] = this.prepare(value, true);
          break;
        // allOf's parts are completed by each other: the parent is closed instead.
        case "allOf":
        case "not":
        case "if":
        case "then":
        case "else":
          out[key] = this.prepare(value, false);
          break;
        default:
          out[key] = value;
      }
    }
    if (useSite && this.closable(node)) out.unevaluatedProperties = false;
    return out;
  }

  private matches(route: Route, path: string) {
    const have = path.split("/");
    return (
      have.length === route.segments.length &&
      route.segments.every((want, i) => (/^\{.+\}$/.test(want) ? have[i] !== "" : want === have[i]))
    );
  }

  private response(ref: Node): Node {
    let r = ref;
    for (let depth = 0; isObject(r) && typeof r.$ref === "string"; depth++) {
      if (depth > 10) throw new Error("response $ref loop");
      r = this.pointer(r.$ref);
    }
    return r;
  }

  private validator(key: string, schema: Node): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(this.prepare(schema, true));
      this.validators.set(key, v);
    }
    return v;
  }

  check(method: string, url: string, status: number, headers: Headers, text: string) {
    const path0 = new URL(url, DOC_URL).pathname;
    const path = path0.length > 1 ? path0.replace(/\/+$/, "") : path0;
    const where = `${method} ${path} -> ${status}`;
    const fail = (why: string): never => assert.fail(`OpenAPI contract: ${where}: ${why}\nbody: ${text.slice(0, 2000)}`);
    const verb = method.toLowerCase() === "head" ? "get" : method.toLowerCase();
    const matched = this.routes.filter((r) => this.matches(r, path));
    const route = matched.find((r) => isObject(r.item[verb]));

    if (!route) {
      if (matched.length === 0) {
        // An unknown path: the generic 404.
        if (status !== 404) fail("no documented operation matches this path, and the answer is not the generic 404");
        return this.checkBody("NotFound", this.pointer("#/components/responses/NotFound"), headers, text, method, fail);
      }
      if (verb === "options") return; // a CORS preflight: not described by the document
      // A documented path with another method: the generic 405 with Allow.
      if (status !== 405) fail(`the method is not documented for this path, and the answer is not the generic 405`);
      const documented = new Set<string>();
      for (const r of matched) for (const m of METHODS) if (isObject(r.item[m])) documented.add(m.toUpperCase());
      const allow = new Set((headers.get("allow") ?? "").split(",").map((m) => m.trim().toUpperCase()).filter(Boolean));
      if ([...documented].sort().join(",") !== [...allow].sort().join(",")) {
        fail(`Allow is "${headers.get("allow")}", the document has ${[...documented].join(", ")}`);
      }
      return this.checkBody("MethodNotAllowed", this.pointer("#/components/responses/MethodNotAllowed"), headers, text, method, fail);
    }

    const op = route.item[verb];
    const responses = op.responses ?? {};
    const documentedStatus =
      String(status) in responses ? String(status) : `${String(status)[0]}XX` in responses ? `${String(status)[0]}XX` : "default";
    if (!(documentedStatus in responses)) {
      fail(`status ${status} is not documented for ${verb.toUpperCase()} ${route.template} (documented: ${Object.keys(responses).join(", ")})`);
    }
    const response = this.response(responses[documentedStatus]);
    this.checkBody(`${verb} ${route.template} ${documentedStatus}`, response, headers, text, method, fail);
  }

  private checkBody(
    key: string,
    response: Node,
    headers: Headers,
    text: string,
    method: string,
    fail: (why: string) => never,
  ) {
    if (method.toUpperCase() === "HEAD") return;
    const content = response.content;
    if (!isObject(content) || Object.keys(content).length === 0) {
      if (text !== "") fail("the response is documented without a body, but one came");
      return;
    }
    if (isObject(content["text/csv"])) {
      // A CSV download: the documented type, with a header row.
      const type = headers.get("content-type") ?? "";
      if (!type.startsWith("text/csv")) fail(`content-type is "${type}", the document says text/csv`);
      // A headerless file with no row (documented by `minLength: 0`) is empty.
      const schema = content["text/csv"].schema;
      if (text === "" && isObject(schema) && schema.minLength === 0) return;
      if (!text.endsWith("\r\n") || !text.includes(",")) fail("the body is not CSV with a header row");
      return;
    }
    if (isObject(content["text/plain"])) {
      // Plain text (issue 25's published bytes): the documented type, the body
      // checked as a string against its schema (a pattern of its lines).
      const type = headers.get("content-type") ?? "";
      if (!type.startsWith("text/plain")) fail(`content-type is "${type}", the document says text/plain`);
      const schema = content["text/plain"].schema;
      if (!isObject(schema)) return;
      const validate = this.validator(`${key} text`, schema);
      if (!validate(text)) fail(`the body does not match the schema:\n${describe(validate.errors ?? [])}`);
      return;
    }
    const json = content["application/json"];
    if (!json) fail(`only ${Object.keys(content).join(", ")} is documented; checking it is not supported`);
    const type = headers.get("content-type") ?? "";
    if (!type.includes("application/json")) fail(`content-type is "${type}", the document says application/json`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      fail("the body is not JSON");
    }
    if (!json.schema) return;
    const validate = this.validator(key, json.schema);
    if (!validate(body)) fail(`the body does not match the schema:\n${describe(validate.errors ?? [])}`);
  }
}

function describe(errors: ErrorObject[]) {
  return errors
    .map((e) => {
      const extra =
        e.keyword === "unevaluatedProperties" || e.keyword === "additionalProperties"
          ? ` (${(e.params as any).unevaluatedProperty ?? (e.params as any).additionalProperty})`
          : e.keyword === "enum"
            ? ` (${JSON.stringify((e.params as any).allowedValues)})`
            : "";
      return `  ${e.instancePath || "(root)"} ${e.message}${extra}  [${e.schemaPath}]`;
    })
    .join("\n");
}

let contract: Promise<Contract> | undefined;

/** The served document, fetched once per test file (a failed fetch is retried next time). */
function load(): Promise<Contract> {
  contract ??= (async () => {
    const res = await SELF.fetch(DOC_URL);
    if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    return new Contract(await res.json());
  })().catch((e) => {
    contract = undefined;
    throw e;
  });
  return contract;
}

/** Asserts that a reply is what the OpenAPI document says this request gets. */
export async function checkContract(method: string, url: string, status: number, headers: Headers, text: string) {
  const path = new URL(url, DOC_URL).pathname;
  if (path === "/api/openapi.json" && method.toUpperCase() === "GET") return; // the document itself
  (await load()).check(method.toUpperCase(), url, status, headers, text);
}
