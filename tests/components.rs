//! Component tests in a real browser (wasm-bindgen-test in headless Chromium via chromedriver).
#![cfg(target_arch = "wasm32")]

use benchlens::format;
use benchlens::intake::dataset_panel::DatasetCard;
use benchlens::state::{AppState, DatasetEntry};
use benchlens_engine::formats::{load_bytes, LoadOptions};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let host = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&host).expect("attach");
    host.unchecked_into()
}

#[wasm_bindgen_test]
fn dataset_card_shows_shape_and_located_warnings() {
    let parsed = load_bytes(
        "broken.csv",
        b"model_a,model_b,winner,tstamp\nx,y,model_a,1\nx,y,model_b,soon\nx,y,tie,3\n",
        &LoadOptions::default(),
    );
    let entry = DatasetEntry { id: 7, summary: parsed.summary, origin: "dropped".into() };
    let host = host();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(AppState::new());
        view! { <DatasetCard entry=entry.clone()/> }
    });
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("broken.csv"), "{text}");
    assert!(text.contains("2 rows"), "{text}");
    assert!(
        text.contains("broken.csv:3: field `tstamp`: expected a number, found \"soon\""),
        "{text}"
    );
    let card = host.query_selector("[data-testid=dataset-card]").ok().flatten().expect("card");
    assert_eq!(card.get_attribute("data-kind").as_deref(), Some("battle_log"));
    // The preview shows the loaded rows, never as HTML.
    let cells = host.query_selector_all("td").expect("cells").length();
    assert_eq!(cells, 2 * 4);
    drop(handle);
}

#[wasm_bindgen_test]
fn user_text_is_never_rendered_as_html() {
    let parsed = load_bytes(
        "x.csv",
        b"question,answer\n<img src=x onerror=alert(1)>,A\n",
        &LoadOptions::default(),
    );
    let entry = DatasetEntry { id: 1, summary: parsed.summary, origin: "pasted".into() };
    let host = host();
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        provide_context(AppState::new());
        view! { <DatasetCard entry=entry.clone()/> }
    });
    assert_eq!(host.query_selector_all("img").expect("query").length(), 0);
    assert!(host.text_content().unwrap_or_default().contains("<img src=x"));
}

#[wasm_bindgen_test]
fn number_formats() {
    assert_eq!(format::bytes(435_909.0), "436 KB");
    assert_eq!(format::bytes(1_400_000.0), "1.4 MB");
    assert_eq!(format::count(14_079), "14,079");
    assert_eq!(format::count(999), "999");
    assert_eq!(format::duration(125.0), "2 min 5 s");
    assert_eq!(format::duration(f64::NAN), "—");
}
