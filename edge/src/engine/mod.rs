//! The contest engine: every write use case, shared by every API surface
//! (referral endpoints, v1, webhooks, Stripe, Referral Rocket): joining a
//! contest, recording and refunding a purchase, adjusting points, reviewing
//! awards (here), bonus completions (`bonus`), qualifying and redeeming
//! (`campaigns`). Handlers parse, call one of these, render a view. Each is one D1 batch whose
//! duplicates are settled by unique keys. Browser reports are claims: their
//! awards wait (see `domain::trust`) until a trusted source or the owner
//! confirms them.

pub mod bonus;
pub mod campaigns;

use crate::db::contests::ContestRow;
use crate::db::entries::{EntryRow, NewEntry, PurchaseReads, SignupReads};
use crate::db::ledger::{Award, AwardRow, Guard, Reason};
use crate::db::outbox::Event as OutboxEvent;
use crate::db::purchases::{NewPurchase, PurchaseRow};
use crate::db::refunds::{NewRefund, RefundRow};
use crate::db::rewards::Friend;
use crate::db::{self};
use crate::domain::contest::ensure_open;
use crate::domain::email::Email;
use crate::domain::fraud::{self, FraudScore, Signals};
use crate::domain::ids::EntryId;
use crate::domain::money::rate_to;
use crate::domain::points::{purchase_award, purchase_recipient, refund_points};
use crate::domain::refunds::{self, Plan, StripeRefs, TakenBack};
use crate::domain::time;
use crate::domain::trust::{
    confirm_after, link_hold, purchase_hold, referral_holds, AwardStatus, Counted, Hold, ReferralSignals, RefundKind,
};
use crate::domain::webhooks::EventType;
use crate::error::{ApiError, ApiResult, Unique};
use crate::platform;
use crate::requests::{ValidPurchase, ValidSignup};
use worker::{D1Database, D1PreparedStatement};

pub use crate::domain::refunds::RefundAmount;
pub use crate::domain::trust::Source;

/// 409 with the reason when the contest records nothing now.
pub fn ensure_contest_open(contest: &ContestRow) -> ApiResult<()> {
    let status = contest.status;
    ensure_open(status, contest.ends_at.as_deref(), &platform::now_iso()).map_err(ApiError::conflict)
}

/// Who owns the referral code of a signup, as the stored state says.
enum Referrer {
    Live(EntryRow),
    Disqualified,
    /// The signup's own email owns the code.
    Themselves(EntryRow),
}

/// The owner of the signup's code (as read) seen from a signup of `friend`;
/// refuses an unknown code (404) and a contest whose referrals are off (409).
fn referrer_of(contest: &ContestRow, owner: Option<EntryRow>, friend: &Email) -> ApiResult<Referrer> {
    if !contest.referral_enabled {
        return Err(ApiError::conflict("Referrals are disabled for this contest"));
    }
    let owner = owner.ok_or(ApiError::UnknownReferralCode)?;
    Ok(if owner.is_disqualified() {
        Referrer::Disqualified
    } else if owner.email == friend.normalized() {
        Referrer::Themselves(owner)
    } else {
        Referrer::Live(owner)
    })
}

/// The live advocate, or the error a trusted signup through their code gets
/// (the owner's own server may learn why).
fn live_advocate(referrer: Referrer) -> ApiResult<EntryRow> {
    match referrer {
        Referrer::Live(advocate) => Ok(advocate),
        Referrer::Disqualified => {
            Err(ApiError::conflict("Referrer is disqualified: no referral can be credited to them"))
        }
        Referrer::Themselves(_) => Err(ApiError::conflict("Self-referral is not allowed")),
    }
}

/// The live advocate owning `code`, or the error a trusted signup through it gets.
pub async fn advocate_for_signup(
    db: &D1Database,
    contest: &ContestRow,
    code: &str,
    friend: &Email,
) -> ApiResult<EntryRow> {
    if !contest.referral_enabled {
        return Err(ApiError::conflict("Referrals are disabled for this contest"));
    }
    let owner = db::entries::find_by_code(db, &contest.id, code).await?;
    live_advocate(referrer_of(contest, owner, friend)?)
}

pub struct Join<'a> {
    pub email: &'a Email,
    pub name: Option<&'a str>,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub advocate: Option<&'a EntryRow>,
    pub source: Source,
    /// Tracker signups: the hashed address they are screened by (its burst
    /// and the advocate's velocity, counted by the write batch). None for
    /// trusted sources.
    pub screening: Option<&'a str>,
}

impl<'a> Join<'a> {
    pub fn new(email: &'a Email, advocate: Option<&'a EntryRow>, source: Source) -> Self {
        Self { email, name: None, first_name: None, last_name: None, advocate, source, screening: None }
    }
}

pub struct Joined {
    pub entry: EntryRow,
    /// False when the email already had an entry.
    pub created: bool,
    /// Points confirmed now (0 when held or when nothing was awarded).
    pub advocate_points: i64,
    pub friend_points: i64,
    /// The state of the advocate's award written now, if any.
    pub award_status: Option<AwardStatus>,
    /// Webhook events the batch wrote: the handler sends them to the queue.
    pub events: Vec<String>,
}

impl Joined {
    /// The email already had this entry: nothing was written or awarded.
    fn existing(entry: EntryRow) -> Self {
        Self { entry, created: false, advocate_points: 0, friend_points: 0, award_status: None, events: Vec::new() }
    }
}

/// The two awards of a referral of `friend_id` by `advocate`, held as the
/// contest's rules say; each written only if `guard` holds.
fn referral_awards<'a>(
    contest: &'a ContestRow,
    advocate_id: &'a EntryId,
    friend_id: &'a EntryId,
    holds: (Option<Hold>, Option<Hold>),
    confirm_at: (Option<&'a str>, Option<&'a str>),
    now: &'a str,
) -> [Award<'a>; 2] {
    [
        Award {
            entry_id: advocate_id,
            contest_id: &contest.id,
            delta: contest.advocate_points,
            reason: Reason::ReferralAdvocate,
            ref_id: friend_id,
            note: None,
            created_at: now,
            hold: holds.0,
            confirm_after: confirm_at.0,
        },
        Award {
            entry_id: friend_id,
            contest_id: &contest.id,
            delta: contest.friend_points,
            reason: Reason::ReferralFriend,
            ref_id: advocate_id,
            note: None,
            created_at: now,
            hold: holds.1,
            confirm_after: confirm_at.1,
        },
    ]
}

/// When each held award of a referral confirms itself (`holdDays`), if ever.
fn due_dates(contest: &ContestRow, holds: (Option<Hold>, Option<Hold>)) -> (Option<String>, Option<String>) {
    let now = platform::now_ms();
    (confirm_after(holds.0, contest.hold_days, now), confirm_after(holds.1, contest.hold_days, now))
}

/// What a signup becomes for one answer of its write batch's counts: the
/// fraud score (screened signups only), the holds of its referral's two
/// awards with their due dates, and its link's hold.
struct Outcome {
    fraud: Option<FraudScore>,
    holds: (Option<Hold>, Option<Hold>),
    due: (Option<String>, Option<String>),
    link: Option<Hold>,
}

fn outcome(contest: &ContestRow, join: &Join, counted: Counted) -> Outcome {
    let fraud = join.screening.map(|_| {
        fraud::score(&Signals {
            email: join.email.normalized(),
            advocate_email: join.advocate.map(|a| a.email.as_str()),
            busy_address: counted.busy_address,
        })
    });
    let holds = referral_holds(ReferralSignals {
        mode: contest.referral_awards,
        fraud,
        over_velocity: join.advocate.is_some() && counted.over_velocity,
    });
    let link = link_hold(join.source.is_trusted(), holds, contest.advocate_points);
    Outcome { fraud, holds, due: due_dates(contest, holds), link }
}

/// The outcome of a trusted signup: nothing is counted.
fn holds_for(contest: &ContestRow, join: &Join) -> (Option<Hold>, Option<Hold>) {
    outcome(contest, join, Counted::ALL[0]).holds
}

/// The outcomes for each answer the counts may give (`Counted::ALL`), as the
/// JSON the screened statements pick from: `[fraud score, link hold]` for the
/// entry, `[status, hold, confirm_after]` for each award.
struct Outcomes {
    all: Vec<Outcome>,
    entry: String,
    advocate: String,
    friend: String,
}

fn outcomes(contest: &ContestRow, join: &Join) -> Outcomes {
    let all: Vec<Outcome> = Counted::ALL.iter().map(|c| outcome(contest, join, *c)).collect();
    let award = |hold: Option<Hold>, due: &Option<String>| {
        serde_json::json!([crate::domain::trust::status_of(hold).as_str(), hold.map(Hold::as_str), due])
    };
    let json =
        |f: &dyn Fn(&Outcome) -> serde_json::Value| serde_json::Value::Array(all.iter().map(f).collect()).to_string();
    Outcomes {
        entry: json(&|o| serde_json::json!([o.fraud.map(FraudScore::as_str), o.link.map(Hold::as_str)])),
        advocate: json(&|o| award(o.holds.0, &o.due.0)),
        friend: json(&|o| award(o.holds.1, &o.due.1)),
        all,
    }
}

/// The owner's decision on one award: confirm or reject a pending one. The
/// same decision again changes nothing (`false`); the opposite decision on a
/// settled award, or one that lands between our read and our write, is a 409.
pub async fn review_award(
    db: &D1Database,
    award: &AwardRow,
    to: AwardStatus,
) -> ApiResult<(AwardRow, bool, Vec<String>)> {
    if award.status != AwardStatus::Pending && award.status != to {
        return Err(ApiError::conflict(["Award is already ", award.status.as_str()].concat()));
    }
    let (confirm, reject) =
        if to == AwardStatus::Confirmed { (vec![award.id], vec![]) } else { (vec![], vec![award.id]) };
    let (moved, events) = review_awards(db, &award.contest_id, &confirm, &reject).await?;
    let changed = moved > 0;
    let after = db::first::<AwardRow>(db::ledger::select_award(db, award.id)?)
        .await?
        .ok_or_else(|| ApiError::not_found("Award not found"))?;
    if after.status != to {
        return Err(ApiError::conflict("Award was reviewed concurrently"));
    }
    Ok((after, changed, events))
}

/// Adds a participant (once per normalized email) and, for a referred one,
/// awards both sides in the same batch. A trusted signup for an email the
/// browser claimed first takes that entry over (`take_over`).
pub async fn join_contest(db: &D1Database, contest: &ContestRow, join: Join<'_>) -> ApiResult<Joined> {
    ensure_contest_open(contest)?;
    // A fresh referral code can collide with an existing one (about 1 in 10^11
    // per pair); the unique index refuses it and we draw again.
    let mut attempts = 0;
    let joined = loop {
        attempts += 1;
        match try_join(db, contest, &join).await {
            Err(ApiError::Duplicate(Unique::EntryReferralCode)) if attempts < 3 => continue,
            other => break other?,
        }
    };
    if !joined.created && join.source.is_trusted() && joined.entry.is_browser_claim() {
        return take_over(db, contest, joined.entry, &join).await;
    }
    Ok(joined)
}

async fn try_join(db: &D1Database, contest: &ContestRow, join: &Join<'_>) -> ApiResult<Joined> {
    let id = EntryId::new(platform::new_id("en"));
    let code = platform::new_referral_code();
    let now = platform::now_iso();
    let outcomes = outcomes(contest, join);
    let since = screening_since();
    let screen = db::entries::Screen {
        since: &since,
        burst: fraud::IP_BURST,
        max_referrals_per_hour: contest.max_referrals_per_hour,
        outcomes: &outcomes.entry,
    };
    let new = NewEntry {
        id: &id,
        contest_id: &contest.id,
        email: join.email.normalized(),
        email_display: join.email.display(),
        name: join.name,
        referral_code: &code,
        referred_by_entry_id: join.advocate.map(|a| a.id.as_str()),
        source: join.source,
        created_at: &now,
        first_name: join.first_name,
        last_name: join.last_name,
        signup_ip_hash: join.screening,
        fraud_score: None,
    };
    let mut statements = vec![match join.screening {
        Some(_) => db::entries::insert_screened(db, &new, &screen)?,
        None => db::entries::insert_if_new(db, &new)?,
    }];
    if let Some(advocate) = join.advocate {
        // Unscreened, nothing is counted: the first outcome is the one.
        let holds = outcomes.all[0].holds;
        let due = &outcomes.all[0].due;
        let awards = referral_awards(contest, &advocate.id, &id, holds, (due.0.as_deref(), due.1.as_deref()), &now);
        for (award, screened) in awards.iter().zip([&outcomes.advocate, &outcomes.friend]) {
            if award.delta == 0 {
                continue;
            }
            statements.extend(match join.screening {
                Some(_) => db::ledger::award_screened(db, award, screened, &id, Guard::EntryCreated(&id))?,
                None => db::ledger::award(db, award, Guard::EntryCreated(&id))?,
            });
        }
        // The friend's money follows the referral: earned now only if it
        // stands now (not held), else by the batch that confirms it.
        statements.extend(db::rewards::earn_referee(db, Friend::Entry(&id), &now)?);
    }
    // The webhook events of a new entry (and of its referral), written only
    // if the entry was.
    let mut kinds = vec![EventType::EntryCreated];
    if join.advocate.is_some() {
        kinds.push(EventType::ReferralCreated);
    }
    for kind in &kinds {
        let event = OutboxEvent::new(&contest.account_id, *kind, &id, &now);
        statements.push(db::outbox::record(db, &event, Guard::EntryCreated(&id))?);
    }
    statements.push(db::entries::select_by_email(db, &contest.id, join.email.normalized())?);
    let results = db::batch(db, statements).await?;
    let events = db::outbox::written_in(&results)?;
    let entry = last_row::<EntryRow>(results, "entry")?;
    let created = entry.id == id;
    // The holds the batch chose, by what it counted (its own entry's record).
    let counted = entry.screen_counts.and_then(|k| usize::try_from(k).ok()).unwrap_or(0);
    let holds = outcomes.all.get(counted).map_or(outcomes.all[0].holds, |o| o.holds);
    Ok(Joined { events, ..joined(entry, created, created && join.advocate.is_some(), contest, holds) })
}

fn joined(
    entry: EntryRow,
    created: bool,
    referred: bool,
    contest: &ContestRow,
    holds: (Option<Hold>, Option<Hold>),
) -> Joined {
    let confirmed = |points: i64, hold: Option<Hold>| if referred && hold.is_none() { points } else { 0 };
    Joined {
        advocate_points: confirmed(contest.advocate_points, holds.0),
        friend_points: confirmed(contest.friend_points, holds.1),
        award_status: referred.then(|| crate::domain::trust::status_of(holds.0)),
        created,
        entry,
        events: Vec::new(),
    }
}

/// A trusted signup for an entry the browser made: the entry becomes the
/// trusted source's. When the trusted report names another advocate, the
/// browser's referral awards are rejected and the trusted ones written, in one
/// batch; without an advocate, the browser's attribution stands.
async fn take_over(db: &D1Database, contest: &ContestRow, entry: EntryRow, join: &Join<'_>) -> ApiResult<Joined> {
    let now = platform::now_iso();
    let old = entry.referred_by_entry_id.as_ref();
    let new = join.advocate.map(|a| &a.id).or(old);
    let reattributed = new != old;
    let mut statements = vec![db::entries::take_over(
        db,
        &entry.id,
        old.map(|o| o.as_str()),
        new.map(|n| n.as_str()),
        join.source,
        join.name,
        &now,
    )?];
    let holds = holds_for(contest, join);
    let due = due_dates(contest, holds);
    if reattributed {
        if let Some(old) = old {
            statements.push(db::ledger::reject_referral_awards(db, &entry.id, old, &now)?);
            statements.push(db::ledger::recompute_total(db, old, &now)?);
        }
        if let Some(new) = new {
            let awards = referral_awards(contest, new, &entry.id, holds, (due.0.as_deref(), due.1.as_deref()), &now);
            for award in awards.iter().filter(|a| a.delta != 0) {
                statements.extend(db::ledger::award(db, award, Guard::Attributed)?);
            }
        }
        statements.push(db::ledger::recompute_total(db, &entry.id, &now)?);
        // The trusted referral earns the friend's money, unless they had it already.
        statements.extend(db::rewards::earn_referee(db, Friend::Entry(&entry.id), &now)?);
    }
    statements.push(db::entries::select_by_id(db, &entry.id)?);
    let results = db::batch(db, statements).await?;
    let took_over = db::changed(&results[0]);
    let events = db::outbox::written_in(&results)?;
    let entry = last_row::<EntryRow>(results, "entry")?;
    Ok(Joined { events, ..joined(entry, false, took_over && reattributed && new.is_some(), contest, holds) })
}

/// The last statement's first row of a batch, which must be there.
/// Disqualifies an entry (off the leaderboard, credited nothing more) or
/// reinstates it, in one batch with the `entry.disqualified` webhook event
/// when it was not disqualified before. Answers the events written.
pub async fn set_disqualified(
    db: &D1Database,
    account_id: &str,
    entry: &EntryRow,
    disqualified: bool,
    reason: Option<&str>,
) -> ApiResult<Vec<String>> {
    let now = platform::now_iso();
    let mut statements = vec![db::entries::set_disqualified(db, &entry.id, disqualified, reason, &now)?];
    if disqualified && !entry.is_disqualified() {
        let event = OutboxEvent::new(account_id, EventType::EntryDisqualified, &entry.id, &now);
        statements.push(db::outbox::record(db, &event, Guard::None)?);
    }
    let results = db::batch(db, statements).await?;
    Ok(db::outbox::written_in(&results)?)
}

/// A purchase's webhook event (`subject`: the purchase id), written if `guard` holds.
fn purchase_event(
    db: &D1Database,
    contest: &ContestRow,
    kind: EventType,
    subject: &str,
    now: &str,
    guard: Guard,
) -> ApiResult<D1PreparedStatement> {
    let event = OutboxEvent::new(&contest.account_id, kind, subject, now);
    Ok(db::outbox::record(db, &event, guard)?)
}

/// `purchase.verified` for the order's purchase, whose id a trusted report
/// learns only in the batch (it may verify a browser's row).
fn purchase_event_by_order(
    db: &D1Database,
    contest: &ContestRow,
    order_id: &str,
    now: &str,
    guard: Guard,
) -> ApiResult<D1PreparedStatement> {
    let event = OutboxEvent::new(&contest.account_id, EventType::PurchaseVerified, order_id, now);
    Ok(db::outbox::record_for_order(db, &event, &contest.id, guard)?)
}

fn last_row<T: serde::de::DeserializeOwned>(results: Vec<worker::D1Result>, what: &str) -> ApiResult<T> {
    results
        .last()
        .and_then(|r| db::first_of(r).transpose())
        .transpose()?
        .ok_or_else(|| ApiError::Internal([what, " missing after write"].concat()))
}

pub struct Purchase<'a> {
    pub email: &'a Email,
    pub order_id: &'a str,
    pub amount: f64,
    pub currency: &'a str,
    /// A referral code given with the purchase (tracker cookie, Stripe
    /// `client_reference_id`); otherwise the buyer's own referrer counts.
    pub referral_code: Option<&'a str>,
    pub source: Source,
    /// Stripe's ids, to match refunds and disputes later.
    pub stripe: &'a StripeRefs,
}

pub struct Recorded {
    pub purchase: PurchaseRow,
    /// Points confirmed by this request (0 for a duplicate or a held award).
    pub points_awarded: i64,
    /// The order was recorded before (a trusted report that verified a
    /// browser's claim is not a duplicate).
    pub already_exists: bool,
    /// Webhook events the batch wrote: the handler sends them to the queue.
    pub events: Vec<String>,
}

impl Recorded {
    /// The entry a response names: the buyer's, else the one credited.
    pub fn entry_id(&self) -> Option<&str> {
        self.purchase.buyer_entry_id.as_deref().or(self.purchase.credited_entry_id.as_deref())
    }
}

/// The advocate a purchase is attributed to: the code given with it if it names
/// a live entry other than the buyer, else whoever referred the buyer. A stale
/// or unknown code never loses the purchase; it just credits no advocate.
fn purchase_advocate(
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    email: &Email,
    reads: PurchaseReads,
) -> Option<EntryRow> {
    if !contest.referral_enabled {
        return None;
    }
    if let Some(a) = reads.code_owner {
        if !a.is_disqualified() && a.email != email.normalized() {
            return Some(a);
        }
    }
    // A link the browser made earns credit only once its referral award is
    // confirmed (`trust::link_hold`); a rejected one is gone.
    buyer.filter(|b| b.link_counts()).and(reads.buyers_referrer).filter(|a| !a.is_disqualified())
}

/// Records a purchase once per (contest, order id) with its award. A browser's
/// report is an unverified claim whose award waits (unless the contest awards
/// browser purchases); a trusted report inserts a verified purchase or
/// verifies the claim with its own figures, in one batch.
async fn record_purchase(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    advocate: Option<EntryRow>,
    p: Purchase<'_>,
) -> ApiResult<Recorded> {
    ensure_contest_open(contest)?;
    let to = contest.purchase_points_to;
    let recipient = purchase_recipient(to, buyer.map(|b| &b.id), advocate.as_ref().map(|a| &a.id));
    let rate = rate_to(&contest.points_currency, &contest.rates(), p.currency);
    let browser = contest.browser_purchases;
    let hold = purchase_hold(p.source.is_trusted(), browser, rate.is_some());
    let points = recipient.map_or(0, |_| {
        purchase_award(p.amount, rate, contest.purchase_points_per_unit, contest.max_points_per_purchase)
    });
    let recipient = recipient.filter(|_| points != 0);
    let id = platform::new_id("pu");
    let now = platform::now_iso();
    let new = NewPurchase {
        id: &id,
        contest_id: &contest.id,
        order_id: p.order_id,
        buyer_email: p.email.normalized(),
        buyer_entry_id: buyer.map(|b| b.id.as_str()),
        credited_entry_id: recipient.map(|r| r.as_str()),
        amount: p.amount,
        currency: p.currency,
        points_awarded: points,
        referral_code: advocate.as_ref().map(|a| a.referral_code.as_str()),
        source: p.source,
        stripe: p.stripe,
        created_at: &now,
    };
    let award = recipient.map(|entry_id| Award {
        entry_id,
        contest_id: &contest.id,
        delta: points,
        reason: Reason::Purchase,
        ref_id: &id,
        note: Some(p.order_id),
        created_at: &now,
        hold,
        confirm_after: None,
    });
    let confirmed_points = if hold.is_none() { points } else { 0 };
    if !p.source.is_trusted() {
        let mut statements = vec![db::purchases::insert_unverified(db, &new)?];
        if let Some(award) = &award {
            statements.extend(db::ledger::award(db, award, Guard::PurchaseRecorded(&id))?);
        }
        statements.push(purchase_event(
            db,
            contest,
            EventType::PurchaseRecorded,
            &id,
            &now,
            Guard::PurchaseRecorded(&id),
        )?);
        statements.push(db::purchases::select_by_order(db, &contest.id, p.order_id)?);
        let results = db::batch(db, statements).await?;
        let events = db::outbox::written_in(&results)?;
        let row: PurchaseRow = last_row(results, "purchase")?;
        let created = row.id == id;
        return Ok(Recorded {
            points_awarded: if created { confirmed_points } else { 0 },
            already_exists: !created,
            purchase: row,
            events,
        });
    }
    let token = platform::new_id("vt");
    let mut statements = vec![
        db::purchases::upsert_verified(db, &new, &token)?,
        db::ledger::reject_superseded_purchase_awards(
            db,
            &contest.id,
            p.order_id,
            &token,
            recipient.map(|r| r.as_str()),
            &now,
        )?,
    ];
    if let Some(award) = &award {
        statements.push(db::ledger::award_verified_purchase(db, award, &contest.id, p.order_id, &token)?);
    }
    if let Some(buyer) = buyer {
        statements.push(db::ledger::confirm_on_purchase(db, &buyer.id, &contest.id, p.order_id, &token, &now)?);
        statements.push(db::ledger::recompute_referrer_of(db, &buyer.id, &now)?);
    }
    statements.push(db::ledger::recompute_for_order(db, &contest.id, p.order_id, &now)?);
    // A new order is recorded and verified at once; a browser's claim is verified.
    statements.push(purchase_event(db, contest, EventType::PurchaseRecorded, &id, &now, Guard::PurchaseRecorded(&id))?);
    let verified = Guard::PurchaseVerifiedBy(&token);
    statements.push(purchase_event_by_order(db, contest, p.order_id, &now, verified)?);
    statements.push(db::purchases::select_by_order(db, &contest.id, p.order_id)?);
    let results = db::batch(db, statements).await?;
    let events = db::outbox::written_in(&results)?;
    let row: PurchaseRow = last_row(results, "purchase")?;
    let ours = row.verify_token.as_deref() == Some(token.as_str());
    // What was refunded before this verification stays taken back.
    let confirmed_points = confirmed_points - refund_points(confirmed_points, row.amount, 0.0, row.refunded_amount);
    Ok(Recorded {
        points_awarded: if ours { confirmed_points } else { 0 },
        already_exists: !ours,
        purchase: row,
        events,
    })
}

/// A refund or dispute to apply to a purchase.
pub struct RefundRequest<'a> {
    /// Its identity: replaying the same key applies nothing twice.
    pub key: &'a str,
    pub kind: RefundKind,
    pub amount: RefundAmount,
    pub source: Source,
}

pub struct Refunded {
    pub refund: RefundRow,
    pub purchase: PurchaseRow,
    /// False when this key was applied before.
    pub applied: bool,
    /// Webhook events the batch wrote: the handler sends them to the queue.
    pub events: Vec<String>,
}

/// Applies a refund, a dispute or a won dispute once per key. What was taken
/// back is tracked by part (refunds, disputes; never more than the amount) and
/// the award follows it: a confirmed award by a `purchase_refund` row of the
/// award's share of the change (negative when taken, positive when a won dispute
/// gives back; all together leave exactly the share of what remains); a pending
/// award is repriced instead (rejected when nothing remains). `None` when there
/// is nothing to do (`ToTotal`, `UpTo`, `GiveBack`); the owner's refunds answer 409.
pub async fn refund_purchase(
    db: &D1Database,
    account_id: &str,
    purchase_id: &str,
    req: RefundRequest<'_>,
) -> ApiResult<Option<Refunded>> {
    for _ in 0..3 {
        match try_refund(db, account_id, purchase_id, &req).await? {
            Attempt::Done(r) => return Ok(Some(*r)),
            Attempt::Nothing => return Ok(None),
            Attempt::Raced => continue,
        }
    }
    Err(ApiError::conflict("The purchase changed while the refund was applied; try again"))
}

/// Stripe's `charge.dispute.closed` won: gives back what the dispute `dispute_id`
/// took, once (key `<dispute_id>:won`). `None` when that dispute was never recorded
/// against the purchase or gives nothing back.
pub async fn dispute_won(
    db: &D1Database,
    account_id: &str,
    purchase_id: &str,
    dispute_id: &str,
    source: Source,
) -> ApiResult<Option<Refunded>> {
    let Some(dispute) = db::first::<RefundRow>(db::refunds::select_by_key(db, purchase_id, dispute_id)?).await? else {
        return Ok(None);
    };
    if dispute.kind != RefundKind::Dispute {
        return Ok(None);
    }
    let key = [dispute_id, ":won"].concat();
    let req = RefundRequest {
        key: &key,
        kind: RefundKind::DisputeWon,
        amount: RefundAmount::GiveBack(dispute.amount),
        source,
    };
    refund_purchase(db, account_id, purchase_id, req).await
}

/// Stripe told which payment intent paid a subscription's invoice: the
/// purchase of that invoice keeps it (once), so its disputes, which name only
/// the payment intent, find it. Answers the purchase linked now, if any.
pub async fn link_invoice_payment(
    db: &D1Database,
    contest_id: &str,
    invoice: &str,
    payment_intent: &str,
) -> ApiResult<Option<String>> {
    Ok(db::purchases::link_payment_intent(db, contest_id, invoice, payment_intent).await?.map(|l| l.id))
}

enum Attempt {
    Done(Box<Refunded>),
    Nothing,
    /// A concurrent refund moved the refunded total first: read again.
    Raced,
}

async fn try_refund(
    db: &D1Database,
    account_id: &str,
    purchase_id: &str,
    req: &RefundRequest<'_>,
) -> ApiResult<Attempt> {
    let purchase: PurchaseRow = db::first(db::purchases::select_by_id(db, purchase_id)?)
        .await?
        .ok_or_else(|| ApiError::not_found("Purchase not found"))?;
    if let Some(existing) = db::first::<RefundRow>(db::refunds::select_by_key(db, purchase_id, req.key)?).await? {
        return Ok(Attempt::Done(Box::new(Refunded {
            refund: existing,
            purchase,
            applied: false,
            events: Vec::new(),
        })));
    }
    let before = TakenBack { refunds: purchase.refunds_total, disputed: purchase.disputed_amount };
    let (part, after) = match refunds::plan(purchase.amount, before, req.amount) {
        Plan::Apply { part, after } => (part, after),
        Plan::Nothing => return Ok(Attempt::Nothing),
        Plan::FullyRefunded => return Err(ApiError::conflict("Purchase is already fully refunded")),
        Plan::OverRemaining => return Err(ApiError::conflict("amount exceeds what remains refundable")),
    };
    let (taken_before, taken_after) = (before.total(purchase.amount), after.total(purchase.amount));
    let award: Option<AwardRow> = db::ledger::live_purchase_award(db, &purchase.id).await?;
    let rid = platform::new_id("rf");
    let now = platform::now_iso();
    // The award's share is of its full points (`points_awarded`): an award confirmed
    // after a refund already holds only what remained then.
    let full = purchase.points_awarded;
    let confirmed = award.as_ref().filter(|a| a.status == AwardStatus::Confirmed);
    let (taken, given) = match confirmed {
        Some(_) => (
            refund_points(full, purchase.amount, taken_before, taken_after),
            refund_points(full, purchase.amount, taken_after, taken_before),
        ),
        None => (0, 0),
    };
    let mut statements: Vec<D1PreparedStatement> = vec![
        db::refunds::insert(
            db,
            &NewRefund {
                id: &rid,
                contest_id: &purchase.contest_id,
                purchase_id: &purchase.id,
                refund_key: req.key,
                kind: req.kind,
                amount: part,
                points: taken.max(given),
                source: req.source,
                created_at: &now,
            },
            &db::refunds::Seen {
                amount: purchase.amount,
                points_awarded: purchase.points_awarded,
                refunds_total: purchase.refunds_total,
                disputed_amount: purchase.disputed_amount,
                status: purchase.status,
            },
        )?,
        db::purchases::set_taken_back(db, &purchase.id, &rid, after)?,
    ];
    match &award {
        Some(a) if a.status == AwardStatus::Confirmed && taken != given => {
            let change = Award {
                entry_id: &a.entry_id,
                contest_id: &purchase.contest_id,
                delta: given - taken,
                reason: Reason::PurchaseRefund,
                ref_id: &rid,
                note: Some(&purchase.order_id),
                created_at: &now,
                hold: None,
                confirm_after: None,
            };
            statements.extend(db::ledger::award(db, &change, Guard::RefundRecorded(&rid))?);
        }
        Some(a) if a.status == AwardStatus::Pending => {
            let left = full - refund_points(full, purchase.amount, 0.0, taken_after);
            statements.push(db::ledger::reprice_pending(db, a.id, left, &rid, &now)?);
            statements.push(db::ledger::recompute_total(db, &a.entry_id, &now)?);
        }
        _ => {}
    }
    // A won dispute is told by its award's change (`award.created`), not as a refund.
    if req.kind != RefundKind::DisputeWon {
        let event = OutboxEvent::new(account_id, EventType::PurchaseRefunded, &purchase.id, &now);
        statements.push(db::outbox::record(db, &event, Guard::RefundRecorded(&rid))?);
    }
    statements.push(db::refunds::select_by_key(db, &purchase.id, req.key)?);
    statements.push(db::purchases::select_by_id(db, &purchase.id)?);
    let mut results = db::batch(db, statements).await?;
    let events = db::outbox::written_in(&results)?;
    let purchase: PurchaseRow = last_row(results.split_off(results.len() - 1), "purchase")?;
    let Some(refund) = results.last().map(db::first_of::<RefundRow>).transpose()?.flatten() else {
        return Ok(Attempt::Raced);
    };
    let applied = refund.id == rid;
    Ok(Attempt::Done(Box::new(Refunded { refund, purchase, applied, events })))
}

/// The owner's review: confirms and rejects pending awards of a contest, in one
/// batch. Returns how many rows moved; rows not pending are left as they are.
/// Also answers the webhook events the batch wrote (`award.confirmed`/`rejected`).
pub async fn review_awards(
    db: &D1Database,
    contest_id: &str,
    confirm: &[i64],
    reject: &[i64],
) -> ApiResult<(u64, Vec<String>)> {
    let now = platform::now_iso();
    let mut statements = Vec::with_capacity(SETTLE_STEP * (confirm.len() + reject.len()));
    let moves = confirm
        .iter()
        .map(|id| (*id, AwardStatus::Confirmed))
        .chain(reject.iter().map(|id| (*id, AwardStatus::Rejected)));
    for (id, to) in moves {
        statements.push(db::ledger::review(db, id, contest_id, to, &now)?);
        statements.extend(settled(db, id, contest_id, to, &now)?);
    }
    if statements.is_empty() {
        return Ok((0, Vec::new()));
    }
    let results = db::batch(db, statements).await?;
    // One-row updates: count the rows that moved, not D1's changes (which count triggers' too).
    let moved = results.iter().step_by(SETTLE_STEP).filter(|r| db::changed(r)).count() as u64;
    Ok((moved, db::outbox::written_in(&results)?))
}

/// Statements per award a review or the sweep moves: the move, then `settled`'s.
const SETTLE_STEP: usize = 6;

/// What follows an award this batch (`now`) moved to `to`, in the same batch:
/// its entry's totals, its link (a referral's: confirmed, a held link counts;
/// rejected, the link goes), the friend's referee reward a confirmed referral
/// earns, and the webhook event.
fn settled(
    db: &D1Database,
    id: i64,
    contest_id: &str,
    to: AwardStatus,
    now: &str,
) -> ApiResult<[D1PreparedStatement; SETTLE_STEP - 1]> {
    let [reward, reward_event] = db::rewards::earn_referee(db, Friend::OfAward(id), now)?;
    Ok([
        db::ledger::recompute_for_award(db, id, contest_id, now)?,
        db::entries::settle_link(db, id, now)?,
        reward,
        reward_event,
        db::outbox::award_settled(db, id, to, now)?,
    ])
}

/// The scheduled sweep: pending awards whose `holdDays` passed confirm
/// themselves (review and velocity holds only; fraud holds never do).
/// Bounded per run; the next run takes the rest.
pub async fn confirm_due_holds(db: &D1Database) -> ApiResult<(u64, Vec<String>)> {
    const BATCH: u32 = 100;
    let mut confirmed = 0;
    let mut events = Vec::new();
    for _ in 0..10 {
        let now = platform::now_iso();
        let due = db::ledger::due(db, &now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let mut statements = Vec::with_capacity(SETTLE_STEP * due.len());
        for award in &due {
            statements.push(db::ledger::confirm_due(db, award.id, &now)?);
            statements.extend(settled(db, award.id, &award.contest_id, AwardStatus::Confirmed, &now)?);
        }
        let results = db::batch(db, statements).await?;
        confirmed += results.iter().step_by(SETTLE_STEP).filter(|r| db::changed(r)).count() as u64;
        events.extend(db::outbox::written_in(&results)?);
        if (due.len() as u32) < BATCH {
            break;
        }
    }
    Ok((confirmed, events))
}

/// Joins `contest` from a validated signup (referral endpoint, signup
/// webhook, v1 entries). `ip_hash` is the browser's hashed address when a
/// tracker signup is screened: its fraud score and the advocate's velocity.
/// Two round trips: what it reads (one batch), then what it writes.
pub async fn signup(
    db: &D1Database,
    contest: &ContestRow,
    signup: &ValidSignup,
    source: Source,
    ip_hash: Option<&str>,
) -> ApiResult<Joined> {
    let code = signup.referral_code.as_deref();
    let reads = db::entries::signup_reads(db, &contest.id, code).await?;
    signup_with(db, contest, signup, source, ip_hash, reads).await
}

/// Signups and referrals are screened over the last hour.
pub fn screening_since() -> String {
    time::iso8601(platform::now_ms() - 3_600_000)
}

/// `signup` with what it reads already read (a handler that read the contest
/// in the same batch).
pub async fn signup_with(
    db: &D1Database,
    contest: &ContestRow,
    signup: &ValidSignup,
    source: Source,
    ip_hash: Option<&str>,
    reads: SignupReads,
) -> ApiResult<Joined> {
    let advocate = match &signup.referral_code {
        None => None,
        Some(_) if source == Source::Tracker => {
            // Anyone may type anyone's email with anyone's code here, so the
            // answer tells nothing about who owns a code: a disqualified
            // advocate's code is unknown (as track-visit says), and the owner's
            // own email is simply an email already in.
            match referrer_of(contest, reads.code_owner.clone(), &signup.email)? {
                Referrer::Live(advocate) => Some(advocate),
                Referrer::Disqualified => return Err(ApiError::UnknownReferralCode),
                Referrer::Themselves(entry) => return Ok(Joined::existing(entry)),
            }
        }
        Some(_) => Some(live_advocate(referrer_of(contest, reads.code_owner.clone(), &signup.email)?)?),
    };
    join_contest(
        db,
        contest,
        Join {
            name: signup.name.as_deref(),
            screening: ip_hash,
            ..Join::new(&signup.email, advocate.as_ref(), source)
        },
    )
    .await
}

/// Records a validated purchase in `contest`; the buyer is the entry of the
/// purchase's email unless the caller already knows it. Two round trips: what
/// it reads (one batch), then what it writes.
pub async fn purchase(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    p: &ValidPurchase,
    source: Source,
) -> ApiResult<Recorded> {
    let reads = db::entries::purchase_reads(db, &contest.id, p.email.normalized(), p.referral_code.as_deref()).await?;
    purchase_with(db, contest, buyer, p, source, reads).await
}

/// `purchase` with what it reads already read (a handler that read the
/// contest in the same batch).
pub async fn purchase_with(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    p: &ValidPurchase,
    source: Source,
    mut reads: PurchaseReads,
) -> ApiResult<Recorded> {
    let read_buyer = reads.buyer.take();
    let buyer = buyer.or(read_buyer.as_ref());
    let advocate = purchase_advocate(contest, buyer, &p.email, reads);
    record_purchase(
        db,
        contest,
        buyer,
        advocate,
        Purchase {
            email: &p.email,
            order_id: &p.order_id,
            amount: p.amount,
            currency: &p.currency,
            referral_code: p.referral_code.as_deref(),
            source,
            stripe: &p.stripe,
        },
    )
    .await
}

/// The owner's hand adjustment of an entry's points, once per `ref_id` (the
/// `Idempotency-Key`, else a fresh id). Within ± the contest's
/// `maxPointsPerAdjustment` (its setting, so 409 past it).
pub async fn adjust_points(
    db: &D1Database,
    entry: &EntryRow,
    points: i64,
    reason: &str,
    ref_id: &str,
) -> ApiResult<Adjusted> {
    let contest =
        db::contests::find(db, &entry.contest_id).await?.ok_or_else(|| ApiError::not_found("Contest not found"))?;
    let max = contest.max_points_per_adjustment;
    if !(-max..=max).contains(&points) {
        let mut m = String::from("points must be between -");
        m.push_str(&max.to_string());
        m.push_str(" and ");
        m.push_str(&max.to_string());
        m.push_str(" (the contest's maxPointsPerAdjustment)");
        return Err(ApiError::Conflict(m));
    }
    let now = platform::now_iso();
    let award = Award {
        entry_id: &entry.id,
        contest_id: &entry.contest_id,
        delta: points,
        reason: Reason::Adjustment,
        ref_id,
        note: Some(reason),
        created_at: &now,
        hold: None,
        confirm_after: None,
    };
    let mut statements = db::ledger::award(db, &award, Guard::None)?.to_vec();
    statements.push(db::ledger::select_for_ref(db, &entry.id, Reason::Adjustment, ref_id)?);
    statements.push(db::entries::select_by_id(db, &entry.id)?);
    let results = db::batch(db, statements).await?;
    let n = results.len();
    let row: AwardRow =
        db::first_of(&results[n - 2])?.ok_or_else(|| ApiError::Internal("ledger row missing".into()))?;
    let entry: EntryRow = db::first_of(&results[n - 1])?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
    let events = db::outbox::written_in(&results)?;
    Ok(Adjusted { applied: db::changed(&results[0]), row, entry, events })
}

pub struct Adjusted {
    /// False when this `ref_id` was applied before (a retry).
    pub applied: bool,
    pub row: AwardRow,
    /// The entry after.
    pub entry: EntryRow,
    /// Webhook events the batch wrote: the handler sends them to the queue.
    pub events: Vec<String>,
}
