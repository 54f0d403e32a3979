//! Reading an upload's body (attachments, bulk intake): a stream over the request payload that
//! ends in an error, never in a wait without end, when the body stops short. A client that
//! announces more bytes than it sends and then closes its side gives the payload's own
//! "incomplete" error; one that keeps the connection open and sends nothing more is refused
//! once it has been silent for the idle limit, so the handler answers and the connection is
//! freed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::error::PayloadError;
use actix_web::rt::time::{sleep, Instant, Sleep};
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};

use super::error::WebError;

/// The payload of an upload, refused once it has sent nothing for `idle`.
pub struct Upload<S> {
    inner: S,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
    done: bool,
}

impl<S> Upload<S> {
    pub fn new(inner: S, idle: Duration) -> Self {
        Upload {
            inner,
            idle,
            timer: Box::pin(sleep(idle)),
            done: false,
        }
    }
}

impl<S> Stream for Upload<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match self.inner.poll_next_unpin(cx) {
            Poll::Ready(item) => {
                let deadline = Instant::now() + self.idle;
                self.timer.as_mut().reset(deadline);
                if matches!(item, None | Some(Err(_))) {
                    self.done = true;
                }
                Poll::Ready(item)
            }
            Poll::Pending => match self.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    self.done = true;
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the upload stopped arriving",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

/// The refusal of an upload that could not be read to its end (cut short, stalled or
/// malformed): 400, with a message that says nothing was stored.
pub fn unreadable(e: impl std::fmt::Display, api: bool) -> WebError {
    WebError::BadRequest {
        message: format!(
            "The upload could not be read to its end ({e}); nothing was stored. Send it again."
        ),
        api,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;

    #[actix_web::test]
    async fn a_silent_upload_ends_in_an_error() {
        let silent = stream::pending::<Result<Bytes, PayloadError>>();
        let mut up = Upload::new(silent, Duration::from_millis(50));
        let first = up.next().await;
        assert!(matches!(first, Some(Err(PayloadError::Io(_)))), "{first:?}");
        assert!(up.next().await.is_none());
    }

    #[actix_web::test]
    async fn a_body_that_keeps_coming_is_read_whole() {
        let chunks = stream::iter(vec![
            Ok(Bytes::from_static(b"ab")),
            Ok(Bytes::from_static(b"c")),
        ]);
        let mut up = Upload::new(chunks, Duration::from_millis(50));
        let mut all = Vec::new();
        while let Some(c) = up.next().await {
            all.extend_from_slice(&c.unwrap_or_default());
        }
        assert_eq!(all, b"abc");
    }
}
