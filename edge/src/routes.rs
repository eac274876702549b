//! The route table: every endpoint the edge serves, as data. Pure, so the
//! OpenAPI document can be checked against it natively.

/// What a request is asking for, once its path and method are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    // Public referral endpoints (no key, CORS).
    ValidateReferralCode,
    TrackVisit,
    TrackSignup,
    TrackPurchase,
    JoinContest,
    ShowJoinForm,
    RequestPortalLink,
    // Contests.
    CreateContest,
    ListContests,
    GetContest,
    UpdateContest,
    RotateContestWebhookSecret,
    ContestLeaderboard,
    ContestStats,
    // Bonus actions of a contest.
    CreateBonusAction,
    ListBonusActions,
    UpdateBonusAction,
    DeleteBonusAction,
    ListBonusCompletions,
    ContestTimeseries,
    ExportParticipants,
    ExportPurchases,
    ExportLedger,
    ExportPayouts,
    RecordPayout,
    ListAccounts,
    // Entries.
    CreateEntry,
    ListEntries,
    GetEntry,
    UpdateEntry,
    DisqualifyEntry,
    ReinstateEntry,
    AdjustEntryPoints,
    EntryLedger,
    EraseEntry,
    ExportEntry,
    MintParticipantToken,
    RotateParticipantTokenSecret,
    SendSignInEmail,
    // An entry's bonus actions.
    LookupEntryBonusActions,
    EntryBonusActions,
    CompleteBonusAction,
    ApproveBonusCompletion,
    RejectBonusCompletion,
    // Purchases.
    RecordPurchase,
    ListPurchases,
    RefundPurchase,
    // The owner's review of awards.
    ListAwards,
    ReviewAwards,
    ConfirmAward,
    RejectAward,
    // Keys and accounts.
    ListApiKeys,
    CreateApiKey,
    RotateApiKey,
    RevokeApiKey,
    CreateAccount,
    // Inbound webhooks.
    SignupWebhook,
    PurchaseWebhook,
    StripeWebhook,
    // Outbound webhook endpoints.
    CreateWebhookEndpoint,
    ListWebhookEndpoints,
    GetWebhookEndpoint,
    UpdateWebhookEndpoint,
    DeleteWebhookEndpoint,
    RotateWebhookEndpointSecret,
    ListWebhookDeliveries,
    PingWebhookEndpoint,
    RedeliverWebhookDelivery,
    // Referral Rocket's campaign and participant API.
    GetCampaign,
    AddParticipant,
    GetParticipant,
    QualifyParticipant,
    GetAllParticipants,
    GetReferrals,
    ValidateCampaignCode,
    RedeemReward,
    // Prizes, their codes and awards (issue 24).
    CreatePrize,
    ListPrizes,
    GetPrize,
    UpdatePrize,
    DeletePrize,
    AddPrizeCodes,
    ListPrizeCodes,
    ListPrizeAwards,
    FulfilPrizeAward,
    VoidPrizeAward,
    OpenApiDocument,
    // The end of a contest (issue 24).
    EndContest,
    FinalizeContest,
    ContestStandings,
    ContestResults,
    ContestStandingsText,
    DrawList,
    UnsubscribeLanding,
    UnsubscribeOneClick,
    ListEmails,
    ConfirmEmail,
    // The owner's messages (issue 26).
    ListEmailTemplates,
    GetEmailTemplate,
    UpdateEmailTemplate,
    SendTestEmail,
}

/// Who may call a route; the dispatcher checks it before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No key (referral endpoints; webhooks check their own secret).
    Open,
    /// Any API key of the account, public or private.
    AnyKey,
    /// A private API key.
    PrivateKey,
    /// The operator's ADMIN_TOKEN.
    Admin,
    /// Any API key of the account, or the participant token of the path's entry.
    EntryReader,
    /// A private key, or the participant token of the path's entry.
    EntryWriter,
    /// Any API key of the account, or a participant token whose entry belongs
    /// to the path's contest (the widget reads its contest and leaderboard).
    ContestReader,
}

#[derive(Debug, PartialEq)]
pub struct RouteSpec {
    pub method: &'static str,
    /// Segments starting with `:` capture a path parameter.
    pub pattern: &'static str,
    pub route: Route,
    pub access: Access,
}

const fn r(method: &'static str, pattern: &'static str, route: Route, access: Access) -> RouteSpec {
    RouteSpec { method, pattern, route, access }
}

use Access::*;
use Route::*;

/// Literal segments are listed before parameters that could match them
/// (`/entries/lookup/...` before `/entries/:entryId/...`).
pub const ROUTES: &[RouteSpec] = &[
    r("GET", "/api/referral/validate-code", ValidateReferralCode, Open),
    r("POST", "/api/referral/track-visit", TrackVisit, Open),
    r("POST", "/api/referral/track-signup", TrackSignup, Open),
    r("POST", "/api/referral/track-purchase", TrackPurchase, Open),
    r("POST", "/api/referral/join", JoinContest, Open),
    r("GET", "/api/referral/join", ShowJoinForm, Open),
    r("POST", "/api/referral/portal-link", RequestPortalLink, Open),
    r("POST", "/api/v1/contests", CreateContest, PrivateKey),
    r("GET", "/api/v1/contests", ListContests, AnyKey),
    r("GET", "/api/v1/contests/:contestId", GetContest, ContestReader),
    r("PATCH", "/api/v1/contests/:contestId", UpdateContest, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/rotate-webhook-secret", RotateContestWebhookSecret, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/leaderboard", ContestLeaderboard, ContestReader),
    r("GET", "/api/v1/contests/:contestId/stats", ContestStats, AnyKey),
    r("POST", "/api/v1/contests/:contestId/bonus-actions", CreateBonusAction, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/bonus-actions", ListBonusActions, AnyKey),
    r("PATCH", "/api/v1/contests/:contestId/bonus-actions/:bonusActionId", UpdateBonusAction, PrivateKey),
    r("DELETE", "/api/v1/contests/:contestId/bonus-actions/:bonusActionId", DeleteBonusAction, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/bonus-completions", ListBonusCompletions, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/timeseries", ContestTimeseries, AnyKey),
    r("GET", "/api/v1/contests/:contestId/export/participants.csv", ExportParticipants, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/export/purchases.csv", ExportPurchases, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/export/ledger.csv", ExportLedger, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/export/payouts.csv", ExportPayouts, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/payouts", RecordPayout, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/entries", CreateEntry, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/entries", ListEntries, AnyKey),
    r("POST", "/api/v1/contests/:contestId/purchases", RecordPurchase, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/purchases", ListPurchases, PrivateKey),
    r("POST", "/api/v1/purchases/:purchaseId/refund", RefundPurchase, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/awards", ListAwards, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/awards/review", ReviewAwards, PrivateKey),
    r("POST", "/api/v1/awards/:awardId/confirm", ConfirmAward, PrivateKey),
    r("POST", "/api/v1/awards/:awardId/reject", RejectAward, PrivateKey),
    r("GET", "/api/v1/entries/lookup/bonus-actions", LookupEntryBonusActions, AnyKey),
    r("GET", "/api/v1/entries/:entryId", GetEntry, EntryReader),
    r("DELETE", "/api/v1/entries/:entryId", EraseEntry, PrivateKey),
    r("GET", "/api/v1/entries/:entryId/export", ExportEntry, PrivateKey),
    r("POST", "/api/v1/entries/:entryId/token", MintParticipantToken, PrivateKey),
    r("POST", "/api/v1/entries/:entryId/sign-in-email", SendSignInEmail, PrivateKey),
    r("PATCH", "/api/v1/entries/:entryId", UpdateEntry, PrivateKey),
    r("POST", "/api/v1/entries/:entryId/disqualify", DisqualifyEntry, PrivateKey),
    r("POST", "/api/v1/entries/:entryId/reinstate", ReinstateEntry, PrivateKey),
    r("POST", "/api/v1/entries/:entryId/adjust-points", AdjustEntryPoints, PrivateKey),
    r("GET", "/api/v1/entries/:entryId/ledger", EntryLedger, EntryReader),
    r("GET", "/api/v1/entries/:entryId/bonus-actions", EntryBonusActions, EntryReader),
    r("POST", "/api/v1/entries/:entryId/bonus-actions/:bonusActionId/complete", CompleteBonusAction, EntryWriter),
    r("POST", "/api/v1/entries/:entryId/bonus-actions/:bonusActionId/approve", ApproveBonusCompletion, PrivateKey),
    r("POST", "/api/v1/entries/:entryId/bonus-actions/:bonusActionId/reject", RejectBonusCompletion, PrivateKey),
    r("POST", "/api/v1/participant-tokens/rotate-secret", RotateParticipantTokenSecret, PrivateKey),
    r("GET", "/api/v1/api-keys", ListApiKeys, PrivateKey),
    r("POST", "/api/v1/api-keys", CreateApiKey, PrivateKey),
    r("POST", "/api/v1/api-keys/:keyId/rotate", RotateApiKey, PrivateKey),
    r("DELETE", "/api/v1/api-keys/:keyId", RevokeApiKey, PrivateKey),
    r("POST", "/api/admin/accounts", CreateAccount, Admin),
    r("GET", "/api/admin/accounts", ListAccounts, Admin),
    r("POST", "/api/webhooks/signup/:contestId", SignupWebhook, Open),
    r("POST", "/api/webhooks/purchase/:contestId", PurchaseWebhook, Open),
    r("POST", "/api/webhooks/stripe/:contestId", StripeWebhook, Open),
    r("POST", "/api/v1/webhook-endpoints", CreateWebhookEndpoint, PrivateKey),
    r("GET", "/api/v1/webhook-endpoints", ListWebhookEndpoints, PrivateKey),
    r("GET", "/api/v1/webhook-endpoints/:endpointId", GetWebhookEndpoint, PrivateKey),
    r("PATCH", "/api/v1/webhook-endpoints/:endpointId", UpdateWebhookEndpoint, PrivateKey),
    r("DELETE", "/api/v1/webhook-endpoints/:endpointId", DeleteWebhookEndpoint, PrivateKey),
    r("POST", "/api/v1/webhook-endpoints/:endpointId/rotate-secret", RotateWebhookEndpointSecret, PrivateKey),
    r("GET", "/api/v1/webhook-endpoints/:endpointId/deliveries", ListWebhookDeliveries, PrivateKey),
    r("POST", "/api/v1/webhook-endpoints/:endpointId/test", PingWebhookEndpoint, PrivateKey),
    r("POST", "/api/v1/webhook-deliveries/:deliveryId/redeliver", RedeliverWebhookDelivery, PrivateKey),
    r("GET", "/api/v1/getCampaign", GetCampaign, AnyKey),
    r("POST", "/api/v1/addParticipant", AddParticipant, PrivateKey),
    r("GET", "/api/v1/getParticipant", GetParticipant, AnyKey),
    r("POST", "/api/v1/qualifyParticipant", QualifyParticipant, PrivateKey),
    r("GET", "/api/v1/getAllParticipants", GetAllParticipants, AnyKey),
    r("GET", "/api/v1/getReferrals", GetReferrals, AnyKey),
    r("GET", "/api/v1/validateCode", ValidateCampaignCode, AnyKey),
    r("POST", "/api/v1/redeemReward", RedeemReward, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/prizes", CreatePrize, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/prizes", ListPrizes, ContestReader),
    r("GET", "/api/v1/prizes/:prizeId", GetPrize, PrivateKey),
    r("PATCH", "/api/v1/prizes/:prizeId", UpdatePrize, PrivateKey),
    r("DELETE", "/api/v1/prizes/:prizeId", DeletePrize, PrivateKey),
    r("POST", "/api/v1/prizes/:prizeId/codes", AddPrizeCodes, PrivateKey),
    r("GET", "/api/v1/prizes/:prizeId/codes", ListPrizeCodes, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/prize-awards", ListPrizeAwards, PrivateKey),
    r("POST", "/api/v1/prize-awards/:prizeAwardId/fulfil", FulfilPrizeAward, PrivateKey),
    r("POST", "/api/v1/prize-awards/:prizeAwardId/void", VoidPrizeAward, PrivateKey),
    r("GET", "/api/openapi.json", OpenApiDocument, Open),
    r("POST", "/api/v1/contests/:contestId/end", EndContest, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/finalize", FinalizeContest, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/standings", ContestStandings, ContestReader),
    r("GET", "/api/referral/results", ContestResults, Open),
    r("GET", "/api/referral/results/:contestId/standings", ContestStandingsText, Open),
    r("GET", "/api/referral/results/:prizeId/draw-list", DrawList, Open),
    r("GET", "/api/referral/unsubscribe", UnsubscribeLanding, Open),
    r("POST", "/api/referral/unsubscribe", UnsubscribeOneClick, Open),
    r("GET", "/api/v1/contests/:contestId/emails", ListEmails, PrivateKey),
    r("GET", "/api/referral/confirm", ConfirmEmail, Open),
    r("GET", "/api/v1/contests/:contestId/email-templates", ListEmailTemplates, PrivateKey),
    r("GET", "/api/v1/contests/:contestId/email-templates/:kind", GetEmailTemplate, PrivateKey),
    r("PUT", "/api/v1/contests/:contestId/email-templates/:kind", UpdateEmailTemplate, PrivateKey),
    r("POST", "/api/v1/contests/:contestId/emails/test", SendTestEmail, PrivateKey),
];

#[derive(Debug, PartialEq)]
pub enum RouteError {
    NotFound,
    MethodNotAllowed(Vec<&'static str>),
}

/// Captured path parameters, in pattern order.
#[derive(Debug, Default, PartialEq)]
pub struct PathParams(Vec<(&'static str, String)>);

impl PathParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty())
    }
}

fn match_pattern(pattern: &'static str, path: &str) -> Option<PathParams> {
    let mut params = Vec::new();
    let mut want = pattern.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some(PathParams(params)),
            (Some(w), Some(h)) => {
                if let Some(name) = w.strip_prefix(':') {
                    if h.is_empty() {
                        return None;
                    }
                    params.push((name, percent_decode(h)?));
                } else if w != h {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// Resolves a method and path. A literal segment wins over a parameter where both
/// match (e.g. `/entries/lookup/...` over `/entries/:entryId/...`): routes are
/// listed literal-first.
pub fn resolve(method: &str, path: &str) -> Result<(&'static RouteSpec, PathParams), RouteError> {
    // A trailing slash names the same resource.
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let mut allowed = Vec::new();
    for spec in ROUTES {
        if let Some(params) = match_pattern(spec.pattern, path) {
            if spec.method == method || (method == "HEAD" && spec.method == "GET") {
                return Ok((spec, params));
            }
            if !allowed.contains(&spec.method) {
                allowed.push(spec.method);
            }
        }
    }
    if allowed.is_empty() {
        Err(RouteError::NotFound)
    } else {
        Err(RouteError::MethodNotAllowed(allowed))
    }
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_a_literal_route() {
        let (spec, params) = resolve("GET", "/api/referral/validate-code").unwrap();
        assert_eq!(spec.route, Route::ValidateReferralCode);
        assert_eq!(params, PathParams::default());
    }

    #[test]
    fn trailing_slash_and_head_resolve_like_get() {
        assert!(resolve("GET", "/api/referral/validate-code/").is_ok());
        assert!(resolve("HEAD", "/api/referral/validate-code").is_ok());
    }

    #[test]
    fn unknown_path_is_not_found_and_wrong_method_lists_allowed() {
        assert_eq!(resolve("GET", "/api/nope"), Err(RouteError::NotFound));
        assert_eq!(resolve("DELETE", "/api/referral/validate-code"), Err(RouteError::MethodNotAllowed(vec!["GET"])));
    }

    #[test]
    fn literal_lookup_wins_over_an_entry_id() {
        let (spec, _) = resolve("GET", "/api/v1/entries/lookup/bonus-actions").unwrap();
        assert_eq!(spec.route, Route::LookupEntryBonusActions);
        let (spec, params) = resolve("GET", "/api/v1/entries/en_1/bonus-actions").unwrap();
        assert_eq!(spec.route, Route::EntryBonusActions);
        assert_eq!(params.get("entryId"), Some("en_1"));
    }

    #[test]
    fn one_path_many_methods() {
        assert_eq!(resolve("PATCH", "/api/v1/contests/c1").unwrap().0.route, Route::UpdateContest);
        assert_eq!(resolve("GET", "/api/v1/contests/c1").unwrap().0.access, Access::ContestReader);
        assert_eq!(resolve("PUT", "/api/v1/contests/c1"), Err(RouteError::MethodNotAllowed(vec!["GET", "PATCH"])));
    }

    #[test]
    fn a_participant_token_reaches_only_its_contests_public_reads() {
        let readers: Vec<_> =
            ROUTES.iter().filter(|s| s.access == Access::ContestReader).map(|s| (s.method, s.pattern)).collect();
        assert_eq!(
            readers,
            [
                ("GET", "/api/v1/contests/:contestId"),
                ("GET", "/api/v1/contests/:contestId/leaderboard"),
                ("GET", "/api/v1/contests/:contestId/prizes"),
                ("GET", "/api/v1/contests/:contestId/standings")
            ]
        );
    }

    #[test]
    fn every_route_is_listed_once() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(!(a.method == b.method && a.pattern == b.pattern), "{} {}", a.method, a.pattern);
                assert_ne!(a.route, b.route);
            }
        }
    }

    #[test]
    fn captures_and_decodes_parameters() {
        let p = match_pattern("/a/:id/b", "/a/x%20y/b").unwrap();
        assert_eq!(p.get("id"), Some("x y"));
        assert!(match_pattern("/a/:id/b", "/a//b").is_none());
        assert!(match_pattern("/a/:id/b", "/a/%zz/b").is_none());
        assert!(match_pattern("/a/:id", "/a/1/extra").is_none());
    }
}
