//! Exports of one case (JSON, the timeline as CSV, the print page, the PDF) and of every case
//! of a queue filter (CSV, JSON Lines, streamed batch by batch). Each is recorded: in the
//! case's history, or in the audit log for bulk exports.

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::attachments::download_response;
use super::case_view::{money, timeline, when, TimelineItem};
use super::queue::QueueQuery;
use crate::db::queue::Filter;
use crate::domain::report::{LeadAgency, Source, TxKind};
use crate::domain::workflow::{Outcome, State};
use crate::service::clock::Now;
use crate::service::export::bulk::{self, Format};
use crate::service::export::json::CaseExport;
use crate::service::export::{self, pdf, sheet, Exporter, Kind};
use crate::service::{case_map, ServiceError};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{render, PageCtx};
use crate::web::{AppState, Delivered};

async fn exported(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    kind: Kind,
    Delivered(delivered): Delivered,
) -> Result<CaseExport, WebError> {
    let actor = user.0.username.clone();
    let now = Now::real();
    Ok(state
        .db
        .run(move |c| {
            let by = Exporter {
                actor: &actor,
                via: "web",
                record: delivered,
            };
            export::export_case(c, id, &by, kind, &now)
        })
        .await?)
}

/// `GET /cases/{id}/export.json`: the case as one verifiable document.
pub async fn json(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    delivered: Delivered,
) -> Result<HttpResponse, WebError> {
    let doc = exported(&state, &user, id.into_inner(), Kind::Json, delivered).await?;
    let doc = state.office_key.seal(doc);
    let body =
        serde_json::to_vec_pretty(&doc).map_err(|e| WebError::Internal(format!("export: {e}")))?;
    Ok(download_response(
        &format!("{}.json", doc.case.reference),
        "application/json",
        body,
    ))
}

/// `GET /cases/{id}/export.csv`: the timeline, one row per event.
pub async fn csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    delivered: Delivered,
) -> Result<HttpResponse, WebError> {
    let doc = exported(&state, &user, id.into_inner(), Kind::Csv, delivered).await?;
    let body = sheet::timeline(&doc.events).map_err(|e| WebError::Internal(format!("csv: {e}")))?;
    Ok(download_response(
        &format!("{}-timeline.csv", doc.case.reference),
        "text/csv; charset=utf-8",
        body,
    ))
}

/// `GET /cases/{id}/dossier.pdf`: the dossier as a PDF made here.
pub async fn pdf(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    Delivered(delivered): Delivered,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let actor = user.0.username.clone();
    let now = Now::real();
    let key = state.office_key.clone();
    let (reference, body) = state
        .db
        .run(move |c| {
            let by = Exporter {
                actor: &actor,
                via: "web",
                record: delivered,
            };
            let doc = key.seal(export::export_case(c, id, &by, Kind::Pdf, &now)?);
            let p = &doc.case.property;
            let map = case_map::case_map(c, p.lat, p.lon, doc.screening.as_ref())?;
            let body = pdf::render_with_map(&doc, Some(&map))
                .map_err(|e| ServiceError::Internal(format!("pdf: {e}")))?;
            Ok::<_, ServiceError>((doc.case.reference, body))
        })
        .await?;
    Ok(download_response(
        &format!("{reference}-dossier.pdf"),
        "application/pdf",
        body,
    ))
}

#[derive(Template)]
#[template(path = "pages/cases/print.html")]
struct PrintPage {
    doc: CaseExport,
    items: Vec<TimelineItem>,
    asset_version: &'static str,
    case_map: Option<crate::maps::case_map::CaseMap>,
}

impl PrintPage {
    fn size(&self, bytes: &i64) -> String {
        crate::service::attachments::human_size(*bytes)
    }
    fn label(&self, raw: &str) -> String {
        raw.replace('_', " ")
    }
    fn state_label(&self) -> &'static str {
        self.doc
            .case
            .state
            .parse::<State>()
            .map(|s| s.label())
            .unwrap_or("")
    }
    fn outcome_label(&self) -> &'static str {
        match self.doc.case.outcome.as_deref().map(str::parse::<Outcome>) {
            Some(Ok(o)) => o.label(),
            Some(Err(_)) => "",
            None => "open",
        }
    }
    fn source_label(&self) -> &'static str {
        self.doc
            .case
            .source
            .parse::<Source>()
            .map(|s| s.label())
            .unwrap_or("")
    }
    fn kind_label(&self) -> &'static str {
        self.doc
            .case
            .transaction
            .kind
            .parse::<TxKind>()
            .map(|k| k.label())
            .unwrap_or("")
    }
    fn agency_label(&self) -> &'static str {
        self.doc
            .case
            .lead_agency
            .as_deref()
            .and_then(|a| a.parse::<LeadAgency>().ok())
            .map(|a| a.label())
            .unwrap_or("—")
    }
    fn money(&self) -> String {
        money(self.doc.case.transaction.value_usd)
    }
    fn when(&self, stamp: &str) -> String {
        when(stamp)
    }
    fn flags(&self) -> String {
        let p = &self.doc.case.property;
        let on: Vec<&str> = [
            (p.urban_area, "urban area"),
            (p.single_housing_unit, "single housing unit"),
            (p.in_port, "in a port"),
            (p.commercial_office, "commercial office space"),
        ]
        .iter()
        .filter(|(b, _)| *b)
        .map(|(_, n)| *n)
        .collect();
        if on.is_empty() {
            "none reported".into()
        } else {
            on.join(", ")
        }
    }
    fn opt(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_else(|| "—".into())
    }
    /// The fingerprint of the office key that signs this dossier's JSON export, as people read
    /// it.
    fn fingerprint(&self) -> String {
        self.doc
            .signature
            .as_ref()
            .map(|s| crate::domain::signing::short_fingerprint(&s.key_fingerprint))
            .unwrap_or_default()
    }
}

/// `GET /cases/{id}/print`: the dossier, made for paper (and the browser's print to PDF).
pub async fn print(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    delivered: Delivered,
) -> Result<HttpResponse, WebError> {
    let doc = state
        .office_key
        .seal(exported(&state, &user, id.into_inner(), Kind::Print, delivered).await?);
    let mut items = timeline(&doc.events);
    items.reverse();
    let (lat, lon, screening) = (
        doc.case.property.lat,
        doc.case.property.lon,
        doc.screening.clone(),
    );
    let map = state
        .db
        .run(move |c| case_map::case_map(c, lat, lon, screening.as_ref()))
        .await?;
    let p = PrintPage {
        doc,
        items,
        asset_version: ctx.asset_version,
        case_map: Some(map),
    };
    render(StatusCode::OK, &ctx, &p)
}

async fn bulk(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: QueueQuery,
    format: Format,
    Delivered(delivered): Delivered,
) -> Result<HttpResponse, WebError> {
    let now = Now::real();
    let name = format!("cordon-cases-{}.{}", now.today, format.as_str());
    if !delivered {
        // HEAD: the headers of the download; nothing read, nothing recorded.
        return Ok(download_response(&name, format.content_type(), Vec::new()));
    }
    // Every matching case, in id order: the queue's filters without its sort or page.
    let filter = Filter {
        after: None,
        ..query.filter(&user.0.username, now.today, bulk::BATCH)
    };
    let actor = user.0.username.clone();
    let audit_filter = filter.clone();
    state
        .db
        .run(move |c| bulk::record(c, &actor, "web", format, &audit_filter, &now))
        .await?;
    let db = state.db.clone();
    // Each step reads one batch after the last id sent and encodes it; the next batch is
    // read only when the client has taken this one.
    let stream = futures_util::stream::unfold(Some(0i64), move |after| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            let after = after?;
            let step = db
                .run(move |c| {
                    let lines = bulk::batch(c, &filter, after)?;
                    let last = lines.last().map(|l| l.id);
                    let bytes = bulk::encode(&lines, format, after == 0)?;
                    Ok::<_, ServiceError>((bytes, last))
                })
                .await;
            match step {
                Ok((bytes, Some(last))) => Some((Ok(Bytes::from(bytes)), Some(last))),
                Ok((bytes, None)) => Some((Ok(Bytes::from(bytes)), None)),
                Err(e) => {
                    tracing::error!(error = %e, "bulk export stopped");
                    Some((Err(WebError::from(e)), None))
                }
            }
        }
    });
    let res = download_response(&name, format.content_type(), Vec::new());
    Ok(res
        .set_body(actix_web::body::BodyStream::new(stream))
        .map_into_boxed_body())
}

/// `GET /export/cases.csv?…`: every case the queue's filters match, as CSV.
pub async fn cases_csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<QueueQuery>,
    delivered: Delivered,
) -> Result<HttpResponse, WebError> {
    bulk(state, user, query.into_inner(), Format::Csv, delivered).await
}

/// `GET /export/cases.jsonl?…`: every case the queue's filters match, as JSON Lines.
pub async fn cases_jsonl(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<QueueQuery>,
    delivered: Delivered,
) -> Result<HttpResponse, WebError> {
    bulk(state, user, query.into_inner(), Format::Jsonl, delivered).await
}
