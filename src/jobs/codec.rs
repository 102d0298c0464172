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
        let t0 = crate::prof::now();
        let v = serde_wasm_bindgen::to_value(&input).unwrap_or(JsValue::UNDEFINED);
        crate::prof::since(t0, "codec encode");
        v
    }

    fn decode<O>(input: JsValue) -> O
    where
        O: for<'de> Deserialize<'de>,
    {
        let t0 = crate::prof::now();
        let decoded = serde_wasm_bindgen::from_value(input);
        crate::prof::since(t0, "codec decode");
        match decoded {
            Ok(value) => value,
            Err(e) => {
                // The trait gives no way to return an error; both ends are this crate's own types,
                // so this only fires on a version mismatch between page and worker files.
                wasm_bindgen::throw_str(&format!("benchlens: undecodable worker message: {e}"))
            }
        }
    }
}
