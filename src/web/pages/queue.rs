//! `GET /cases`: the triage queue. Every filter, the search, the sort and the page live in the
//! URL, so a view can be bookmarked and shared.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::case_view::days_text;
use crate::db::cases::NO_DEADLINE;
use crate::db::queue::{Cursor, Filter, Sort};
use crate::domain::area::Area;
use crate::domain::report::LeadAgency;
use crate::domain::reports::CellFilter;
use crate::domain::search::Query;
use crate::domain::workflow::State;
use crate::service::clock::Now;
use crate::service::{self, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{render, PageCtx};
use crate::web::AppState;

/// The risk bands, lowest first.
pub const RISK_BANDS: [&str; 4] = ["low", "moderate", "high", "critical"];

/// The longest search read, in characters.
const MAX_QUERY: usize = 500;

/// Rows per page.
pub const PAGE: i64 = 50;

/// The queue's query string.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct QueueQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub assignee: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub agency: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub risk: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub overdue: String,
    /// `week`: next deadline within the next seven days.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub due: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mine: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    /// A cell of the reports page (`table:row:column`), with `year`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub report: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub year: String,
    /// `south,west,north,east` in degrees: only the cases placed there (a merged mark of the
    /// dashboard's map links here).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub area: String,
    /// Any value: only the cases not closed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub open: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sort: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub after: String,
}

impl QueueQuery {
    fn sort(&self) -> Sort {
        match self.sort.as_str() {
            "received" => Sort::Received,
            "updated" => Sort::Updated,
            _ => Sort::Deadline,
        }
    }

    fn cursor(&self) -> Option<Cursor> {
        let (key, id) = self.after.rsplit_once('_')?;
        let id: i64 = id.parse().ok()?;
        match self.sort() {
            Sort::Updated => NaiveDateTime::parse_from_str(key, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|t| Cursor::Stamp(t, id)),
            _ => key.parse::<NaiveDate>().ok().map(|d| Cursor::Date(d, id)),
        }
    }

    /// The database filter this query asks for, for `user` on `today`.
    pub fn filter(&self, user: &str, today: NaiveDate, limit: i64) -> Filter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Filter {
            state: some(&self.state).filter(|s| s.parse::<State>().is_ok()),
            assignee: if self.mine.is_empty() {
                some(&self.assignee)
            } else {
                Some(user.to_string())
            },
            lead_agency: some(&self.agency).filter(|a| a.parse::<LeadAgency>().is_ok()),
            country: some(&self.country).map(|c| c.to_uppercase()),
            risk_band: some(&self.risk).filter(|b| RISK_BANDS.contains(&b.as_str())),
            due_before: if !self.overdue.is_empty() {
                Some(today)
            } else if self.due == "week" {
                Some(today + chrono::Duration::days(8))
            } else {
                None
            },
            due_from: (self.overdue.is_empty() && self.due == "week").then_some(today),
            search: Query::parse(&self.q.chars().take(MAX_QUERY).collect::<String>()),
            report: (!self.report.is_empty())
                .then(|| CellFilter::parse(&self.report, &self.year, today.year())),
            area: some(&self.area).map(|a| a.parse::<Area>().ok()),
            open_only: !self.open.is_empty(),
            sort: self.sort(),
            after: self.cursor(),
            limit,
        }
    }

    /// This query as a URL query string, with `after` replaced.
    fn with_after(&self, after: &str) -> String {
        let mut q = self.clone();
        q.after = after.to_string();
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }
}

/// A row of the queue.
pub struct QueueRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub state: &'static str,
    pub state_key: String,
    pub assignee: String,
    pub countries: String,
    pub risk: String,
    pub jurisdiction: String,
    pub due: Option<NaiveDate>,
    pub left: String,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "pages/queue.html")]
struct QueuePage {
    ctx: PageCtx,
    query: QueueQuery,
    rows: Vec<QueueRow>,
    next: Option<String>,
    first_page: bool,
    states: &'static [State],
    agencies: &'static [LeadAgency],
    bands: [&'static str; 4],
    assignable: Vec<String>,
    this_year: i32,
}

impl QueuePage {
    /// What a reports-page filter shows, said above the list.
    fn report_note(&self) -> Option<String> {
        if self.query.report.is_empty() {
            return None;
        }
        Some(
            match CellFilter::parse(&self.query.report, &self.query.year, self.this_year) {
                CellFilter::Cell(c, y) => {
                    format!("Cases counted in the {y} report, {}", c.describe())
                }
                CellFilter::Nothing => {
                    "No such cell of the reports page: nothing is listed.".into()
                }
            },
        )
    }

    /// What an area filter shows, said above the list.
    fn area_note(&self) -> Option<String> {
        let area = self.query.area.trim();
        if area.is_empty() {
            return None;
        }
        let which = if self.query.open.is_empty() {
            "Cases"
        } else {
            "Open cases"
        };
        Some(match area.parse::<Area>() {
            Ok(a) => format!("{which} placed {}", a.describe()),
            Err(e) => format!("Not an area: {e} Nothing is listed"),
        })
    }

    /// This view without its area (and the open-only filter that came with it).
    fn without_area(&self) -> String {
        let mut q = self.query.clone();
        q.area.clear();
        q.open.clear();
        q.after.clear();
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }

    fn first_url(&self) -> String {
        self.query.with_after("")
    }

    /// The filters of this view (not its sort or page), for the bulk exports.
    fn export_query(&self) -> String {
        let mut q = self.query.clone();
        q.after.clear();
        q.sort.clear();
        serde_urlencoded::to_string(&q).unwrap_or_default()
    }
}

pub async fn list(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, WebError> {
    let query = query.into_inner();
    let now = Now::real();
    let filter = query.filter(&user.0.username, now.today, PAGE + 1);
    let (page, assignable) = state
        .db
        .run(move |c| {
            Ok::<_, ServiceError>((
                service::cases::queue(c, &filter)?,
                service::cases::assignable(c)?,
            ))
        })
        .await?;
    let shown = usize::try_from(PAGE).unwrap_or(50);
    let more = page.len() > shown;
    let mut rows = Vec::with_capacity(shown);
    let mut next = None;
    for (i, (case, countries)) in page.into_iter().enumerate() {
        if i >= shown {
            break;
        }
        if more && i + 1 == shown {
            let key = match query.sort() {
                Sort::Deadline => case.next_due.to_string(),
                Sort::Received => case.received_on.to_string(),
                Sort::Updated => case.updated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            };
            next = Some(query.with_after(&format!("{key}_{}", case.id)));
        }
        let due = (case.next_due != NO_DEADLINE).then_some(case.next_due);
        let (left, class) = match (due, case.tolled_since) {
            (Some(_), Some(_)) => ("paused".into(), "paused"),
            (Some(d), None) => days_text(d, now.today),
            (None, _) => (String::new(), ""),
        };
        rows.push(QueueRow {
            id: case.id,
            state: case.state.parse::<State>().map(|s| s.label()).unwrap_or(""),
            state_key: case.state,
            reference: case.reference,
            title: case.title,
            assignee: case.assignee.unwrap_or_default(),
            countries: countries.join(" "),
            risk: case.risk_band.clone().unwrap_or_default(),
            jurisdiction: case
                .jurisdiction
                .clone()
                .unwrap_or_default()
                .replace('_', " "),
            due,
            left,
            class,
        });
    }
    let first_page = query.after.is_empty();
    let p = QueuePage {
        ctx: ctx.clone(),
        query,
        rows,
        next,
        first_page,
        states: State::ALL,
        agencies: LeadAgency::ALL,
        bands: RISK_BANDS,
        assignable,
        this_year: now.today.year(),
    };
    render(StatusCode::OK, &ctx, &p)
}
