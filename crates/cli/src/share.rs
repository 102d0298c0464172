//! `benchlens share decode LINK`: prints what a share link carries (its readable parameters and
//! the state in its `#s=` fragment) as JSON, so a link found in a paper or an issue can be
//! audited, and its settings replayed with the other subcommands, without opening a browser.

use std::io::Read;

/// Arguments of `benchlens share`.
#[derive(clap::Args)]
pub struct ShareArgs {
    #[command(subcommand)]
    pub command: ShareCommand,
}

#[derive(clap::Subcommand)]
pub enum ShareCommand {
    /// Decode a link (or a bare fragment token; `-` reads it from stdin) to JSON.
    Decode {
        /// The link, e.g. `https://host/benchlens/?view=ratings#s=…`.
        link: String,
    },
    /// Encode a state (JSON from a file or `-` for stdin) into a fragment token.
    Encode {
        /// JSON file with the state.
        file: String,
    },
}

fn read_arg(arg: &str) -> Result<String, String> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("stdin: {e}"))?;
        Ok(text.trim().to_owned())
    } else {
        Ok(arg.to_owned())
    }
}

/// Splits a link into its query pairs (percent-decoded) and fragment token.
fn split_link(link: &str) -> (Vec<(String, String)>, Option<String>) {
    let (before_hash, hash) = link.split_once('#').unwrap_or((link, ""));
    let token = if hash.is_empty() && !link.contains(['?', '/', '=']) {
        Some(link.to_owned())
    } else {
        hash.split('&').find_map(|kv| kv.strip_prefix("s=")).map(str::to_owned)
    };
    let query = before_hash.split_once('?').map_or("", |(_, q)| q);
    let pairs = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    (pairs, token)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(text.get(i + 1..i + 3).unwrap_or(""), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn run(args: &ShareArgs) -> Result<(), String> {
    match &args.command {
        ShareCommand::Decode { link } => {
            let link = read_arg(link)?;
            let (pairs, token) = split_link(&link);
            let state: serde_json::Value = match &token {
                Some(t) => benchlens_engine::share::decode(t).map_err(|e| e.to_string())?,
                None => serde_json::Value::Null,
            };
            let query: Vec<serde_json::Value> =
                pairs.into_iter().map(|(k, v)| serde_json::json!([k, v])).collect();
            let out = serde_json::json!({ "query": query, "state": state });
            crate::output::print_json(&out)?;
            Ok(())
        }
        ShareCommand::Encode { file } => {
            let text = if file == "-" {
                read_arg(file)?
            } else {
                std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?
            };
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{file}: not JSON ({e})"))?;
            crate::output::print_line(
                &benchlens_engine::share::encode(&value).map_err(|e| e.to_string())?,
            )?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_split_into_query_and_token() {
        let (pairs, token) = split_link(
            "https://h/p/?view=ratings&data=https%3A%2F%2Fx%2Fa.csv&kind=battle_log#s=abc",
        );
        assert_eq!(pairs[1], ("data".into(), "https://x/a.csv".into()));
        assert_eq!(token.as_deref(), Some("abc"));
        assert_eq!(split_link("abc_-").1.as_deref(), Some("abc_-"));
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E2%9C%93+x"), "✓ x");
    }
}
