//! Page-number pagination of the v1 API: `page` from 1 (default 1), `limit`
//! default 20, at most 100.

use serde::Serialize;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub limit: u32,
}

impl PageRequest {
    /// Parses the raw query values. A limit over the maximum is clamped to it;
    /// anything that is not a positive integer is an error.
    pub fn parse(page: Option<&str>, limit: Option<&str>) -> Result<Self, String> {
        let positive = |name: &str, raw: Option<&str>, default: u32| -> Result<u32, String> {
            match raw {
                None => Ok(default),
                Some(v) => v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    let mut m = String::from(name);
                    m.push_str(" must be a positive integer");
                    m
                }),
            }
        };
        Ok(Self { page: positive("page", page, 1)?, limit: positive("limit", limit, DEFAULT_LIMIT)?.min(MAX_LIMIT) })
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.limit)
    }

    pub fn describe(&self, total: u64) -> Pagination {
        Pagination { page: self.page, limit: self.limit, total, total_pages: total.div_ceil(u64::from(self.limit)) }
    }
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: u32,
    pub limit: u32,
    pub total: u64,
    pub total_pages: u64,
}

/// A keyset page's description: `after` as asked, and the `after` of the next
/// page (None on the last one). No total: counting is what deep pages avoid.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AfterPagination {
    pub limit: u32,
    pub after: String,
    pub next_after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(PageRequest::parse(None, None), Ok(PageRequest { page: 1, limit: 20 }));
        assert_eq!(PageRequest::parse(Some("3"), Some("500")), Ok(PageRequest { page: 3, limit: 100 }));
        assert!(PageRequest::parse(Some("0"), None).is_err());
        assert!(PageRequest::parse(None, Some("-1")).is_err());
        assert!(PageRequest::parse(Some("x"), None).is_err());
    }

    #[test]
    fn offsets_and_totals() {
        let p = PageRequest { page: 3, limit: 20 };
        assert_eq!(p.offset(), 40);
        assert_eq!(p.describe(41), Pagination { page: 3, limit: 20, total: 41, total_pages: 3 });
        assert_eq!(p.describe(0).total_pages, 0);
    }
}
