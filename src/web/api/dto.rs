//! The JSON API's request and response bodies, kept apart from the domain types: the shapes
//! clients see (and the OpenAPI document describes), how they are read from untrusted JSON, and
//! how refusals are answered.
//!
//! Request bodies are read from a `serde_json::Value` field by field, so that a wrong type
//! (`"version": "3"`) is a 422 naming the field rather than serde's generic 400.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use crate::db::cases::NO_DEADLINE;
use crate::db::queue::QueueCase;
use crate::db::queue::Sort;
use crate::domain::history::ChainedEvent;
use crate::domain::report::{LeadAgency, PartyRole, Source, TxKind};
use crate::domain::workflow::{self, CaseFacts, Outcome, State, WorkflowSettings};
use crate::domain::ValidationErrors;
use crate::service::auth::Principal;
use crate::service::cases::CaseView;
pub use crate::service::export::json::{
    property, transaction, ConditionJson, DeadlineJson, PartyJson, PropertyJson, RightsJson,
    TransactionJson,
};
use crate::service::history::stamp;
use crate::service::related::{Related, RelatedCase};
use crate::service::workflow::{NewCondition, TransitionInput};
use crate::service::ServiceError;
use crate::web::error::{self, WebError};
use crate::web::pages::queue::QueueQuery;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Every API error: `{"error": {...}}`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The error itself.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine code: `validation`, `invalid_transition`, `conflict`, `forbidden`,
    /// `not_found`, `unauthenticated`, `bad_request`, `too_large`, …
    #[schema(example = "validation")]
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The (first) request field concerned, as a dotted path (`property.lat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `validation`: every field refused, path → message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// For a refused import (`import_refused`): the file's problems by line and field (at most
    /// 1,000; `problems_total` counts them all). Nothing was stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<crate::service::import::Problem>>,
    /// For a refused import: how many problems the file has in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems_total: Option<usize>,
}

/// The message for a body over the configured limit.
const TOO_LARGE: &str = "The request is larger than Cordon accepts.";

fn error_json(status: StatusCode, detail: ErrorDetail) -> HttpResponse {
    HttpResponse::build(status).json(ErrorBody { error: detail })
}

/// A refused API request. Validation errors list every field; everything else is answered as
/// `web::error` answers API errors.
#[derive(Debug)]
pub enum ApiError {
    /// Input refused field by field: 422 with `error.fields`.
    Invalid(ValidationErrors),
    /// Any other refusal (403, 404, 409, 422 invalid transition, 400, …).
    Web(WebError),
    /// The body could not be read by its extractor: malformed JSON (400), too large (413).
    Extract(actix_web::Error),
}

impl ApiError {
    /// A 400 with this message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::Web(WebError::BadRequest {
            message: message.into(),
            api: true,
        })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Invalid(v) => write!(f, "invalid input: {v}"),
            ApiError::Web(e) => write!(f, "{e}"),
            ApiError::Extract(e) => write!(f, "unreadable body: {e}"),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Validation(v) => ApiError::Invalid(v),
            other => ApiError::Web(error::api(other)),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(v: ValidationErrors) -> Self {
        ApiError::Invalid(v)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Web(e) => e.status_code(),
            ApiError::Extract(e) => e.as_response_error().status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Invalid(v) => {
                let (field, message) = v.first().unwrap_or(("", "The input is not valid."));
                let fields: BTreeMap<String, String> = v
                    .iter()
                    .map(|(k, m)| (k.to_string(), m.to_string()))
                    .collect();
                error_json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorDetail {
                        code: "validation".into(),
                        message: message.to_string(),
                        field: Some(field.to_string()).filter(|f| !f.is_empty()),
                        fields: Some(fields),
                        problems: None,
                        problems_total: None,
                    },
                )
            }
            ApiError::Web(e) => e.error_response(),
            ApiError::Extract(e) => {
                let status = self.status_code();
                if status == StatusCode::PAYLOAD_TOO_LARGE {
                    // The app-wide limit answers with an HTML page; the API answers in JSON.
                    return error_json(
                        status,
                        ErrorDetail {
                            code: "too_large".into(),
                            message: TOO_LARGE.into(),
                            field: None,
                            fields: None,
                            problems: None,
                            problems_total: None,
                        },
                    );
                }
                match e.as_error::<WebError>() {
                    // The app's JSON extractor already answers as API JSON.
                    Some(_) => e.error_response(),
                    None => error_json(
                        status,
                        ErrorDetail {
                            code: "bad_request".into(),
                            message: format!("The JSON body could not be read: {e}"),
                            field: None,
                            fields: None,
                            problems: None,
                            problems_total: None,
                        },
                    ),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading untrusted JSON
// ---------------------------------------------------------------------------------------------

/// The members of a request body, or a 400 when it is not a JSON object.
pub fn object_body(body: Value) -> Result<Map<String, Value>, ApiError> {
    match body {
        Value::Object(m) => Ok(m),
        _ => Err(ApiError::bad_request("The body must be a JSON object.")),
    }
}

/// A member that is absent or `null` counts as not given.
fn given<'a>(m: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    m.get(name).filter(|v| !v.is_null())
}

/// A required text member; records an error and gives `None` when absent, blank or not text.
fn required_str<'a>(
    m: &'a Map<String, Value>,
    name: &str,
    missing: &str,
    e: &mut ValidationErrors,
) -> Option<&'a str> {
    match given(m, name) {
        None => {
            e.add(name, missing);
            None
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            e.add(name, missing);
            None
        }
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            e.add(name, "Give this as text (a JSON string).");
            None
        }
    }
}

/// An optional integer member (`version`).
fn optional_int(m: &Map<String, Value>, name: &str, e: &mut ValidationErrors) -> Option<i64> {
    match given(m, name) {
        None => None,
        Some(v) => match v.as_i64() {
            Some(n) => Some(n),
            None => {
                e.add(name, "Give a whole number (a JSON integer).");
                None
            }
        },
    }
}

/// An optional date member, `YYYY-MM-DD`, at `path`.
fn optional_date(value: Option<&Value>, path: &str, e: &mut ValidationErrors) -> Option<NaiveDate> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(path, "Enter a date as YYYY-MM-DD.");
                None
            }
        },
        Some(_) => {
            e.add(path, "Enter a date as YYYY-MM-DD (a JSON string).");
            None
        }
    }
}

fn state_names() -> String {
    State::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn outcome_names() -> String {
    Outcome::ALL
        .iter()
        .map(|o| o.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// `POST /api/v1/cases`: a report, as in PRODUCT.md section 6. Optional fields may be left out
/// or `null`; every field must have its JSON type (`"lat": 41.17`, not `"41.17"`; `true`, not
/// `"yes"` or `1`), and every problem is refused at once, field by field (`property.lat`).
#[derive(Clone, Debug, ToSchema)]
#[schema(example = json!({
    "title": "Crypto mine next to F.E. Warren AFB",
    "source": "company_report",
    "received_on": "2022-08-22",
    "summary": "Report of a PRC-linked Bitcoin mine on a 12-acre lot north of the base.",
    "transaction": {"kind": "purchase", "date": "2022-06-15", "value_usd": 1500000,
                    "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
                    "intended_use": "cryptocurrency mining", "power_mw": 75},
    "property": {"lat": 41.17, "lon": -104.85, "address": "North Range Business Park, Cheyenne",
                 "state": "WY", "county_fips": "56021", "acreage": 12},
    "parties": [
        {"key": "p1", "name": "MineOne Wyoming Data Center LLC", "country": "US", "role": "acquirer"},
        {"key": "p2", "name": "MineOne Partners Ltd", "country": "VG", "role": "parent", "owns": "p1", "ownership_pct": 100},
        {"key": "p3", "name": "PRC nationals (undisclosed)", "country": "CN", "role": "ultimate_parent", "owns": "p2", "ownership_pct": 51}
    ]
}))]
pub struct ReportRequest {
    /// The day the office received the report: from 1975-01-01 to today; today when left out.
    /// The `lead` state and its triage clock start on it, and later moves may be effective
    /// from it (a report recorded after the fact).
    #[schema(value_type = Option<String>, format = Date, example = "2022-08-22")]
    pub received_on: Option<NaiveDate>,
    /// One line a colleague will recognise.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Crypto mine next to F.E. Warren AFB"
    )]
    pub title: String,
    pub source: Source,
    #[schema(max_length = 20000)]
    pub summary: Option<String>,
    pub transaction: ReportTransaction,
    pub property: ReportProperty,
    /// Parties linked into ownership chains by `key` and `owns`.
    #[schema(max_items = 50)]
    pub parties: Option<Vec<ReportParty>>,
}

/// The transaction of a report.
#[derive(Clone, Debug, ToSchema)]
pub struct ReportTransaction {
    pub kind: TxKind,
    /// The transaction date, not after today.
    #[schema(value_type = Option<String>, format = Date, example = "2022-06-15")]
    pub date: Option<NaiveDate>,
    /// The value in US dollars.
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub value_usd: Option<i64>,
    pub rights: Option<ReportRights>,
    /// E.g. "cryptocurrency mining".
    #[schema(max_length = 200)]
    pub intended_use: Option<String>,
    /// Power demand in MW.
    #[schema(minimum = 0, maximum = 100000)]
    pub power_mw: Option<f64>,
}

/// The property rights conveyed (31 CFR 802.212); each left out or `null` is not conveyed.
#[derive(Clone, Copy, Debug, ToSchema)]
pub struct ReportRights {
    pub access: Option<bool>,
    pub exclude: Option<bool>,
    pub improve: Option<bool>,
    pub affix: Option<bool>,
}

/// The property of a report. The county (and state) are found from the point when left out.
#[derive(Clone, Debug, ToSchema)]
pub struct ReportProperty {
    #[schema(minimum = -90, maximum = 90, example = 41.17)]
    pub lat: f64,
    #[schema(minimum = -180, maximum = 180, example = -104.85)]
    pub lon: f64,
    #[schema(max_length = 300)]
    pub address: Option<String>,
    /// A US state or territory postal code.
    #[schema(pattern = "^[A-Za-z]{2}$", example = "WY")]
    pub state: Option<String>,
    /// The 5-digit county FIPS code.
    #[schema(pattern = "^[0-9]{5}$", example = "56021")]
    pub county_fips: Option<String>,
    #[schema(minimum = 0, maximum = 10000000)]
    pub acreage: Option<f64>,
    pub urban_area: Option<bool>,
    pub single_housing_unit: Option<bool>,
    pub in_port: Option<bool>,
    pub commercial_office: Option<bool>,
}

/// A party of a report.
#[derive(Clone, Debug, ToSchema)]
pub struct ReportParty {
    /// Unique within the report; `p1`, `p2`, … by position when left out.
    #[schema(pattern = "^[A-Za-z0-9_-]{1,32}$", example = "p2")]
    pub key: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// ISO 3166-1 alpha-2.
    #[schema(pattern = "^[A-Za-z]{2}$", example = "VG")]
    pub country: String,
    pub role: PartyRole,
    /// Its share of the party it owns.
    #[schema(minimum = 0, maximum = 100)]
    pub ownership_pct: Option<f64>,
    /// The key of the party it owns.
    #[schema(example = "p1")]
    pub owns: Option<String>,
    pub government_controlled: Option<bool>,
    pub state_owned: Option<bool>,
}

/// `POST /api/v1/cases/{id}/transitions`.
#[derive(Clone, Debug, ToSchema)]
#[schema(example = json!({"to": "screening", "rationale": "Within a mile of a listed part 1 installation.", "version": 1}))]
pub struct TransitionRequest {
    /// The state to move to; only the moves the case page offers in its state are taken.
    pub to: State,
    /// How the case ends: required with `to: "closed"`, refused otherwise.
    pub outcome: Option<Outcome>,
    /// Why.
    #[schema(min_length = 1, max_length = 5000)]
    pub rationale: String,
    /// The case version this move was decided against; a stale one is refused with 409.
    #[schema(minimum = 1)]
    pub version: i64,
    /// When the move took effect: today when left out; never in the future, nor before the
    /// day the case entered its current state.
    #[schema(value_type = Option<String>, format = Date)]
    pub effective: Option<NaiveDate>,
    /// For `monitoring` (mitigation) and `divestiture` (order deadlines).
    #[schema(max_items = 50)]
    pub conditions: Option<Vec<ConditionRequest>>,
}

/// A condition of a decision.
#[derive(Clone, Debug, ToSchema)]
pub struct ConditionRequest {
    /// What must be done.
    #[schema(min_length = 1, max_length = 2000)]
    pub text: String,
    /// By when, if dated.
    #[schema(value_type = Option<String>, format = Date)]
    pub due: Option<NaiveDate>,
}

impl TransitionRequest {
    /// Reads a transition from a JSON body, every field checked (all problems at once).
    pub fn input(body: Value) -> Result<TransitionInput, ApiError> {
        let m = object_body(body)?;
        let mut e = ValidationErrors::new();
        let to = match given(&m, "to") {
            None => {
                e.add("to", "Say which state to move to.");
                None
            }
            Some(Value::String(s)) => match s.trim().parse::<State>() {
                Ok(state) => Some(state),
                Err(_) => {
                    e.add("to", format!("Unknown state; one of: {}.", state_names()));
                    None
                }
            },
            Some(_) => {
                e.add("to", "Give the state as text, e.g. \"screening\".");
                None
            }
        };
        let outcome = match given(&m, "outcome") {
            None => None,
            Some(Value::String(s)) => match s.trim().parse::<Outcome>() {
                Ok(o) => Some(o),
                Err(_) => {
                    e.add(
                        "outcome",
                        format!("Unknown outcome; one of: {}.", outcome_names()),
                    );
                    None
                }
            },
            Some(_) => {
                e.add("outcome", "Give the outcome as text, e.g. \"cleared\".");
                None
            }
        };
        match (to, outcome) {
            (Some(State::Closed), None) if !e.has("outcome") => e.add(
                "outcome",
                format!("Closing needs an outcome; one of: {}.", outcome_names()),
            ),
            (Some(s), Some(_)) if s != State::Closed => {
                e.add("outcome", "Only a move to \"closed\" takes an outcome.")
            }
            _ => {}
        }
        let rationale = required_str(&m, "rationale", "Give a rationale.", &mut e);
        let version = match given(&m, "version") {
            None => {
                e.add(
                    "version",
                    "Give the case version this move was decided against.",
                );
                None
            }
            Some(_) => optional_int(&m, "version", &mut e),
        };
        let effective = optional_date(m.get("effective"), "effective", &mut e);
        let conditions = conditions(given(&m, "conditions"), &mut e);
        match (to, rationale, version) {
            (Some(to), Some(rationale), Some(version)) if e.is_empty() => Ok(TransitionInput {
                to,
                outcome,
                rationale: rationale.to_string(),
                effective,
                version,
                conditions,
            }),
            _ => Err(ApiError::Invalid(e)),
        }
    }
}

fn conditions(value: Option<&Value>, e: &mut ValidationErrors) -> Vec<NewCondition> {
    let items = match value {
        None => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            e.add("conditions", "Give the conditions as a list.");
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    // The service refuses more than 50; a few more are enough to say so.
    for (i, item) in items.iter().enumerate().take(51) {
        let Value::Object(c) = item else {
            e.add(
                &format!("conditions[{i}]"),
                "Give a condition as {\"text\", \"due\"}.",
            );
            continue;
        };
        let path = format!("conditions[{i}].text");
        let text = match given(c, "text") {
            Some(Value::String(s)) => s.clone(),
            None => String::new(),
            Some(_) => {
                e.add(&path, "Give this as text (a JSON string).");
                continue;
            }
        };
        let due = optional_date(c.get("due"), &format!("conditions[{i}].due"), e);
        out.push(NewCondition { text, due });
    }
    out
}

/// `POST /api/v1/cases/{id}/comments`.
#[derive(Clone, Debug, ToSchema)]
#[schema(example = json!({"body": "Asked the county for the deed and the power contract."}))]
pub struct CommentRequest {
    /// The comment.
    #[schema(min_length = 1, max_length = 10000)]
    pub body: String,
    /// The case version the comment was written against; when given, a stale one is refused
    /// with 409.
    #[schema(minimum = 1)]
    pub version: Option<i64>,
}

impl CommentRequest {
    /// Reads a comment from a JSON body.
    pub fn from_json(body: Value) -> Result<CommentRequest, ApiError> {
        let m = object_body(body)?;
        let mut e = ValidationErrors::new();
        let text = required_str(&m, "body", "Write a comment.", &mut e);
        let version = optional_int(&m, "version", &mut e);
        match text {
            Some(t) if e.is_empty() => Ok(CommentRequest {
                body: t.to_string(),
                version,
            }),
            _ => Err(ApiError::Invalid(e)),
        }
    }
}

/// `GET /api/v1/cases`: the queue's filters. A value outside what each parameter declares is
/// refused with 422, naming the parameter.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only cases in this state.
    #[param(value_type = Option<State>)]
    pub state: Option<String>,
    /// Only cases assigned to this user.
    #[param(example = "rosa.reviewer")]
    pub assignee: Option<String>,
    /// Only cases led by this agency.
    #[param(value_type = Option<LeadAgency>)]
    pub agency: Option<String>,
    /// Only cases with a party from this country (ISO 3166-1 alpha-2).
    #[param(pattern = "^[A-Za-z]{2}$", example = "CN")]
    pub country: Option<String>,
    /// Only cases in this risk band.
    #[param(value_type = Option<crate::domain::risk::Band>)]
    pub risk: Option<String>,
    /// `true`: only cases with a deadline already past.
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// `true`: only cases assigned to the caller.
    #[param(value_type = Option<bool>)]
    pub mine: Option<String>,
    /// `true`: only cases not closed.
    #[param(value_type = Option<bool>)]
    pub open: Option<String>,
    /// Only cases placed in this rectangle: `south,west,north,east` in degrees.
    #[param(max_length = 100, example = "41.1,-104.9,41.2,-104.7")]
    pub area: Option<String>,
    /// Words that must each begin a word of the reference, title, summary, address or a
    /// party's name (case and accents ignored).
    #[param(max_length = 500, example = "Huaxin")]
    pub q: Option<String>,
    /// The order: next deadline first (the default), newest received first, or most recently
    /// changed first.
    #[param(value_type = Option<super::schema::QueueSort>)]
    pub sort: Option<String>,
    /// The `next` cursor of the previous page (with the same sort).
    #[param(pattern = "^[0-9T:-]+_[0-9]+$", example = "2026-12-09_42")]
    pub after: Option<String>,
    /// Cases per page (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
}

/// The default page size of `GET /api/v1/cases`.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page size of `GET /api/v1/cases`.
pub const MAX_LIMIT: i64 = 200;

/// A boolean query parameter: `true` or `false`, as the document declares it.
fn flag(value: Option<&str>, name: &str, e: &mut ValidationErrors) -> bool {
    match value {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            e.add(name, "Give true or false.");
            false
        }
    }
}

fn is_cursor(after: &str, sort: &str) -> bool {
    let Some((key, id)) = after.rsplit_once('_') else {
        return false;
    };
    if id.parse::<i64>().is_err() {
        return false;
    }
    if sort == "updated" {
        chrono::NaiveDateTime::parse_from_str(key, "%Y-%m-%dT%H:%M:%S").is_ok()
    } else {
        key.parse::<NaiveDate>().is_ok()
    }
}

impl ListParams {
    /// The queue query these parameters ask for and the page size, or the parameters refused.
    pub fn query(&self) -> Result<(QueueQuery, i64), ValidationErrors> {
        let mut e = ValidationErrors::new();
        let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
        let state = text(&self.state);
        if !state.is_empty() && state.parse::<State>().is_err() {
            e.add(
                "state",
                format!("Unknown state; one of: {}.", state_names()),
            );
        }
        let agency = text(&self.agency);
        if !agency.is_empty() && agency.parse::<LeadAgency>().is_err() {
            let names: Vec<&str> = LeadAgency::ALL.iter().map(|a| a.as_str()).collect();
            e.add(
                "agency",
                format!("Unknown agency; one of: {}.", names.join(", ")),
            );
        }
        let risk = text(&self.risk);
        if !risk.is_empty() && !crate::web::pages::queue::RISK_BANDS.contains(&risk.as_str()) {
            e.add(
                "risk",
                "Unknown risk band; one of: low, moderate, high, critical.",
            );
        }
        let sort = text(&self.sort);
        if !matches!(sort.as_str(), "" | "deadline" | "received" | "updated") {
            e.add("sort", "Sort by deadline, received or updated.");
        }
        let after = text(&self.after);
        if !after.is_empty() && !is_cursor(&after, &sort) {
            e.add(
                "after",
                "Give the `next` cursor of the previous page (with the same sort).",
            );
        }
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 500) {
            e.add("q", "Search for at most 500 characters.");
        }
        let overdue = flag(self.overdue.as_deref(), "overdue", &mut e);
        let mine = flag(self.mine.as_deref(), "mine", &mut e);
        let open = flag(self.open.as_deref(), "open", &mut e);
        let area = text(&self.area);
        if !area.is_empty() {
            if let Err(not) = area.parse::<crate::domain::area::Area>() {
                e.add("area", not.to_string());
            }
        }
        let limit = match self
            .limit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => DEFAULT_LIMIT,
            Some(s) => match s.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    e.add(
                        "limit",
                        format!("Give a whole number from 1 to {MAX_LIMIT}."),
                    );
                    DEFAULT_LIMIT
                }
            },
        };
        let query = QueueQuery {
            state,
            assignee: text(&self.assignee),
            agency,
            country: text(&self.country),
            risk: text(&self.risk),
            overdue: if overdue { "1".into() } else { String::new() },
            due: String::new(),
            mine: if mine { "1".into() } else { String::new() },
            q: text(&self.q),
            sort,
            after,
            area,
            open: if open { "1".into() } else { String::new() },
            ..QueueQuery::default()
        };
        e.into_result((query, limit))
    }
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// `GET /api/v1/me`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MeJson {
    /// The token's user.
    pub username: String,
    /// `observer`, `reviewer`, `chair` or `admin`.
    #[schema(value_type = crate::domain::Role)]
    pub role: String,
}

/// Whether the case's history verifies.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChainJson {
    /// True when every event links to the one before and matches its hash.
    pub verified: bool,
    /// The hash of the last event when the chain verifies.
    pub head: Option<String>,
    /// How many events the history holds (`GET /api/v1/cases/{id}/history` lists them).
    pub events: usize,
}

/// A move the caller may make now.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ActionJson {
    /// The state it moves to.
    #[schema(value_type = State)]
    pub to: String,
    /// For a move to `closed`, the outcome.
    #[schema(value_type = Option<Outcome>)]
    pub outcome: Option<String>,
    /// What it is, for people.
    pub label: String,
}

/// A case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseJson {
    /// The case id, used in the API's paths.
    pub id: i64,
    /// `CFN-YYYY-NNNNN`.
    #[schema(example = "CFN-2026-00042")]
    pub reference: String,
    /// The title.
    pub title: String,
    /// How the report reached the office.
    #[schema(value_type = Source)]
    pub source: String,
    /// The summary.
    pub summary: String,
    /// The transaction.
    pub transaction: TransactionJson,
    /// The property.
    pub property: PropertyJson,
    /// The parties, in the order given.
    pub parties: Vec<PartyJson>,
    /// The current state.
    #[schema(value_type = State, example = "lead")]
    pub state: String,
    /// How a closed case ended.
    #[schema(value_type = Option<Outcome>)]
    pub outcome: Option<String>,
    /// When the current state took effect.
    pub state_since: NaiveDate,
    /// The version a transition or comment must state.
    pub version: i64,
    /// The assigned user.
    pub assignee: Option<String>,
    /// The lead agency.
    #[schema(value_type = Option<LeadAgency>)]
    pub lead_agency: Option<String>,
    /// The day the report was logged.
    pub received_on: NaiveDate,
    /// Who logged it (none for a public tip).
    pub created_by: Option<String>,
    /// When it was logged, UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub created_at: String,
    /// When it last changed, UTC.
    pub updated_at: String,
    /// Since when the clocks are paused, if they are.
    pub tolled_since: Option<NaiveDate>,
    /// The filing number (incremented on refiling).
    pub filing_number: i32,
    /// Whether the investigation extension was used.
    pub extension_used: bool,
    /// The open deadlines.
    pub deadlines: Vec<DeadlineJson>,
    /// Conditions of decisions.
    pub conditions: Vec<ConditionJson>,
    /// The moves the caller may make now.
    pub actions: Vec<ActionJson>,
    /// Whether the history verifies.
    pub chain: ChainJson,
    /// The latest screening: `jurisdiction`, `reasons`, `foreign_person`, `zones`, `nearest`,
    /// `watchlist_hits`, `risk` and `state_law` (null before the first screening).
    #[schema(value_type = Option<Object>)]
    pub screening: Option<serde_json::Value>,
    /// Other cases that share a party with this one (the same name once case, accents,
    /// punctuation and legal forms such as Ltd or LLC are set aside, or a watchlist alias a
    /// reviewer confirmed) or whose property lies within 10 miles of this one's. Those sharing a
    /// party come first (at most 50, the most recently logged), then the 20 nearest; never the
    /// case itself.
    pub related: Vec<RelatedJson>,
}

/// A case related to another (see `CaseJson.related`): why, and enough to show it in a list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RelatedJson {
    /// The related case's id (`GET /api/v1/cases/{id}`).
    pub id: i64,
    /// `CFN-YYYY-NNNNN`.
    #[schema(example = "CFN-2023-00004")]
    pub reference: String,
    /// Its title.
    pub title: String,
    /// Its current state.
    #[schema(value_type = State, example = "inquiry")]
    pub state: String,
    /// `low`, `moderate`, `high` or `critical`; null before its first screening.
    #[schema(value_type = Option<crate::domain::risk::Band>, example = "high")]
    pub risk_band: Option<String>,
    /// The party it shares with this case, as the related case names it. Left out when the
    /// case is related only by distance.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Bit Origin Ltd")]
    pub shared_party: Option<String>,
    /// When the party is shared through a watchlist alias a reviewer confirmed: the list
    /// entry's name. Left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_watchlist_entry: Option<String>,
    /// Miles between the two properties (great-circle, to one decimal) when they lie within
    /// 10 miles of each other. Left out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 10, example = 8.0)]
    pub distance_miles: Option<f64>,
}

impl From<&RelatedCase> for RelatedJson {
    fn from(r: &RelatedCase) -> Self {
        RelatedJson {
            id: r.id,
            reference: r.reference.clone(),
            title: r.title.clone(),
            state: r.state.clone(),
            risk_band: r.risk_band.clone(),
            shared_party: r.shared_party.clone(),
            via_watchlist_entry: r.via_entry.clone(),
            distance_miles: r.distance_miles,
        }
    }
}

fn actions(v: &CaseView, user: &Principal, ws: &WorkflowSettings) -> Vec<ActionJson> {
    let facts = CaseFacts {
        state: v.state(),
        created_by: v.case.created_by.as_deref().unwrap_or(""),
        state_since: v.case.state_since,
    };
    workflow::available(&facts, &user.username, user.role, ws)
        .into_iter()
        .map(|t| ActionJson {
            to: t.to.as_str().to_string(),
            outcome: t.outcome.map(|o| o.as_str().to_string()),
            label: t.label.to_string(),
        })
        .collect()
}

impl CaseJson {
    /// The case as `user` sees it (the moves offered depend on who asks), with its related
    /// cases.
    pub fn new(
        v: &CaseView,
        related: &Related,
        user: &Principal,
        ws: &WorkflowSettings,
    ) -> CaseJson {
        let c = &v.case;
        CaseJson {
            id: c.id,
            reference: c.reference.clone(),
            title: c.title.clone(),
            source: c.source.clone(),
            summary: c.summary.clone(),
            transaction: transaction(c),
            property: property(c),
            parties: v.parties.iter().map(PartyJson::from).collect(),
            state: c.state.clone(),
            outcome: c.outcome.clone(),
            state_since: c.state_since,
            version: c.version,
            assignee: c.assignee.clone(),
            lead_agency: c.lead_agency.clone(),
            received_on: c.received_on,
            created_by: c.created_by.clone(),
            created_at: stamp(c.created_at),
            updated_at: stamp(c.updated_at),
            tolled_since: c.tolled_since,
            filing_number: c.filing_number,
            extension_used: c.extension_used,
            deadlines: v.open_deadlines().map(DeadlineJson::from).collect(),
            conditions: v.conditions.iter().map(ConditionJson::from).collect(),
            actions: actions(v, user, ws),
            chain: ChainJson {
                verified: v.chain.is_ok(),
                head: v.chain.as_ref().ok().cloned(),
                events: v.events.len(),
            },
            screening: v
                .screening
                .as_ref()
                .and_then(|s| serde_json::to_value(s).ok()),
            related: related.cases.iter().map(RelatedJson::from).collect(),
        }
    }
}

/// A row of the queue.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    /// The case id.
    pub id: i64,
    /// `CFN-YYYY-NNNNN`.
    pub reference: String,
    /// The title.
    pub title: String,
    /// The current state.
    #[schema(value_type = State)]
    pub state: String,
    /// How a closed case ended.
    #[schema(value_type = Option<Outcome>)]
    pub outcome: Option<String>,
    /// The current version.
    pub version: i64,
    /// The assigned user.
    pub assignee: Option<String>,
    /// The lead agency.
    #[schema(value_type = Option<LeadAgency>)]
    pub lead_agency: Option<String>,
    /// The day the report was logged.
    pub received_on: NaiveDate,
    /// When it last changed, UTC.
    pub updated_at: String,
    /// The earliest open deadline or dated condition.
    pub next_due: Option<NaiveDate>,
    /// Since when the clocks are paused, if they are.
    pub tolled_since: Option<NaiveDate>,
    /// The distinct countries of its parties.
    pub countries: Vec<String>,
}

/// `GET /api/v1/cases`: one page of the queue.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CaseList {
    /// The cases of this page.
    pub cases: Vec<CaseSummary>,
    /// Pass as `after` (with the same filters) for the next page; null on the last page.
    pub next: Option<String>,
}

impl CaseList {
    /// A page from up to `limit + 1` queue rows (the extra one says there is a next page).
    pub fn page(rows: Vec<(QueueCase, Vec<String>)>, limit: i64, sort: Sort) -> CaseList {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        let mut cases = Vec::with_capacity(rows.len().min(limit));
        let mut next = None;
        for (c, countries) in rows.into_iter().take(limit) {
            if more {
                let key = match sort {
                    Sort::Deadline => c.next_due.to_string(),
                    Sort::Received => c.received_on.to_string(),
                    Sort::Updated => c.updated_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                };
                next = Some(format!("{key}_{}", c.id));
            }
            cases.push(CaseSummary {
                id: c.id,
                reference: c.reference,
                title: c.title,
                state: c.state,
                outcome: c.outcome,
                version: c.version,
                assignee: c.assignee,
                lead_agency: c.lead_agency,
                received_on: c.received_on,
                updated_at: stamp(c.updated_at),
                next_due: (c.next_due != NO_DEADLINE).then_some(c.next_due),
                tolled_since: c.tolled_since,
                countries,
            });
        }
        CaseList { cases, next }
    }
}

/// Where a chain breaks.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BrokenJson {
    /// The position of the first event that does not verify.
    pub seq: i64,
    /// Why.
    pub reason: String,
}

/// One event of a case's history, with its hashes.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventJson {
    /// 1, 2, 3, … in order.
    pub seq: i64,
    /// When it was recorded, UTC (`YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    /// Who did it.
    pub actor: String,
    /// `created`, `transitioned`, `commented`, …
    pub kind: String,
    /// What happened, as recorded.
    #[schema(value_type = Object)]
    pub payload: Value,
    /// The hash of the event before (zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of this event's canonical JSON.
    pub hash: String,
}

impl From<&ChainedEvent> for EventJson {
    fn from(e: &ChainedEvent) -> Self {
        EventJson {
            seq: e.body.seq,
            at: e.body.at.clone(),
            actor: e.body.actor.clone(),
            kind: e.body.kind.clone(),
            payload: e.body.payload.clone(),
            prev_hash: e.body.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }
}

/// `GET /api/v1/cases/{id}/history`: the hash-chained event log and whether it verifies.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HistoryJson {
    /// The case reference every event is bound to.
    pub reference: String,
    /// True when the whole chain verifies.
    pub verified: bool,
    /// The hash of the last event when the chain verifies.
    pub head: Option<String>,
    /// Where the chain breaks, when it does.
    pub broken: Option<BrokenJson>,
    /// Every event, oldest first.
    pub events: Vec<EventJson>,
}

impl From<&CaseView> for HistoryJson {
    fn from(v: &CaseView) -> Self {
        HistoryJson {
            reference: v.case.reference.clone(),
            verified: v.chain.is_ok(),
            head: v.chain.as_ref().ok().cloned(),
            broken: v.chain.as_ref().err().map(|b| BrokenJson {
                seq: b.seq,
                reason: b.reason.clone(),
            }),
            events: v.events.iter().map(EventJson::from).collect(),
        }
    }
}
