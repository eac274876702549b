//! Getting back to one's link (issue 26): the `portal` email carries a link to
//! the contest's hosted page with a short-lived participant token in its
//! fragment (`/r/<contestId>#token=rtp_…`): a fragment never reaches a server
//! log, and the widget takes it out of the URL as it lands.

/// How long a portal link's token lasts, from the moment the message is sent.
pub const LINK_TTL_SECS: i64 = 3600;

/// The hosted page of `contest_id` at `origin`, signed in with `token`.
pub fn link(origin: &str, contest_id: &str, token: &str) -> String {
    [origin.trim_end_matches('/'), "/r/", contest_id, "#token=", token].concat()
}

/// The dedupe key of one ask for `entry_id`'s portal link at `now_ms`: one
/// message per entry and minute, so repeated asks stay under the daily cap
/// (which counts every message decided) while a later ask still sends.
pub fn dedupe_key(entry_id: &str, now_ms: i64) -> String {
    ["portal:", entry_id, ":", &(now_ms / 60_000).to_string()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_is_the_hosted_page_with_the_token_in_its_fragment() {
        assert_eq!(link("https://x.example/", "ct_1", "rtp_e.1.ab"), "https://x.example/r/ct_1#token=rtp_e.1.ab");
        assert_eq!(link("http://localhost:8787", "ct_2", "t"), "http://localhost:8787/r/ct_2#token=t");
    }

    #[test]
    fn asks_in_one_minute_share_a_key_and_the_next_minute_does_not() {
        assert_eq!(dedupe_key("ent_1", 120_000), dedupe_key("ent_1", 179_999));
        assert_ne!(dedupe_key("ent_1", 179_999), dedupe_key("ent_1", 180_000));
        assert_ne!(dedupe_key("ent_1", 0), dedupe_key("ent_2", 0));
    }
}
