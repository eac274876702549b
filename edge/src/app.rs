//! Request dispatch: resolve the route, check its access rule, run its handler,
//! map every error once.

use crate::auth::{self, Caller, Role};
use crate::ctx::Ctx;
use crate::domain::first_party;
use crate::domain::trust::AwardStatus;
use crate::error::{ApiError, ApiResult};
use crate::handlers::exports::{self, Export};
use crate::handlers::{
    accounts, awards, bonus_actions, campaigns, contests, entries, finale, payouts, prizes, purchases, record,
    referral, webhook_deliveries, webhook_endpoints, webhooks,
};
use crate::http;
use crate::routes::{resolve, Access, Route, RouteError};
use worker::{Env, Request, Response};

pub async fn handle(req: Request, env: Env) -> Response {
    let path = req.path();
    let answer = match first_party::strip_prefix(&path) {
        // First-party mode (`/rt/*` on the customer's domain): the API as
        // anywhere, knowing the page's own site; the tracker's files.
        Some(api) if api.starts_with("/api/") => {
            let origin = req.headers().get("Origin").ok().flatten();
            let site = first_party::Site::of_request(&http::origin(&req), origin.as_deref());
            dispatch(req, env, api, site).await
        }
        Some(file) => tracker_file(req, env, file).await,
        None => dispatch(req, env, &path, None).await,
    };
    answer.unwrap_or_else(ApiError::into_response)
}

/// A tracker file from the static assets, by its path without the prefix.
async fn tracker_file(req: Request, env: Env, file: &str) -> ApiResult<Response> {
    if req.method() != worker::Method::Get && req.method() != worker::Method::Head {
        return Err(ApiError::MethodNotAllowed { allowed: vec!["GET", "HEAD"] });
    }
    if !first_party::is_tracker_file(file) {
        return Err(ApiError::not_found("Not found"));
    }
    let url = [http::origin(&req).as_str(), file].concat();
    Ok(env.assets("ASSETS")?.fetch(url, None).await?)
}

async fn dispatch(mut req: Request, env: Env, path: &str, site: Option<first_party::Site>) -> ApiResult<Response> {
    // The method as sent: workers-rs reads a method it does not know (QUERY...)
    // as GET, and an unknown method must be a 405, never a GET.
    let method = req.inner().method().to_ascii_uppercase();
    if method == "OPTIONS" {
        return Ok(http::preflight());
    }
    let (spec, params) = resolve(&method, path).map_err(|e| match e {
        RouteError::NotFound => ApiError::not_found("Not found"),
        RouteError::MethodNotAllowed(allowed) => ApiError::MethodNotAllowed { allowed },
    })?;
    if spec.route == Route::ContestLeaderboard {
        if let Some(hit) = contests::cached_leaderboard(&req, params.get("contestId").unwrap_or_default()).await {
            return Ok(hit);
        }
    }
    let db = env.d1("DB")?;
    let caller = match spec.access {
        Access::Open => None,
        Access::Admin => {
            if let Err(e) = auth::require_admin(&env, &req) {
                crate::limits::failed_auth(&env, &req).await?;
                return Err(e);
            }
            None
        }
        Access::AnyKey => Some(limit_failures(&env, &req, auth::authenticate_key(&db, &req).await).await?),
        Access::PrivateKey => {
            let caller = limit_failures(&env, &req, auth::authenticate_key(&db, &req).await).await?;
            caller.require_private()?;
            Some(caller)
        }
        Access::EntryReader | Access::EntryWriter => {
            let caller = limit_failures(&env, &req, auth::authenticate(&db, &req).await).await?;
            if let Some(entry_id) = params.get("entryId") {
                caller.require_entry(entry_id)?;
            }
            if spec.access == Access::EntryWriter && caller.role == Role::Public {
                return Err(ApiError::Forbidden(
                    "A public key is read-only: completing a bonus action needs a private key or the entry's participant token",
                ));
            }
            Some(caller)
        }
        Access::ContestReader => {
            let caller = limit_failures(&env, &req, auth::authenticate(&db, &req).await).await?;
            caller.require_contest(params.get("contestId").unwrap_or_default())?;
            Some(caller)
        }
    };
    if let Some(c) = caller.as_ref().filter(|c| c.role == Role::Public) {
        // A public key sits in web pages: its reads are limited per address.
        crate::limits::public_key(&env, &req, c.account_id.as_str()).await?;
    }
    let ctx = Ctx { db, env, caller, params, site };
    let names_contest = spec.access != Access::Open && spec.pattern.contains(":contestId");
    let answer = run(&ctx, spec.route, &mut req).await.map_err(|e| e.on_route(names_contest));
    if spec.access == Access::Open && answer.as_ref().is_err_and(is_guess) {
        crate::limits::failed_auth(&ctx.env, &req).await?;
    }
    answer
}

/// An open endpoint's failure that is a guess: a wrong webhook secret or
/// Stripe signature, or a contest id that names no contest (each made-up id
/// would otherwise start a fresh bucket of its own). They count against the
/// address as failed authentications do.
fn is_guess(e: &ApiError) -> bool {
    match e {
        ApiError::WebhookUnauthorized(_) => true,
        ApiError::NotFound(m) => m == "Contest not found",
        _ => false,
    }
}

async fn run(ctx: &Ctx, route: Route, req: &mut Request) -> ApiResult<Response> {
    use Route::*;
    match route {
        ValidateReferralCode => referral::validate_code(ctx, req).await,
        TrackVisit => referral::track_visit(ctx, req).await,
        TrackSignup => referral::track_signup(ctx, req).await,
        TrackPurchase => referral::track_purchase(ctx, req).await,
        JoinContest => referral::join(ctx, req).await,
        ShowJoinForm => referral::join_form(ctx, req).await,
        RequestPortalLink => referral::portal_link(ctx, req).await,
        CreateContest => contests::create(ctx, req).await,
        ListContests => contests::list(ctx, req).await,
        GetContest => contests::get(ctx).await,
        UpdateContest => contests::update(ctx, req).await,
        RotateContestWebhookSecret => contests::rotate_webhook_secret(ctx).await,
        ContestLeaderboard => contests::leaderboard(ctx, req).await,
        ContestStats => contests::stats(ctx).await,
        CreateBonusAction => bonus_actions::create(ctx, req).await,
        ListBonusActions => bonus_actions::list(ctx).await,
        ListBonusCompletions => bonus_actions::completions_to_review(ctx, req).await,
        ContestTimeseries => contests::timeseries(ctx, req).await,
        ExportParticipants => exports::csv(ctx, Export::Participants).await,
        ExportPurchases => exports::csv(ctx, Export::Purchases).await,
        ExportLedger => exports::csv(ctx, Export::Ledger).await,
        ExportPayouts => payouts::export(ctx, req).await,
        RecordPayout => payouts::record(ctx, req).await,
        ListAccounts => accounts::list_accounts(ctx, req).await,
        UpdateBonusAction => bonus_actions::update(ctx, req).await,
        DeleteBonusAction => bonus_actions::delete(ctx).await,
        CreateEntry => entries::create(ctx, req).await,
        ListEntries => entries::list(ctx, req).await,
        GetEntry => entries::get(ctx).await,
        UpdateEntry => entries::update(ctx, req).await,
        DisqualifyEntry => entries::disqualify(ctx, req).await,
        ReinstateEntry => entries::reinstate(ctx).await,
        AdjustEntryPoints => entries::adjust_points(ctx, req).await,
        EntryLedger => entries::ledger(ctx, req).await,
        EraseEntry => entries::erase(ctx).await,
        ExportEntry => entries::export(ctx).await,
        MintParticipantToken => entries::mint_token(ctx, req).await,
        SendSignInEmail => entries::send_sign_in_email(ctx).await,
        RotateParticipantTokenSecret => accounts::rotate_token_secret(ctx).await,
        LookupEntryBonusActions => bonus_actions::for_entry_by_email(ctx, req).await,
        EntryBonusActions => bonus_actions::for_entry(ctx).await,
        CompleteBonusAction => bonus_actions::complete(ctx, req).await,
        ApproveBonusCompletion => bonus_actions::review(ctx, true).await,
        RejectBonusCompletion => bonus_actions::review(ctx, false).await,
        RecordPurchase => purchases::record(ctx, req).await,
        ListPurchases => purchases::list(ctx, req).await,
        RefundPurchase => purchases::refund(ctx, req).await,
        ListAwards => awards::list(ctx, req).await,
        ReviewAwards => awards::review_bulk(ctx, req).await,
        ConfirmAward => awards::review(ctx, AwardStatus::Confirmed).await,
        RejectAward => awards::review(ctx, AwardStatus::Rejected).await,
        ListApiKeys => accounts::list_keys(ctx).await,
        CreateApiKey => accounts::create_key(ctx, req).await,
        RotateApiKey => accounts::rotate_key(ctx).await,
        RevokeApiKey => accounts::revoke_key(ctx).await,
        CreateAccount => accounts::create_account(ctx, req).await,
        SignupWebhook => webhooks::signup(ctx, req).await,
        PurchaseWebhook => webhooks::purchase(ctx, req).await,
        StripeWebhook => webhooks::stripe(ctx, req).await,
        CreateWebhookEndpoint => webhook_endpoints::create(ctx, req).await,
        ListWebhookEndpoints => webhook_endpoints::list(ctx, req).await,
        GetWebhookEndpoint => webhook_endpoints::get(ctx).await,
        UpdateWebhookEndpoint => webhook_endpoints::update(ctx, req).await,
        DeleteWebhookEndpoint => webhook_endpoints::delete(ctx).await,
        RotateWebhookEndpointSecret => webhook_endpoints::rotate_secret(ctx).await,
        ListWebhookDeliveries => webhook_endpoints::deliveries(ctx, req).await,
        PingWebhookEndpoint => webhook_deliveries::ping(ctx).await,
        RedeliverWebhookDelivery => webhook_deliveries::redeliver(ctx).await,
        GetCampaign => campaigns::get_campaign(ctx, req).await,
        AddParticipant => campaigns::add_participant(ctx, req).await,
        GetParticipant => campaigns::get_participant(ctx, req).await,
        QualifyParticipant => campaigns::qualify_participant(ctx, req).await,
        GetAllParticipants => campaigns::get_all_participants(ctx, req).await,
        GetReferrals => campaigns::get_referrals(ctx, req).await,
        ValidateCampaignCode => campaigns::validate_code(ctx, req).await,
        RedeemReward => campaigns::redeem_reward(ctx, req).await,
        CreatePrize => prizes::create(ctx, req).await,
        ListPrizes => prizes::list(ctx).await,
        GetPrize => prizes::get(ctx).await,
        UpdatePrize => prizes::update(ctx, req).await,
        DeletePrize => prizes::delete(ctx).await,
        AddPrizeCodes => prizes::add_codes(ctx, req).await,
        ListPrizeCodes => prizes::list_codes(ctx, req).await,
        ListPrizeAwards => prizes::list_awards(ctx, req).await,
        FulfilPrizeAward => prizes::fulfil(ctx, req).await,
        VoidPrizeAward => prizes::void(ctx, req).await,
        OpenApiDocument => crate::openapi::response(ctx).await,
        EndContest => finale::end(ctx).await,
        FinalizeContest => finale::finalize(ctx, req).await,
        ContestStandings => finale::standings(ctx, req).await,
        ContestResults => finale::results(ctx, req).await,
        ContestStandingsText => record::standings(ctx, req).await,
        DrawList => crate::handlers::draws::list(ctx, req).await,
        UnsubscribeLanding | UnsubscribeOneClick => crate::handlers::emails::unsubscribe(ctx, req).await,
        ListEmails => crate::handlers::emails::list(ctx, req).await,
        ConfirmEmail => crate::handlers::confirm::confirm(ctx, req).await,
        ListEmailTemplates => crate::handlers::email_templates::list(ctx).await,
        GetEmailTemplate => crate::handlers::email_templates::get(ctx).await,
        UpdateEmailTemplate => crate::handlers::email_templates::put(ctx, req).await,
        SendTestEmail => crate::handlers::email_templates::send_test(ctx, req).await,
    }
}

/// A failed authentication counts against the caller's address; past the
/// limit the answer is a 429 instead of another try.
async fn limit_failures(env: &Env, req: &Request, outcome: ApiResult<Caller>) -> ApiResult<Caller> {
    match outcome {
        Err(e @ (ApiError::Unauthorized | ApiError::KeyInQuery | ApiError::InvalidToken)) => {
            crate::limits::failed_auth(env, req).await?;
            Err(e)
        }
        other => other,
    }
}
