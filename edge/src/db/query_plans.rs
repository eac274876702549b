//! The statements of the hot paths, by name, as the very text the worker sends
//! (the SQL items of each module, not copies). `test/api/schema.spec.ts` asks D1
//! for the query plan of each one (an index, no full scan, no sort for an
//! ordered page); it reads them from `edge/sql/hot-queries.json`, which the test
//! below keeps equal to this list. After changing a query:
//! `UPDATE_HOT_QUERIES=1 cargo test -p edge hot_queries` rewrites the file.

use super::entries::{EntryOrder, SearchIn};
use super::guard::Guard;
use super::{
    accounts, bonus, contests, draws, email_templates, emails, entries, ledger, outbox, participants, payouts, prizes,
    purchases, record, refunds, rewards, standings, stats, visits, webhooks,
};
use crate::domain::spring_pages::SortField;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct HotQuery {
    name: String,
    sql: String,
}

fn hot_queries() -> Vec<HotQuery> {
    let guarded = |guard: Guard| guard.condition(8).0;
    let event_guard = |guard: Guard| guard.condition(6).0;
    let list: Vec<(&str, String)> = vec![
        // accounts
        ("key lookup", accounts::FIND_ACTIVE_KEY.into()),
        ("participant token's account", accounts::TOKEN_SECRET_OF_ENTRY.into()),
        ("participant-token secret of a contest", accounts::TOKEN_SECRET_OF_CONTEST.into()),
        // contests
        ("contest by owner", contests::owned_sql()),
        ("contest by id", contests::by_id_sql()),
        ("contest of an entry", contests::of_entry_sql()),
        ("contests of an account", contests::list_owned_sql()),
        ("contests of an account, count", contests::COUNT_OWNED.into()),
        // entries
        ("entry by code", entries::by_code_sql()),
        ("entry by email", entries::by_email_sql()),
        ("entry by id", entries::by_id_sql()),
        ("entry by owner", entries::owned_sql()),
        ("referrer of a code", entries::FIND_REFERRER.into()),
        ("entries page", entries::lists::list_sql(EntryOrder::Joined, None)),
        ("entries page, newest first", entries::lists::list_sql(EntryOrder::JoinedDesc, None)),
        ("entries page, by points", entries::lists::list_sql(EntryOrder::Points, None)),
        ("entries page, by email", entries::lists::list_sql(EntryOrder::Email, None)),
        ("entries search", entries::lists::list_sql(EntryOrder::Joined, Some(SearchIn::EmailNameCode))),
        ("entries search, by points", entries::lists::list_sql(EntryOrder::Points, Some(SearchIn::EmailNameCode))),
        ("entries search, count", entries::lists::search_count_sql(SearchIn::EmailNameCode)),
        ("entries search of names and codes", entries::lists::list_sql(EntryOrder::Joined, Some(SearchIn::NameCode))),
        ("entries search of names and codes, count", entries::lists::search_count_sql(SearchIn::NameCode)),
        ("entries of a contest, count", contests::ENTRY_COUNT.into()),
        ("entries after one (keyset page)", entries::lists::after_sql(EntryOrder::Joined, None)),
        ("entries after one, newest first", entries::lists::after_sql(EntryOrder::JoinedDesc, None)),
        ("entries after one, by points", entries::lists::after_sql(EntryOrder::Points, None)),
        ("entries after one, by email", entries::lists::after_sql(EntryOrder::Email, None)),
        ("entries search after one", entries::lists::after_sql(EntryOrder::Joined, Some(SearchIn::EmailNameCode))),
        ("an entry of a contest", entries::lists::IN_CONTEST.into()),
        ("leaderboard", entries::lists::leaderboard_sql()),
        ("rank on the leaderboard", entries::lists::RANK.into()),
        // Counted inside the tracker signup's insert (`entries::signup::insert_screened_sql`).
        ("signups from one address", ["SELECT ", entries::signup::BUSY_ADDRESS].concat()),
        ("referrals of an advocate this hour", ["SELECT ", entries::signup::OVER_VELOCITY].concat()),
        ("settle the link of a reviewed award", entries::SETTLE_LINK.into()),
        ("the referrer of a buyer (by email)", entries::signup::buyers_referrer_sql()),
        ("does the contest exist", entries::CONTEST_EXISTS.into()),
        ("trusted takeover of a browser-made entry", entries::signup::TAKE_OVER.into()),
        ("disqualify or reinstate an entry", entries::SET_DISQUALIFIED.into()),
        ("an entry's profile", entries::UPDATE_PROFILE.into()),
        // participants
        ("participant by email", participants::by_email_sql()),
        ("participants page, joined first", participants::page_sql(SortField::JoinedAt, false)),
        ("participants page, joined last", participants::page_sql(SortField::JoinedAt, true)),
        ("participants page, by email", participants::page_sql(SortField::Email, false)),
        ("participants page, by email descending", participants::page_sql(SortField::Email, true)),
        ("referrals page", participants::referrals_sql()),
        ("referrals page, count", participants::COUNT_REFERRALS.into()),
        ("qualify a participant", participants::QUALIFY.into()),
        // ledger
        ("award of a new entry", ledger::awards::insert_sql(&guarded(Guard::EntryCreated("")))),
        ("award of a recorded purchase", ledger::awards::insert_sql(&guarded(Guard::PurchaseRecorded("")))),
        ("award of a verified completion", ledger::awards::insert_sql(&guarded(Guard::CompletionVerified("")))),
        ("award of a recorded refund", ledger::awards::insert_sql(&guarded(Guard::RefundRecorded("")))),
        ("award of the current attribution", ledger::awards::insert_sql(&guarded(Guard::Attributed))),
        ("award of a screened signup", ledger::awards::insert_screened_sql(&guarded(Guard::EntryCreated("")))),
        ("recompute an entry's totals", ledger::totals::recompute_total_sql()),
        ("recompute the entries of an order's awards", ledger::totals::recompute_for_order_sql()),
        ("recompute the referrer", ledger::totals::recompute_referrer_of_sql()),
        ("recompute the entry of an award", ledger::totals::recompute_for_award_sql()),
        ("award by id", ledger::rows::award_sql()),
        ("award by owner", ledger::rows::owned_sql()),
        ("review queue", ledger::rows::contest_page_of_status_sql()),
        ("review queue, count", ledger::rows::COUNT_OF_STATUS.into()),
        ("all awards of a contest", ledger::rows::contest_page_sql()),
        ("all awards of a contest, count", ledger::rows::COUNT_IN_CONTEST.into()),
        ("ledger page of an entry", ledger::rows::entry_page_sql()),
        ("ledger page of an entry, count", ledger::rows::COUNT_OF_ENTRY.into()),
        ("award of an entry for a cause", ledger::rows::for_ref_sql()),
        ("live award of a purchase", ledger::rows::live_purchase_award_sql()),
        ("due holds", ledger::settle::DUE.into()),
        ("award of a verified purchase", ledger::awards::VERIFIED_PURCHASE_AWARD.into()),
        ("reject the claim's purchase awards", ledger::settle::REJECT_SUPERSEDED_PURCHASE_AWARDS.into()),
        ("confirm an advocate's award on purchase", ledger::settle::CONFIRM_ON_PURCHASE.into()),
        ("reject the browser's referral awards", ledger::settle::REJECT_REFERRAL_AWARDS.into()),
        ("review an award", ledger::settle::REVIEW.into()),
        ("reprice a pending award", ledger::settle::REPRICE_PENDING.into()),
        ("confirm a due award", ledger::settle::CONFIRM_DUE.into()),
        // double opt-in (migrations/0025)
        ("hold an award for its address", ledger::unconfirmed::HOLD_UNCONFIRMED.into()),
        ("awards held for an address", ledger::unconfirmed::HELD_FOR.into()),
        ("release an award held for its address", ledger::unconfirmed::RELEASE.into()),
        ("reject an award held for its address", ledger::unconfirmed::REJECT_UNCONFIRMED.into()),
        ("await an address", entries::confirmation::AWAIT_CONFIRMATION.into()),
        ("confirm an address", entries::confirmation::CONFIRM.into()),
        ("expire an address", entries::confirmation::EXPIRE.into()),
        ("unconfirmed entries past their time", entries::confirmation::DUE.into()),
        ("an entry's confirmation state", entries::confirmation::CONFIRMATION_STATE.into()),
        ("queue the confirm message", entries::confirmation::ENQUEUE_CONFIRM.into()),
        // purchases and refunds
        ("purchase by order", purchases::by_order_sql()),
        ("purchase by id", purchases::by_id_sql()),
        ("purchase by owner", purchases::owned_sql()),
        ("purchase by payment intent", purchases::by_payment_intent_sql()),
        ("purchase by invoice", purchases::by_invoice_sql()),
        ("payment intent of an invoice's purchase", purchases::LINK_PAYMENT_INTENT.into()),
        ("purchases page", purchases::page_sql()),
        ("purchases page, count", purchases::COUNT_IN_CONTEST.into()),
        ("purchases of a status", purchases::page_of_status_sql()),
        ("purchases of a status, count", purchases::COUNT_OF_STATUS.into()),
        ("refund by key", refunds::BY_KEY.into()),
        ("what a refund took back of its purchase", purchases::SET_TAKEN_BACK.into()),
        ("refund of an unchanged purchase", refunds::INSERT_IF_MATCHING.into()),
        // rewards
        ("reward of a qualifying event", rewards::earn_sql(&guarded(Guard::QualifiedBy("")))),
        ("referee reward of an entry", rewards::earn_referee_sql("?1")),
        ("referee reward of a confirmed award", rewards::earn_referee_sql(&rewards::friend_of_award("?1", "?2"))),
        ("redemption within the balance", rewards::REDEEM.into()),
        ("redemption by cause", rewards::REDEMPTION.into()),
        // payouts (the payout's own inserts and read-back walk the request's ids
        // with `json_each`, which the no-scan rule would take for a table scan)
        ("payouts export page", payouts::OWED_PAGE.into()),
        // Planned without its `COUNT(*)` wrapper, whose scan of these grouped rows the
        // no-scan rule would take for a table scan.
        ("payouts export, owed entries (counted)", payouts::OWED_ENTRIES.into()),
        ("payout by reference", payouts::FIND.into()),
        // bonus actions
        ("live action", bonus::live_sql()),
        ("live action of an entry's contest", bonus::live_of_entry_sql()),
        ("actions of a contest", bonus::live_in_order_sql()),
        ("completion", bonus::COMPLETION.into()),
        ("completions of an entry", bonus::COMPLETIONS_OF_ENTRY.into()),
        ("wrong quiz answers in the window", bonus::MISSES.into()),
        ("completions to review", bonus::REVIEW_PAGE.into()),
        ("completions to review, count", bonus::REVIEW_COUNT.into()),
        ("review a completion", bonus::REVIEW_COMPLETION.into()),
        ("completion insert of a live action", bonus::INSERT_COMPLETION.into()),
        ("completion by id", bonus::COMPLETION_BY_ID.into()),
        ("forget old wrong answers", bonus::FORGET_OLD_MISSES.into()),
        ("a wrong answer within the window", bonus::RECORD_MISS.into()),
        // stats and visits
        ("a contest's days (kept by triggers)", stats::DAYS.into()),
        ("participants export page", entries::lists::export_page_sql()),
        ("purchases export page", purchases::export_page_sql()),
        ("ledger export page", ledger::rows::export_page_sql()),
        ("a contest's revenue by day (kept by triggers)", stats::DAY_REVENUE.into()),
        ("a contest's totals (kept by triggers)", stats::TOTALS.into()),
        ("revenue", stats::REVENUE.into()),
        ("the funnel's referred purchases", stats::REFERRED_PURCHASES.into()),
        ("what a contest's setup has seen (the checklist)", stats::SEEN.into()),
        ("the widget's first call", contests::MARK_WIDGET_SEEN.into()),
        ("visit insert (the visits queue's consumer, one per visit)", visits::RECORD_IF_LIVE.into()),
        ("a code's state for track-visit (on a cache miss)", visits::CODE_STATE.into()),
        // webhook events and deliveries. An event insert's `listened_to` walks an
        // endpoint's `events` array with `json_each` (`SCAN json_each VIRTUAL TABLE`: that
        // array, never a table), which the schema test allows; a table scan it refuses.
        ("event of a new entry", outbox::record::record_sql(&event_guard(Guard::EntryCreated("")))),
        ("event of a recorded purchase", outbox::record::record_sql(&event_guard(Guard::PurchaseRecorded("")))),
        ("event of a verified completion", outbox::record::record_sql(&event_guard(Guard::CompletionVerified("")))),
        ("event of a recorded refund", outbox::record::record_sql(&event_guard(Guard::RefundRecorded("")))),
        ("event of a disqualification", outbox::record::record_sql(&event_guard(Guard::None))),
        (
            "event of a purchase verified by this batch",
            outbox::record::record_for_order_sql(&Guard::PurchaseVerifiedBy("").condition(7).0),
        ),
        ("event of a new award (0027's trigger)", trigger_statement("0027_award_events.sql", "ledger_award_created")),
        (
            "event of a settled award (0027's trigger)",
            trigger_statement("0027_award_events.sql", "ledger_award_settled"),
        ),
        ("event of a reward", outbox::record::reward_event_sql()),
        ("event of an entry's referee reward", outbox::record::referee_reward_event_sql("?4")),
        (
            "event of a confirmed award's referee reward",
            outbox::record::referee_reward_event_sql(&rewards::friend_of_award("?4", "?3")),
        ),
        ("event of a test ping", outbox::record::record_ping_sql()),
        ("event by id", outbox::fan_out::EVENT.into()),
        ("reward by id (an event's subject)", outbox::fan_out::REWARD.into()),
        ("keep an event's body", outbox::fan_out::KEEP_BODY.into()),
        ("events never fanned out", outbox::fan_out::WAITING_EVENTS.into()),
        ("forget old deliveries", outbox::fan_out::FORGET_DELIVERIES.into()),
        ("forget old events", outbox::fan_out::FORGET_EVENTS.into()),
        ("delivery with its endpoint and body", outbox::deliveries::DELIVERY_JOB.into()),
        ("record a delivery attempt", outbox::deliveries::ATTEMPT.into()),
        ("an endpoint's failures reset", outbox::deliveries::RESET_FAILURES.into()),
        ("an endpoint's failure in a row", outbox::deliveries::FAILED_FOR_GOOD.into()),
        ("give a delivery up", outbox::deliveries::GIVE_UP.into()),
        ("delivery by owner", outbox::deliveries::OWNED_DELIVERY.into()),
        ("restart a delivery", outbox::deliveries::RESTART.into()),
        ("endpoint of a test ping", outbox::record::PING_TARGET.into()),
        // the end of a contest (the page insert itself sorts the union of its
        // four arms, at most four pages of rows: each arm is planned here)
        ("end a contest", standings::END.into()),
        ("note a contest's end", standings::NOTICE_END.into()),
        ("contests whose end is not noted", standings::UNNOTICED_ENDS.into()),
        ("contests to finalize by their setting", standings::AUTO_FINALIZE.into()),
        ("finalizing contests that stalled", standings::STALLED.into()),
        ("pending awards of a contest", standings::PENDING.into()),
        ("start finalizing", standings::START.into()),
        ("a finalize run's touch", standings::TOUCH.into()),
        ("the last ranked place", standings::LAST_RANKED.into()),
        ("standings: the first page", standings::arm_sql("")),
        ("standings after: same points, reached, join", standings::arm_sql(standings::AFTER[0])),
        ("standings after: same points, reached", standings::arm_sql(standings::AFTER[1])),
        ("standings after: same points", standings::arm_sql(standings::AFTER[2])),
        ("standings after: fewer points", standings::arm_sql(standings::AFTER[3])),
        ("rank prize awards", standings::RANK_AWARDS.into()),
        ("contest finalized", standings::FINALIZED.into()),
        ("standings page", standings::STANDINGS_PAGE.into()),
        ("standings count", standings::STANDINGS_COUNT.into()),
        ("results: prizes", standings::RESULT_PRIZES.into()),
        // the public record (issue 25)
        ("standings bytes: a page of places", record::STANDING_LINES.into()),
        ("publish the standings' hash", record::SET_STANDINGS_HASH.into()),
        ("results: the standings' hash", record::STANDINGS_HASH.into()),
        ("audit: adjustments", record::AUDIT_ADJUSTMENTS.into()),
        ("audit: rejections", record::AUDIT_REJECTIONS.into()),
        ("audit: disqualifications", record::AUDIT_DISQUALIFICATIONS.into()),
        ("an entry's final standing", record::FINAL_STANDING.into()),
        // webhook endpoints
        ("webhook endpoint by owner", webhooks::owned_sql()),
        ("webhook endpoints page", webhooks::page_sql()),
        ("webhook endpoints of an account, count", webhooks::COUNT_OWNED.into()),
        ("webhook deliveries page", webhooks::DELIVERIES_PAGE.into()),
        ("webhook deliveries page, count", webhooks::COUNT_DELIVERIES.into()),
        // prizes (issue 24)
        ("prize by owner", prizes::owned_sql()),
        ("prize award by owner", prizes::awards::owned_award_sql()),
        ("prize award by id (an event's subject)", prizes::awards::award_sql()),
        ("events a batch's triggers wrote", outbox::TRIGGERED_EVENTS_AT.into()),
        ("milestones of an entry's contest", prizes::awards::MILESTONES.into()),
        ("an entry's prize figures", prizes::awards::FIGURES.into()),
        ("fulfil a prize award", prizes::awards::FULFIL.into()),
        ("void a prize award", prizes::awards::VOID.into()),
        ("burn a prize award's code", prizes::awards::BURN_CODE.into()),
        ("a prize's pool size", prizes::codes::POOL_SIZE.into()),
        ("a prize's free codes", prizes::codes::AVAILABLE.into()),
        // draws (issue 25)
        ("a draw by prize", draws::by_prize_sql()),
        ("draws of a contest", draws::of_contest_sql()),
        ("listed draws not drawn", draws::waiting_sql()),
        ("a draw's list page", draws::LIST_PAGE.into()),
        ("a draw's rule updated", draws::UPDATE_RULE.into()),
        ("a draw listed", draws::LISTED.into()),
        ("a draw drawn", draws::DRAWN.into()),
        ("a draw's pick", draws::PICK.into()),
        ("a draw moved on by a void", draws::MOVE_ON.into()),
        ("void a draw's pick", prizes::awards::VOID_PICK.into()),
        ("picks of a contest's draws", draws::PICKS.into()),
        ("an entry's standing picks", draws::STANDING_PICKS.into()),
        // participant email
        ("enqueue an email", emails::ENQUEUE.into()),
        ("an email to send", emails::JOB.into()),
        ("an email sent", emails::MARK_SENT.into()),
        ("an email's failed attempt", emails::RECORD_FAILURE.into()),
        ("an email given up", emails::GIVE_UP.into()),
        ("emails whose queue message was lost", emails::LOST.into()),
        ("an address unsubscribed", emails::SUPPRESS.into()),
        ("emails of a contest", emails::list_sql()),
        ("emails of a contest, of a status", emails::list_of_status_sql()),
        ("emails of a contest, count", emails::COUNT.into()),
        ("emails of a contest, of a status, count", emails::COUNT_OF_STATUS.into()),
        ("a contest's email message on", emails::ENABLED.into()),
        ("an entry's address", emails::ENTRY_RECIPIENT.into()),
        ("the advocate of a confirmed referral award", emails::ADVOCATE_OF_AWARD.into()),
        ("the entry of a prize award", emails::PRIZE_WINNER.into()),
        ("a finalized contest's ranked entries", emails::RANKED.into()),
        ("a contest's email templates", email_templates::OF_CONTEST.into()),
        ("a contest's email template", email_templates::ONE.into()),
    ];
    list.into_iter().map(|(name, sql)| HotQuery { name: name.into(), sql }).collect()
}

/// The one statement of a migration's trigger, as a statement of its own: the
/// trigger's `NEW.contest_id`, `NEW.id`, `NEW.created_at` (or `reviewed_at`)
/// and `NEW.status` become `?1` to `?4` (EXPLAIN QUERY PLAN of the write that
/// fires it does not show it).
fn trigger_statement(migration: &str, trigger: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(migration);
    let text = std::fs::read_to_string(path).expect("the migration is readable");
    let start = text.find(&format!("CREATE TRIGGER {trigger} ")).expect("the trigger is in its migration");
    let body = &text[start..];
    let body = &body[body.find("BEGIN\n").expect("BEGIN") + "BEGIN\n".len()..body.find(";\nEND;").expect("END")];
    let bound = [
        ("NEW.contest_id", "?1"),
        ("NEW.id", "?2"),
        ("NEW.created_at", "?3"),
        ("NEW.reviewed_at", "?3"),
        ("NEW.status", "?4"),
    ];
    bound.iter().fold(body.trim().to_string(), |sql, (new, param)| sql.replace(new, param))
}

fn golden() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sql/hot-queries.json")
}

#[test]
fn hot_queries_have_unique_names() {
    let queries = hot_queries();
    let mut names: Vec<&str> = queries.iter().map(|q| q.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), queries.len());
}

/// The checked-in file is what the worker runs, so the query-plan test
/// plans the real statements.
#[test]
fn hot_queries_file_is_current() {
    let queries = hot_queries();
    let json = serde_json::to_string_pretty(&queries).expect("serializable") + "\n";
    if std::env::var_os("UPDATE_HOT_QUERIES").is_some() {
        std::fs::write(golden(), json).expect("edge/sql/hot-queries.json written");
        return;
    }
    let stored = std::fs::read_to_string(golden()).unwrap_or_default();
    if stored == json {
        return;
    }
    let stored: Vec<HotQuery> = serde_json::from_str(&stored).unwrap_or_default();
    let stale: Vec<&str> = queries.iter().filter(|q| !stored.contains(q)).map(|q| q.name.as_str()).collect();
    let gone: Vec<&str> =
        stored.iter().filter(|s| !queries.iter().any(|q| q.name == s.name)).map(|s| s.name.as_str()).collect();
    panic!(
        "edge/sql/hot-queries.json is not what the worker runs (changed or new: {stale:?}; gone: {gone:?}); \
         rewrite it with `UPDATE_HOT_QUERIES=1 cargo test -p edge hot_queries` and commit it"
    );
}
