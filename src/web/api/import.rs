//! `POST /api/v1/cases/import`: a JSON Lines or CSV file as the request body, stored all or
//! nothing through the same service as the import page and `cordon cases import`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{ApiError, ErrorBody, ErrorDetail};
use crate::service::import::{self, Format, ImportError, MAX_BYTES};
use crate::web::auth::CurrentUser;
use crate::web::{upload, AppState};

/// How the file is named and whether a file imported before may go in again.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The file's format; without it, the body's `Content-Type` says (`text/csv`,
    /// `application/x-ndjson`).
    #[param(inline)]
    pub format: Option<ImportFormat>,
    /// The file's name, for the audit log (default `api-upload`).
    #[param(max_length = 255)]
    pub name: Option<String>,
    /// Import the file even though the same file (by SHA-256) was imported before.
    pub confirm_duplicate: Option<bool>,
}

/// An import file's format.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImportFormat {
    Csv,
    Jsonl,
}

/// A case an import made.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ImportedCase {
    pub id: i64,
    #[schema(example = "CFN-2022-00031")]
    pub reference: String,
    /// Where the API serves it.
    #[schema(example = "/api/v1/cases/31")]
    pub href: String,
}

/// What an import stored.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// The SHA-256 of the file, as the audit log names it.
    pub sha256: String,
    /// How many cases were made.
    pub count: usize,
    /// The cases, in the file's order.
    pub cases: Vec<ImportedCase>,
}

fn refusal(status: StatusCode, code: &str, message: String) -> HttpResponse {
    HttpResponse::build(status).json(ErrorBody {
        error: ErrorDetail {
            code: code.into(),
            message,
            field: None,
            fields: None,
            problems: None,
            problems_total: None,
        },
    })
}

/// Imports reports in bulk: the body is the file itself.
#[utoipa::path(
    post,
    path = "/api/v1/cases/import",
    tag = "cases",
    params(ImportParams),
    request_body(
        description = "The file: JSON Lines (each line the body of `POST /api/v1/cases`) or CSV (one row per party, a `report` column grouping rows; header in the README and at `/cases/import/template.csv`). At most 32 MB and 50,000 reports.",
        content(
            (String = "application/x-ndjson", example = json!("{\"title\":\"Crypto mine next to F.E. Warren AFB\",\"source\":\"company_report\",\"received_on\":\"2022-08-22\",\"transaction\":{\"kind\":\"purchase\"},\"property\":{\"lat\":41.17,\"lon\":-104.85},\"parties\":[{\"key\":\"p1\",\"name\":\"MineOne Wyoming Data Center LLC\",\"country\":\"US\",\"role\":\"acquirer\"}]}\n")),
            (String = "text/csv")
        )
    ),
    responses(
        (status = 201, description = "Every report stored as a case in `lead`, screened, in one transaction", body = ImportResult),
        (status = 400, description = "The query is malformed", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token's user is not a reviewer", body = ErrorBody),
        (status = 409, description = "The same file was imported before (`duplicate`); send `confirm_duplicate=true` to import it again", body = ErrorBody),
        (status = 413, description = "The file is larger than 32 MB", body = ErrorBody),
        (status = 415, description = "The format is neither given nor told by the `Content-Type`", body = ErrorBody),
        (status = 422, description = "The file has problems (`import_refused`): `error.problems` lists them by line and field; nothing was stored", body = ErrorBody),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    params: Result<web::Query<ImportParams>, actix_web::Error>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let params = params.map_err(ApiError::Extract)?.into_inner();
    let format = match params.format {
        Some(ImportFormat::Csv) => Some(Format::Csv),
        Some(ImportFormat::Jsonl) => Some(Format::Jsonl),
        None => req
            .mime_type()
            .ok()
            .flatten()
            .and_then(|m| Format::from_media_type(m.essence_str())),
    };
    let Some(format) = format else {
        return Ok(refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_format",
            "Say the file's format: `?format=csv` or `?format=jsonl`, or a Content-Type of \
             text/csv or application/x-ndjson."
                .into(),
        ));
    };
    let name = params
        .name
        .map(|n| {
            n.chars()
                .filter(|c| !c.is_control())
                .take(255)
                .collect::<String>()
        })
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "api-upload".into());
    let idle = std::time::Duration::from_secs(state.settings.upload_idle_secs);
    let mut payload = upload::Upload::new(payload, idle);
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::Web(upload::unreadable(e, true)))?;
        if bytes.len() + chunk.len() > MAX_BYTES {
            return Ok(refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "The file is larger than {} MB; split it into smaller files.",
                    MAX_BYTES / (1024 * 1024)
                ),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    let confirm = params.confirm_duplicate.unwrap_or(false);
    let result =
        crate::web::pages::import::run(&state, &user, (name, bytes), format, confirm).await;
    match result {
        Ok(done) => Ok(HttpResponse::Created().json(ImportResult {
            sha256: done.sha256,
            count: done.cases.len(),
            cases: done
                .cases
                .into_iter()
                .map(|c| ImportedCase {
                    href: format!("/api/v1/cases/{}", c.id),
                    id: c.id,
                    reference: c.reference,
                })
                .collect(),
        })),
        Err(ImportError::Refused { problems, total }) => {
            let message = format!(
                "The file has {total} problem(s); nothing was stored. `error.problems` lists them \
                 by line and field."
            );
            Ok(HttpResponse::UnprocessableEntity().json(ErrorBody {
                error: ErrorDetail {
                    code: "import_refused".into(),
                    message,
                    field: None,
                    fields: None,
                    problems: Some(problems),
                    problems_total: Some(total),
                },
            }))
        }
        Err(ImportError::Duplicate(before)) => Ok(refusal(
            StatusCode::CONFLICT,
            "duplicate",
            import::duplicate_message(&before),
        )),
        Err(ImportError::Service(e)) => Err(e.into()),
    }
}
