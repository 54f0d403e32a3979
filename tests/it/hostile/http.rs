//! A bare HTTP/1.1 client over a socket: the battery sends bytes exactly as written (paths a
//! URL library would clean up, invalid UTF-8, bodies cut short), one connection per request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One request, byte for byte.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub method: String,
    /// Path and query, sent as they are.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Announce this many body bytes instead of the body's length (a body cut short).
    pub announce: Option<usize>,
}

/// The answer, read to the end.
#[derive(Clone, Debug, Default)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
}

fn head_bytes(host: &str, r: &Request) -> Vec<u8> {
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
        r.method, r.target
    );
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let length = r.announce.unwrap_or(r.body.len());
    if length > 0 || !matches!(r.method.as_str(), "GET" | "HEAD") {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Whether `raw` holds a whole answer: its head, and the body its head announces.
fn complete(raw: &[u8]) -> bool {
    let Some(end) = find(raw, b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let body = &raw[end + 4..];
    if head.starts_with("http/1.1 1")
        || head.starts_with("http/1.1 204")
        || head.starts_with("http/1.1 304")
    {
        return true;
    }
    for line in head.split("\r\n") {
        if let Some(n) = line.strip_prefix("content-length:") {
            return n.trim().parse::<usize>().is_ok_and(|n| body.len() >= n);
        }
        if line.starts_with("transfer-encoding:") && line.contains("chunked") {
            return body.ends_with(b"0\r\n\r\n");
        }
    }
    false
}

/// Reads until the answer is whole (the server may keep the connection a while after
/// refusing a body it did not read) or the connection ends.
fn read_answer(stream: &mut TcpStream, wait: Duration) -> Result<Option<Vec<u8>>, String> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if complete(&raw) {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionReset) => break,
            Err(e) if raw.is_empty() => {
                return Err(format!("no answer within {wait:?}: {e}"));
            }
            Err(e) => return Err(format!("answer cut short: {e}")),
        }
    }
    Ok((!raw.is_empty()).then_some(raw))
}

/// Sends the request and reads the whole answer; `Err` when the server does not answer within
/// `wait`, or the answer is not HTTP.
pub fn send(addr: &str, r: &Request, wait: Duration) -> Result<Answer, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(wait))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(wait))
        .map_err(|e| e.to_string())?;
    let mut bytes = head_bytes(addr, r);
    bytes.extend_from_slice(&r.body);
    // A server may answer (413, 403) and close before reading a large body: keep what it said.
    let _ = stream.write_all(&bytes);
    match read_answer(&mut stream, wait)? {
        Some(raw) => parse(&raw),
        None => Err("the server closed the connection without an answer".into()),
    }
}

/// Sends the head and part of the body, then either waits with the connection open or closes
/// its sending side; returns what came back within `wait` (`Ok(None)`: the server closed the
/// connection without an answer, which is fine once the sender is gone).
pub fn send_cut_short(
    addr: &str,
    r: &Request,
    close: bool,
    wait: Duration,
) -> Result<Option<Answer>, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(wait))
        .map_err(|e| e.to_string())?;
    let mut bytes = head_bytes(addr, r);
    bytes.extend_from_slice(&r.body);
    stream.write_all(&bytes).map_err(|e| e.to_string())?;
    if close {
        stream
            .shutdown(std::net::Shutdown::Write)
            .map_err(|e| e.to_string())?;
    }
    match read_answer(&mut stream, wait) {
        Ok(Some(raw)) => parse(&raw).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(format!("the connection hung: {e}")),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse(raw: &[u8]) -> Result<Answer, String> {
    let end = find(raw, b"\r\n\r\n").ok_or_else(|| {
        format!(
            "not an HTTP answer: {:?}",
            String::from_utf8_lossy(&raw[..raw.len().min(200)])
        )
    })?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = find(rest, b"\r\n") else {
            return Ok(out);
        };
        let size_text = String::from_utf8_lossy(&rest[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        rest = &rest[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if rest.len() < size {
            return Err("a chunk cut short".into());
        }
        out.extend_from_slice(&rest[..size]);
        rest = rest.get(size + 2..).unwrap_or_default();
    }
}
