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
    /// Where the form posts, its heading and its button.
    action: String,
    heading: String,
    button: &'static str,
    cancel: String,
    /// The case version an edit was made against.
    version: Option<i64>,
    raw: RawReport,
    errors: ValidationErrors,
    rows: Vec<usize>,
    sources: &'static [Source],
    kinds: &'static [TxKind],
    roles: &'static [PartyRole],
    countries: &'static [(&'static str, &'static str)],
    us_states: &'static [&'static str],
    /// What the received-date field says under it.
    received_hint: &'static str,
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
        action: "/cases/new".into(),
        heading: "Log a report".into(),
        button: "Log report",
        cancel: "/cases".into(),
        version: None,
        raw,
        errors,
        rows: (0..n).collect(),
        sources: Source::ALL,
        kinds: TxKind::ALL,
        roles: PartyRole::ALL,
        countries: countries::ALL,
        us_states: report::US_STATES,
        received_hint: "YYYY-MM-DD. Leave empty for today; a past day is allowed (a report \
                        recorded after the fact), not a future one.",
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
    let screener = state.screener.clone();
    let by = user.0;
    let created = state
        .db
        .run(move |c| {
            service::cases::create_report(
                c,
                Some(&by),
                &report,
                report.source,
                &ws,
                &screener,
                &now,
            )
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

/// The form's field values for a stored case, so an edit starts from what is recorded.
fn case_pairs(v: &crate::service::cases::CaseView) -> Vec<(String, String)> {
    let c = &v.case;
    let opt = |o: Option<String>| o.unwrap_or_default();
    let check = |b: bool| if b { "on".to_string() } else { String::new() };
    let mut pairs: Vec<(String, String)> = vec![
        ("received_on".into(), c.received_on.to_string()),
        ("title".into(), c.title.clone()),
        ("source".into(), c.source.clone()),
        ("summary".into(), c.summary.clone()),
        ("transaction.kind".into(), c.tx_kind.clone()),
        (
            "transaction.date".into(),
            opt(c.tx_date.map(|d| d.to_string())),
        ),
        (
            "transaction.value_usd".into(),
            opt(c.tx_value_usd.map(|n| n.to_string())),
        ),
        ("transaction.rights.access".into(), check(c.right_access)),
        ("transaction.rights.exclude".into(), check(c.right_exclude)),
        ("transaction.rights.improve".into(), check(c.right_improve)),
        ("transaction.rights.affix".into(), check(c.right_affix)),
        ("transaction.intended_use".into(), c.intended_use.clone()),
        (
            "transaction.power_mw".into(),
            opt(c.power_mw.map(|n| n.to_string())),
        ),
        ("property.lat".into(), c.lat.to_string()),
        ("property.lon".into(), c.lon.to_string()),
        ("property.address".into(), c.address.clone()),
        ("property.state".into(), opt(c.us_state.clone())),
        ("property.county_fips".into(), opt(c.county_fips.clone())),
        (
            "property.acreage".into(),
            opt(c.acreage.map(|n| n.to_string())),
        ),
        ("property.urban_area".into(), check(c.urban_area)),
        (
            "property.single_housing_unit".into(),
            check(c.single_housing_unit),
        ),
        ("property.in_port".into(), check(c.in_port)),
        (
            "property.commercial_office".into(),
            check(c.commercial_office),
        ),
    ];
    for (i, p) in v.parties.iter().enumerate() {
        let owns = p
            .owns
            .as_ref()
            .and_then(|k| v.parties.iter().position(|o| &o.key == k))
            .map(|j| j.to_string())
            .unwrap_or_default();
        for (field, value) in [
            ("name", p.name.clone()),
            ("country", p.country.clone()),
            ("role", p.role.clone()),
            ("owns", owns),
            ("ownership_pct", opt(p.ownership_pct.map(|n| n.to_string()))),
            ("government_controlled", check(p.government_controlled)),
            ("state_owned", check(p.state_owned)),
        ] {
            pairs.push((format!("parties[{i}].{field}"), value));
        }
    }
    pairs.retain(|(_, v)| !v.is_empty());
    pairs
}

fn edit_page(
    ctx: PageCtx,
    id: i64,
    version: i64,
    raw: RawReport,
    errors: ValidationErrors,
    reference: &str,
) -> NewReportPage {
    let mut p = page(ctx, raw, errors, 0);
    p.action = format!("/cases/{id}/edit");
    p.heading = format!("Edit {reference}");
    p.button = "Save changes";
    p.cancel = format!("/cases/{id}");
    p.version = Some(version);
    let chair = p
        .ctx
        .user
        .as_ref()
        .is_some_and(|u| u.role.at_least(crate::domain::Role::Chair));
    p.received_hint = if chair {
        "A correction is recorded in the history; it may not come after the case's first move."
    } else {
        "Only a chair may correct it."
    };
    p
}

/// `GET /cases/{id}/edit`: the report form filled with the case's facts.
pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let v = state.db.run(move |c| service::cases::view(c, id)).await?;
    let raw = RawReport::from_pairs(&case_pairs(&v));
    let p = edit_page(
        ctx.clone(),
        id,
        v.case.version,
        raw,
        ValidationErrors::new(),
        &v.case.reference,
    );
    render(StatusCode::OK, &ctx, &p)
}

/// `POST /cases/{id}/edit`: save the facts (each change goes into the history), or show the
/// form again with the problems.
pub async fn save(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let pairs = form.into_inner();
    let version = pairs
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .unwrap_or(-1);
    let raw = RawReport::from_pairs(&fields(
        pairs.into_iter().filter(|(k, _)| k != "version").collect(),
    ));
    let now = Now::real();
    let refuse = |status: StatusCode, errors: ValidationErrors, reference: String| {
        let p = edit_page(ctx.clone(), id, version, raw.clone(), errors, &reference);
        render(status, &ctx, &p)
    };
    let reference = state
        .db
        .run(move |c| service::cases::view(c, id))
        .await?
        .case
        .reference;
    let report = match report::parse(&raw, now.today) {
        Ok(r) => r,
        Err(errors) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors, reference),
    };
    let by = user.0;
    let screener = state.screener.clone();
    let ws = state.settings.workflow();
    match state
        .db
        .run(move |c| {
            let edit = service::cases::Edit {
                report: &report,
                version,
            };
            service::cases::edit(c, &by, id, edit, &ws, &screener, &now)
        })
        .await
    {
        Ok(0) => Ok(redirect(
            &format!("/cases/{id}"),
            Some(("ok", "Nothing changed.")),
        )),
        Ok(n) => Ok(redirect(
            &format!("/cases/{id}"),
            Some(("ok", &format!("Saved {n} change(s)."))),
        )),
        Err(ServiceError::Conflict(m)) => {
            let errors = ValidationErrors::single("form", m);
            refuse(StatusCode::CONFLICT, errors, reference)
        }
        Err(ServiceError::Validation(errors)) => {
            refuse(StatusCode::UNPROCESSABLE_ENTITY, errors, reference)
        }
        Err(e) => Err(e.into()),
    }
}
