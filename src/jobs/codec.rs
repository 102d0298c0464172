//! A gloo-worker codec over serde-wasm-bindgen, so messages can carry Blobs (structured clone)
//! and numbers stay JS numbers.

use gloo_worker::Codec;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// serde-wasm-bindgen encoding for worker messages.
pub struct JsCodec;

impl Codec for JsCodec {
    fn encode<I>(input: I) -> JsValue
    where
        I: Serialize,
    {
        // Encoding our own message types cannot fail; a failure would be a programming error
        // surfaced as `undefined`, which the receiver reports instead of crashing.
        serde_wasm_bindgen::to_value(&input).unwrap_or(JsValue::UNDEFINED)
    }

    fn decode<O>(input: JsValue) -> O
    where
        O: for<'de> Deserialize<'de>,
    {
        match serde_wasm_bindgen::from_value(input) {
            Ok(value) => value,
            Err(e) => {
                // The trait gives no way to return an error; both ends are this crate's own types,
                // so this only fires on a version mismatch between page and worker files.
                wasm_bindgen::throw_str(&format!("benchlens: undecodable worker message: {e}"))
            }
        }
    }
}
