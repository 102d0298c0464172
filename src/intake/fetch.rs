//! Downloads a file into a Blob with progress, for the sample menu and for `?data=URL` links,
//! and turns every way a download can fail into a message that says what to do about it.

use benchlens_engine::formats::LoadOptions;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::source::DataSource;
use crate::intake::client;
use crate::jobs::protocol::JobId;
use crate::state::AppState;

/// Why a download failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The browser refused or could not make the request: CORS, DNS, offline. Browsers do not
    /// say which, on purpose.
    Blocked {
        url: String,
        offline: bool,
    },
    Http {
        url: String,
        status: u16,
        status_text: String,
    },
    /// The server answered with a web page, not a data file.
    Html {
        url: String,
    },
    Interrupted {
        url: String,
    },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Blocked { url, offline: true } => {
                write!(f, "{url}: the browser is offline; connect and reload, or drop a local copy of the file")
            }
            Self::Blocked { url, offline: false } => write!(
                f,
                "{url}: the request was blocked or could not be made. Most often the host does not \
                 allow other sites to read the file (no Access-Control-Allow-Origin header: a CORS \
                 refusal); otherwise the host is unreachable. If the address opens in a new tab, \
                 download the file and drop it here, or host it where CORS is enabled (a raw file \
                 in a repository, a gist, an object store with a CORS rule)."
            ),
            Self::Http { url, status, status_text } => {
                let hint = match status {
                    404 | 410 => "the address is wrong or the file was moved",
                    401 | 403 => "the file is private or needs a login; use a public address",
                    429 => "the host is rate-limiting; try again later",
                    500..=599 => "the host failed; try again later",
                    _ => "the host refused the request",
                };
                write!(f, "{url}: HTTP {status} {status_text}: {hint}")
            }
            Self::Html { url } => write!(
                f,
                "{url}: the server sent a web page, not a data file (a repository's file view or a \
                 login page?). Use the raw file's address, e.g. raw.githubusercontent.com/…"
            ),
            Self::Interrupted { url } => write!(f, "{url}: the download was interrupted"),
        }
    }
}

/// Whether the first bytes of a body look like an HTML page rather than CSV/JSON.
pub fn looks_like_html(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<!doctype html") || text.starts_with("<html") || text.starts_with("<head")
}

fn offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

/// Fetches `url`, calling `progress(bytes_done, bytes_total)` as chunks arrive (total 0 when the
/// server does not say).
pub async fn fetch_blob(
    url: &str,
    mut progress: impl FnMut(f64, f64),
) -> Result<web_sys::Blob, FetchError> {
    let blocked = || FetchError::Blocked { url: url.to_owned(), offline: offline() };
    let interrupted = || FetchError::Interrupted { url: url.to_owned() };
    let window = web_sys::window().ok_or_else(blocked)?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| blocked())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| blocked())?;
    if !response.ok() {
        return Err(FetchError::Http {
            url: url.to_owned(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    let headers = response.headers();
    let content_type = headers.get("content-type").ok().flatten().unwrap_or_default();
    if content_type.to_ascii_lowercase().starts_with("text/html") {
        return Err(FetchError::Html { url: url.to_owned() });
    }
    let total = headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    let chunks = js_sys::Array::new();
    let mut done_bytes = 0.0;
    let mut first = true;
    if let Some(body) = response.body() {
        let reader: web_sys::ReadableStreamDefaultReader =
            body.get_reader().dyn_into().map_err(|_| interrupted())?;
        loop {
            let step = JsFuture::from(reader.read()).await.map_err(|_| interrupted())?;
            let finished = js_sys::Reflect::get(&step, &JsValue::from_str("done"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(true);
            if finished {
                break;
            }
            let Ok(value) = js_sys::Reflect::get(&step, &JsValue::from_str("value")) else {
                return Err(interrupted());
            };
            let chunk: js_sys::Uint8Array = value.dyn_into().map_err(|_| interrupted())?;
            if first {
                first = false;
                let head_len = chunk.length().min(512);
                if looks_like_html(&chunk.subarray(0, head_len).to_vec()) {
                    let _ = reader.cancel();
                    return Err(FetchError::Html { url: url.to_owned() });
                }
            }
            done_bytes += f64::from(chunk.length());
            progress(done_bytes, total.max(done_bytes));
            chunks.push(&chunk);
        }
    }
    web_sys::Blob::new_with_u8_array_sequence(&chunks).map_err(|_| interrupted())
}

/// Downloads `url` and parses it in the worker. The dataset's place in load order is taken
/// now, so several downloads keep the order they were asked in; the progress row shows the
/// download, then the parse, or why the download failed.
pub fn download(
    state: AppState,
    name: &str,
    origin: &str,
    source: DataSource,
    options: LoadOptions,
    url: String,
) -> Option<JobId> {
    let job = client::reserve(state, name, origin, source, options)?;
    let name = name.to_owned();
    leptos::task::spawn_local(async move {
        let progress = move |done, total| client::download_progress(state, job, done, total);
        match fetch_blob(&url, progress).await {
            Ok(blob) => client::submit_reserved(state, job, &name, blob),
            Err(e) => client::download_failed(state, job, e.to_string()),
        }
    });
    Some(job)
}

#[cfg(test)]
mod tests {
    use super::looks_like_html;

    #[test]
    fn html_is_told_from_data() {
        assert!(looks_like_html(b"\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<html lang=en>"));
        assert!(!looks_like_html(b"model_a,model_b,winner\n"));
        assert!(!looks_like_html(b"[{\"model_a\": \"<html>\"}]"));
    }
}
