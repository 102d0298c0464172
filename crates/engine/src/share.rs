//! The compact token that carries a view's state in a share link: JSON, raw-deflated, then
//! base64url without padding. It lives here rather than in the app so the encoding can be
//! tested natively and a link can be decoded in a terminal (`benchlens share decode`).
//!
//! A link is untrusted input: decoding caps the inflated size so a crafted token cannot
//! exhaust memory, and every failure is an error value, never a panic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::DecompressError;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Largest inflated state accepted (inline data sets are at most 64 KB compressed; text
/// compresses ≈ 5–10×, so this leaves room without letting a token balloon).
pub const MAX_INFLATED_BYTES: usize = 8 << 20;

/// Largest compressed size of one file embedded in a link.
pub const MAX_INLINE_COMPRESSED_BYTES: usize = 64 * 1024;

/// Deflate level: the token is written on every settings change, so a middle level.
const LEVEL: u8 = 6;

/// Why a share token could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ShareError {
    #[error("the link's state is not valid base64url ({0})")]
    Base64(String),
    #[error("the link's state is not valid deflate data ({0})")]
    Inflate(String),
    #[error("the link's state inflates to more than {} MB", MAX_INFLATED_BYTES >> 20)]
    TooLarge,
    #[error("the link's state is not the JSON this version expects ({0})")]
    Json(String),
    #[error("could not write the state ({0})")]
    Encode(String),
}

/// Deflates and base64url-encodes bytes.
pub fn pack(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, LEVEL))
}

/// Inverse of [`pack`], refusing anything that inflates beyond [`MAX_INFLATED_BYTES`].
pub fn unpack(token: &str) -> Result<Vec<u8>, ShareError> {
    let compressed = URL_SAFE_NO_PAD
        .decode(token.trim().trim_end_matches('='))
        .map_err(|e| ShareError::Base64(e.to_string()))?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED_BYTES).map_err(
        |e: DecompressError| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            status => ShareError::Inflate(format!("{status:?}")),
        },
    )
}

/// Size of `bytes` once deflated, as it would be embedded (before base64, which adds a third).
pub fn compressed_len(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, LEVEL).len()
}

/// Serialises a state into a token.
pub fn encode<T: Serialize>(state: &T) -> Result<String, ShareError> {
    let json = serde_json::to_vec(state).map_err(|e| ShareError::Encode(e.to_string()))?;
    Ok(pack(&json))
}

/// Reads a state back from a token.
pub fn decode<T: DeserializeOwned>(token: &str) -> Result<T, ShareError> {
    let json = unpack(token)?;
    serde_json::from_slice(&json).map_err(|e| ShareError::Json(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct State {
        view: String,
        seed: u64,
        text: String,
    }

    #[test]
    fn round_trips_and_is_url_safe() {
        let state = State { view: "ratings".into(), seed: 42, text: "a,b\n1,2\n".repeat(50) };
        let token = encode(&state).expect("encodes");
        assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert!(token.len() < 120, "repetitive text must compress: {}", token.len());
        assert_eq!(decode::<State>(&token), Ok(state));
    }

    #[test]
    fn padding_and_whitespace_are_tolerated() {
        let token = pack(b"{}");
        assert_eq!(unpack(&format!(" {token}== ")).as_deref(), Ok(&b"{}"[..]));
    }

    #[test]
    fn bad_tokens_are_errors() {
        assert!(matches!(unpack("***"), Err(ShareError::Base64(_))));
        assert!(matches!(unpack("AAAA"), Err(ShareError::Inflate(_))));
        assert!(matches!(decode::<State>(&pack(b"[1,2]")), Err(ShareError::Json(_))));
    }

    #[test]
    fn inflation_is_capped() {
        let bomb = pack(&vec![b'x'; MAX_INFLATED_BYTES + 1]);
        assert!(bomb.len() < 20_000);
        assert_eq!(unpack(&bomb), Err(ShareError::TooLarge));
    }
}
