// The Prizes page's pure parts, no Preact: a prize's rule and fulfilment in
// words, the create body of the new-prize form, and the codes of a pasted
// list or an uploaded CSV file.
import type { Schema } from "./api";
import { count, money } from "./format";

type Prize = Schema<"Prize">;
type PrizeCreate = Schema<"PrizeCreate">;

/** What earns the prize: "3 confirmed referrals", "places 1–3". */
export function ruleText(p: Pick<Prize, "kind" | "threshold" | "ranks">): string {
  if (p.kind === "rank" && p.ranks) {
    const { from, to } = p.ranks;
    return from === to ? `place ${count(from)} in the final standings` : `places ${count(from)}–${count(to)} in the final standings`;
  }
  const t = p.threshold;
  if (t && "referrals" in t) return `${count(t.referrals)} confirmed ${t.referrals === 1 ? "referral" : "referrals"}`;
  if (t && "points" in t) return `${count(t.points)} confirmed points`;
  return p.kind;
}

/** How it is handed out: "a code from its pool", "$10.00 credit", "you ship it". */
export function fulfilmentText(f: Prize["fulfilment"]): string {
  switch (f.type) {
    case "code":
      return "a code from its pool";
    case "credit":
      return f.amount !== undefined && f.currency ? `${money(f.amount, f.currency)} credit to the reward balance` : "credit";
    case "manual":
      return "you hand it out yourself";
  }
}

/** The most codes one upload call takes (the API's limit). */
export const CODES_PER_CALL = 10_000;

/** The first cell of a CSV line: quoted ("" is a quote) or up to the first comma. */
function firstCell(line: string): string {
  if (!line.startsWith('"')) return line.split(",", 1)[0] ?? "";
  let cell = "";
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (line[i + 1] === '"') {
        cell += '"';
        i++;
      } else break;
    } else cell += c;
  }
  return cell;
}

/** The codes of a pasted list (one per line) or a CSV file (its first column;
 * a header cell named `code` or `codes` is skipped): trimmed, blanks dropped,
 * each once, in their order. */
export function parseCodes(text: string): string[] {
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    const code = firstCell(line.trim()).trim();
    if (code === "" || (i === 0 && /^codes?$/i.test(code))) return;
    seen.add(code);
  });
  return [...seen];
}

/** `codes` in calls of at most CODES_PER_CALL. */
export function batches(codes: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < codes.length; i += CODES_PER_CALL) out.push(codes.slice(i, i + CODES_PER_CALL));
  return out;
}

/** The new-prize form as its inputs hold it. */
export interface PrizeDraft {
  name: string;
  description: string;
  imageUrl: string;
  kind: "milestone" | "rank";
  thresholdOf: "referrals" | "points";
  threshold: string;
  rankFrom: string;
  rankTo: string;
  fulfilment: "code" | "credit" | "manual";
  amount: string;
  currency: string;
  quantity: string;
}

/** A whole number typed, or NaN. */
const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);

/** The create body of a draft, or the problem to show. */
export function prizeBody(d: PrizeDraft): PrizeCreate | string {
  const name = d.name.trim();
  if (name === "") return "Give the prize a name.";
  const body: PrizeCreate = { name, kind: d.kind, fulfilment: { type: d.fulfilment === "manual" ? "manual" : "code" } };
  if (d.description.trim()) body.description = d.description.trim();
  if (d.imageUrl.trim()) {
    if (!/^https:\/\/\S+$/.test(d.imageUrl.trim())) return "The image URL must start with https://.";
    body.imageUrl = d.imageUrl.trim();
  }
  if (d.kind === "milestone") {
    const n = whole(d.threshold);
    if (!(n >= 1)) return `The threshold is a whole number of ${d.thresholdOf}, at least 1.`;
    body.threshold = d.thresholdOf === "referrals" ? { referrals: n } : { points: n };
  } else {
    const from = whole(d.rankFrom);
    const to = whole(d.rankTo === "" ? d.rankFrom : d.rankTo);
    if (!(from >= 1) || !(to >= from)) return "Places: from a place of 1 or more to the same place or a later one.";
    body.ranks = { from, to };
  }
  if (d.fulfilment === "credit") {
    const amount = Number(d.amount);
    if (!(amount > 0)) return "The credit is an amount above 0.";
    const currency = d.currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) return "The currency is a three-letter code such as USD.";
    body.fulfilment = { type: "credit", amount, currency };
  }
  if (d.quantity.trim() !== "") {
    const q = whole(d.quantity);
    if (!(q >= 1)) return "How many may earn it: a whole number, at least 1, or blank for no limit.";
    body.quantity = q;
  }
  return body;
}
