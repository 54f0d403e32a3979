//! Attaching files to a case (a multipart form, several files at once, dropped or chosen) and
//! downloading them. Files over the limit are refused before anything is stored, and the rest
//! of the body is read and dropped so the browser receives the answer instead of a reset.

use actix_multipart::Multipart;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::cases::{page, ActionForm, Refusal};
use crate::domain::ValidationErrors;
use crate::service::attachments::{self, Upload, MAX_FILES};
use crate::service::clock::Now;
use crate::service::ServiceError;
use crate::web::auth::CurrentUser;
use crate::web::error::WebError;
use crate::web::page::{redirect, PageCtx};
use crate::web::{upload, AppState, Delivered};

/// A response that the browser saves as `name` and never renders or runs.
pub fn download_response(name: &str, content_type: &str, body: Vec<u8>) -> HttpResponse {
    // A plain-ASCII fallback for old clients, and the exact name in RFC 8187 form.
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(disposition)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body)
}

/// The file name exactly as the browser sent it. Browsers do not escape backslashes in
/// `filename="…"` (they percent-encode quotes and line breaks instead), but a strict parser
/// reads `\` as an escape and drops it, which would turn `C:\Users\a\deed.pdf` into
/// `C:Usersadeed.pdf` before its path could be cut off.
fn raw_filename(headers: &header::HeaderMap) -> Option<String> {
    let value = std::str::from_utf8(headers.get(header::CONTENT_DISPOSITION)?.as_bytes()).ok()?;
    let start = value.find("filename=\"")? + "filename=\"".len();
    let rest = value.get(start..)?;
    let end = rest.find('"')?;
    rest.get(..end).map(str::to_string)
}

/// What an upload held: the files, or why they were refused.
struct Received {
    files: Vec<Upload>,
    refused: Option<String>,
}

/// Reads the multipart body. Files are kept up to the limit; past it (or past the number of
/// files) the upload is refused as a whole, and the rest is read and dropped, up to a cap.
async fn receive(mut body: Multipart, limit: usize) -> Result<Received, WebError> {
    let cap = limit.saturating_mul(MAX_FILES + 1);
    let mut total = 0usize;
    let mut files = Vec::new();
    let mut refused = None;
    while let Some(part) = body.next().await {
        let mut part = part.map_err(|e| upload::unreadable(e, false))?;
        let is_file = part.name() == Some("files");
        let filename = raw_filename(part.headers()).or_else(|| {
            part.content_disposition()
                .and_then(|d| d.get_filename())
                .map(str::to_string)
        });
        let content_type = part
            .content_type()
            .map(|m| m.essence_str().to_string())
            .unwrap_or_default();
        let mut content = Vec::new();
        let mut over = false;
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| upload::unreadable(e, false))?;
            total = total.saturating_add(chunk.len());
            if total > cap {
                // Past what any accepted upload can carry: answer now, without reading on.
                return Ok(Received {
                    files: Vec::new(),
                    refused: Some(format!(
                        "The upload is larger than {MAX_FILES} files of {} each; nothing was stored.",
                        attachments::human_size(i64::try_from(limit).unwrap_or(i64::MAX))
                    )),
                });
            }
            if !over && refused.is_none() && content.len() + chunk.len() <= limit {
                content.extend_from_slice(&chunk);
            } else {
                over = true;
                content = Vec::new();
            }
        }
        let Some(name) = filename.filter(|_| is_file) else {
            continue;
        };
        if name.is_empty() && content.is_empty() && !over {
            // The empty part a browser sends for a file input left empty.
            continue;
        }
        if refused.is_some() {
            continue;
        }
        if over {
            refused = Some(attachments::too_large(&name, limit));
        } else if files.len() == MAX_FILES {
            refused = Some(format!(
                "At most {MAX_FILES} files at once; nothing was stored."
            ));
            files.clear();
        } else {
            files.push(Upload {
                name,
                content_type,
                content,
            });
        }
    }
    Ok(Received { files, refused })
}

fn attach_form() -> ActionForm {
    ActionForm {
        which: "attach",
        ..ActionForm::default()
    }
}

/// `POST /cases/{id}/attachments` (multipart, field `files`).
pub async fn upload(
    state: web::Data<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, WebError> {
    let id = id.into_inner();
    let limit = state.settings.attachment_max_bytes;
    let idle = std::time::Duration::from_secs(state.settings.upload_idle_secs);
    let body = Multipart::new(req.headers(), upload::Upload::new(payload, idle));
    let received = receive(body, limit).await?;
    if let Some(message) = received.refused {
        let errors = ValidationErrors::single("files", message);
        return page(
            &state,
            ctx,
            &user,
            id,
            StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::errors(attach_form(), errors),
        )
        .await;
    }
    let by = user.0.clone();
    let files = received.files;
    let now = Now::real();
    match state
        .db
        .run(move |c| attachments::add(c, &by, id, &files, limit, &now))
        .await
    {
        Ok(ids) => {
            let done = match ids.len() {
                1 => "Attached 1 file.".to_string(),
                n => format!("Attached {n} files."),
            };
            Ok(redirect(
                &format!("/cases/{id}#attachments"),
                Some(("ok", &done)),
            ))
        }
        Err(ServiceError::Validation(errors)) => {
            page(
                &state,
                ctx,
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::errors(attach_form(), errors),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /cases/{id}/attachments/{attachment}`: the file, as a download (recorded).
pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i64, i64)>,
    Delivered(delivered): Delivered,
) -> Result<HttpResponse, WebError> {
    let (id, attachment) = path.into_inner();
    let actor = user.0.username.clone();
    let now = Now::real();
    let (row, content) = state
        .db
        .run(move |c| attachments::download(c, &actor, id, attachment, delivered, &now))
        .await?;
    Ok(download_response(&row.name, &row.content_type, content))
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderMap, HeaderValue, CONTENT_DISPOSITION};

    use super::raw_filename;

    fn disposition(raw: &[u8]) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_bytes(raw) {
            h.insert(CONTENT_DISPOSITION, v);
        }
        h
    }

    #[test]
    fn file_names_are_read_as_the_browser_sent_them() {
        let h = disposition(br#"form-data; name="files"; filename="C:\Users\a\deed.pdf""#);
        assert_eq!(raw_filename(&h).as_deref(), Some(r"C:\Users\a\deed.pdf"));
        let h = disposition(
            "form-data; name=\"files\"; filename=\"Lageplan-Grundstück.pdf\"".as_bytes(),
        );
        assert_eq!(raw_filename(&h).as_deref(), Some("Lageplan-Grundstück.pdf"));
        let h = disposition(br#"form-data; name="version""#);
        assert_eq!(raw_filename(&h), None);
    }
}
