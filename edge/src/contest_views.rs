//! How a contest's leaderboard and stats look in JSON responses.
