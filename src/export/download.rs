//! Handing bytes to the browser as a file: a Blob behind an object URL, clicked through a
//! temporary `<a download>`; and charts drawn offscreen for PNG and SVG.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::html::strip_xml_controls;
use super::ExportFormat;
use crate::charts::theme::px;
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

/// Caption text size and line height under a PNG, in CSS pixels.
const CAPTION_FONT_PX: f64 = 12.0;
const CAPTION_LINE_PX: u32 = 16;
/// At most this many caption lines (the rest is cut with "…").
pub const CAPTION_MAX_LINES: usize = 4;

/// Height of the caption band for `lines` lines, in CSS pixels (0 without a caption).
pub fn caption_height(lines: usize) -> u32 {
    if lines == 0 {
        0
    } else {
        14 + CAPTION_LINE_PX * lines as u32
    }
}

/// Caption characters per line for a chart `width` CSS pixels wide (0.58 em per character, a
/// little wider than the average sans-serif glyph, so lines never run off the image).
pub fn caption_chars(width: u32) -> usize {
    ((f64::from(width) - 24.0) / (0.58 * CAPTION_FONT_PX)).floor().max(8.0) as usize
}

/// The chart drawn at [`PNG_SCALE`] on a detached canvas (width twice the chart's CSS size,
/// whatever the screen's pixel ratio), with its caption under it (title, method, data; see
/// [`super::caption::Caption`]), encoded as PNG by the browser.
pub async fn chart_png(
    chart: &ChartSpec,
    caption: &super::caption::Caption,
) -> Result<web_sys::Blob, String> {
    let (w, h) = chart.size();
    let lines = caption.lines(caption_chars(w), CAPTION_MAX_LINES);
    let band = caption_height(lines.len());
    let canvas: web_sys::HtmlCanvasElement = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("canvas").ok())
        .and_then(|e| e.dyn_into().ok())
        .ok_or("the browser could not make a canvas")?;
    canvas.set_width(w * PNG_SCALE);
    canvas.set_height((h + band) * PNG_SCALE);
    {
        let backend = CanvasBackend::with_canvas_object(canvas.clone())
            .ok_or("this browser gives no 2D canvas")?;
        let root = backend.into_drawing_area();
        let scale = f64::from(PNG_SCALE);
        let (plot, under) = root.split_vertically((h * PNG_SCALE) as i32);
        chart.draw(&plot, scale)?;
        under.fill(&WHITE).map_err(|e| e.to_string())?;
        let rule = crate::charts::theme::GRID;
        let x0 = px(12.0, scale);
        under
            .draw(&PathElement::new(
                vec![(x0, px(4.0, scale)), ((w * PNG_SCALE) as i32 - x0, px(4.0, scale))],
                ShapeStyle::from(rule).stroke_width(PNG_SCALE),
            ))
            .map_err(|e| e.to_string())?;
        let font = (crate::charts::theme::FONT, px(CAPTION_FONT_PX, scale))
            .into_font()
            .color(&crate::charts::theme::MUTED);
        for (i, line) in lines.iter().enumerate() {
            let y = 10.0 + f64::from(CAPTION_LINE_PX) * i as f64;
            under
                .draw(&Text::new(line.clone(), (x0, px(y, scale)), font.clone()))
                .map_err(|e| e.to_string())?;
        }
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
