//! The case page and the actions taken on it (each a form that posts back here).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::case_view::{
    deadline_views, ownership_lines, timeline, DeadlineView, PartyLine, TimelineItem,
};
use crate::domain::report::{LeadAgency, Source, TxKind};
use crate::domain::workflow::{self, CaseFacts, Outcome, State};
use crate::domain::{Role, ValidationErrors};
use crate::service::cases::CaseView;
use crate::service::clock::Now;
use crate::service::workflow::{NewCondition, TransitionInput, CONDITION_STATUSES};
use crate::service::{self, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{redirect, render, PageCtx};
use crate::web::AppState;

/// A move offered on the page: the form value (`review`, or `closed:cleared`) and its label.
pub struct ActionChoice {
    pub value: String,
    pub label: &'static str,
    pub takes_conditions: bool,
}

/// What the user typed into one of the page's forms, kept when it is refused.
#[derive(Default, Clone, serde::Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub effective: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub lead_agency: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub conditions_text: String,
    #[serde(default)]
    pub factor: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub entry_id: String,
    #[serde(default)]
    pub decision: String,
    /// Which form was sent, so its errors show beside it.
    #[serde(skip)]
    pub which: &'static str,
}

#[derive(Template)]
#[template(path = "pages/cases/show.html")]
struct CasePage {
    ctx: PageCtx,
    v: CaseView,
    today: NaiveDate,
    state_label: &'static str,
    outcome_label: &'static str,
    source_label: &'static str,
    kind_label: &'static str,
    agency_label: &'static str,
    deadlines: Vec<DeadlineView>,
    parties: Vec<PartyLine>,
    items: Vec<TimelineItem>,
    actions: Vec<ActionChoice>,
    can_write: bool,
    can_chair: bool,
    assignable: Vec<String>,
    agencies: &'static [LeadAgency],
    statuses: [&'static str; 4],
    form: ActionForm,
    errors: ValidationErrors,
    notice: String,
    screening: Option<crate::domain::screening::Screening>,
    decisions: Vec<crate::db::cases::WatchDecisionRow>,
    attachments: Vec<crate::db::attachments::AttachmentRow>,
    attach_limit: String,
    max_files: usize,
    related: service::related::Related,
    nearby_miles: f64,
    max_shared: usize,
    case_map: Option<crate::maps::case_map::CaseMap>,
}

impl CasePage {
    fn err(&self, which: &str, field: &str) -> &str {
        if self.form.which == which {
            self.errors.get(field)
        } else {
            ""
        }
    }
    /// The heading of a refused form's summary: which form, and that nothing changed.
    fn refusal_heading(&self) -> String {
        let form = match self.form.which {
            "transition" => "The move was not made",
            "comment" => "The comment was not added",
            "assign" => "The assignment was not saved",
            "toll" => "The clocks were not tolled",
            "resume" => "The clocks were not resumed",
            "extend" => "The investigation was not extended",
            "condition" => "The condition was not updated",
            "override" => "The risk override was not saved",
            "hit" => "The watchlist decision was not recorded",
            "attach" => "No file was attached",
            _ => "Nothing was changed",
        };
        format!("{form}; nothing was changed. Check the form below:")
    }
    /// Every problem of a refused form, named by its field, so that none goes unseen (some
    /// fields, such as a condition's line or a hit's rationale, have no place for an error).
    fn refusal_lines(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|(field, message)| match field_label(field) {
                Some(label) => format!("{label}: {message}"),
                None => message.to_string(),
            })
            .collect()
    }
    fn kept(&self, which: &str, value: &str) -> String {
        if self.form.which == which {
            value.to_string()
        } else {
            String::new()
        }
    }
    fn jurisdiction_label(&self) -> &'static str {
        match self.screening.as_ref().map(|s| s.jurisdiction.as_str()) {
            Some("covered") => "Covered real estate transaction",
            Some("not_covered") => "Not a covered transaction",
            Some("excepted") => "Excepted real estate transaction",
            Some("needs_review") => "Needs review: facts are missing",
            _ => "Not screened",
        }
    }
    fn zone_label(&self, zone: &str) -> &'static str {
        match zone {
            "close_proximity" => "Close proximity (within 1 mile)",
            "extended_range" => "Extended range (1 to 100 miles)",
            "county" => "Part 3 county",
            "port" => "Covered port",
            "kind_radius" => "Within the site's radius",
            _ => "Zone",
        }
    }
    fn decision(&self, party: &str, entry_id: &i64) -> Option<&crate::db::cases::WatchDecisionRow> {
        self.decisions
            .iter()
            .rev()
            .find(|d| d.party == party && d.entry_id == *entry_id)
    }
    fn flags(&self) -> String {
        let c = &self.v.case;
        let all = [
            (c.urban_area, "urban area"),
            (c.single_housing_unit, "single housing unit"),
            (c.in_port, "in a port"),
            (c.commercial_office, "commercial office space"),
        ];
        let on: Vec<&str> = all.iter().filter(|(b, _)| *b).map(|(_, n)| *n).collect();
        on.join(", ")
    }
    fn size(&self, bytes: &i64) -> String {
        service::attachments::human_size(*bytes)
    }
    fn takes_conditions(&self) -> bool {
        self.actions.iter().any(|a| a.takes_conditions)
    }
    fn short(&self, hash: &str) -> String {
        hash.chars().take(12).collect()
    }
    fn rights(&self) -> String {
        let c = &self.v.case;
        let mut v = Vec::new();
        for (on, name) in [
            (c.right_access, "access"),
            (c.right_exclude, "exclude"),
            (c.right_improve, "improve"),
            (c.right_affix, "affix"),
        ] {
            if on {
                v.push(name);
            }
        }
        if v.is_empty() {
            "none recorded".into()
        } else {
            format!("{} of 4 ({})", v.len(), v.join(", "))
        }
    }
    fn money(&self) -> String {
        super::case_view::money(self.v.case.tx_value_usd)
    }
    /// A state as people read it (`Closed`), for the related cases.
    fn state_name(&self, state: &str) -> &'static str {
        state.parse::<State>().map(|s| s.label()).unwrap_or("")
    }
    /// Miles to one decimal (`8.0`).
    fn miles(&self, d: &f64) -> String {
        format!("{d:.1}")
    }
}

/// How the case page's forms name a field in a refusal's summary.
fn field_label(field: &str) -> Option<String> {
    let label = match field {
        "to" => "Action",
        "rationale" => "Rationale",
        "effective" => "Effective date",
        "conditions" | "conditions_text" => "Conditions",
        "body" => "Comment",
        "assignee" => "Assignee",
        "lead_agency" => "Lead agency",
        "from" => "Toll from",
        "on" => "Resume on",
        "status" => "Status",
        "factor" => "Factor",
        "value" => "Score",
        "files" => "Files",
        _ => {
            let i = field
                .strip_prefix("conditions[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(n, _)| n.parse::<usize>().ok())?;
            return Some(format!("Condition {}", i + 1));
        }
    };
    Some(label.to_string())
}

fn choices(
    v: &CaseView,
    user: &crate::service::auth::Principal,
    ws: &workflow::WorkflowSettings,
) -> Vec<ActionChoice> {
    let facts = CaseFacts {
        state: v.state(),
        created_by: v.case.created_by.as_deref().unwrap_or(""),
        state_since: v.case.state_since,
    };
    workflow::available(&facts, &user.username, user.role, ws)
        .into_iter()
        .map(|t| ActionChoice {
            value: match t.outcome {
                Some(o) => format!("closed:{}", o.as_str()),
                None => t.to.as_str().to_string(),
            },
            label: t.label,
            takes_conditions: matches!(t.to, State::Monitoring | State::Divestiture),
        })
        .collect()
}

/// A refused form: what was typed, the field errors, and a message for the whole form.
#[derive(Default)]
pub(super) struct Refusal {
    form: ActionForm,
    errors: ValidationErrors,
    notice: String,
}

impl Refusal {
    pub(super) fn errors(form: ActionForm, errors: ValidationErrors) -> Self {
        Refusal {
            form,
            errors,
            notice: String::new(),
        }
    }
    fn notice(form: ActionForm, notice: String) -> Self {
        Refusal {
            form,
            errors: ValidationErrors::new(),
            notice,
        }
    }
}

/// Renders the case page, with a refused form's input and errors when there is one.
pub(super) async fn page(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    id: i64,
    status: StatusCode,
    refusal: Refusal,
) -> Result<HttpResponse, WebError> {
    let Refusal {
        form,
        errors,
        notice,
    } = refusal;
    let (v, assignable, decisions, attachments, related, case_map) = state
        .db
        .run(move |c| {
            let (v, related) = service::related::view(c, id)?;
            let map = service::case_map::case_map(c, v.case.lat, v.case.lon, v.screening.as_ref())?;
            Ok::<_, ServiceError>((
                v,
                service::cases::assignable(c)?,
                crate::db::cases::watch_decisions_of(c, id)?,
                service::attachments::list(c, id)?,
                related,
                map,
            ))
        })
        .await?;
    let today = Now::real().today;
    let ws = state.settings.workflow();
    let case = &v.case;
    let p = CasePage {
        today,
        state_label: case.state.parse::<State>().map(|s| s.label()).unwrap_or(""),
        outcome_label: case
            .outcome
            .as_deref()
            .and_then(|o| o.parse::<Outcome>().ok())
            .map(|o| o.label())
            .unwrap_or(""),
        source_label: case
            .source
            .parse::<Source>()
            .map(|s| s.label())
            .unwrap_or(""),
        kind_label: case
            .tx_kind
            .parse::<TxKind>()
            .map(|k| k.label())
            .unwrap_or(""),
        agency_label: case
            .lead_agency
            .as_deref()
            .and_then(|a| a.parse::<LeadAgency>().ok())
            .map(|a| a.label())
            .unwrap_or("—"),
        deadlines: deadline_views(&v.deadlines, today, case.tolled_since.is_some()),
        parties: ownership_lines(&v.parties),
        items: timeline(&v.events),
        actions: choices(&v, &user.0, &ws),
        can_write: user.0.role.at_least(Role::Reviewer),
        can_chair: user.0.role.at_least(Role::Chair),
        assignable,
        agencies: LeadAgency::ALL,
        statuses: CONDITION_STATUSES,
        form,
        errors,
        notice,
        screening: v.screening.clone(),
        decisions,
        attachments,
        attach_limit: service::attachments::human_size(
            i64::try_from(state.settings.attachment_max_bytes).unwrap_or(i64::MAX),
        ),
        max_files: service::attachments::MAX_FILES,
        related,
        nearby_miles: crate::domain::related::NEARBY_MILES,
        max_shared: crate::domain::related::MAX_SHARED,
        case_map: Some(case_map),
        ctx: ctx.clone(),
        v,
    };
    render(status, &ctx, &p)
}

pub async fn show(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    page(
        &state,
        ctx,
        &user,
        id.into_inner(),
        StatusCode::OK,
        Refusal::default(),
    )
    .await
}

/// Runs one action; on success back to the case with a message, on refusal the case page again
/// with the input kept and the reason shown.
async fn act<F>(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: i64,
    form: ActionForm,
    done: &str,
    f: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce(
            &mut crate::db::DbConn,
            &crate::service::auth::Principal,
            i64,
        ) -> Result<i64, ServiceError>
        + Send
        + 'static,
{
    let Ok(version) = form.version.trim().parse::<i64>() else {
        let notice = "This form is out of date. Nothing was changed; check the case and try again."
            .to_string();
        return page(
            &state,
            ctx,
            &user,
            id,
            StatusCode::CONFLICT,
            Refusal::notice(form, notice),
        )
        .await;
    };
    let principal = user.0.clone();
    match state.db.run(move |c| f(c, &principal, version)).await {
        Ok(_) => Ok(redirect(&format!("/cases/{id}"), Some(("ok", done)))),
        Err(ServiceError::Validation(errors)) => {
            page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::errors(form, errors),
            )
            .await
        }
        Err(ServiceError::Conflict(m)) => {
            page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::CONFLICT,
                Refusal::notice(form, m),
            )
            .await
        }
        Err(ServiceError::InvalidTransition(m)) => {
            page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::notice(form, m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_date(raw: &str, field: &str) -> Result<Option<NaiveDate>, ValidationErrors> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ValidationErrors::single(field, "Enter a date as YYYY-MM-DD."))
}

/// Conditions typed one per line: `text` or `YYYY-MM-DD: text` for a dated one.
fn parse_conditions(raw: &str) -> Result<Vec<NewCondition>, ValidationErrors> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (due, text) = match line.split_once(':') {
            Some((d, t)) if d.trim().len() == 10 => {
                match NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d") {
                    Ok(date) => (Some(date), t.trim()),
                    Err(_) => {
                        return Err(ValidationErrors::single(
                            "conditions_text",
                            format!("{:?} is not a date (YYYY-MM-DD).", d.trim()),
                        ))
                    }
                }
            }
            _ => (None, line),
        };
        out.push(NewCondition {
            text: text.to_string(),
            due,
        });
    }
    Ok(out)
}

fn parse_target(to: &str) -> Result<(State, Option<Outcome>), ValidationErrors> {
    let bad = || ValidationErrors::single("to", "Choose one of the actions offered.");
    match to.split_once(':') {
        Some(("closed", o)) => Ok((
            State::Closed,
            Some(o.parse::<Outcome>().map_err(|_| bad())?),
        )),
        Some(_) => Err(bad()),
        None => Ok((to.parse::<State>().map_err(|_| bad())?, None)),
    }
}

pub async fn transition(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "transition";
    let id = id.into_inner();
    let parsed = (|| {
        let (to, outcome) = parse_target(&form.to)?;
        let effective = parse_date(&form.effective, "effective")?;
        let conditions = parse_conditions(&form.conditions_text)?;
        Ok::<_, ValidationErrors>((to, outcome, effective, conditions))
    })();
    let (to, outcome, effective, conditions) = match parsed {
        Ok(p) => p,
        Err(errors) => {
            return page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::errors(form, errors),
            )
            .await
        }
    };
    let ws = state.settings.workflow();
    let rationale = form.rationale.clone();
    let done = format!("Moved to {}.", to.label());
    act(state, ctx, user, id, form, &done, move |c, by, version| {
        let input = TransitionInput {
            to,
            outcome,
            rationale,
            effective,
            version,
            conditions,
        };
        service::workflow::transition(c, by, id, &input, &ws, &Now::real())
    })
    .await
}

pub async fn comment(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "comment";
    let id = id.into_inner();
    let body = form.body.clone();
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Comment added.",
        move |c, by, version| {
            service::cases::comment(c, by, id, &body, Some(version), &Now::real())
        },
    )
    .await
}

pub async fn assign(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "assign";
    let id = id.into_inner();
    let agency = match form.lead_agency.trim() {
        "" => None,
        a => match a.parse::<LeadAgency>() {
            Ok(a) => Some(a),
            Err(_) => {
                let errors = ValidationErrors::single("lead_agency", "Choose one of the agencies.");
                return page(
                    &state,
                    ctx,
                    &user,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Refusal::errors(form, errors),
                )
                .await;
            }
        },
    };
    let assignee = Some(form.assignee.trim().to_string()).filter(|a| !a.is_empty());
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Assignment saved.",
        move |c, by, version| {
            service::cases::assign(
                c,
                by,
                id,
                assignee.as_deref(),
                agency,
                version,
                &Now::real(),
            )
        },
    )
    .await
}

pub async fn toll(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "toll";
    let id = id.into_inner();
    let now = Now::real();
    let from = match parse_date(&form.from, "from") {
        Ok(d) => d.unwrap_or(now.today),
        Err(errors) => {
            return page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::errors(form, errors),
            )
            .await
        }
    };
    let rationale = form.rationale.clone();
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Clocks tolled.",
        move |c, by, version| service::workflow::toll(c, by, id, from, &rationale, version, &now),
    )
    .await
}

pub async fn resume(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "resume";
    let id = id.into_inner();
    let now = Now::real();
    let on = match parse_date(&form.on, "on") {
        Ok(d) => d.unwrap_or(now.today),
        Err(errors) => {
            return page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::errors(form, errors),
            )
            .await
        }
    };
    let rationale = form.rationale.clone();
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Clocks resumed; deadlines moved.",
        move |c, by, version| service::workflow::resume(c, by, id, on, &rationale, version, &now),
    )
    .await
}

pub async fn extend(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "extend";
    let id = id.into_inner();
    let ws = state.settings.workflow();
    let rationale = form.rationale.clone();
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Investigation extended by 15 days.",
        move |c, by, version| {
            service::workflow::extend(c, by, id, &rationale, version, &ws, &Now::real())
        },
    )
    .await
}

pub async fn condition(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "condition";
    let (id, cid) = path.into_inner();
    let status = form.status.clone();
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Condition updated.",
        move |c, by, version| {
            service::workflow::set_condition(c, by, id, cid, &status, version, &Now::real())
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_read_one_per_line() {
        let c = parse_conditions("2024-08-11: Remove all equipment\n\n  Divest the property  \n")
            .unwrap_or_default();
        assert_eq!(c.len(), 2);
        assert_eq!(
            c.first()
                .and_then(|c| c.due)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-08-11")
        );
        assert_eq!(
            c.get(1).map(|c| c.text.as_str()),
            Some("Divest the property")
        );
        assert!(parse_conditions("2024-13-45: nope").is_err());
        assert_eq!(
            parse_target("closed:cleared").ok(),
            Some((State::Closed, Some(Outcome::Cleared)))
        );
        assert!(parse_target("closed:bogus").is_err());
        assert!(parse_target("<script>").is_err());
    }
}

pub async fn risk(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "override";
    let id = id.into_inner();
    let value = match form.value.trim() {
        "" => None,
        v => match v.parse::<u8>() {
            Ok(n) => Some(n),
            Err(_) => {
                let errors =
                    ValidationErrors::single("value", "A score from 1 to 5, or empty to clear.");
                return page(
                    &state,
                    ctx,
                    &user,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Refusal::errors(form, errors),
                )
                .await;
            }
        },
    };
    let (factor, rationale, screener) = (
        form.factor.clone(),
        form.rationale.clone(),
        state.screener.clone(),
    );
    act(
        state,
        ctx,
        user,
        id,
        form,
        "Risk override saved; the case was re-screened.",
        move |c, by, version| {
            service::screening::override_risk(
                c,
                &screener,
                by,
                id,
                &factor,
                value,
                &rationale,
                version,
                &Now::real(),
            )
        },
    )
    .await
}

pub async fn hit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, WebError> {
    let mut form = form.into_inner();
    form.which = "hit";
    let id = id.into_inner();
    let Ok(entry_id) = form.entry_id.trim().parse::<i64>() else {
        return Err(WebError::NotFound { api: false });
    };
    let confirm = form.decision == "confirm";
    let (party, rationale, screener) = (
        form.party.clone(),
        form.rationale.clone(),
        state.screener.clone(),
    );
    let done = if confirm {
        "Watchlist hit confirmed."
    } else {
        "Watchlist hit dismissed."
    };
    act(state, ctx, user, id, form, done, move |c, by, version| {
        service::screening::decide_hit_and_rescreen(
            c,
            &screener,
            by,
            id,
            &party,
            entry_id,
            confirm,
            &rationale,
            version,
            &Now::real(),
        )
    })
    .await
}

#[derive(Template)]
#[template(path = "pages/rescreen.html")]
struct RescreenPage {
    ctx: PageCtx,
    screened: usize,
    changes: Vec<crate::service::screening::Change>,
}

/// `POST /cases/rescreen`: a chair re-screens every open case and sees which answers changed.
pub async fn rescreen(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
) -> Result<HttpResponse, WebError> {
    let screener = state.screener.clone();
    let by = user.0;
    let (screened, changes) = state
        .db
        .run(move |c| service::screening::rescreen_all(c, &screener, &by, &Now::real()))
        .await?;
    render(
        StatusCode::OK,
        &ctx,
        &RescreenPage {
            ctx: ctx.clone(),
            screened,
            changes,
        },
    )
}
