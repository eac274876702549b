//! Spring-style paging of the Referral Rocket surface: `page` 0-based, `size`
//! default 20 and at most 100, `sort=field,asc|desc`.

use serde::Serialize;

pub const DEFAULT_SIZE: u32 = 20;
pub const MAX_SIZE: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    JoinedAt,
    Email,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pageable {
    pub page: u32,
    pub size: u32,
    pub sort: SortField,
    pub descending: bool,
}

impl Pageable {
    pub fn parse(page: Option<&str>, size: Option<&str>, sort: Option<&str>) -> Result<Self, String> {
        let page = match page {
            None => 0,
            Some(p) => p.parse::<u32>().map_err(|_| String::from("page must be a non-negative integer"))?,
        };
        let size = match size {
            None => DEFAULT_SIZE,
            Some(s) => {
                s.parse::<u32>().ok().filter(|s| *s >= 1).ok_or("size must be a positive integer")?.min(MAX_SIZE)
            }
        };
        let (sort, descending) = match sort {
            None => (SortField::JoinedAt, false),
            Some(s) => {
                let (field, dir) = s.split_once(',').unwrap_or((s, "asc"));
                let field = match field {
                    "joinedAt" | "createdAt" => SortField::JoinedAt,
                    "email" => SortField::Email,
                    _ => return Err("sort must be joinedAt or email, optionally with ,asc or ,desc".into()),
                };
                let descending = match dir.to_ascii_lowercase().as_str() {
                    "asc" => false,
                    "desc" => true,
                    _ => return Err("sort direction must be asc or desc".into()),
                };
                (field, descending)
            }
        };
        Ok(Self { page, size, sort, descending })
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page) * u64::from(self.size)
    }

    /// Spring's `Page` metadata for `items` items of `total`.
    pub fn describe(&self, items: usize, total: u64) -> PageInfo {
        let total_pages = total.div_ceil(u64::from(self.size));
        PageInfo {
            total_elements: total,
            total_pages,
            size: self.size,
            number: self.page,
            number_of_elements: items,
            first: self.page == 0,
            last: u64::from(self.page) + 1 >= total_pages,
            empty: items == 0,
            sort: SortInfo { sorted: true, unsorted: false, empty: false },
        }
    }
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub total_elements: u64,
    pub total_pages: u64,
    pub size: u32,
    pub number: u32,
    pub number_of_elements: usize,
    pub first: bool,
    pub last: bool,
    pub empty: bool,
    pub sort: SortInfo,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct SortInfo {
    pub sorted: bool,
    pub unsorted: bool,
    pub empty: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_clamping() {
        let p = Pageable::parse(None, None, None).unwrap();
        assert_eq!((p.page, p.size, p.sort, p.descending), (0, 20, SortField::JoinedAt, false));
        assert_eq!(Pageable::parse(Some("2"), Some("1000"), None).unwrap().size, 100);
        assert_eq!(Pageable::parse(Some("2"), Some("10"), None).unwrap().offset(), 20);
        assert!(Pageable::parse(Some("-1"), None, None).is_err());
        assert!(Pageable::parse(None, Some("0"), None).is_err());
    }

    #[test]
    fn sorts() {
        let p = Pageable::parse(None, None, Some("email,desc")).unwrap();
        assert_eq!((p.sort, p.descending), (SortField::Email, true));
        assert_eq!(Pageable::parse(None, None, Some("joinedAt")).unwrap().sort, SortField::JoinedAt);
        assert!(Pageable::parse(None, None, Some("password,asc")).is_err());
        assert!(Pageable::parse(None, None, Some("email,sideways")).is_err());
    }

    #[test]
    fn page_metadata() {
        let p = Pageable::parse(Some("1"), Some("20"), None).unwrap();
        let info = p.describe(3, 23);
        assert_eq!((info.total_pages, info.first, info.last, info.empty), (2, false, true, false));
        let empty = Pageable::parse(None, None, None).unwrap().describe(0, 0);
        assert_eq!((empty.total_pages, empty.first, empty.last, empty.empty), (0, true, true, true));
    }
}
