// The referral link and the share links built from it: plain URLs, each part
// percent-encoded, so nothing the contest's data holds can become markup or a
// script URL.

const enc = encodeURIComponent;

/** `url` when it is an http(s) URL, else null: a `javascript:` URL from data
 * must never become a link on the host page. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/** The advocate's link: the contest's campaign URL, else its hosted page
 * (`<origin>/r/<contestId>`), with `ref=CODE` (the tracker's default
 * parameter) added before any fragment, the rest of the URL kept as it is. */
export function referralLink(origin: string, contestId: string, campaignUrl: string | null, code: string): string {
  const base = safeUrl(campaignUrl) ?? `${origin}/r/${enc(contestId)}`;
  const hash = base.indexOf("#");
  const head = hash < 0 ? base : base.slice(0, hash);
  const tail = hash < 0 ? "" : base.slice(hash);
  const sep = !head.includes("?") ? "?" : /[?&]$/.test(head) ? "" : "&";
  return `${head}${sep}ref=${enc(code)}${tail}`;
}

export interface ShareTarget {
  /** The site's name, not translated. */
  site: string;
  href: string;
}

/** Where the link can be shared: each site's own share address. `text` goes
 * with the link where the site takes a message. */
export function shareTargets(link: string, text: string): ShareTarget[] {
  const url = enc(link);
  const message = enc(`${text} ${link}`);
  return [
    { site: "X", href: `https://x.com/intent/tweet?text=${enc(text)}&url=${url}` },
    { site: "Facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${url}` },
    { site: "LinkedIn", href: `https://www.linkedin.com/sharing/share-offsite/?url=${url}` },
    { site: "WhatsApp", href: `https://wa.me/?text=${message}` },
    { site: "Telegram", href: `https://t.me/share/url?url=${url}&text=${enc(text)}` },
  ];
}

/** A `mailto:` link with the message and the link as its body. */
export function mailtoLink(subject: string, text: string, link: string): string {
  return `mailto:?subject=${enc(subject)}&body=${enc(`${text}\n\n${link}`)}`;
}
