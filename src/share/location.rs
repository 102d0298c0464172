//! The URL as the page's state: `?view=ratings&sample=genai-arena&data=URL&kind=battle_log&seed=42`
//! for what people read and edit by hand, and `#s=TOKEN` (deflate + base64url JSON, see
//! `benchlens_engine::share`) for everything. On reading, the fragment is the base and the
//! readable parameters override it, so a hand-edited `seed=7` wins.

use benchlens_engine::dataset::DatasetKind;
use benchlens_engine::formats::LoadOptions;
use serde::de::DeserializeOwned;

use super::{DataSource, ShareState, SharedDataset};
use crate::intake::samples::sample_sets;
use crate::jobs::hub_ref::HubRef;
use crate::state::View;
use crate::views::ratings::RatingsShare;

/// A link, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadLink {
    pub state: ShareState,
    /// What could not be used, for the user.
    pub notes: Vec<String>,
}

fn parse_enum<T: DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

fn enum_id<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// `http(s)` URLs only (relative ones resolve against the page); anything else in a link is
/// refused rather than fetched.
pub fn checked_data_url(raw: &str, base: &str) -> Result<String, String> {
    let url = web_sys::Url::new_with_base(raw, base)
        .map_err(|_| format!("data={raw}: not a valid address"))?;
    match url.protocol().as_str() {
        "http:" | "https:" => Ok(url.href()),
        other => Err(format!("data={raw}: only http and https addresses are loaded, not {other}")),
    }
}

/// The sample files a `sample=` value names: `SET` (every file) or `SET/FILE`.
fn sample_files(value: &str) -> Result<Vec<DataSource>, String> {
    let sets = sample_sets();
    if let Some(set) = sets.iter().find(|s| s.id == value) {
        return Ok(set
            .files
            .iter()
            .map(|f| DataSource::Sample { set: set.id.clone(), file: f.clone() })
            .collect());
    }
    let found = value.split_once('/').and_then(|(set_id, file)| {
        let set = sets.iter().find(|s| s.id == set_id)?;
        let file = set.files.iter().find(|f| f.as_str() == file)?;
        Some(DataSource::Sample { set: set.id.clone(), file: file.clone() })
    });
    found.map(|s| vec![s]).ok_or_else(|| {
        let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        format!("sample={value}: no such sample set (there are: {})", ids.join(", "))
    })
}

/// Reads a page address into a state. `None` when the address carries no state at all.
pub fn read(href: &str) -> Option<ReadLink> {
    let url = web_sys::Url::new(href).ok()?;
    let params = url.search_params();
    let hash = url.hash();
    let token = hash.trim_start_matches('#').split('&').find_map(|kv| kv.strip_prefix("s="));
    let keys: Vec<(String, String)> = {
        let mut out = Vec::new();
        let entries = js_sys::try_iter(&params).ok().flatten();
        for entry in entries.into_iter().flatten().flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.push((k, v));
            }
        }
        out
    };
    if token.is_none() && keys.is_empty() {
        return None;
    }
    let mut link = ReadLink::default();
    if let Some(token) = token {
        match benchlens_engine::share::decode::<ShareState>(token) {
            Ok(state) => link.state = state,
            Err(e) => link.notes.push(format!(
                "This link's settings could not be read: {e}. Showing the defaults."
            )),
        }
    }
    // Data: the fragment's list is complete; hand-written links list it in the query.
    let fragment_has_data = !link.state.data.is_empty();
    let mut query_data: Vec<SharedDataset> = Vec::new();
    let mut ratings: Option<RatingsShare> = None;
    let ratings_mut = |ratings: &mut Option<RatingsShare>, link: &ReadLink| -> RatingsShare {
        ratings.take().or_else(|| link.state.ratings.clone()).unwrap_or_default()
    };
    for (key, value) in &keys {
        match key.as_str() {
            "view" => match View::from_id(value) {
                Some(v) => link.state.view = Some(v),
                None => link.notes.push(format!("view={value}: no such view")),
            },
            // A hub link is kept in its canonical form; the worker reads it (intake::hub).
            "data" if value.starts_with("hf://") => match HubRef::parse(value) {
                Ok(hub_ref) => query_data.push(SharedDataset {
                    source: DataSource::Url { url: hub_ref.spec() },
                    options: LoadOptions::default(),
                }),
                Err(e) => link.notes.push(format!("data={e}")),
            },
            "data" => match checked_data_url(value, href) {
                Ok(url) => query_data.push(SharedDataset {
                    source: DataSource::Url { url },
                    options: LoadOptions::default(),
                }),
                Err(e) => link.notes.push(e),
            },
            "kind" => match (DatasetKind::from_id(value), query_data.last_mut()) {
                (Some(kind), Some(last)) if matches!(last.source, DataSource::Url { .. }) => {
                    last.options.kind = Some(kind);
                }
                (None, _) => link.notes.push(format!("kind={value}: no such kind")),
                _ => link.notes.push(format!("kind={value}: goes after the data= it applies to")),
            },
            "sample" => match sample_files(value) {
                Ok(files) => query_data.extend(
                    files
                        .into_iter()
                        .map(|source| SharedDataset { source, options: LoadOptions::default() }),
                ),
                Err(e) => link.notes.push(e),
            },
            "seed" | "method" | "ties" | "ci" => {
                let mut r = ratings_mut(&mut ratings, &link);
                let ok = match key.as_str() {
                    "seed" => value.parse().map(|s| r.settings.seed = s).is_ok(),
                    "method" => parse_enum(value).map(|m| r.settings.method = m).is_some(),
                    "ties" => parse_enum(value).map(|t| r.settings.ties = t).is_some(),
                    _ => parse_enum(value).map(|c| r.settings.ci = c).is_some(),
                };
                if !ok {
                    link.notes.push(format!("{key}={value}: not a valid value"));
                }
                ratings = Some(r);
            }
            _ => {}
        }
    }
    if let Some(r) = ratings {
        link.state.ratings = Some(r);
    }
    if !fragment_has_data {
        link.state.data = query_data;
    }
    Some(link)
}

/// The address for a state: `base` is the page's address without query or fragment.
pub fn write(base: &str, state: &ShareState) -> String {
    let params = match web_sys::UrlSearchParams::new() {
        Ok(p) => p,
        Err(_) => return base.to_owned(),
    };
    if let Some(view) = state.view {
        params.append("view", view.id());
    }
    // Whole sample sets collapse to their id.
    let sets = sample_sets();
    let mut i = 0;
    while i < state.data.len() {
        let d = &state.data[i];
        match &d.source {
            DataSource::Sample { set, file } => {
                let whole = sets.iter().find(|s| &s.id == set).filter(|s| {
                    state.data.len() >= i + s.files.len()
                        && s.files.iter().zip(&state.data[i..]).all(|(f, d)| {
                            d.options == LoadOptions::default()
                                && matches!(&d.source, DataSource::Sample { set: s2, file: f2 } if s2 == set && f2 == f)
                        })
                });
                match whole {
                    Some(s) => {
                        params.append("sample", &s.id);
                        i += s.files.len();
                        continue;
                    }
                    None => params.append("sample", &format!("{set}/{file}")),
                }
            }
            DataSource::Url { url } => {
                params.append("data", url);
                if let Some(kind) = d.options.kind {
                    params.append("kind", kind.id());
                }
            }
            DataSource::Inline { .. } | DataSource::Local { .. } => {}
        }
        i += 1;
    }
    if let Some(r) = &state.ratings {
        params.append("method", &enum_id(&r.settings.method));
        params.append("ties", &enum_id(&r.settings.ties));
        params.append("ci", &enum_id(&r.settings.ci));
        params.append("seed", &r.settings.seed.to_string());
    }
    let query = String::from(params.to_string());
    let mut out = base.to_owned();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !state.is_empty() {
        if let Ok(token) = benchlens_engine::share::encode(state) {
            out.push_str("#s=");
            out.push_str(&token);
        }
    }
    out
}
