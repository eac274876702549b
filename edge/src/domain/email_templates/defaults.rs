//! The shipped subject and text of each message in each language. The HTML is
//! made from the text. French says "vous", German "Sie", Spanish "tú".

use super::{Locale, MessageKind};

/// (subject, text) of `kind` in `locale`.
pub(super) fn message(kind: MessageKind, locale: Locale) -> (&'static str, &'static str) {
    use Locale::*;
    use MessageKind::*;
    match (kind, locale) {
        (Welcome, En) => (
            "Welcome to {{contestName}}",
            "Hi {{name}},\n\nThanks for joining {{contestName}}! Share your personal link: every friend who joins \
             through it counts for you.\n{{referralLink}}\n\nTo see your points and rank later, sign in here:\n{{portalLink}}",
        ),
        (Welcome, Fr) => (
            "Bienvenue ! Vous participez à {{contestName}}",
            "Bonjour {{name}},\n\nMerci de participer à {{contestName}} ! Partagez votre lien personnel : chaque personne \
             qui s'inscrit grâce à lui compte pour vous.\n{{referralLink}}\n\nPour retrouver vos points et votre \
             classement plus tard, connectez-vous ici :\n{{portalLink}}",
        ),
        (Welcome, De) => (
            "Willkommen bei {{contestName}}",
            "Hallo {{name}},\n\ndanke für Ihre Teilnahme an {{contestName}}! Teilen Sie Ihren persönlichen Link: Jede \
             Person, die sich darüber anmeldet, zählt für Sie.\n{{referralLink}}\n\nIhre Punkte und Ihren Rang sehen \
             Sie später hier:\n{{portalLink}}",
        ),
        (Welcome, Es) => (
            "¡Te damos la bienvenida a {{contestName}}!",
            "Hola {{name}}:\n\n¡Gracias por participar en {{contestName}}! Comparte tu enlace personal: cada persona que \
             se una a través de él cuenta para ti.\n{{referralLink}}\n\nPara ver tus puntos y tu posición más adelante, \
             inicia sesión aquí:\n{{portalLink}}",
        ),
        (Confirm, En) => (
            "Confirm your email for {{contestName}}",
            "Hi {{name}},\n\nPlease confirm your email address to take part in {{contestName}}:\n{{confirmLink}}\n\n\
             If you did not sign up, ignore this email.",
        ),
        (Confirm, Fr) => (
            "Confirmez votre adresse e-mail pour {{contestName}}",
            "Bonjour {{name}},\n\nConfirmez votre adresse e-mail pour participer à {{contestName}} :\n{{confirmLink}}\n\n\
             Si vous n'êtes pas à l'origine de cette inscription, ignorez cet e-mail.",
        ),
        (Confirm, De) => (
            "Bestätigen Sie Ihre E-Mail-Adresse für {{contestName}}",
            "Hallo {{name}},\n\nbitte bestätigen Sie Ihre E-Mail-Adresse, um an {{contestName}} teilzunehmen:\n\
             {{confirmLink}}\n\nFalls Sie sich nicht angemeldet haben, ignorieren Sie diese E-Mail einfach.",
        ),
        (Confirm, Es) => (
            "Confirma tu correo electrónico para {{contestName}}",
            "Hola {{name}}:\n\nConfirma tu dirección de correo electrónico para participar en {{contestName}}:\n\
             {{confirmLink}}\n\nSi no te has registrado, ignora este correo.",
        ),
        (ReferralConfirmed, En) => (
            "A referral counted for you in {{contestName}}",
            "Hi {{name}},\n\nGood news: a friend you referred to {{contestName}} now counts for you.\nYou have {{points}} \
             points.\n\nKeep sharing your link:\n{{referralLink}}\n\nSee your points and rank:\n{{portalLink}}",
        ),
        (ReferralConfirmed, Fr) => (
            "Un parrainage compte pour vous dans {{contestName}}",
            "Bonjour {{name}},\n\nBonne nouvelle : une personne que vous avez parrainée dans {{contestName}} compte \
             désormais pour vous.\nVous avez {{points}} points.\n\nContinuez à partager votre lien :\n{{referralLink}}\n\n\
             Voir vos points et votre classement :\n{{portalLink}}",
        ),
        (ReferralConfirmed, De) => (
            "Eine Empfehlung zählt für Sie bei {{contestName}}",
            "Hallo {{name}},\n\ngute Nachricht: Eine Person, die Sie zu {{contestName}} eingeladen haben, zählt jetzt für \
             Sie.\nSie haben {{points}} Punkte.\n\nTeilen Sie Ihren Link weiter:\n{{referralLink}}\n\n\
             Ihre Punkte und Ihr Rang:\n{{portalLink}}",
        ),
        (ReferralConfirmed, Es) => (
            "Una recomendación cuenta para ti en {{contestName}}",
            "Hola {{name}}:\n\nBuenas noticias: una persona que invitaste a {{contestName}} ya cuenta para ti.\nTienes \
             {{points}} puntos.\n\nSigue compartiendo tu enlace:\n{{referralLink}}\n\nConsulta tus puntos y tu \
             posición:\n{{portalLink}}",
        ),
        (PrizeEarned, En) => (
            "You earned {{prizeName}} in {{contestName}}",
            "Hi {{name}},\n\nCongratulations! You earned {{prizeName}} in {{contestName}}.\nYour code: {{code}}\n\n\
             See your prizes:\n{{portalLink}}",
        ),
        (PrizeEarned, Fr) => (
            "Vous avez gagné {{prizeName}} ({{contestName}})",
            "Bonjour {{name}},\n\nFélicitations ! Vous avez gagné {{prizeName}} grâce à votre participation à \
             {{contestName}}.\nVotre code : {{code}}\n\nVoir vos récompenses :\n{{portalLink}}",
        ),
        (PrizeEarned, De) => (
            "Sie haben {{prizeName}} gewonnen ({{contestName}})",
            "Hallo {{name}},\n\nherzlichen Glückwunsch! Sie haben bei {{contestName}} {{prizeName}} gewonnen.\n\
             Ihr Code: {{code}}\n\nIhre Preise ansehen:\n{{portalLink}}",
        ),
        (PrizeEarned, Es) => (
            "Has ganado {{prizeName}} en {{contestName}}",
            "Hola {{name}}:\n\n¡Enhorabuena! Has ganado {{prizeName}} en {{contestName}}.\nTu código: {{code}}\n\n\
             Consulta tus premios:\n{{portalLink}}",
        ),
        (ContestResults, En) => (
            "The results of {{contestName}}",
            "Hi {{name}},\n\n{{contestName}} has ended. Thank you for taking part!\nYou finished at rank {{rank}} with \
             {{points}} points.\nYour prize: {{prizeName}}\n\nSee the full results:\n{{portalLink}}",
        ),
        (ContestResults, Fr) => (
            "Les résultats de {{contestName}}",
            "Bonjour {{name}},\n\nLe concours {{contestName}} est terminé. Merci de votre participation !\nVotre \
             classement : {{rank}} ({{points}} points).\nVotre récompense : {{prizeName}}\n\nVoir tous les résultats :\n\
             {{portalLink}}",
        ),
        (ContestResults, De) => (
            "Die Ergebnisse von {{contestName}}",
            "Hallo {{name}},\n\nder Wettbewerb {{contestName}} ist beendet. Danke für Ihre Teilnahme!\nIhr Rang: {{rank}} \
             mit {{points}} Punkten.\nIhr Preis: {{prizeName}}\n\nAlle Ergebnisse ansehen:\n{{portalLink}}",
        ),
        (ContestResults, Es) => (
            "Los resultados de {{contestName}}",
            "Hola {{name}}:\n\nEl concurso {{contestName}} ha terminado. ¡Gracias por participar!\nTu posición: {{rank}}, \
             con {{points}} puntos.\nTu premio: {{prizeName}}\n\nConsulta todos los resultados:\n{{portalLink}}",
        ),
        (Portal, En) => (
            "Your sign-in link for {{contestName}}",
            "Hi {{name}},\n\nHere is your sign-in link for {{contestName}}. It works for a limited time:\n{{portalLink}}\n\n\
             Your referral link to share:\n{{referralLink}}\n\nIf you did not ask for this, ignore this email.",
        ),
        (Portal, Fr) => (
            "Votre lien de connexion pour {{contestName}}",
            "Bonjour {{name}},\n\nVoici votre lien de connexion pour {{contestName}}. Il est valable pendant une durée \
             limitée :\n{{portalLink}}\n\nVotre lien de parrainage à partager :\n{{referralLink}}\n\n\
             Si vous n'avez rien demandé, ignorez cet e-mail.",
        ),
        (Portal, De) => (
            "Ihr Anmeldelink für {{contestName}}",
            "Hallo {{name}},\n\nhier ist Ihr Anmeldelink für {{contestName}}. Er ist nur kurze Zeit gültig:\n\
             {{portalLink}}\n\nIhr Empfehlungslink zum Teilen:\n{{referralLink}}\n\n\
             Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail einfach.",
        ),
        (Portal, Es) => (
            "Tu enlace de acceso para {{contestName}}",
            "Hola {{name}}:\n\nAquí tienes tu enlace de acceso para {{contestName}}. Es válido durante poco tiempo:\n\
             {{portalLink}}\n\nTu enlace de recomendación para compartir:\n{{referralLink}}\n\n\
             Si no lo has solicitado, ignora este correo.",
        ),
        (Test, En) => ("Test email from {{contestName}}", "This is a test message from {{contestName}}. Your email settings work."),
        (Test, Fr) => (
            "E-mail de test de {{contestName}}",
            "Ceci est un message de test de {{contestName}}. Vos réglages d'e-mail fonctionnent.",
        ),
        (Test, De) => (
            "Test-E-Mail von {{contestName}}",
            "Dies ist eine Testnachricht von {{contestName}}. Ihre E-Mail-Einstellungen funktionieren.",
        ),
        (Test, Es) => (
            "Correo de prueba de {{contestName}}",
            "Este es un mensaje de prueba de {{contestName}}. Tu configuración de correo funciona.",
        ),
    }
}

/// The footer every message ends with: who sends it and, when the message
/// has one, the unsubscribe link (its line is left out without one).
pub(super) fn footer(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "You get this email from {{contestName}}.\nUnsubscribe: {{unsubscribeLink}}",
        Locale::Fr => "Vous recevez cet e-mail de la part de {{contestName}}.\nSe désabonner : {{unsubscribeLink}}",
        Locale::De => "Sie erhalten diese E-Mail von {{contestName}}.\nAbmelden: {{unsubscribeLink}}",
        Locale::Es => "Recibes este correo de {{contestName}}.\nCancelar la suscripción: {{unsubscribeLink}}",
    }
}
