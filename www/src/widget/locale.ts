// Every string the widget shows, one table per locale: English by default,
// French to prove the mechanism (`data-locale="fr"` / `locale="fr"`). `{x}` in
// a string is filled by `fill`; the rest of the text is data, shown as text.

export const en = {
  /** The language tag for numbers and dates. */
  lang: "en",
  title: "Refer friends, earn points",
  yourLink: "Your referral link",
  copy: "Copy link",
  copied: "Copied.",
  copyFailed: "Could not copy: select the link and copy it.",
  share: "Share",
  shareOn: "Share on {site}",
  shareEmail: "Share by email",
  shareText: "Join me: {name}",
  shareSubject: "Join me",
  points: "Points",
  pending: "pending",
  rank: "Rank",
  referrals: "Referrals",
  rewards: "Rewards balance",
  bonusTitle: "Earn more points",
  bonusPoints: "+{n} points",
  open: "Open and earn",
  claim: "Claim",
  answer: "Your answer",
  submitAnswer: "Answer",
  wrongAnswer: "Not quite. Try again.",
  proof: "Link to your proof",
  submitProof: "Send for review",
  pendingReview: "Pending review",
  rejected: "Not approved",
  completedOn: "Completed {date}",
  actionFailed: "That did not work. Try again.",
  leaderboard: "Top 10",
  you: "you",
  endsIn: "Ends in",
  ended: "This contest has ended.",
  days: "d",
  hours: "h",
  minutes: "m",
  seconds: "s",
  joinTitle: "Join and get your referral link",
  email: "Email",
  name: "Name (optional)",
  join: "Join",
  joining: "Joining…",
  alreadyIn: "You're already in! Ask the site for your referral link.",
  joinFailed: "Could not join: check your email and try again.",
  loading: "Loading…",
  unreachable: "Can't reach the referral service right now.",
  retry: "Retry",
  expired: "Your access has expired. Reload the page.",
};

export type Strings = typeof en;

const fr: Strings = {
  lang: "fr",
  title: "Parrainez vos amis, gagnez des points",
  yourLink: "Votre lien de parrainage",
  copy: "Copier le lien",
  copied: "Copié.",
  copyFailed: "Copie impossible : sélectionnez le lien et copiez-le.",
  share: "Partager",
  shareOn: "Partager sur {site}",
  shareEmail: "Partager par e-mail",
  shareText: "Rejoignez-moi : {name}",
  shareSubject: "Rejoignez-moi",
  points: "Points",
  pending: "en attente",
  rank: "Rang",
  referrals: "Parrainages",
  rewards: "Solde des récompenses",
  bonusTitle: "Gagnez plus de points",
  bonusPoints: "+{n} points",
  open: "Ouvrir et gagner",
  claim: "Obtenir",
  answer: "Votre réponse",
  submitAnswer: "Répondre",
  wrongAnswer: "Pas tout à fait. Réessayez.",
  proof: "Lien vers votre preuve",
  submitProof: "Envoyer pour vérification",
  pendingReview: "En cours de vérification",
  rejected: "Non validé",
  completedOn: "Fait le {date}",
  actionFailed: "Cela n'a pas fonctionné. Réessayez.",
  leaderboard: "Top 10",
  you: "vous",
  endsIn: "Se termine dans",
  ended: "Ce concours est terminé.",
  days: "j",
  hours: "h",
  minutes: "min",
  seconds: "s",
  joinTitle: "Inscrivez-vous pour obtenir votre lien de parrainage",
  email: "E-mail",
  name: "Nom (facultatif)",
  join: "S'inscrire",
  joining: "Inscription…",
  alreadyIn: "Vous êtes déjà inscrit ! Demandez votre lien de parrainage au site.",
  joinFailed: "Inscription impossible : vérifiez votre e-mail et réessayez.",
  loading: "Chargement…",
  unreachable: "Le service de parrainage est injoignable pour le moment.",
  retry: "Réessayer",
  expired: "Votre accès a expiré. Rechargez la page.",
};

const LOCALES: Record<string, Strings> = { en, fr };

/** The table for `tag` (`fr`, `fr-CA`...; its language part), English otherwise. */
export function stringsFor(tag: string | null): Strings {
  const lang = (tag ?? "").toLowerCase().split("-")[0] ?? "";
  return LOCALES[lang] ?? en;
}

/** `text` with each `{name}` replaced by `values[name]`. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
