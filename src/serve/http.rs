//! The routes. Every request is first held to the bound `Host` and the key; then:
//!
//! | method and path (below `/KEY/`) | answer |
//! | --- | --- |
//! | `GET` (empty), `app.js`, `app.css` | the page, compiled in |
//! | `GET api/status` | the limits the page checks before uploading |
//! | `GET api/corpus` | the corpus's documents and the index's state |
//! | `POST api/corpus/files?name=N` | the body stored in the corpus as N; the index updated |
//! | `POST api/jobs` | a new check: `{"job": ID}` |
//! | `POST api/jobs/ID/drafts?name=N` | the body added to check ID as draft N |
//! | `POST api/jobs/ID/start` | check ID queued |
//! | `GET api/jobs/ID` | its phase, progress and figures |
//! | `GET jobs/ID/report.html`, `GET jobs/ID/download/FILE` | its HTML report, its files ([`Download`]) |
//!
//! The API answers JSON; a refusal is `{"error": CODE, "detail": TEXT}` with a 4xx status.

use super::work::{App, Download, Refusal};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

pub type Reply = Response<Full<Bytes>>;

const PAGE: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// The page may load only its own script and style, talk only to this server, and frame only its
/// own reports; no page may frame it.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                           frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
                           frame-ancestors 'none'";

pub async fn handle(app: Arc<App>, req: Request<Incoming>) -> Reply {
    if !host_is(req.headers(), &app.host) {
        return text(
            StatusCode::MISDIRECTED_REQUEST,
            &format!("chachong serve answers only at http://{}/ (this request named another host)", app.host),
        );
    }
    let path = req.uri().path().to_string();
    let Some(rest) = after_key(&path, &app.token) else {
        return text(
            StatusCode::FORBIDDEN,
            "this address needs the key chachong serve printed: open the whole link it gave",
        );
    };
    let Some(rest) = rest.strip_prefix('/') else {
        // `/KEY` without its slash: the page's relative links need it.
        return redirect(&format!("/{}/", app.token));
    };
    if req.method() == Method::POST && !origin_ok(req.headers(), &app.host) {
        return text(StatusCode::FORBIDDEN, "a request from another site's page is refused");
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let method = req.method().clone();
    let name = query_name(req.uri().query());
    match (&method, segments.as_slice()) {
        (&Method::GET, [""]) => page(PAGE, "text/html; charset=utf-8"),
        (&Method::GET, ["app.js"]) => page(APP_JS, "text/javascript; charset=utf-8"),
        (&Method::GET, ["app.css"]) => page(APP_CSS, "text/css; charset=utf-8"),
        (&Method::GET, ["api", "status"]) => json_reply(StatusCode::OK, &app.status_view()),
        (&Method::GET, ["api", "corpus"]) => blocking(move || Ok(app.corpus_view())).await,
        (&Method::POST, ["api", "corpus", "files"]) => {
            let limit = app.config.max_upload_bytes;
            match body(req, limit).await {
                Ok(bytes) => {
                    blocking(move || app.add_to_corpus(&name, &bytes).map(|n| json!({"name": n}))).await
                }
                Err(r) => refused(&r),
            }
        }
        (&Method::POST, ["api", "jobs"]) => {
            blocking(move || app.new_job().map(|id| json!({"job": id}))).await
        }
        (&Method::POST, ["api", "jobs", id, "drafts"]) => {
            let Some(id) = job_id(id) else { return refused(&Refusal::NoJob) };
            let limit = app.config.max_upload_bytes;
            match body(req, limit).await {
                Ok(bytes) => {
                    blocking(move || app.add_draft(id, &name, &bytes).map(|n| json!({"name": n}))).await
                }
                Err(r) => refused(&r),
            }
        }
        (&Method::POST, ["api", "jobs", id, "start"]) => match job_id(id) {
            Some(id) => result(app.start_job(id).map(|()| json!({"job": id}))),
            None => refused(&Refusal::NoJob),
        },
        (&Method::GET, ["api", "jobs", id]) => match job_id(id) {
            Some(id) => result(app.job_view(id)),
            None => refused(&Refusal::NoJob),
        },
        (&Method::GET, ["jobs", id, "report.html"]) => download(app, id, Download::Html).await,
        (&Method::GET, ["jobs", id, "download", file]) => match Download::parse(file) {
            Some(what) => download(app, id, what).await,
            None => text(StatusCode::NOT_FOUND, "no such download"),
        },
        _ => text(StatusCode::NOT_FOUND, "no such page"),
    }
}

/// Whether the request's `Host` is the address bound (ASCII case ignored, as host names are).
fn host_is(headers: &HeaderMap, host: &str) -> bool {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(|h| h.eq_ignore_ascii_case(host))
}

/// A POST from a page carries its `Origin`: only the page's own is taken. Requests that carry none
/// (not from a browser) still need the key.
fn origin_ok(headers: &HeaderMap, host: &str) -> bool {
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => true,
        Some(Ok(o)) => o.strip_prefix("http://").is_some_and(|h| h.eq_ignore_ascii_case(host)),
        Some(Err(_)) => false,
    }
}

/// The rest of `path` after its first segment, if that segment is the key. Compared without an
/// early exit, so the time taken tells nothing of how much of a guess was right.
fn after_key<'p>(path: &'p str, key: &str) -> Option<&'p str> {
    let path = path.strip_prefix('/')?;
    let end = path.find('/').unwrap_or(path.len());
    let (first, rest) = path.split_at(end);
    let same =
        first.len() == key.len() && first.bytes().zip(key.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0;
    same.then_some(rest)
}

/// The `name` query parameter (percent-decoded UTF-8), empty when missing.
fn query_name(query: Option<&str>) -> String {
    let query = query.unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn job_id(s: &str) -> Option<u64> {
    s.parse().ok()
}

/// The request's body, refused past `limit` bytes: at once when its `Content-Length` says so
/// (nothing of it is read), else when that many have come.
async fn body(req: Request<Incoming>, limit: u64) -> Result<Bytes, Refusal> {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Refusal::TooLarge { limit });
    }
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    match Limited::new(req.into_body(), max).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(Refusal::TooLarge { limit }),
        Err(e) => Err(Refusal::Upload(e.to_string())),
    }
}

/// Runs file work off the connection tasks.
async fn blocking(work: impl FnOnce() -> Result<Value, Refusal> + Send + 'static) -> Reply {
    match tokio::task::spawn_blocking(work).await {
        Ok(r) => result(r),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("the request failed: {e}")),
    }
}

async fn download(app: Arc<App>, id: &str, what: Download) -> Reply {
    let Some(id) = job_id(id) else { return text(StatusCode::NOT_FOUND, "no such check") };
    match tokio::task::spawn_blocking(move || app.download(id, what)).await {
        Ok(Ok(bytes)) => {
            let mut r = Response::new(Full::new(Bytes::from(bytes)));
            let h = r.headers_mut();
            set(h, header::CONTENT_TYPE, what.content_type());
            set(h, header::CACHE_CONTROL, "no-store");
            set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
            if what == Download::Html {
                // Shown in the page's frame; its own meta policy allows only its own script.
                set(h, header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'");
            } else {
                set(h, header::CONTENT_DISPOSITION, &format!("attachment; filename=\"{}\"", what.name()));
            }
            r
        }
        Ok(Err(e)) => refused(&e),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, &format!("the request failed: {e}")),
    }
}

fn result(r: Result<Value, Refusal>) -> Reply {
    match r {
        Ok(v) => json_reply(StatusCode::OK, &v),
        Err(e) => refused(&e),
    }
}

fn refused(r: &Refusal) -> Reply {
    let status = match r {
        Refusal::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Refusal::NoJob => StatusCode::NOT_FOUND,
        Refusal::Exists(_) | Refusal::Started => StatusCode::CONFLICT,
        Refusal::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    json_reply(status, &json!({"error": r.code(), "detail": r.to_string()}))
}

fn json_reply(status: StatusCode, v: &Value) -> Reply {
    let mut r = Response::new(Full::new(Bytes::from(v.to_string())));
    *r.status_mut() = status;
    set(r.headers_mut(), header::CONTENT_TYPE, "application/json; charset=utf-8");
    set(r.headers_mut(), header::CACHE_CONTROL, "no-store");
    r
}

fn text(status: StatusCode, msg: &str) -> Reply {
    let mut r = Response::new(Full::new(Bytes::from(format!("{msg}\n"))));
    *r.status_mut() = status;
    set(r.headers_mut(), header::CONTENT_TYPE, "text/plain; charset=utf-8");
    r
}

fn page(body: &'static str, content_type: &str) -> Reply {
    let mut r = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    let h = r.headers_mut();
    set(h, header::CONTENT_TYPE, content_type);
    set(h, header::CONTENT_SECURITY_POLICY, PAGE_POLICY);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::CACHE_CONTROL, "no-store");
    r
}

fn redirect(to: &str) -> Reply {
    let mut r = text(StatusCode::SEE_OTHER, to);
    set(r.headers_mut(), header::LOCATION, to);
    r
}

fn set(h: &mut HeaderMap, name: header::HeaderName, value: &str) {
    // Every value set here is ASCII made by this file.
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_must_be_the_whole_first_segment() {
        let key = "0123456789abcdef";
        assert_eq!(after_key("/0123456789abcdef/", key), Some("/"));
        assert_eq!(after_key("/0123456789abcdef/api/corpus", key), Some("/api/corpus"));
        assert_eq!(after_key("/0123456789abcdef", key), Some(""));
        assert_eq!(after_key("/0123456789abcdeX/", key), None);
        assert_eq!(after_key("/0123456789abcdef0/", key), None);
        assert_eq!(after_key("/0123456789abcde/", key), None);
        assert_eq!(after_key("/", key), None);
        assert_eq!(after_key("/api/corpus", key), None);
    }

    #[test]
    fn host_and_origin_must_be_the_bound_address() {
        let mut h = HeaderMap::new();
        assert!(!host_is(&h, "127.0.0.1:8017"), "no Host");
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8017"));
        assert!(host_is(&h, "127.0.0.1:8017"));
        for other in ["evil.example:8017", "127.0.0.1:8018", "127.0.0.1", "localhost:8017"] {
            h.insert(header::HOST, HeaderValue::from_static(other));
            assert!(!host_is(&h, "127.0.0.1:8017"), "{other}");
        }
        assert!(origin_ok(&HeaderMap::new(), "127.0.0.1:8017"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8017"));
        assert!(origin_ok(&h, "127.0.0.1:8017"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example:8017"));
        assert!(!origin_ok(&h, "127.0.0.1:8017"));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!origin_ok(&h, "127.0.0.1:8017"));
    }

    #[test]
    fn names_come_percent_decoded() {
        assert_eq!(query_name(Some("name=%E8%8D%89%E7%A8%BF.docx")), "草稿.docx");
        assert_eq!(query_name(Some("x=1&name=..%2F..%2Fx")), "../../x");
        assert_eq!(query_name(None), "");
    }
}
