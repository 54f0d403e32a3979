//! The annual-report tables of DOMAIN.md section 5, as definitions: which tables there are,
//! their rows and columns, and the rule that makes a case count in each cell in a year. The
//! database layer turns a rule into SQL (the same SQL for the count and for the queue's list of
//! the cases counted); nothing here reads data.

use super::report::LeadAgency;
use super::screening::SiteKind;
use super::workflow::{Outcome, State};

/// The earliest year a report can be about (nothing is received before 1975-01-01).
pub const FIRST_YEAR: i32 = 1975;

/// What makes a case count in a cell in a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A move effective in the year from one of `from` (any state when empty) into one of `to`,
    /// closing with `outcome` when one is named.
    Moved {
        from: &'static [State],
        to: &'static [State],
        outcome: Option<Outcome>,
    },
    /// Received (the report's `received_on`) in the year.
    Received,
    /// An investigation extended, recorded in the year.
    Extended,
    /// A decision condition marked breached, recorded in the year.
    ConditionBreached,
}

const fn moved(from: &'static [State], to: &'static [State], outcome: Option<Outcome>) -> Rule {
    Rule::Moved { from, to, outcome }
}

use Outcome as O;
use State as S;

/// One row of a table whose rows are fixed.
#[derive(Clone, Copy, Debug)]
pub struct RowDef {
    /// The row's key in a cell reference (`declarations:cleared:cases`).
    pub key: &'static str,
    pub label: &'static str,
    pub rule: Rule,
}

const fn row(key: &'static str, label: &'static str, rule: Rule) -> RowDef {
    RowDef { key, label, rule }
}

/// One column of a table whose rows are the values of a dimension.
#[derive(Clone, Copy, Debug)]
pub struct ColDef {
    pub key: &'static str,
    pub label: &'static str,
    pub rule: Rule,
}

/// The tables, in page order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableId {
    Declarations,
    Notices,
    Reviews,
    Withdrawals,
    Mitigation,
    Presidential,
    Inquiries,
    SiteKinds,
    Countries,
    Agencies,
}

/// What the rows of a table are.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Fixed rows, one column of cases.
    Rows(&'static [RowDef]),
    /// One row per value of a dimension, fixed columns.
    ByDimension(Dimension, &'static [ColDef]),
}

/// The dimension a table is broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    /// The countries of a case's acquirer, parent and ultimate parent.
    AcquirerCountry,
    /// The case's lead agency (as it stands now).
    LeadAgency,
    /// The kinds of site whose zone the property lies in (as last screened).
    SiteKind,
}

/// The party roles whose country counts as the acquirer's.
pub const ACQUIRER_ROLES: [&str; 3] = ["acquirer", "parent", "ultimate_parent"];

const DECLARATIONS: &[RowDef] = &[
    row(
        "filed",
        "Declarations filed",
        moved(&[], &[S::Declaration], None),
    ),
    row(
        "cleared",
        "Concluded all action (cleared)",
        moved(&[S::Declaration], &[S::Closed], Some(O::DeclarationCleared)),
    ),
    row(
        "notice_requested",
        "Notice requested",
        moved(&[S::Declaration], &[S::Prefiling], None),
    ),
    row(
        "unilateral_review",
        "Unilateral review started",
        moved(&[S::Declaration], &[S::Review], None),
    ),
    row(
        "unable",
        "Unable to conclude",
        moved(&[S::Declaration], &[S::Closed], Some(O::UnableToConclude)),
    ),
    row(
        "withdrawn",
        "Withdrawn",
        moved(&[S::Declaration], &[S::Withdrawn], None),
    ),
    row(
        "rejected",
        "Rejected",
        moved(&[S::Declaration], &[S::Closed], Some(O::Rejected)),
    ),
    row(
        "not_covered",
        "Not a covered transaction",
        moved(&[S::Declaration], &[S::Closed], Some(O::NotCovered)),
    ),
];

const NOTICES: &[RowDef] = &[
    row(
        "filed",
        "Notices filed",
        moved(&[], &[S::NoticeSubmitted], None),
    ),
    row(
        "accepted",
        "Accepted (review started)",
        moved(&[S::NoticeSubmitted], &[S::Review], None),
    ),
    row(
        "rejected",
        "Rejected",
        moved(
            &[S::NoticeSubmitted, S::Review],
            &[S::Closed],
            Some(O::Rejected),
        ),
    ),
    row(
        "withdrawn",
        "Withdrawn",
        moved(&[S::Review, S::Investigation], &[S::Withdrawn], None),
    ),
    row(
        "not_covered",
        "Not a covered transaction",
        moved(
            &[S::NoticeSubmitted, S::Review],
            &[S::Closed],
            Some(O::NotCovered),
        ),
    ),
];

const REVIEWS: &[RowDef] = &[
    row("started", "Reviews started", moved(&[], &[S::Review], None)),
    row(
        "investigated",
        "Went to investigation",
        moved(&[S::Review], &[S::Investigation], None),
    ),
    row(
        "extended",
        "Investigations extended 15 days",
        Rule::Extended,
    ),
    row(
        "cleared_review",
        "Cleared in review",
        moved(&[S::Review], &[S::Closed], Some(O::Cleared)),
    ),
    row(
        "cleared_investigation",
        "Cleared after investigation",
        moved(&[S::Investigation], &[S::Closed], Some(O::Cleared)),
    ),
];

const WITHDRAWALS: &[RowDef] = &[
    row("withdrawn", "Withdrawn", moved(&[], &[S::Withdrawn], None)),
    row(
        "refiled",
        "Refiled",
        moved(&[S::Withdrawn], &[S::Review], None),
    ),
    row(
        "abandoned",
        "Abandoned",
        moved(&[S::Withdrawn], &[S::Closed], Some(O::Abandoned)),
    ),
    row(
        "abandoned_mitigation",
        "Abandoned with mitigation",
        moved(&[S::Withdrawn], &[S::Monitoring], None),
    ),
];

const MITIGATION: &[RowDef] = &[
    row(
        "cleared",
        "Cleared with mitigation",
        moved(&[S::Review, S::Investigation], &[S::Monitoring], None),
    ),
    row(
        "abandoned",
        "Abandoned with mitigation",
        moved(&[S::Withdrawn], &[S::Monitoring], None),
    ),
    row("breached", "Conditions breached", Rule::ConditionBreached),
    row(
        "reopened",
        "Reopened for material breach",
        moved(&[S::Monitoring], &[S::Review], None),
    ),
    row(
        "completed",
        "Mitigation completed",
        moved(&[S::Monitoring], &[S::Closed], Some(O::MitigationCompleted)),
    ),
];

const PRESIDENTIAL: &[RowDef] = &[
    row(
        "referred",
        "Referred to the President",
        moved(&[S::Investigation], &[S::Presidential], None),
    ),
    row(
        "no_action",
        "President took no action",
        moved(
            &[S::Presidential],
            &[S::Closed],
            Some(O::PresidentialNoAction),
        ),
    ),
    row(
        "prohibited",
        "Prohibition ordered",
        moved(&[S::Presidential], &[S::Divestiture], None),
    ),
    row(
        "divested",
        "Divestiture complete",
        moved(
            &[S::Divestiture],
            &[S::Closed],
            Some(O::DivestitureComplete),
        ),
    ),
];

const INQUIRIES: &[RowDef] = &[
    row(
        "opened",
        "Inquiries opened",
        moved(&[S::Screening], &[S::Inquiry], None),
    ),
    row(
        "filing_requested",
        "Filing requested",
        moved(&[S::Inquiry], &[S::FilingRequested], None),
    ),
    row(
        "agency_notice",
        "Agency notice: review started",
        moved(&[S::Inquiry], &[S::Review], None),
    ),
    row(
        "not_covered",
        "Not a covered transaction",
        moved(&[S::Inquiry], &[S::Closed], Some(O::NotCovered)),
    ),
    row(
        "no_further_action",
        "No further action",
        moved(&[S::Inquiry], &[S::Closed], Some(O::NoFurtherAction)),
    ),
];

const BY_DIMENSION: &[ColDef] = &[
    ColDef {
        key: "received",
        label: "Reports received",
        rule: Rule::Received,
    },
    ColDef {
        key: "filings",
        label: "Filings (declarations and notices)",
        rule: moved(&[], &[S::Declaration, S::NoticeSubmitted], None),
    },
    ColDef {
        key: "closed",
        label: "Closed",
        rule: moved(&[], &[S::Closed], None),
    },
];

impl TableId {
    /// Every table, in page order.
    pub const ALL: [TableId; 10] = [
        TableId::Declarations,
        TableId::Notices,
        TableId::Reviews,
        TableId::Withdrawals,
        TableId::Mitigation,
        TableId::Presidential,
        TableId::Inquiries,
        TableId::SiteKinds,
        TableId::Countries,
        TableId::Agencies,
    ];

    /// The key in URLs (`/reports/declarations.csv`).
    pub fn key(self) -> &'static str {
        match self {
            TableId::Declarations => "declarations",
            TableId::Notices => "notices",
            TableId::Reviews => "reviews",
            TableId::Withdrawals => "withdrawals",
            TableId::Mitigation => "mitigation",
            TableId::Presidential => "presidential",
            TableId::Inquiries => "inquiries",
            TableId::SiteKinds => "site_kinds",
            TableId::Countries => "countries",
            TableId::Agencies => "agencies",
        }
    }

    /// The table's caption.
    pub fn title(self) -> &'static str {
        match self {
            TableId::Declarations => "Declarations and their outcomes",
            TableId::Notices => "Notices filed, rejected and withdrawn",
            TableId::Reviews => "Reviews, investigations and extensions",
            TableId::Withdrawals => "Withdrawals: refiled and abandoned",
            TableId::Mitigation => "Mitigation",
            TableId::Presidential => "Presidential decisions",
            TableId::Inquiries => "Non-notified inquiries and their results",
            TableId::SiteKinds => "Real-estate cases by site kind",
            TableId::Countries => "Cases by acquirer country",
            TableId::Agencies => "Cases by lead agency",
        }
    }

    /// How a case comes to count in the year, said under the table.
    pub fn basis(self) -> &'static str {
        match self {
            TableId::Countries => {
                "A case counts under each country of its acquirer, parent and ultimate parent: \
                 as received by the day the report was received, as a filing by the effective \
                 date of its declaration or notice, as closed by the effective date of its \
                 closing. A case counts once per cell, however many moves it made."
            }
            TableId::SiteKinds => {
                "A case counts under each kind of site whose zone its property lies in, as it \
                 was last screened (a property in the 1-mile zone of a military installation \
                 and the zone of a data center counts under both): as received by the day the \
                 report was received, as a filing by the effective date of its declaration or \
                 notice, as closed by the effective date of its closing. A case counts once per \
                 cell."
            }
            TableId::Agencies => {
                "A case counts under its lead agency as it stands today (\u{201c}None\u{201d} when \
                 none is assigned): as received by the day the report was received, as a filing \
                 by the effective date of its declaration or notice, as closed by the effective \
                 date of its closing. A case counts once per cell."
            }
            TableId::Reviews => {
                "A case counts in a year by the effective date of the move that put it in the \
                 row; an extension by the day it was recorded. A case counts once per row, \
                 however many times it made the move that year."
            }
            TableId::Mitigation => {
                "A case counts by the effective date of the decision; a breach by the day the \
                 condition was marked breached. Conditions are those of the decision's kind \
                 (mitigation) the counted cases hold today, or the conditions marked breached \
                 that year; the Cases column links to the cases."
            }
            _ => {
                "A case counts in a year by the effective date of the move that put it in the \
                 row (not the day it was recorded). A case counts once per row, however many \
                 times it made the move that year."
            }
        }
    }

    /// What the table's rows are.
    pub fn shape(self) -> Shape {
        match self {
            TableId::Declarations => Shape::Rows(DECLARATIONS),
            TableId::Notices => Shape::Rows(NOTICES),
            TableId::Reviews => Shape::Rows(REVIEWS),
            TableId::Withdrawals => Shape::Rows(WITHDRAWALS),
            TableId::Mitigation => Shape::Rows(MITIGATION),
            TableId::Presidential => Shape::Rows(PRESIDENTIAL),
            TableId::Inquiries => Shape::Rows(INQUIRIES),
            TableId::SiteKinds => Shape::ByDimension(Dimension::SiteKind, BY_DIMENSION),
            TableId::Countries => Shape::ByDimension(Dimension::AcquirerCountry, BY_DIMENSION),
            TableId::Agencies => Shape::ByDimension(Dimension::LeadAgency, BY_DIMENSION),
        }
    }

    /// The table with this key.
    pub fn parse(key: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// The column key of tables with fixed rows.
pub const CASES_COLUMN: &str = "cases";

/// A value of a dimension, checked so that it is safe to write into SQL as a literal: a
/// country code of two capital letters, a lead agency or a site kind from its closed list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DimValue {
    Country(String),
    /// `None`: no lead agency assigned.
    Agency(Option<LeadAgency>),
    Site(SiteKind),
}

impl DimValue {
    /// Parses a row key of a dimension table.
    pub fn parse(dim: Dimension, key: &str) -> Option<DimValue> {
        match dim {
            Dimension::AcquirerCountry => {
                let ok = key.len() == 2 && key.bytes().all(|b| b.is_ascii_uppercase());
                ok.then(|| DimValue::Country(key.to_string()))
            }
            Dimension::LeadAgency if key == "none" => Some(DimValue::Agency(None)),
            Dimension::LeadAgency => key.parse().ok().map(|a| DimValue::Agency(Some(a))),
            Dimension::SiteKind => SiteKind::parse(key).map(DimValue::Site),
        }
    }

    /// The row key.
    pub fn key(&self) -> &str {
        match self {
            DimValue::Country(c) => c,
            DimValue::Agency(Some(a)) => a.as_str(),
            DimValue::Agency(None) => "none",
            DimValue::Site(k) => k.as_str(),
        }
    }

    /// The row label.
    pub fn label(&self) -> &str {
        match self {
            DimValue::Country(c) => c,
            DimValue::Agency(Some(a)) => a.label(),
            DimValue::Agency(None) => "None",
            DimValue::Site(k) => k.label(),
        }
    }
}

/// One cell: which table, which row and which column. Written `table:row:column` in URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub table: TableId,
    pub row: String,
    pub col: &'static str,
    /// What makes a case count here.
    pub rule: Rule,
    /// The dimension value the case must have, for tables broken down by one.
    pub dim: Option<DimValue>,
}

impl Cell {
    /// Parses `table:row:column`; `None` for anything not on the page.
    pub fn parse(s: &str) -> Option<Cell> {
        let mut it = s.splitn(3, ':');
        let table = TableId::parse(it.next()?)?;
        let row_key = it.next()?;
        let col_key = it.next()?;
        match table.shape() {
            Shape::Rows(rows) => {
                let r = rows.iter().find(|r| r.key == row_key)?;
                (col_key == CASES_COLUMN).then(|| Cell {
                    table,
                    row: r.key.to_string(),
                    col: CASES_COLUMN,
                    rule: r.rule,
                    dim: None,
                })
            }
            Shape::ByDimension(dim, cols) => {
                let c = cols.iter().find(|c| c.key == col_key)?;
                let value = DimValue::parse(dim, row_key)?;
                Some(Cell {
                    table,
                    row: value.key().to_string(),
                    col: c.key,
                    rule: c.rule,
                    dim: Some(value),
                })
            }
        }
    }

    /// The `table:row:column` form.
    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.table.key(), self.row, self.col)
    }

    /// What the queue says it is showing.
    pub fn describe(&self) -> String {
        let (row, col) = match self.table.shape() {
            Shape::Rows(rows) => (
                rows.iter()
                    .find(|r| r.key == self.row)
                    .map_or(self.row.as_str(), |r| r.label),
                "cases",
            ),
            Shape::ByDimension(_, cols) => (
                self.dim.as_ref().map_or(self.row.as_str(), |d| d.label()),
                cols.iter()
                    .find(|c| c.key == self.col)
                    .map_or(self.col, |c| c.label),
            ),
        };
        format!("{}: {row}, {col}", self.table.title())
    }
}

/// The queue's filter by a report cell: its cases in a year, or nothing at all when the cell
/// or the year asked for does not exist (never every case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellFilter {
    Cell(Cell, i32),
    Nothing,
}

impl CellFilter {
    /// The filter of `report=table:row:column&year=YYYY`.
    pub fn parse(report: &str, year: &str, this_year: i32) -> CellFilter {
        match (Cell::parse(report.trim()), parse_year(year, this_year)) {
            (Some(c), Ok(y)) => CellFilter::Cell(c, y),
            _ => CellFilter::Nothing,
        }
    }
}

/// Why a year was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Give a year from {FIRST_YEAR} to {last}, as four digits.")]
pub struct YearError {
    pub last: i32,
}

/// Parses the `year` of a report: four digits, from [`FIRST_YEAR`] to `this_year`; an empty
/// value means `this_year`.
pub fn parse_year(s: &str, this_year: i32) -> Result<i32, YearError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(this_year);
    }
    let err = YearError { last: this_year };
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err);
    }
    match s.parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=this_year).contains(&y) => Ok(y),
        _ => Err(err),
    }
}

/// The first and last day of a year, as the text both backends compare dates with.
pub fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::domain::workflow::TRANSITIONS;

    fn every_rule() -> Vec<Rule> {
        let mut v = Vec::new();
        for t in TableId::ALL {
            match t.shape() {
                Shape::Rows(rows) => v.extend(rows.iter().map(|r| r.rule)),
                Shape::ByDimension(_, cols) => v.extend(cols.iter().map(|c| c.rule)),
            }
        }
        v
    }

    #[test]
    fn every_move_a_cell_counts_is_in_the_transition_table() {
        for rule in every_rule() {
            let Rule::Moved { from, to, outcome } = rule else {
                continue;
            };
            for t in to {
                let exists = TRANSITIONS.iter().any(|x| {
                    x.to == *t
                        && (from.is_empty() || from.contains(&x.from))
                        && (outcome.is_none() || x.outcome == outcome)
                });
                assert!(exists, "{rule:?}: no move into {t:?}");
            }
            for f in from {
                assert!(
                    TRANSITIONS.iter().any(|x| x.from == *f
                        && to.contains(&x.to)
                        && (outcome.is_none() || x.outcome == outcome)),
                    "{rule:?}: no move from {f:?}"
                );
            }
        }
    }

    #[test]
    fn row_keys_are_unique_within_a_table_and_safe_in_urls() {
        for t in TableId::ALL {
            if let Shape::Rows(rows) = t.shape() {
                let mut keys: Vec<_> = rows.iter().map(|r| r.key).collect();
                keys.sort_unstable();
                keys.dedup();
                assert_eq!(keys.len(), rows.len(), "{t:?}");
                for k in keys {
                    assert!(
                        k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                        "{k}"
                    );
                }
            }
            assert_eq!(TableId::parse(t.key()), Some(t));
        }
    }

    #[test]
    fn cells_round_trip_and_refuse_what_is_not_on_the_page() {
        for s in [
            "declarations:cleared:cases",
            "countries:CN:filings",
            "agencies:defense:received",
            "agencies:none:closed",
            "site_kinds:military:received",
            "site_kinds:data_center:filings",
        ] {
            let c = Cell::parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(c.key(), s);
        }
        for s in [
            "",
            "declarations",
            "declarations:cleared",
            "declarations:cleared:received",
            "declarations:nope:cases",
            "countries:cn:filings",
            "countries:CHN:filings",
            "countries:C':filings",
            "agencies:army:received",
            "site_kinds:Military:received",
            "site_kinds:base:received",
            "site_kinds:military:cases",
            "nope:x:cases",
        ] {
            assert_eq!(Cell::parse(s), None, "{s}");
        }
        let c = Cell::parse("countries:CN:received").expect("cell");
        assert_eq!(c.rule, Rule::Received);
        assert_eq!(c.dim, Some(DimValue::Country("CN".into())));
        assert_eq!(
            c.describe(),
            "Cases by acquirer country: CN, Reports received"
        );
    }

    #[test]
    fn years_are_four_digits_in_range() {
        assert_eq!(parse_year("", 2026), Ok(2026));
        assert_eq!(parse_year(" 2024 ", 2026), Ok(2024));
        assert_eq!(parse_year("1975", 2026), Ok(1975));
        for bad in [
            "abc",
            "99999",
            "1974",
            "2027",
            "+2024",
            "-1",
            "２０２４",
            "20 4",
        ] {
            assert!(parse_year(bad, 2026).is_err(), "{bad}");
        }
        assert_eq!(
            year_bounds(2024),
            ("2024-01-01".to_string(), "2024-12-31".to_string())
        );
    }
}
