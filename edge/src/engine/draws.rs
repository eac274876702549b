//! Draw prizes (docs/DRAWS.md): the listing the finalize batch publishes,
//! the draw once the beacon round is checked, and the refill a void takes
//! from the same sequence. The selection itself is `domain::draw`'s.

use super::Committed;
use crate::db::draws::{Beacon, DrawRow, Listing as ListingRow, NewPick};
use crate::db::{self, StorageError};
use crate::domain::draw::{self, Chain, Draw, Listed, Listing};
use crate::domain::draw_rule;
use crate::domain::ids::{ContestId, PrizeAwardId, PrizeId};
use crate::domain::signature::hex;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::{D1Database, D1PreparedStatement};

/// How many places one read of the standings takes.
const LIST_PAGE: u32 = 2000;

/// What the finalize batch publishes of one draw.
pub struct Published {
    pub prize_id: PrizeId,
    pub list_hash: String,
    pub entries: i64,
    pub weight: String,
    pub chain_hash: String,
    pub round: i64,
}

impl Published {
    pub fn row(&self) -> ListingRow<'_> {
        ListingRow {
            prize_id: &self.prize_id,
            list_hash: &self.list_hash,
            entries: self.entries,
            weight: &self.weight,
            chain_hash: &self.chain_hash,
            round: self.round,
        }
    }
}

/// Reads the frozen standings in entry id order, a page at a time, handing
/// each place to `each`.
async fn each_standing(
    db: &D1Database,
    contest_id: &ContestId,
    page: u32,
    mut each: impl FnMut(&db::draws::Standing),
) -> ApiResult<()> {
    let mut after = String::new();
    loop {
        let rows = db::draws::list_page(db, contest_id, &after, page.max(1)).await?;
        rows.iter().for_each(&mut each);
        match rows.last() {
            Some(last) if rows.len() == page.max(1) as usize => after = last.entry_id.clone(),
            _ => return Ok(()),
        }
    }
}

/// The contest's draws not listed yet, listed from the complete standings
/// (read just before the batch that finalizes, which writes them): the list's
/// hash, size and weight, and the round `finalized_secs` commits to.
pub async fn listings(
    db: &D1Database,
    contest_id: &ContestId,
    chain: Chain,
    finalized_secs: u64,
    page: u32,
) -> ApiResult<Vec<Published>> {
    let draws: Vec<DrawRow> =
        db::draws::of_contest_rows(db, contest_id).await?.into_iter().filter(|d| d.list_hash.is_none()).collect();
    if draws.is_empty() {
        return Ok(Vec::new());
    }
    let mut lists: Vec<Listing> = draws.iter().map(|_| Listing::default()).collect();
    each_standing(db, contest_id, page, |s| {
        for (d, list) in draws.iter().zip(lists.iter_mut()) {
            list.push(&s.entry_id, draw_rule::weight(s.points, s.referrals, &d.eligibility(), d.weighting));
        }
    })
    .await?;
    let round = i64::try_from(chain.round_for(finalized_secs)).unwrap_or(i64::MAX);
    Ok(draws
        .into_iter()
        .zip(lists)
        .map(|(d, list)| {
            let Listed { hash, entries, weight } = list.finish();
            Published {
                prize_id: d.prize_id,
                list_hash: hex(&hash),
                entries: i64::try_from(entries).unwrap_or(i64::MAX),
                weight: weight.to_string(),
                chain_hash: hex(&chain.hash),
                round,
            }
        })
        .collect())
}

/// A draw's list again (entry ids and weights, in list order), checked
/// against its published hash.
pub async fn list_of(db: &D1Database, d: &DrawRow) -> ApiResult<Vec<(String, u64)>> {
    let mut list = Vec::new();
    let mut listing = Listing::default();
    each_standing(db, &d.contest_id, LIST_PAGE, |s| {
        let w = draw_rule::weight(s.points, s.referrals, &d.eligibility(), d.weighting);
        listing.push(&s.entry_id, w);
        if w > 0 {
            list.push((s.entry_id.clone(), w));
        }
    })
    .await?;
    if Some(hex(&listing.finish().hash)) != d.list_hash {
        return Err(StorageError::D1("a draw's list no longer matches its hash".into()).into());
    }
    Ok(list)
}

/// The sequence of a listed draw once its beacon is known.
fn sequence(d: &DrawRow, randomness: &[u8; 32], weights: &[u64]) -> ApiResult<Draw> {
    let seed = draw::from_hex32(&d.seed);
    let list_hash = d.list_hash.as_deref().and_then(draw::from_hex32);
    let (Some(seed), Some(list_hash)) = (seed, list_hash) else {
        return Err(StorageError::D1("a draw's seed or list hash is not 32 bytes".into()).into());
    };
    Ok(Draw::new(draw::draw_key(&seed, randomness, &list_hash), weights))
}

fn new_pick(list: &[(String, u64)], p: draw::Pick) -> NewPick<'_> {
    NewPick { award_id: PrizeAwardId::new(platform::new_id("pa")), k: i64::from(p.k), entry_id: &list[p.index].0 }
}

/// Draws a listed prize with its checked beacon (randomness, signature):
/// the first `winners` picks, their awards and the beacon in one batch; a
/// draw already made is left as it is (`false`).
pub async fn draw(db: &D1Database, d: &DrawRow, randomness: &[u8; 32], signature: &[u8]) -> ApiResult<Committed<bool>> {
    if d.drawn_at.is_some() || d.list_hash.is_none() {
        return Ok(Committed::without_events(false));
    }
    let list = list_of(db, d).await?;
    let weights: Vec<u64> = list.iter().map(|(_, w)| *w).collect();
    let mut sequence = sequence(d, randomness, &weights)?;
    let winners = usize::try_from(d.winners).unwrap_or(0);
    let picks: Vec<NewPick> = sequence.picks(winners).into_iter().map(|p| new_pick(&list, p)).collect();
    let beacon = Beacon { randomness: &hex(randomness), signature: &hex(signature) };
    let next_k = i64::from(sequence.next_k());
    let (drawn, events) = db::draws::draw(db, &d.prize_id, &beacon, &picks, next_k, &platform::now_iso()).await?;
    Ok(Committed::new(drawn, events))
}

/// What a draw award's void adds to its batch: from the stored `next_k`, the
/// sequence goes on to the next pick (none when the list is used up). The
/// `next_k` read is returned: the void applies only if it is still stored.
pub async fn refill(
    db: &D1Database,
    voided: &PrizeAwardId,
    prize_id: &PrizeId,
    now: &str,
) -> ApiResult<(i64, Vec<D1PreparedStatement>)> {
    let d = db::draws::find(db, prize_id).await?.ok_or_else(|| ApiError::not_found("Prize not found"))?;
    let (Some(randomness), Some(from)) = (d.randomness.as_deref().and_then(draw::from_hex32), d.next_k) else {
        return Err(ApiError::conflict("This draw has not been drawn"));
    };
    let list = list_of(db, &d).await?;
    let weights: Vec<u64> = list.iter().map(|(_, w)| *w).collect();
    let mut sequence = sequence(&d, &randomness, &weights)?;
    sequence.replay(u32::try_from(from).unwrap_or(u32::MAX));
    let next = sequence.next_pick().map(|p| new_pick(&list, p));
    Ok((from, db::draws::refill(db, voided, prize_id, from, next.as_ref(), now)?))
}

/// What a disqualification adds to its batch: the entry's standing picks
/// are voided there by the trigger of 0020 (`disqualified`), and each place
/// is refilled from its draw's sequence, as after the owner's void.
pub async fn refills_on_disqualify(
    db: &D1Database,
    entry_id: &crate::domain::ids::EntryId,
    now: &str,
) -> ApiResult<Vec<D1PreparedStatement>> {
    let mut statements = Vec::new();
    for pick in db::draws::standing_picks(db, entry_id).await? {
        statements.extend(refill(db, &pick.id, &pick.prize_id, now).await?.1);
    }
    Ok(statements)
}
