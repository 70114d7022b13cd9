//! The paged global search `GET /api/v1/{tenant}/kv`: query parsing, filters,
//! sorting and paging over the live entries.

use std::cmp::Ordering;

use percent_encoding::percent_decode_str;
use regex::Regex;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::errors::{ApiError, ErrorKind};
use super::store::EntryRef;

const MAX_PAGE_SIZE: u64 = 1000;
const DEFAULT_PAGE_SIZE: u64 = 10;

/// A parsed search request.
#[derive(Debug)]
pub struct SearchQuery {
    page: u64,
    size: u64,
    sorts: Vec<(SortField, bool)>,
    filters: Vec<Filter>,
}

#[derive(Debug, Clone, Copy)]
enum SortField {
    Key,
    Namespace,
    Revision,
    Description,
    CreationDate,
    UpdateDate,
    ExpirationDate,
}

#[derive(Debug)]
enum Filter {
    /// Case-insensitive substring of the key (stand-in for Kestra's full-text match).
    KeyText {
        needle: String,
        negate: bool,
    },
    Namespace(NamespaceMatch),
    Updated {
        op: Comparison,
        at: OffsetDateTime,
    },
}

#[derive(Debug)]
enum NamespaceMatch {
    Equals(String, bool),
    Contains(String),
    StartsWith(String),
    EndsWith(String),
    Regex(Regex),
    In(Vec<String>, bool),
    /// The namespace itself or any descendant.
    Prefix(String),
}

#[derive(Debug, Clone, Copy)]
enum Comparison {
    Equals,
    NotEquals,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// Filter fields of Kestra's `QueryFilter.Field` that exist but are not allowed for KV.
const NON_KV_FILTER_FIELDS: [&str; 18] = [
    "query",
    "scope",
    "labels",
    "flowId",
    "trigger",
    "triggerId",
    "triggerExecutionId",
    "childFilter",
    "workerId",
    "existing",
    "level",
    "minLevel",
    "startDate",
    "endDate",
    "timeRange",
    "state",
    "expirationDate",
    "executionId",
];

const OPERATIONS: [&str; 13] = [
    "EQUALS",
    "NOT_EQUALS",
    "GREATER_THAN",
    "LESS_THAN",
    "GREATER_THAN_OR_EQUAL_TO",
    "LESS_THAN_OR_EQUAL_TO",
    "IN",
    "NOT_IN",
    "STARTS_WITH",
    "ENDS_WITH",
    "CONTAINS",
    "REGEX",
    "PREFIX",
];

fn decode_component(raw: &str) -> String {
    percent_decode_str(&raw.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

fn invalid(kind: ErrorKind, detail: impl Into<String>) -> ApiError {
    ApiError::new(kind, detail)
}

impl SearchQuery {
    /// Parses the raw query string; unknown plain parameters are ignored like Micronaut does.
    pub fn parse(raw_query: Option<&str>) -> Result<SearchQuery, ApiError> {
        let mut query = SearchQuery {
            page: 1,
            size: DEFAULT_PAGE_SIZE,
            sorts: Vec::new(),
            filters: Vec::new(),
        };
        let pairs = raw_query
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode_component(name), decode_component(value))
            });
        for (name, value) in pairs {
            match name.as_str() {
                "page" => query.page = positive_integer("page", &value)?,
                "size" => {
                    query.size = positive_integer("size", &value)?;
                    if query.size > MAX_PAGE_SIZE {
                        return Err(invalid(
                            ErrorKind::InvalidEntity,
                            "The page size must be less than or equal to 1000.",
                        ));
                    }
                }
                "sort" => {
                    for item in value.split(',').filter(|item| !item.is_empty()) {
                        query.sorts.push(parse_sort(item)?);
                    }
                }
                _ => {
                    if let Some(spec) = name.strip_prefix("filters") {
                        query.filters.push(parse_filter(&name, spec, &value)?);
                    }
                }
            }
        }
        Ok(query)
    }

    /// Filters, sorts and pages `entries` (given in namespace, key order); returns the page
    /// and the total number of matches.
    pub fn run<'a>(&self, mut entries: Vec<EntryRef<'a>>) -> (Vec<EntryRef<'a>>, usize) {
        entries.retain(|entry| self.filters.iter().all(|filter| filter.matches(entry)));
        // Stable sort: ties keep the default (namespace, key) ascending order.
        entries.sort_by(|left, right| {
            self.sorts
                .iter()
                .map(|(field, ascending)| {
                    let ordering = field.compare(left, right);
                    if *ascending {
                        ordering
                    } else {
                        ordering.reverse()
                    }
                })
                .find(|ordering| ordering.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        let total = entries.len();
        let offset =
            usize::try_from((self.page - 1).saturating_mul(self.size)).unwrap_or(usize::MAX);
        let size = usize::try_from(self.size).unwrap_or(usize::MAX);
        let page = entries.into_iter().skip(offset).take(size).collect();
        (page, total)
    }
}

fn positive_integer(name: &str, value: &str) -> Result<u64, ApiError> {
    let number: i64 = value.trim().parse().map_err(|_| {
        invalid(
            ErrorKind::InvalidArgument,
            format!("Failed to convert argument [{name}] for value [{value}]"),
        )
    })?;
    u64::try_from(number)
        .ok()
        .filter(|number| *number >= 1)
        .ok_or_else(|| {
            invalid(
                ErrorKind::InvalidArgument,
                format!("{name}: must be greater than or equal to 1"),
            )
        })
}

fn parse_sort(item: &str) -> Result<(SortField, bool), ApiError> {
    let (field, direction) = item
        .split_once(':')
        .ok_or_else(|| invalid(ErrorKind::InvalidEntity, "Invalid sort parameter"))?;
    let field = match field {
        "key" | "name" => SortField::Key,
        "namespace" => SortField::Namespace,
        "revision" | "version" => SortField::Revision,
        "description" => SortField::Description,
        "creationDate" | "created" => SortField::CreationDate,
        "updateDate" | "updated" => SortField::UpdateDate,
        "expirationDate" => SortField::ExpirationDate,
        other => {
            return Err(invalid(
                ErrorKind::InvalidEntity,
                format!("Invalid sort field: {other}"),
            ));
        }
    };
    Ok((field, direction.eq_ignore_ascii_case("asc")))
}

/// `spec` is what follows `filters`: exactly `[field][OPERATION]`.
fn parse_filter(name: &str, spec: &str, value: &str) -> Result<Filter, ApiError> {
    let segments: Option<Vec<&str>> = spec
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .map(|inner| inner.split("][").collect());
    let Some([field, operation]) = segments.as_deref() else {
        return Err(invalid(
            ErrorKind::InvalidQueryFilters,
            format!("Unsupported filter parameter: {name}"),
        ));
    };
    let (field, operation) = (*field, *operation);
    let unsupported = || {
        invalid(
            ErrorKind::InvalidQueryFilters,
            format!("Operation {operation} is not supported for field {field} of KV entries"),
        )
    };
    if !OPERATIONS.contains(&operation) {
        return Err(invalid(
            ErrorKind::InvalidArgument,
            format!("Invalid filter operation: {operation}"),
        ));
    }
    match field {
        "q" => match operation {
            "EQUALS" | "NOT_EQUALS" => Ok(Filter::KeyText {
                needle: value.to_lowercase(),
                negate: operation == "NOT_EQUALS",
            }),
            _ => Err(unsupported()),
        },
        "namespace" => {
            let value = value.to_owned();
            let matcher = match operation {
                "EQUALS" => NamespaceMatch::Equals(value, true),
                "NOT_EQUALS" => NamespaceMatch::Equals(value, false),
                "CONTAINS" => NamespaceMatch::Contains(value),
                "STARTS_WITH" => NamespaceMatch::StartsWith(value),
                "ENDS_WITH" => NamespaceMatch::EndsWith(value),
                "PREFIX" => NamespaceMatch::Prefix(value),
                "REGEX" => NamespaceMatch::Regex(Regex::new(&value).map_err(|error| {
                    invalid(
                        ErrorKind::InvalidArgument,
                        format!("Invalid regex '{value}': {error}"),
                    )
                })?),
                "IN" | "NOT_IN" => {
                    let list = value.trim_start_matches('[').trim_end_matches(']');
                    let values = list.split(',').map(|item| item.trim().to_owned()).collect();
                    NamespaceMatch::In(values, operation == "IN")
                }
                _ => return Err(unsupported()),
            };
            Ok(Filter::Namespace(matcher))
        }
        "updated" => {
            let op = match operation {
                "EQUALS" => Comparison::Equals,
                "NOT_EQUALS" => Comparison::NotEquals,
                "GREATER_THAN" => Comparison::Greater,
                "GREATER_THAN_OR_EQUAL_TO" => Comparison::GreaterOrEqual,
                "LESS_THAN" => Comparison::Less,
                "LESS_THAN_OR_EQUAL_TO" => Comparison::LessOrEqual,
                _ => return Err(unsupported()),
            };
            let at = OffsetDateTime::parse(value, &Rfc3339).map_err(|_| {
                invalid(
                    ErrorKind::InvalidArgument,
                    format!("Invalid date-time for filter updated: {value}"),
                )
            })?;
            Ok(Filter::Updated { op, at })
        }
        known if NON_KV_FILTER_FIELDS.contains(&known) => Err(invalid(
            ErrorKind::InvalidQueryFilters,
            format!("Field {known} is not supported for KV entries"),
        )),
        unknown => Err(invalid(
            ErrorKind::InvalidArgument,
            format!("Invalid filter field: {unknown}"),
        )),
    }
}

impl Filter {
    fn matches(&self, entry: &EntryRef<'_>) -> bool {
        match self {
            Filter::KeyText { needle, negate } => {
                entry.key.to_lowercase().contains(needle.as_str()) != *negate
            }
            Filter::Namespace(matcher) => matcher.matches(entry.namespace),
            Filter::Updated { op, at } => {
                let updated = entry.entry.updated;
                match op {
                    Comparison::Equals => updated == *at,
                    Comparison::NotEquals => updated != *at,
                    Comparison::Greater => updated > *at,
                    Comparison::GreaterOrEqual => updated >= *at,
                    Comparison::Less => updated < *at,
                    Comparison::LessOrEqual => updated <= *at,
                }
            }
        }
    }
}

impl NamespaceMatch {
    fn matches(&self, namespace: &str) -> bool {
        match self {
            NamespaceMatch::Equals(value, equal) => (namespace == value) == *equal,
            NamespaceMatch::Contains(value) => namespace.contains(value.as_str()),
            NamespaceMatch::StartsWith(value) => namespace.starts_with(value.as_str()),
            NamespaceMatch::EndsWith(value) => namespace.ends_with(value.as_str()),
            NamespaceMatch::Regex(regex) => regex.is_match(namespace),
            NamespaceMatch::In(values, inside) => {
                values.iter().any(|value| value == namespace) == *inside
            }
            NamespaceMatch::Prefix(value) => {
                namespace == value
                    || namespace
                        .strip_prefix(value.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            }
        }
    }
}

impl SortField {
    fn compare(self, left: &EntryRef<'_>, right: &EntryRef<'_>) -> Ordering {
        let (a, b) = (left.entry, right.entry);
        match self {
            SortField::Key => left.key.cmp(right.key),
            SortField::Namespace => left.namespace.cmp(right.namespace),
            SortField::Revision => a.revision.cmp(&b.revision),
            SortField::Description => a.description.cmp(&b.description),
            SortField::CreationDate => a.created.cmp(&b.created),
            SortField::UpdateDate => a.updated.cmp(&b.updated),
            SortField::ExpirationDate => a.expiration.cmp(&b.expiration),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ion::IonValue;
    use crate::store::{Store, Write};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-01-01 00:00:00 UTC);

    fn store_with(entries: &[(&str, &str)]) -> Store {
        let mut store = Store::default();
        for (index, (namespace, key)) in entries.iter().enumerate() {
            let write = Write {
                value: IonValue::Null,
                description: None,
                expiration: None,
            };
            let at = NOW + time::Duration::seconds(i64::try_from(index).unwrap_or(0));
            store.put("main", namespace, key, write, at);
        }
        store
    }

    fn keys(store: &Store, query: &str) -> Result<(Vec<String>, usize), ApiError> {
        let query = SearchQuery::parse(Some(query))?;
        let (page, total) = query.run(store.live("main", NOW + time::Duration::hours(1)));
        Ok((
            page.iter()
                .map(|entry| format!("{}/{}", entry.namespace, entry.key))
                .collect(),
            total,
        ))
    }

    #[test]
    fn filters_sort_and_page() {
        let store = store_with(&[("a", "zzz"), ("a", "aaa"), ("a.b", "mid"), ("ab", "x")]);
        assert_eq!(
            keys(&store, "").map(|(keys, _)| keys),
            Ok(vec![
                "a/aaa".into(),
                "a/zzz".into(),
                "a.b/mid".into(),
                "ab/x".into()
            ])
        );
        assert_eq!(
            keys(
                &store,
                "filters%5Bnamespace%5D%5BPREFIX%5D=a&sort=key:desc&size=2&page=1"
            ),
            Ok((vec!["a/zzz".into(), "a.b/mid".into()], 3))
        );
        assert_eq!(
            keys(
                &store,
                "filters[namespace][IN]=[ab,a.b]&filters[q][EQUALS]=MI"
            ),
            Ok((vec!["a.b/mid".into()], 1))
        );
        assert_eq!(
            keys(
                &store,
                "filters[updated][GREATER_THAN]=2024-01-01T00:00:01Z&sort=updated:asc"
            ),
            Ok((vec!["a.b/mid".into(), "ab/x".into()], 2))
        );
        assert_eq!(
            keys(&store, "page=10000").map(|(keys, total)| (keys.len(), total)),
            Ok((0, 4))
        );
    }

    #[test]
    fn rejects_bad_parameters() {
        let store = Store::default();
        let kind = |query: &str| keys(&store, query).map_err(|error| (error.kind, error.detail));
        assert_eq!(
            kind("size=1001"),
            Err((
                ErrorKind::InvalidEntity,
                "The page size must be less than or equal to 1000.".into()
            ))
        );
        assert_eq!(
            kind("sort=key"),
            Err((ErrorKind::InvalidEntity, "Invalid sort parameter".into()))
        );
        assert_eq!(
            kind("sort=last:asc"),
            Err((ErrorKind::InvalidEntity, "Invalid sort field: last".into()))
        );
        assert!(matches!(
            kind("filters[bogus][EQUALS]=x"),
            Err((ErrorKind::InvalidArgument, _))
        ));
        assert!(matches!(
            kind("filters[labels][EQUALS]=x"),
            Err((ErrorKind::InvalidQueryFilters, _))
        ));
        assert!(matches!(
            kind("filters[q][PREFIX]=x"),
            Err((ErrorKind::InvalidQueryFilters, _))
        ));
        assert!(matches!(
            kind("filters[or][0][namespace][EQUALS]=x"),
            Err((ErrorKind::InvalidQueryFilters, _))
        ));
        assert!(matches!(
            kind("page=0"),
            Err((ErrorKind::InvalidArgument, _))
        ));
        assert!(matches!(
            kind("page=abc"),
            Err((ErrorKind::InvalidArgument, _))
        ));
        assert!(kind("size=1000").is_ok());
    }
}
