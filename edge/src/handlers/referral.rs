//! The public referral endpoints (`/api/referral/*`): no key, CORS for any origin.

use crate::ctx::Ctx;
use crate::db::contests::ContestRow;
use crate::db::entries::SignupReads;
use crate::domain::contest::{ensure_open, ContestStatus};
use crate::domain::first_party;
use crate::domain::ids::{ContestId, ReferralCode};
use crate::domain::participant_token;
use crate::domain::privacy::visit_url;
use crate::engine::join::{self, Signup};
use crate::engine::{self, purchase, Source};
use crate::error::{ApiError, ApiResult};
use crate::input;
use crate::limits::{self, Limit};
use crate::requests::{PurchaseBody, SignupBody};
use crate::views::referral::{CodeOwner, CodeValidation};
use crate::{auth, cache, db, http, platform, turnstile, views};
use rocket_rules::referral_cookie;
use serde::Deserialize;
use worker::{Request, Response};

/// `GET /api/referral/validate-code?code=&contestId=`: 200 `{"valid":true,...}`
/// for a live code, 200 `{"valid":false}` for any other. The advocate's email
/// is masked unless the contest sets `exposeReferrerEmail`. The answer is the
/// same for everyone, so it is cached (and may be) for `cache::TTL_SECS`.
pub async fn validate_code(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let (Some(code), Some(contest_id)) = (http::query_param(&query, "code"), http::query_param(&query, "contestId"))
    else {
        return Err(ApiError::bad_request("Missing code or contestId"));
    };
    let key = cache::contest_key("validate-code", contest_id, &[code]).await;
    // Only what reads D1 counts against the address's limit: a cached answer
    // costs no read and tells nothing that was not answered within the TTL,
    // while enumerating codes is all misses.
    if let Some((status, json)) = cache::get(&key).await {
        return Ok(cache::answer(status, &json, true));
    }
    limit_open(ctx, req, Limit::Reads, contest_id).await?;
    let referrer = match ReferralCode::is_valid(code) {
        true => {
            let contest = ContestId::new(contest_id);
            let (contest_exists, referrer) = db::entries::find_referrer(&ctx.db, &contest, code).await?;
            // Each made-up contest id has a fresh bucket of its own: its miss
            // counts against the address as a failed authentication does.
            if !contest_exists {
                limits::failed_auth(&ctx.env, req).await?;
            }
            referrer
        }
        false => None,
    };
    let owner = referrer.map(|r| CodeOwner {
        referrer_email: views::email_for(&r.email_display, r.expose_referrer_email),
        referrer_name: r.name,
        contest_id: r.contest_id,
    });
    // The seed's shape: no envelope, `{"valid": ...}` at the top.
    let json = http::json_text(&CodeValidation { valid: owner.is_some(), referrer: owner });
    cache::put(&key, 200, &json).await;
    Ok(cache::answer(200, &json, true))
}

/// The open endpoints' rate limit, per client address and contest; the
/// owner's own server (a valid private key) is not limited.
async fn limit_open(ctx: &Ctx, req: &Request, limit: Limit, contest_id: &str) -> ApiResult<()> {
    if auth::has_private_key(&ctx.db, req).await {
        return Ok(());
    }
    limits::open_endpoint(&ctx.env, req, limit, contest_id).await
}

/// The contest named in a public request body, or 404.
pub async fn public_contest(ctx: &Ctx, contest_id: Option<&str>) -> ApiResult<ContestRow> {
    let id = ContestId::new(input::required("contestId", contest_id, 100)?);
    db::contests::find(&ctx.db, &id).await?.ok_or_else(|| ApiError::not_found("Contest not found"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrackVisitBody {
    referral_code: Option<String>,
    contest_id: Option<String>,
    url: Option<String>,
    #[serde(default, deserialize_with = "input::int_opt")]
    cookie_days: Option<i64>,
}

/// `POST /api/referral/track-visit`: one visit through an advocate's link,
/// counted once per address and day. Only origin, path and `utm_*` of the
/// landing URL are kept (a long one is cut, never refused). The answer waits
/// for no D1 write: whether the code takes visits comes from the cache (one
/// read on a miss), and the visit goes to the `VISITS` queue, whose consumer
/// writes it (and drops it if the code stopped being live meanwhile).
pub async fn track_visit(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: TrackVisitBody = http::read_json(req).await?;
    let code = input::required("referralCode", body.referral_code.as_deref(), 64)?;
    let contest_id = ContestId::new(input::required("contestId", body.contest_id.as_deref(), 100)?);
    let url = match body.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(raw) => Some(visit_url(raw).ok_or_else(|| input::invalid("url", "must be an http(s) URL"))?),
    };
    let cookie_days = match body.cookie_days {
        None => referral_cookie::DEFAULT_DAYS,
        Some(days) => u32::try_from(days)
            .ok()
            .and_then(referral_cookie::lifetime)
            .ok_or_else(|| input::invalid("cookieDays", "must be a whole number from 1 to 400"))?,
    };
    limit_open(ctx, req, Limit::Reads, &contest_id).await?;
    ensure_takes_visits(ctx, &contest_id, &code).await?;
    let visit = db::visits::Visit {
        id: platform::new_id("vi"),
        ip_hash: limits::address_hash(&ctx.env, &contest_id, req)?,
        contest_id,
        code,
        url,
        at: platform::now_iso(),
    };
    let cookie = ctx.site.as_ref().map(|site| {
        let configured = ctx.env.var("COOKIE_DOMAIN").ok().map(|v| v.to_string());
        let domain = first_party::cookie_domain(&site.host, configured.as_deref());
        first_party::referral_cookie(&visit.code, cookie_days, domain.as_deref(), site.secure)
    });
    crate::visits::send(&ctx.env, &ctx.db, visit).await?;
    let response = http::json_response(200, &views::referral::Ok { success: true });
    if let Some(cookie) = cookie {
        response.headers().set("Set-Cookie", &cookie)?;
    }
    Ok(response)
}

/// Refuses a visit through an unknown or disqualified code (404), to an
/// unknown contest (404) or one not open (409). The code's state is cached
/// for `cache::TTL_SECS`; the contest's end is checked against now each time.
async fn ensure_takes_visits(ctx: &Ctx, contest_id: &ContestId, code: &str) -> ApiResult<()> {
    if !ReferralCode::is_valid(code) {
        return Err(ApiError::UnknownReferralCode);
    }
    let key = cache::contest_key("visit-verdict", contest_id, &[code]).await;
    let state = match cache::get(&key).await {
        Some((_, text)) => CodeVerdict::parse(&text),
        None => {
            let verdict = CodeVerdict::of(db::visits::code_state(&ctx.db, contest_id, code).await?);
            cache::put(&key, 200, &verdict.text()).await;
            Some(verdict)
        }
    };
    match state {
        None | Some(CodeVerdict::NoContest) => Err(ApiError::not_found("Contest not found")),
        Some(CodeVerdict::Contest { status, ends_at, live }) => {
            ensure_open(status, ends_at.as_deref(), &platform::now_iso()).map_err(ApiError::conflict)?;
            if live {
                Ok(())
            } else {
                Err(ApiError::UnknownReferralCode)
            }
        }
    }
}

/// A code's state as the cache keeps it (plain text: `-` for no contest,
/// else `<status> <0|1> <endsAt>`).
enum CodeVerdict {
    NoContest,
    Contest { status: ContestStatus, ends_at: Option<String>, live: bool },
}

impl CodeVerdict {
    fn of(state: Option<db::visits::CodeState>) -> Self {
        match state {
            None => Self::NoContest,
            Some(s) => Self::Contest { status: s.status, ends_at: s.ends_at, live: s.live == 1 },
        }
    }

    fn text(&self) -> String {
        match self {
            Self::NoContest => "-".into(),
            Self::Contest { status, ends_at, live } => {
                [status.as_str(), if *live { " 1 " } else { " 0 " }, ends_at.as_deref().unwrap_or("")].concat()
            }
        }
    }

    fn parse(text: &str) -> Option<Self> {
        if text == "-" {
            return Some(Self::NoContest);
        }
        let mut parts = text.splitn(3, ' ');
        let status = ContestStatus::parse(parts.next()?)?;
        let live = parts.next()? == "1";
        let ends_at = parts.next().filter(|e| !e.is_empty()).map(str::to_string);
        Some(Self::Contest { status, ends_at, live })
    }
}

/// `POST /api/referral/track-signup`: a referred visitor signed up. The same
/// email again answers `alreadyExists: true` and nothing about that entry
/// (anyone may type anyone's email here).
///
/// A new entry's answer also carries `participant`, its participant token for
/// this browser (the tracker keeps it where the widget on the site's pages
/// reads it), exactly as `join` answers one; an existing email never gets one.
pub async fn track_signup(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let BrowserSignup { contest, valid, ip_hash, mut reads } = browser_signup(ctx, req, true).await?;
    let secret = reads.token_secret.take();
    let joined = join::signup_with(&ctx.db, &contest, &valid, Source::Tracker, Some(&ip_hash), reads).await?;
    let joined = ctx.commit(joined).await;
    send_confirm_email(ctx, &joined).await;
    if !joined.created {
        return http::data(200, views::referral::SIGNUP_EXISTING);
    }
    // The account's first token ever makes its secret now; should that fail,
    // the signup stands and the answer goes without a token (the widget then
    // offers the sign-in link).
    let secret = match secret {
        Some(secret) => Some(secret),
        None => new_secret(ctx, &contest).await.ok(),
    };
    let mut answer = views::referral::signup(&joined);
    answer.participant = secret.map(|secret| {
        let (token, expires_at) = token_for(&secret, &joined);
        views::referral::Participant { contest_id: &contest.id, token, expires_at }
    });
    http::data(200, answer)
}

/// The account's participant-token secret, made on its first use.
async fn new_secret(ctx: &Ctx, contest: &ContestRow) -> ApiResult<String> {
    let fresh = crate::domain::signature::hex(&platform::random_bytes::<32>());
    Ok(db::accounts::token_secret(&ctx.db, &contest.account_id, &fresh).await?)
}

/// A participant token for the entry `joined` just made, and when it expires.
/// Version 0, the new entry's: a take-over (the site's trusted signup of this
/// email) moves it on and this token stops working.
fn token_for(secret: &str, joined: &join::Joined) -> (String, String) {
    let expires = platform::now_ms() / 1000 + participant_token::DEFAULT_TTL_SECS;
    let token = participant_token::mint_for_version(secret, &joined.entry.id, expires, 0);
    (token, crate::domain::time::iso8601(expires * 1000))
}

/// `POST /api/referral/join`: the widget's join form, with no key. Screened,
/// limited and bot-checked exactly like track-signup (it is the same browser
/// claim, source `tracker`); the referral code is optional. A new entry answers
/// 201 with its participant token; an email that already has an entry answers
/// 200 `alreadyIn` and nothing of that entry (anyone may type anyone's email).
pub async fn join(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let BrowserSignup { contest, valid, ip_hash, mut reads } = browser_signup(ctx, req, false).await?;
    ctx.note_widget(&contest).await;
    // The secret first (read with the signup's reads; made now on the
    // account's first token): should making it fail, no entry exists yet and a
    // retry joins, rather than an entry whose token is lost (its retry would be
    // `alreadyIn`).
    let secret = match reads.token_secret.take() {
        Some(secret) => secret,
        None => new_secret(ctx, &contest).await?,
    };
    let joined = join::signup_with(&ctx.db, &contest, &valid, Source::Tracker, Some(&ip_hash), reads).await?;
    let joined = ctx.commit(joined).await;
    send_confirm_email(ctx, &joined).await;
    if !joined.created {
        return http::data(200, views::referral::ALREADY_IN);
    }
    let (token, expires_at) = token_for(&secret, &joined);
    let answer = views::referral::JoinedWithToken {
        entry: views::entry(&joined.entry, false),
        token,
        expires_at,
        email_confirmation: joined.entry.email_confirmation.as_deref(),
    };
    http::data(201, answer)
}

/// `GET /api/referral/join?contestId=&referralCode=`: what the widget's join
/// form and the hosted page need before anyone has a token: whether the
/// contest takes signups now, its name, description, end and share texts, the
/// Turnstile site key its join needs (public, like any site key), and who
/// invited the visitor (the code's live advocate, the name masked as the
/// results mask it). Nothing else about entries. Contest and code owner: one
/// round trip.
pub async fn join_form(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let contest_id = ContestId::new(input::required("contestId", http::query_param(&query, "contestId"), 100)?);
    let code = http::query_param(&query, "referralCode").filter(|c| ReferralCode::is_valid(c));
    limit_open(ctx, req, Limit::Reads, &contest_id).await?;
    let mut reads = db::entries::signup_reads(&ctx.db, &contest_id, code).await?;
    let contest = reads.contest.take().ok_or_else(|| ApiError::not_found("Contest not found"))?;
    // Only the widget and the hosted page ask this: the owner's checklist sees it.
    ctx.note_widget(&contest).await;
    let inviter = reads.code_owner.filter(|o| contest.referral_enabled && !o.is_disqualified());
    let accepting = engine::ensure_contest_open(&contest).is_ok();
    http::data(200, views::referral::join_form(&contest, accepting, inviter.as_ref()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PortalLinkBody {
    contest_id: Option<String>,
    email: Option<String>,
    turnstile_token: Option<String>,
}

/// `POST /api/referral/portal-link {contestId, email}`: if that address has
/// an entry in the contest, it gets the `portal` email (its sign-in link).
/// 202 and the same body either way: nothing tells whether it has one.
/// Limited and bot-checked like `join`; 409 when the contest sends no email.
pub async fn portal_link(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: PortalLinkBody = http::read_json(req).await?;
    let contest_id = ContestId::new(input::required("contestId", body.contest_id.as_deref(), 100)?);
    let email = input::email("email", body.email.as_deref())?;
    turnstile::check_length(body.turnstile_token.as_deref())?;
    limit_open(ctx, req, Limit::Writes, &contest_id).await?;
    let contest = public_contest(ctx, Some(contest_id.as_str())).await?;
    if let Some(secret) = &contest.turnstile_secret {
        turnstile::verify(&ctx.env, secret, body.turnstile_token.as_deref(), &limits::client_address(req)).await?;
    }
    if db::contests::email_from(&ctx.db, &contest.id).await?.is_none() {
        return Err(ApiError::conflict("This contest sends no email"));
    }
    if let Some(entry) = db::entries::find_by_email(&ctx.db, &contest.id, email.normalized()).await? {
        let queued = ctx.commit(engine::portal::send_link(&ctx.db, &entry, platform::now_ms()).await?).await;
        crate::mailing::send_queued(&ctx.env, &queued).await;
    }
    http::data(202, views::referral::LINK_REQUESTED)
}

/// A signup a browser claims, checked as track-signup and join both check it.
struct BrowserSignup {
    contest: ContestRow,
    valid: Signup,
    /// The browser's address, hashed with the contest id (never stored raw):
    /// it screens the signup.
    ip_hash: String,
    /// What the signup reads, read with the contest (one round trip).
    reads: SignupReads,
}

/// Reads and validates the body, then (in one D1 round trip) the contest and
/// what the signup needs; checks the contest exists, the write limit and
/// Turnstile when the contest uses it.
async fn browser_signup(ctx: &Ctx, req: &mut Request, code_required: bool) -> ApiResult<BrowserSignup> {
    let body: SignupBody = http::read_json(req).await?;
    let valid = body.validate(code_required)?;
    turnstile::check_length(body.turnstile_token.as_deref())?;
    let contest_id = ContestId::new(input::required("contestId", body.contest_id.as_deref(), 100)?);
    // The limit before any read (a made-up contest's 404 counts in `app`).
    limit_open(ctx, req, Limit::Writes, &contest_id).await?;
    let ip_hash = limits::address_hash(&ctx.env, &contest_id, req)?;
    let code = valid.referral_code.as_deref();
    let mut reads = db::entries::signup_reads(&ctx.db, &contest_id, code).await?;
    let contest = reads.contest.take().ok_or_else(|| ApiError::not_found("Contest not found"))?;
    if let Some(secret) = &contest.turnstile_secret {
        turnstile::verify(&ctx.env, secret, body.turnstile_token.as_deref(), &limits::client_address(req)).await?;
    }
    Ok(BrowserSignup { contest, valid, ip_hash, reads })
}

/// `POST /api/referral/track-purchase`: a (referred) purchase, once per orderId.
/// A browser's report: recorded unverified, its award pending until a trusted
/// source reports the same order (unless the contest awards browser purchases).
pub async fn track_purchase(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: PurchaseBody = http::read_json(req).await?;
    let valid = body.validate()?;
    let contest_id = ContestId::new(input::required("contestId", body.contest_id.as_deref(), 100)?);
    limit_open(ctx, req, Limit::Writes, &contest_id).await?;
    // The contest and everything the purchase reads: one round trip.
    let code = valid.referral_code.as_deref();
    let mut reads = db::entries::purchase_reads(&ctx.db, &contest_id, valid.email.normalized(), code).await?;
    let contest = reads.contest.take().ok_or_else(|| ApiError::not_found("Contest not found"))?;
    let recorded = purchase::record_with(&ctx.db, &contest, None, &valid, Source::Tracker, reads).await?;
    let recorded = ctx.commit(recorded).await;
    http::data(200, views::purchases::recorded(&recorded))
}

/// A signup waiting for its address: its `confirm` message goes to the email
/// queue now (the cron would, later).
async fn send_confirm_email(ctx: &Ctx, joined: &join::Joined) {
    if let Some(id) = &joined.confirm_email {
        crate::mailing::send_queued(&ctx.env, std::slice::from_ref(id)).await;
    }
}
