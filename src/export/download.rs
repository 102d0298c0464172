//! Handing bytes to the browser as a file: a Blob behind an object URL, clicked through a
//! temporary `<a download>`; and charts drawn offscreen for PNG and SVG.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::html::strip_xml_controls;
use super::ExportFormat;
use crate::charts::ChartSpec;

/// Pixel ratio of PNG exports, whatever the screen's.
pub const PNG_SCALE: u32 = 2;

/// A Blob of `bytes` with MIME type `mime`.
pub fn blob(bytes: &[u8], mime: &str) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &bag)
        .map_err(|_| "the browser could not make a file".to_string())
}

/// An object URL for `bytes` (revoke it with `web_sys::Url::revoke_object_url` when done).
pub fn object_url(bytes: &[u8], mime: &str) -> Result<String, String> {
    web_sys::Url::create_object_url_with_blob(&blob(bytes, mime)?)
        .map_err(|_| "the browser could not make a download link".to_string())
}

/// Saves `blob` as `file` (the browser's download), then frees the URL a while later.
pub fn save_blob(blob: &web_sys::Blob, file: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the browser could not make a download link".to_string())?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or("the browser could not make a link")?;
    anchor.set_href(&url);
    anchor.set_download(file);
    let _ = anchor.set_attribute("hidden", "");
    let body = document.body().ok_or("no document body")?;
    let _ = body.append_child(&anchor);
    anchor.click();
    let _ = body.remove_child(&anchor);
    // Revoking at once can cancel the download in some browsers: give it a minute.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Ok(())
}

/// Saves `bytes` as `file`, typed by `format`.
pub fn save_bytes(bytes: &[u8], format: ExportFormat, file: &str) -> Result<(), String> {
    save_blob(&blob(bytes, format.mime())?, file)
}

/// The chart as an SVG document, ready to save or inline.
pub fn chart_svg(chart: &ChartSpec) -> Result<String, String> {
    chart.to_svg().map(|s| strip_xml_controls(&s))
}

/// The chart drawn at [`PNG_SCALE`] on a detached canvas (width and height twice the CSS size,
/// whatever the screen's pixel ratio), encoded as PNG by the browser.
pub async fn chart_png(chart: &ChartSpec) -> Result<web_sys::Blob, String> {
    let (w, h) = chart.size();
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|e| e.dyn_into().ok())
        .ok_or("the browser could not make a canvas")?;
    canvas.set_width(w * PNG_SCALE);
    canvas.set_height(h * PNG_SCALE);
    {
        let backend = CanvasBackend::with_canvas_object(canvas.clone())
            .ok_or("this browser gives no 2D canvas")?;
        let root = backend.into_drawing_area();
        chart.draw(&root, f64::from(PNG_SCALE))?;
        root.present().map_err(|e| e.to_string())?;
    }
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        if canvas.to_blob_with_type(&resolve, "image/png").is_err() {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("toBlob failed"));
        }
    });
    let value = JsFuture::from(promise)
        .await
        .map_err(|_| "the browser could not encode the PNG".to_string())?;
    value
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| "the browser gave no PNG (canvas too large?)".to_string())
}
