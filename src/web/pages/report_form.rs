//! The new-report form: its page, and logging what it sends.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::report::{self, PartyRole, RawReport, Source, TxKind};
use crate::domain::{countries, ValidationErrors};
use crate::service::clock::Now;
use crate::service::{self, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{redirect, render, PageCtx};
use crate::web::AppState;

/// Blank party rows the form offers beyond those already filled.
const SPARE_PARTY_ROWS: usize = 2;
/// The most party rows the form will draw.
const MAX_PARTY_ROWS: usize = 50;

#[derive(Template)]
#[template(path = "pages/cases/new.html")]
struct NewReportPage {
    ctx: PageCtx,
    raw: RawReport,
    errors: ValidationErrors,
    rows: Vec<usize>,
    sources: &'static [Source],
    kinds: &'static [TxKind],
    roles: &'static [PartyRole],
    countries: &'static [(&'static str, &'static str)],
    us_states: &'static [&'static str],
}

impl NewReportPage {
    fn v(&self, path: &str) -> String {
        self.raw.value(path)
    }
    fn e(&self, path: &str) -> &str {
        self.errors.get(path)
    }
    fn checked(&self, path: &str) -> bool {
        !self.raw.value(path).is_empty()
    }
    fn pv(&self, i: &usize, field: &str) -> String {
        self.raw.value(&format!("parties[{i}].{field}"))
    }
    fn pe(&self, i: &usize, field: &str) -> &str {
        self.errors.get(&format!("parties[{i}].{field}"))
    }
    fn pchecked(&self, i: &usize, field: &str) -> bool {
        !self.pv(i, field).is_empty()
    }
    fn owns_options(&self, i: &usize) -> Vec<(String, String)> {
        self.rows
            .iter()
            .filter(|j| *j != i)
            .map(|j| (j.to_string(), format!("Party {}", j + 1)))
            .collect()
    }
}

fn page(
    ctx: PageCtx,
    raw: RawReport,
    errors: ValidationErrors,
    extra_rows: usize,
) -> NewReportPage {
    let filled = raw.party_count();
    let n = (filled + SPARE_PARTY_ROWS + extra_rows).clamp(3, MAX_PARTY_ROWS);
    NewReportPage {
        ctx,
        raw,
        errors,
        rows: (0..n).collect(),
        sources: Source::ALL,
        kinds: TxKind::ALL,
        roles: PartyRole::ALL,
        countries: countries::ALL,
        us_states: report::US_STATES,
    }
}

/// Form fields other than the CSRF token and the buttons.
fn fields(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter(|(k, _)| k != "csrf_token" && k != "more_rows")
        .collect()
}

/// `GET /cases/new`: the empty form.
pub async fn form(ctx: PageCtx) -> Result<HttpResponse, WebError> {
    let p = page(
        ctx.clone(),
        RawReport::default(),
        ValidationErrors::new(),
        0,
    );
    render(StatusCode::OK, &ctx, &p)
}

/// `POST /cases/new`: the form as typed, with more party rows (no JavaScript needed).
pub async fn more_rows(
    ctx: PageCtx,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let raw = RawReport::from_pairs(&fields(form.into_inner()));
    let p = page(ctx.clone(), raw, ValidationErrors::new(), 3);
    render(StatusCode::OK, &ctx, &p)
}

/// `POST /cases`: log the report, or show the form again with every problem beside its field.
pub async fn create(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let raw = RawReport::from_pairs(&fields(form.into_inner()));
    let now = Now::real();
    let parsed = report::parse(&raw, now.today);
    let report = match parsed {
        Ok(r) => r,
        Err(errors) => {
            let p = page(ctx.clone(), raw, errors, 0);
            return render(StatusCode::UNPROCESSABLE_ENTITY, &ctx, &p);
        }
    };
    let ws = state.settings.workflow();
    let by = user.0;
    let created = state
        .db
        .run(move |c| {
            service::cases::create_report(c, Some(&by), &report, report.source, &ws, &now)
        })
        .await;
    match created {
        Ok(c) => Ok(redirect(
            &format!("/cases/{}", c.id),
            Some(("ok", &format!("Logged {}.", c.reference))),
        )),
        Err(ServiceError::Validation(errors)) => {
            let p = page(ctx.clone(), raw, errors, 0);
            render(StatusCode::UNPROCESSABLE_ENTITY, &ctx, &p)
        }
        Err(e) => Err(e.into()),
    }
}
