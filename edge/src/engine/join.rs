//! Joining a contest: a signup (referral endpoint, signup webhook, v1 entries,
//! campaigns' participants) adds an entry once per normalized email and, for a
//! referred one, awards both sides in the same batch. A trusted signup for an
//! email the browser claimed first takes that entry over.

use super::review::settled;
use super::{ensure_contest_open, Committed, Source};
use crate::db::contests::ContestRow;
use crate::db::entries::{EntryRow, NewEntry, SignupReads};
use crate::db::ledger::{Award, Guard, Reason};
use crate::db::outbox::Event as OutboxEvent;
use crate::db::rewards::Friend;
use crate::db::{self, Batch};
use crate::domain::confirm_token;
use crate::domain::email::Email;
use crate::domain::fraud;
use crate::domain::ids::EntryId;
use crate::domain::referral::{self, Candidate, Referrer, Refused};
use crate::domain::screening::{self, Holds, Outcomes, Rules};
use crate::domain::time;
use crate::domain::trust::{confirm_after, status_of, AwardStatus, Hold};
use crate::domain::webhooks::EventType;
use crate::error::{ApiError, ApiResult, Unique};
use crate::platform;
use worker::D1Database;

/// A validated signup, whatever surface it came from.
pub struct Signup {
    pub email: Email,
    pub name: Option<String>,
    pub referral_code: Option<String>,
}

impl Candidate for EntryRow {
    fn email(&self) -> &str {
        &self.email
    }
    fn is_disqualified(&self) -> bool {
        EntryRow::is_disqualified(self)
    }
}

fn refused(why: Refused) -> ApiError {
    match why {
        Refused::ReferralsOff => ApiError::conflict("Referrals are disabled for this contest"),
        Refused::UnknownCode => ApiError::UnknownReferralCode,
    }
}

fn referrer_of(contest: &ContestRow, owner: Option<EntryRow>, friend: &Email) -> ApiResult<Referrer<EntryRow>> {
    referral::referrer_of(contest.referral_enabled, owner, friend.normalized()).map_err(refused)
}

/// The live advocate, or the error a trusted signup through their code gets.
fn live_advocate(referrer: Referrer<EntryRow>) -> ApiResult<EntryRow> {
    referral::live_advocate(referrer).map_err(ApiError::conflict)
}

/// The live advocate owning `code`, or the error a trusted signup through it gets.
pub async fn advocate_for_signup(
    db: &D1Database,
    contest: &ContestRow,
    code: &str,
    friend: &Email,
) -> ApiResult<EntryRow> {
    if !contest.referral_enabled {
        return Err(refused(Refused::ReferralsOff));
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

    fn rules(contest: &ContestRow) -> Rules {
        Rules {
            referral_awards: contest.referral_awards,
            hold_days: contest.hold_days,
            advocate_points: contest.advocate_points,
        }
    }

    fn signup(&self) -> screening::Signup<'_> {
        screening::Signup {
            email: self.email.normalized(),
            advocate_email: self.advocate.map(|a| a.email.as_str()),
            screened: self.screening.is_some(),
            trusted: self.source.is_trusted(),
        }
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
    /// The `confirm` message this signup queued (double opt-in), to hand to
    /// the email queue once the batch is committed.
    pub confirm_email: Option<String>,
}

impl Joined {
    /// The email already had this entry: nothing was written or awarded.
    fn existing(entry: EntryRow) -> Self {
        Self { entry, created: false, advocate_points: 0, friend_points: 0, award_status: None, confirm_email: None }
    }
}

/// Signups and referrals are screened over the last hour.
pub fn screening_since() -> String {
    time::iso8601(platform::now_ms() - 3_600_000)
}

/// Joins `contest` from a validated signup (referral endpoint, signup
/// webhook, v1 entries). `ip_hash` is the browser's hashed address when a
/// tracker signup is screened: its fraud score and the advocate's velocity.
/// Two round trips: what it reads (one batch), then what it writes.
pub async fn signup(
    db: &D1Database,
    contest: &ContestRow,
    signup: &Signup,
    source: Source,
    ip_hash: Option<&str>,
) -> ApiResult<Committed<Joined>> {
    let code = signup.referral_code.as_deref();
    let reads = db::entries::signup_reads(db, &contest.id, code).await?;
    signup_with(db, contest, signup, source, ip_hash, reads).await
}

/// `signup` with what it reads already read (a handler that read the contest
/// in the same batch).
pub async fn signup_with(
    db: &D1Database,
    contest: &ContestRow,
    signup: &Signup,
    source: Source,
    ip_hash: Option<&str>,
    reads: SignupReads,
) -> ApiResult<Committed<Joined>> {
    let advocate = match &signup.referral_code {
        None => None,
        Some(_) if source == Source::Tracker => {
            // Anyone may type anyone's email with anyone's code here, so the
            // answer tells nothing about who owns a code: a disqualified
            // advocate's code is unknown (as track-visit says), and the owner's
            // own email is simply an email already in.
            match referrer_of(contest, reads.code_owner, &signup.email)? {
                Referrer::Live(advocate) => Some(advocate),
                Referrer::Disqualified => return Err(ApiError::UnknownReferralCode),
                Referrer::Themselves(entry) => return Ok(Committed::without_events(Joined::existing(entry))),
            }
        }
        Some(_) => Some(live_advocate(referrer_of(contest, reads.code_owner, &signup.email)?)?),
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

/// Adds a participant (once per normalized email) and, for a referred one,
/// awards both sides in the same batch. A trusted signup for an email the
/// browser claimed first takes that entry over (`take_over`).
pub async fn join_contest(db: &D1Database, contest: &ContestRow, join: Join<'_>) -> ApiResult<Committed<Joined>> {
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
    let j = joined.value();
    if !j.created && join.source.is_trusted() && j.entry.is_browser_claim() {
        // Nothing was written for an existing entry: no event is dropped here.
        let (existing, _) = joined.into_parts();
        return take_over(db, contest, existing.entry, &join).await;
    }
    Ok(joined)
}

/// The two awards of a referral of `friend_id` by `advocate`, held as the
/// contest's rules say; each written only if its guard holds.
fn referral_awards<'a>(
    contest: &'a ContestRow,
    advocate_id: &'a EntryId,
    friend_id: &'a EntryId,
    holds: Holds,
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

async fn try_join(db: &D1Database, contest: &ContestRow, join: &Join<'_>) -> ApiResult<Committed<Joined>> {
    let id = EntryId::new(platform::new_id("en"));
    let code = platform::new_referral_code();
    let now = platform::now_iso();
    let outcomes: Outcomes = screening::outcomes(&Join::rules(contest), &join.signup(), platform::now_ms());
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
        referred_by_entry_id: join.advocate.map(|a| &a.id),
        source: join.source,
        created_at: &now,
        first_name: join.first_name,
        last_name: join.last_name,
        signup_ip_hash: join.screening,
        fraud_score: None,
    };
    let mut batch = Batch::new();
    batch.push(match join.screening {
        Some(_) => db::entries::insert_screened(db, &new, &screen)?,
        None => db::entries::insert_if_new(db, &new)?,
    });
    // Double opt-in: an untrusted signup waits for its address (before its
    // awards, which it holds), and is sent the confirm message.
    let unconfirmed = contest.require_email_confirmation && !join.source.is_trusted();
    let confirm_email = platform::new_id("em");
    if unconfirmed {
        let confirm_by = confirm_token::deadline(contest.confirmation_days, platform::now_ms());
        batch.push(db::entries::await_confirmation(db, &id, &now, &confirm_by)?);
        batch.push(db::entries::enqueue_confirm(db, &confirm_email, &contest.id, &id, join.email.normalized(), &now)?);
    }
    if let Some(advocate) = join.advocate {
        // Unscreened, nothing is counted: the first outcome is the one.
        let uncounted = &outcomes.all[0];
        let due = (uncounted.due.0.as_deref(), uncounted.due.1.as_deref());
        let awards = referral_awards(contest, &advocate.id, &id, uncounted.holds, due, &now);
        for (award, screened) in awards.iter().zip([&outcomes.advocate, &outcomes.friend]) {
            if award.delta == 0 {
                continue;
            }
            let [insert, totals] = match join.screening {
                Some(_) => db::ledger::award_screened(db, award, screened, &id, Guard::EntryCreated(&id))?,
                None => db::ledger::award(db, award, Guard::EntryCreated(&id))?,
            };
            batch.push(insert);
            if unconfirmed {
                // Held before its totals count it, so nothing is earned meanwhile.
                batch.push(db::ledger::hold_unconfirmed(db, award.entry_id, award.reason, award.ref_id, &id)?);
            }
            batch.push(totals);
        }
        // The friend's money follows the referral: earned now only if it
        // stands now (not held), else by the batch that confirms it.
        batch.extend(db::rewards::earn_referee(db, Friend::Entry(&id), &now)?);
    }
    // The webhook events of a new entry (and of its referral), written only
    // if the entry was.
    let mut kinds = vec![EventType::EntryCreated];
    if join.advocate.is_some() {
        kinds.push(EventType::ReferralCreated);
    }
    for kind in &kinds {
        let event = OutboxEvent::new(&contest.account_id, *kind, &id, &now);
        batch.push(db::outbox::record(db, &event, Guard::EntryCreated(&id))?);
    }
    let entry = batch.push(db::entries::select_by_email(db, &contest.id, join.email.normalized())?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    let entry: EntryRow = entry.first(&results)?.ok_or_else(|| missing("entry"))?;
    let created = entry.id == id;
    // The holds the batch chose, by what it counted (its own entry's record).
    let counted = entry.screen_counts.and_then(|k| usize::try_from(k).ok()).unwrap_or(0);
    let holds = match entry.email_confirmation.as_deref() {
        Some("pending") if created => (Some(Hold::EmailUnconfirmed), Some(Hold::EmailUnconfirmed)),
        _ => outcomes.chosen(counted).holds,
    };
    let waiting = created && entry.email_confirmation.as_deref() == Some("pending");
    let mut joined = joined(entry, created, created && join.advocate.is_some(), contest, holds);
    joined.confirm_email = waiting.then_some(confirm_email);
    Ok(Committed::new(joined, events))
}

fn missing(what: &str) -> ApiError {
    ApiError::Internal([what, " missing after write"].concat())
}

fn joined(entry: EntryRow, created: bool, referred: bool, contest: &ContestRow, holds: Holds) -> Joined {
    let confirmed = |points: i64, hold: Option<_>| if referred && hold.is_none() { points } else { 0 };
    Joined {
        advocate_points: confirmed(contest.advocate_points, holds.0),
        friend_points: confirmed(contest.friend_points, holds.1),
        award_status: referred.then(|| status_of(holds.0)),
        confirm_email: None,
        created,
        entry,
    }
}

/// A trusted signup for an entry the browser made: the entry becomes the
/// trusted source's. When the trusted report names another advocate, the
/// browser's referral awards are rejected and the trusted ones written, in one
/// batch; without an advocate, the browser's attribution stands.
async fn take_over(
    db: &D1Database,
    contest: &ContestRow,
    entry: EntryRow,
    join: &Join<'_>,
) -> ApiResult<Committed<Joined>> {
    let now = platform::now_iso();
    let old = entry.referred_by_entry_id.as_ref();
    let new = join.advocate.map(|a| &a.id).or(old);
    let reattributed = new != old;
    // A trusted source vouches for the address: a waiting entry is confirmed
    // (its awards still held for it take the holds the rules gave them).
    let vouched = entry.email_confirmation.as_deref() == Some("pending");
    let held = if vouched { db::ledger::held_awards(db, &entry.id).await? } else { Vec::new() };
    let mut batch = Batch::new();
    let took_over = batch.push(db::entries::take_over(db, &entry.id, old, new, join.source, join.name, &now)?);
    // A trusted signup: nothing is counted.
    let trusted = screening::uncounted(&Join::rules(contest), &join.signup(), platform::now_ms());
    let holds = trusted.holds;
    if reattributed {
        if let Some(old) = old {
            batch.push(db::ledger::reject_referral_awards(db, &entry.id, old, &now)?);
            batch.push(db::ledger::recompute_total(db, old, &now)?);
        }
        if let Some(new) = new {
            let due = (trusted.due.0.as_deref(), trusted.due.1.as_deref());
            let awards = referral_awards(contest, new, &entry.id, holds, due, &now);
            for award in awards.iter().filter(|a| a.delta != 0) {
                batch.extend(db::ledger::award(db, award, Guard::Attributed)?);
            }
        }
        batch.push(db::ledger::recompute_total(db, &entry.id, &now)?);
        // The trusted referral earns the friend's money, unless they had it already.
        batch.extend(db::rewards::earn_referee(db, Friend::Entry(&entry.id), &now)?);
    }
    if vouched {
        batch.push(db::entries::confirm(db, &entry.id, &now)?);
        let due = confirm_after(Some(Hold::Review), contest.hold_days, platform::now_ms());
        for award in &held {
            batch.push(db::ledger::release(db, award.id, &now, due.as_deref(), &entry.id)?);
            batch.extend(settled(db, award.id, &award.contest_id, &now)?);
        }
        batch.extend(db::rewards::earn_referee(db, Friend::Entry(&entry.id), &now)?);
    }
    let after = batch.push(db::entries::select_by_id(db, &entry.id)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let took_over = took_over.changed(&results)?;
    let events = db::outbox::written_in(&results)?;
    let entry: EntryRow = after.first(&results)?.ok_or_else(|| missing("entry"))?;
    let joined = joined(entry, false, took_over && reattributed && new.is_some(), contest, holds);
    Ok(Committed::new(joined, events))
}
