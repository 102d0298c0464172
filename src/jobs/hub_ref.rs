//! `hf://datasets/<owner>/<name>[/<path glob>][@revision]`: what a hub link names, the hub's
//! addresses for it, and which of the dataset's files it picks from the hub's listing.
//!
//! Pure (no browser calls), so the page (the Data view's box, `?data=hf://…` links) and the worker
//! (which lists and range-reads the files, `parquet_http`) agree on every rule, and the rules are
//! unit-tested natively.

use benchlens_engine::formats::kind::hub_shard;
use serde::{Deserialize, Serialize};

/// The public hub. Tests point the page at a loopback server instead (see `intake::hub`).
pub const HUB: &str = "https://huggingface.co";

/// The scheme and repository type a hub link starts with.
const PREFIX: &str = "hf://datasets/";

/// Longest owner or dataset name the hub accepts.
const MAX_NAME: usize = 96;

/// A dataset on the hub, and which of its files to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubRef {
    pub owner: String,
    pub name: String,
    /// Files to read, relative to the repository root (`data/train-*.parquet`); every Parquet
    /// file of one split when absent.
    pub glob: Option<String>,
    /// Branch, tag, commit or ref (`refs/convert/parquet`), as the user wrote it, decoded.
    pub revision: String,
}

/// A hub link and the hub it is read from (the public hub, or a loopback test server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubSource {
    pub hub: String,
    pub hub_ref: HubRef,
}

/// One Parquet file of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubFile {
    pub path: String,
    /// Bytes of the file itself (the LFS object's size, not its pointer's).
    pub size: u64,
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `/` when `keep_slash`).
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        let plain = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/');
        if plain {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` when one is malformed or the result is not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Why `part` is not a valid owner or dataset name, or `None` when it is.
fn name_problem(what: &str, part: &str) -> Option<String> {
    let ok_chars =
        part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    let starts_ok = part.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
    if part.is_empty() {
        Some(format!("the {what} is missing"))
    } else if part.len() > MAX_NAME {
        Some(format!("the {what} is longer than {MAX_NAME} characters"))
    } else if !ok_chars || !starts_ok || part.contains("..") || part.contains("--") {
        Some(format!(
            "the {what} “{part}” is not a hub name (letters, digits, - _ . ; starting with a letter or digit)"
        ))
    } else {
        None
    }
}

fn revision_problem(revision: &str) -> Option<String> {
    let ok_chars = revision
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
    let bad = revision.is_empty()
        || revision.len() > 255
        || !ok_chars
        || revision.contains("..")
        || revision.starts_with('/')
        || revision.ends_with('/')
        || revision.split('/').any(|s| s.is_empty() || s == "." || s == "..");
    bad.then(|| {
        format!("the revision “{revision}” is not a branch, tag, commit or ref such as refs/convert/parquet")
    })
}

fn glob_problem(glob: &str) -> Option<String> {
    let bad = glob.chars().any(|c| c.is_control() || c == '\\')
        || glob.split('/').any(|s| s.is_empty() || s == "." || s == "..");
    bad.then(|| {
        format!("the path “{glob}” is not a path inside the dataset (no empty, . or .. parts)")
    })
}

impl HubRef {
    /// Reads a hub link. The revision goes after the name (`owner/name@rev/path`, as DuckDB and
    /// `huggingface_hub` write it) or at the very end (`owner/name/path@rev`); a revision with
    /// slashes may be written plain or URL-encoded (`refs%2Fconvert%2Fparquet`).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let spec = spec.trim();
        let fail = |why: String| format!("{spec}: {why}");
        let Some(rest) = spec.strip_prefix(PREFIX) else {
            return Err(fail(format!(
                "a hub link starts with {PREFIX}<owner>/<name> (only datasets are read)"
            )));
        };
        let (owner, rest) = rest.split_once('/').unwrap_or((rest, ""));
        let (name_part, path_part) = rest.split_once('/').unwrap_or((rest, ""));
        let (name, mut revision) = match name_part.split_once('@') {
            Some((name, rev)) => (name, Some(rev.to_owned())),
            None => (name_part, None),
        };
        let mut path = path_part.to_owned();
        if revision.is_none() {
            if let Some((p, rev)) = path_part.split_once('@') {
                path = p.to_owned();
                revision = Some(rev.to_owned());
            }
        }
        for (what, part) in [("owner", owner), ("dataset name", name)] {
            if let Some(why) = name_problem(what, part) {
                return Err(fail(why));
            }
        }
        let revision = match revision {
            Some(raw) => decode(&raw)
                .ok_or_else(|| fail(format!("the revision “{raw}” is badly encoded")))?,
            None => "main".to_owned(),
        };
        if let Some(why) = revision_problem(&revision) {
            return Err(fail(why));
        }
        let path = path.trim_end_matches('/');
        let glob = if path.is_empty() {
            None
        } else {
            let glob =
                decode(path).ok_or_else(|| fail(format!("the path “{path}” is badly encoded")))?;
            if let Some(why) = glob_problem(&glob) {
                return Err(fail(why));
            }
            Some(glob)
        };
        Ok(Self { owner: owner.to_owned(), name: name.to_owned(), glob, revision })
    }

    /// The link in its canonical form: revision after the name, left out when `main`.
    pub fn spec(&self) -> String {
        let mut out = format!("{PREFIX}{}/{}", self.owner, self.name);
        if self.revision != "main" {
            out.push('@');
            out.push_str(&encode(&self.revision, false));
        }
        if let Some(glob) = &self.glob {
            out.push('/');
            out.push_str(glob);
        }
        out
    }

    /// What the dataset is called on the page: `owner/name`, plus the path when one is given.
    pub fn label(&self) -> String {
        match &self.glob {
            Some(glob) => format!("{}/{}/{glob}", self.owner, self.name),
            None => format!("{}/{}", self.owner, self.name),
        }
    }

    /// The first page of the recursive listing of the revision.
    pub fn tree_url(&self, hub: &str) -> String {
        format!(
            "{}/api/datasets/{}/{}/tree/{}?recursive=true",
            hub.trim_end_matches('/'),
            self.owner,
            self.name,
            encode(&self.revision, false)
        )
    }

    /// Where a file's bytes are served (the hub answers with a redirect to its CDN).
    pub fn resolve_url(&self, hub: &str, path: &str) -> String {
        format!(
            "{}/datasets/{}/{}/resolve/{}/{}",
            hub.trim_end_matches('/'),
            self.owner,
            self.name,
            encode(&self.revision, false),
            encode(path, true)
        )
    }

    /// The dataset's page on the hub, where a gated dataset's terms are accepted.
    pub fn page_url(&self, hub: &str) -> String {
        format!("{}/datasets/{}/{}", hub.trim_end_matches('/'), self.owner, self.name)
    }
}

/// Shell-style match of a whole path: `*` and `?` stay within one folder, `**` crosses folders,
/// `[abc]` is one of the characters.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) if rest.first() == Some(&'*') => {
                // `**/` also matches no folder at all.
                let after = &rest[1..];
                let after_slash = after.strip_prefix(&['/']).unwrap_or(after);
                (0..=s.len()).any(|i| go(after, &s[i..]))
                    || (after.first() == Some(&'/') && go(after_slash, s))
            }
            Some(('*', rest)) => {
                let max = s.iter().position(|&c| c == '/').unwrap_or(s.len());
                (0..=max).any(|i| go(rest, &s[i..]))
            }
            Some(('?', rest)) => s.first().is_some_and(|&c| c != '/') && go(rest, &s[1..]),
            Some(('[', rest)) => match (rest.iter().position(|&c| c == ']'), s.split_first()) {
                (Some(end), Some((c, s_rest))) if end > 0 => {
                    rest[..end].contains(c) && go(&rest[end + 1..], s_rest)
                }
                (Some(_), _) => false,
                (None, _) => s.first() == Some(&'[') && go(rest, &s[1..]),
            },
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = path.chars().collect();
    go(&p, &s)
}

/// The Parquet files of one page of the hub's tree listing (a JSON array of
/// `{type, path, size, lfs: {size}}`).
pub fn parse_listing(url: &str, body: &str) -> Result<Vec<HubFile>, String> {
    let entries: Vec<serde_json::Value> = serde_json::from_str(body).map_err(|e| {
        format!("{url}: the hub's file list could not be read ({e}); is this a hub address?")
    })?;
    let mut files = Vec::new();
    for entry in &entries {
        let field = |k: &str| entry.get(k);
        let is_file = field("type").and_then(|t| t.as_str()) == Some("file");
        let Some(path) = field("path").and_then(|p| p.as_str()) else { continue };
        if !is_file || !path.to_ascii_lowercase().ends_with(".parquet") {
            continue;
        }
        let size = field("lfs")
            .and_then(|l| l.get("size"))
            .or_else(|| field("size"))
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| format!("{url}: the hub's file list gives no size for {path}"))?;
        files.push(HubFile { path: path.to_owned(), size });
    }
    Ok(files)
}

/// The `rel="next"` address of an HTTP `Link` header (the hub pages long listings this way).
pub fn next_page(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

/// Folder and split of a file (`data`, `train` for `data/train-00000-of-00002.parquet`): the
/// shards of one split share it.
fn split_of(path: &str) -> String {
    let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
    let split = hub_shard(base).unwrap_or(base);
    if dir.is_empty() {
        split.to_owned()
    } else {
        format!("{dir}/{split}")
    }
}

/// The files a link reads, sorted by path: those matching its glob, or, without one, every
/// Parquet file as long as they are the shards of a single split (a dataset with several splits
/// must say which, since one link loads one dataset).
pub fn choose(hub_ref: &HubRef, mut files: Vec<HubFile>) -> Result<Vec<HubFile>, String> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let spec = hub_ref.spec();
    if files.is_empty() {
        return Err(format!(
            "{spec}: the dataset has no Parquet files at revision {}",
            hub_ref.revision
        ));
    }
    match &hub_ref.glob {
        Some(glob) => {
            let chosen: Vec<HubFile> =
                files.iter().filter(|f| glob_match(glob, &f.path)).cloned().collect();
            if chosen.is_empty() {
                let some: Vec<&str> = files.iter().take(5).map(|f| f.path.as_str()).collect();
                return Err(format!(
                    "{spec}: no Parquet file matches “{glob}”; the dataset has {} ({}{})",
                    files.len(),
                    some.join(", "),
                    if files.len() > some.len() { ", …" } else { "" }
                ));
            }
            Ok(chosen)
        }
        None => {
            let mut splits: Vec<String> = files.iter().map(|f| split_of(&f.path)).collect();
            splits.sort();
            splits.dedup();
            if splits.len() > 1 {
                let examples: Vec<String> =
                    splits.iter().take(4).map(|s| format!("{spec}/{s}*.parquet")).collect();
                return Err(format!(
                    "{spec}: the dataset has {} splits ({}); a link loads one, so name it, e.g. {}",
                    splits.len(),
                    splits.join(", "),
                    examples.join(" or ")
                ));
            }
            Ok(files)
        }
    }
}

#[cfg(test)]
#[path = "hub_ref_tests.rs"]
mod tests;
