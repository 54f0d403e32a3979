//! `/api/v1/cases`: reports, the queue, cases, transitions, comments and history as JSON.
//!
//! Each handler reads its input (refusing bad input field by field, see `dto`), calls the
//! service, and answers with the case as JSON. Bodies are taken as `Result<Json<Value>, _>`
//! so that an unreadable or oversized body is answered in JSON too.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::Value;

use super::dto::{
    ApiError, CaseJson, CaseList, CommentRequest, ErrorBody, HistoryJson, ListParams,
    ReportRequest, TransitionRequest,
};
use crate::domain::report::{self, RawReport};
use crate::service;
use crate::service::clock::Now;
use crate::service::export::json::CaseExport;
use crate::service::export::{Exporter, Kind};
use crate::web::auth::CurrentUser;
use crate::web::{AppState, Delivered};

/// A JSON body as its extractor read it, or why it could not.
type Body = Result<web::Json<Value>, actix_web::Error>;

fn body(b: Body) -> Result<Value, ApiError> {
    b.map(web::Json::into_inner).map_err(ApiError::Extract)
}

/// The case as `user` sees it, with its related cases, with `status`.
fn case_response(
    status: actix_web::http::StatusCode,
    state: &AppState,
    user: &CurrentUser,
    (v, related): &(service::cases::CaseView, service::related::Related),
) -> HttpResponse {
    let json = CaseJson::new(v, related, &user.0, &state.settings.workflow());
    HttpResponse::build(status).json(json)
}

/// Logs a report as a new case in `lead` and answers with the case.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    tag = "cases",
    request_body(content = ReportRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The new case, in `lead` with its triage deadline", body = CaseJson),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user is not a reviewer", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "Fields refused; `error.fields` lists every one", body = ErrorBody),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    json: Body,
) -> Result<HttpResponse, ApiError> {
    let now = Now::real();
    let raw = RawReport::from_json(body(json)?);
    let report = report::parse_json(&raw, now.today)?;
    let ws = state.settings.workflow();
    let screener = state.screener.clone();
    let by = user.0.clone();
    let v = state
        .db
        .run(move |c| {
            let created = service::cases::create_report(
                c,
                Some(&by),
                &report,
                report.source,
                &ws,
                &screener,
                &now,
            )?;
            service::related::view(c, created.id)
        })
        .await?;
    let (v, related) = &v;
    let json = CaseJson::new(v, related, &user.0, &state.settings.workflow());
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/cases/{}", v.case.id)))
        .json(json))
}

/// Screens a report (the same body as `POST /api/v1/cases`) without storing anything.
#[utoipa::path(
    post,
    path = "/api/v1/screen",
    tag = "cases",
    request_body(content = ReportRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The screening: jurisdiction, reasons, foreign person, zones, nearest sites, watchlist hits, risk, state law", body = Object),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user is not a reviewer", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "Fields refused; `error.fields` lists every one", body = ErrorBody),
    )
)]
pub async fn screen(state: web::Data<AppState>, json: Body) -> Result<HttpResponse, ApiError> {
    let now = Now::real();
    let raw = RawReport::from_json(body(json)?);
    let report = report::parse_json(&raw, now.today)?;
    let screener = state.screener.clone();
    let result = state
        .db
        .run(move |c| service::screening::screen_report(c, &screener, &report, now.today))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// One page of the queue, filtered and sorted as the query asks.
#[utoipa::path(
    get,
    path = "/api/v1/cases",
    tag = "cases",
    params(ListParams),
    responses(
        (status = 200, description = "One page of cases and the cursor of the next", body = CaseList),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 422, description = "A filter refused", body = ErrorBody),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let (query, limit) = params.query()?;
    let filter = query.filter(&user.0.username, Now::real().today, limit + 1);
    let sort = filter.sort;
    let rows = state
        .db
        .run(move |c| service::cases::queue(c, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(CaseList::page(rows, limit, sort)))
}

/// One case.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    params(("id" = i64, Path, description = "The case id", example = 1)),
    responses(
        (status = 200, description = "The case", body = CaseJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    )
)]
pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let v = state.db.run(move |c| service::related::view(c, id)).await?;
    Ok(case_response(
        actix_web::http::StatusCode::OK,
        &state,
        &user,
        &v,
    ))
}

/// Moves a case to another state, starting that state's clock.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/transitions",
    tag = "cases",
    params(("id" = i64, Path, description = "The case id", example = 1)),
    request_body(content = TransitionRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The case after the move", body = CaseJson),
        (status = 400, description = "The body is not a JSON object", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The user's role may not make this move (or the four-eyes rule)", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The version is stale: someone changed the case first; nothing was changed", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "Not allowed from this state (`invalid_transition`), or fields refused (`validation`)", body = ErrorBody),
    )
)]
pub async fn transition(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    json: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let input = TransitionRequest::input(body(json)?)?;
    let ws = state.settings.workflow();
    let by = user.0.clone();
    let v = state
        .db
        .run(move |c| {
            service::workflow::transition(c, &by, id, &input, &ws, &Now::real())?;
            service::related::view(c, id)
        })
        .await?;
    Ok(case_response(
        actix_web::http::StatusCode::OK,
        &state,
        &user,
        &v,
    ))
}

/// Adds a comment to a case's history.
#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/comments",
    tag = "cases",
    params(("id" = i64, Path, description = "The case id", example = 1)),
    request_body(content = CommentRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The case with the comment recorded", body = CaseJson),
        (status = 400, description = "The body is not a JSON object", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user is not a reviewer", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
        (status = 409, description = "The version given is stale", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "Fields refused", body = ErrorBody),
    )
)]
pub async fn comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    json: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let req = CommentRequest::from_json(body(json)?)?;
    let by = user.0.clone();
    let v = state
        .db
        .run(move |c| {
            service::cases::comment(c, &by, id, &req.body, req.version, &Now::real())?;
            service::related::view(c, id)
        })
        .await?;
    Ok(case_response(
        actix_web::http::StatusCode::CREATED,
        &state,
        &user,
        &v,
    ))
}

/// The case's hash-chained history and whether it verifies.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/history",
    tag = "cases",
    params(("id" = i64, Path, description = "The case id", example = 1)),
    responses(
        (status = 200, description = "Every event with its hashes, and the verdict on the chain", body = HistoryJson),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    )
)]
pub async fn history(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let v = state.db.run(move |c| service::cases::view(c, id)).await?;
    Ok(HttpResponse::Ok().json(HistoryJson::from(&v)))
}

/// The case as one verifiable document (recorded in its history, like every export):
/// `cordon verify` checks the body offline.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/export",
    tag = "cases",
    params(("id" = i64, Path, description = "The case id", example = 1)),
    responses(
        (status = 200, description = "The case, its parties (also as FollowTheMoney entities), screening, deadlines, decisions, conditions, attachment manifest and every event with its hashes", body = CaseExport),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 404, description = "No such case", body = ErrorBody),
    )
)]
pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    Delivered(delivered): Delivered,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let actor = user.0.username.clone();
    let now = Now::real();
    let doc = state
        .db
        .run(move |c| {
            let by = Exporter {
                actor: &actor,
                via: "api",
                record: delivered,
            };
            service::export::export_case(c, id, &by, Kind::Json, &now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(state.office_key.seal(doc)))
}
