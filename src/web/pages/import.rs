//! Bulk intake in the browser: `/cases/import` takes a JSON Lines or CSV file (chosen or
//! dropped), and answers with the cases made, or with every problem by line and field and
//! nothing stored. The template CSV is served beside it.

use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use futures_util::StreamExt;

use crate::service::cases::Created;
use crate::service::clock::Now;
use crate::service::import::{self, Format, ImportError, Problem, Upload, MAX_BYTES};
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{render, PageCtx};
use crate::web::{upload, AppState};

/// The most new cases the result lists by name (the rest are counted, and all are in the queue).
const LISTED: usize = 100;

/// What the page shows under the form.
enum Outcome {
    /// Nothing sent yet.
    Form,
    /// A refusal of the upload as a whole (no file, unknown format, too large).
    Refused(String),
    /// The file's problems: nothing was stored.
    Problems {
        problems: Vec<Problem>,
        total: usize,
    },
    /// The same file was imported before.
    Duplicate(String),
    /// The cases made.
    Imported { sha256: String, cases: Vec<Created> },
}

#[derive(Template)]
#[template(path = "pages/cases/import.html")]
struct ImportPage {
    ctx: PageCtx,
    outcome: Outcome,
    /// The file name and format the user sent, kept for the next try.
    name: String,
    format: String,
    max_mb: usize,
    /// The most reports a file may hold, written out (`50,000`).
    max_reports: String,
    listed: usize,
}

impl ImportPage {
    fn duplicate(&self) -> bool {
        matches!(self.outcome, Outcome::Duplicate(_))
    }

    fn span(&self) -> String {
        match &self.outcome {
            Outcome::Imported { cases, .. } => match (cases.first(), cases.last()) {
                (Some(a), Some(b)) if a.reference == b.reference => a.reference.clone(),
                (Some(a), Some(b)) => format!("{} to {}", a.reference, b.reference),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }
}

fn page(
    ctx: &PageCtx,
    status: StatusCode,
    outcome: Outcome,
    kept: (String, String),
) -> Result<HttpResponse, WebError> {
    let (name, format) = kept;
    let page = ImportPage {
        ctx: ctx.clone(),
        outcome,
        name,
        format,
        max_mb: MAX_BYTES / (1024 * 1024),
        max_reports: format!(
            "{},{:03}",
            import::MAX_REPORTS / 1000,
            import::MAX_REPORTS % 1000
        ),
        listed: LISTED,
    };
    render(status, ctx, &page)
}

/// `GET /cases/import`: the form, with the formats explained.
pub async fn form(ctx: PageCtx) -> Result<HttpResponse, WebError> {
    page(
        &ctx,
        StatusCode::OK,
        Outcome::Form,
        (String::new(), String::new()),
    )
}

/// `GET /cases/import/template.csv`: the header Cordon reads, with MineOne's report as the
/// example.
pub async fn template() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"cordon-import-template.csv\"",
        ))
        .body(import::template_csv())
}

/// What the multipart form sent.
#[derive(Default)]
struct Sent {
    file: Option<(String, String, Vec<u8>)>,
    format: String,
    confirm: bool,
    too_large: bool,
}

/// Reads the form: the file (up to the import limit; past it the upload is refused without
/// reading on), the format and the confirmation.
async fn receive(mut body: Multipart) -> Result<Sent, WebError> {
    let unreadable = |e: actix_multipart::MultipartError| upload::unreadable(e, false);
    let mut sent = Sent::default();
    while let Some(part) = body.next().await {
        let mut part = part.map_err(unreadable)?;
        let field = part.name().unwrap_or_default().to_string();
        let filename = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let content_type = part
            .content_type()
            .map(|m| m.essence_str().to_string())
            .unwrap_or_default();
        let mut content = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(unreadable)?;
            if content.len() + chunk.len() > MAX_BYTES + 1 {
                sent.too_large = true;
                return Ok(sent);
            }
            content.extend_from_slice(&chunk);
        }
        match field.as_str() {
            "file" => {
                let name = filename.unwrap_or_default();
                if !(name.is_empty() && content.is_empty()) {
                    sent.file = Some((name, content_type, content));
                }
            }
            "format" => sent.format = String::from_utf8_lossy(&content).trim().to_string(),
            "confirm" => sent.confirm = !content.is_empty(),
            _ => {}
        }
    }
    Ok(sent)
}

/// The format the user chose, or the one the file's name or type says.
pub fn format_of(chosen: &str, name: &str, content_type: &str) -> Result<Format, String> {
    if !chosen.is_empty() && chosen != "auto" {
        return Format::parse(chosen)
            .ok_or_else(|| format!("Unknown format \"{chosen}\": choose CSV or JSON Lines."));
    }
    Format::from_name(name)
        .or_else(|| Format::from_media_type(content_type))
        .ok_or_else(|| {
            "Cordon cannot tell this file's format from its name: name it .csv or .jsonl, or \
             choose the format."
                .to_string()
        })
}

/// Imports a file as `user`, off the async executor; the page and the API both come here.
pub async fn run(
    state: &AppState,
    user: &CurrentUser,
    (name, bytes): (String, Vec<u8>),
    format: Format,
    confirm_duplicate: bool,
) -> Result<import::Imported, ImportError> {
    let by = user.0.clone();
    let ws = state.settings.workflow();
    let screener = state.screener.clone();
    let now = Now::real();
    state
        .db
        .run(move |c| {
            let upload = Upload {
                name: &name,
                bytes: &bytes,
                format,
                confirm_duplicate,
            };
            import::import(c, &by, upload, &ws, &screener, &now, &mut |_, _, _| {})
        })
        .await
}

/// `POST /cases/import` (multipart: `file`, `format`, `confirm`).
pub async fn submit(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, WebError> {
    let idle = std::time::Duration::from_secs(state.settings.upload_idle_secs);
    let body = Multipart::new(req.headers(), upload::Upload::new(payload, idle));
    let mut sent = receive(body).await?;
    let chosen = sent.format.clone();
    let kept = |name: &str| (name.to_string(), chosen.clone());
    if sent.too_large {
        let message = format!(
            "The file is larger than {} MB; nothing was stored. Split it into smaller files.",
            MAX_BYTES / (1024 * 1024)
        );
        return page(
            &ctx,
            StatusCode::PAYLOAD_TOO_LARGE,
            Outcome::Refused(message),
            kept(""),
        );
    }
    let Some((name, content_type, bytes)) = sent.file.take() else {
        return page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Refused("Choose a file to import.".into()),
            kept(""),
        );
    };
    let format = match format_of(&chosen, &name, &content_type) {
        Ok(f) => f,
        Err(message) => {
            return page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome::Refused(message),
                kept(&name),
            )
        }
    };
    let file_name = if name.is_empty() {
        "upload".to_string()
    } else {
        name
    };
    let result = run(
        &state,
        &user,
        (file_name.clone(), bytes),
        format,
        sent.confirm,
    )
    .await;
    match result {
        Ok(done) => page(
            &ctx,
            StatusCode::CREATED,
            Outcome::Imported {
                sha256: done.sha256,
                cases: done.cases,
            },
            (String::new(), String::new()),
        ),
        Err(ImportError::Refused { problems, total }) => page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Problems { problems, total },
            kept(&file_name),
        ),
        Err(ImportError::Duplicate(before)) => page(
            &ctx,
            StatusCode::CONFLICT,
            Outcome::Duplicate(import::duplicate_message(&before)),
            kept(&file_name),
        ),
        Err(ImportError::Service(e)) => Err(e.into()),
    }
}
