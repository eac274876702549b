// The Prizes page's pure parts, no Preact: a prize's rule and fulfilment in
// words, and the codes of a pasted list or an uploaded CSV file.
import type { Schema } from "./api";
import { count, money } from "./format";

type Prize = Schema<"Prize">;

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
