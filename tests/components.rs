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

#[path = "components/ui_infra.rs"]
mod ui_infra;

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

mod share_links {
    use benchlens::share::location::{read, write};
    use benchlens::share::{DataSource, ShareState, SharedDataset, SHARE_VERSION};
    use benchlens::views::ratings::{CompareWith, RatingsShare};
    use benchlens::views::View;
    use benchlens_engine::dataset::DatasetKind;
    use benchlens_engine::formats::LoadOptions;
    use benchlens_engine::ratings::{RatingsSettings, TieRule};
    use wasm_bindgen_test::*;

    fn dataset(source: DataSource) -> SharedDataset {
        SharedDataset { source, options: LoadOptions::default() }
    }

    #[wasm_bindgen_test]
    fn a_written_link_reads_back_to_the_same_state() {
        let state = ShareState {
            v: SHARE_VERSION,
            view: Some(View::Ratings),
            data: vec![
                dataset(DataSource::Sample {
                    set: "genai-arena".into(),
                    file: "battles/genai-arena-clean-battle-20240220.json".into(),
                }),
                SharedDataset {
                    source: DataSource::Url { url: "https://example.org/b.csv?x=1&y=2".into() },
                    options: LoadOptions {
                        kind: Some(DatasetKind::PairCounts),
                        ..LoadOptions::default()
                    },
                },
                dataset(DataSource::Inline { name: "m.csv".into(), text: "a,b\n1,\"2\"\n".into() }),
                dataset(DataSource::Local { name: "private.json".into() }),
            ],
            ratings: Some(RatingsShare {
                settings: RatingsSettings {
                    seed: 7,
                    ties: TieRule::Drop,
                    ..RatingsSettings::default()
                },
                compare: Some(CompareWith::Category("math".into())),
                ..RatingsShare::default()
            }),
            ..ShareState::default()
        };
        let href = write("http://127.0.0.1:9/app/", &state);
        assert!(
            href.starts_with("http://127.0.0.1:9/app/?view=ratings&sample=genai-arena&data="),
            "{href}"
        );
        assert!(href.contains("&kind=pair_counts&"), "{href}");
        assert!(href.contains("ties=drop") && href.contains("seed=7"), "{href}");
        let back = read(&href).expect("a link");
        assert_eq!(back.notes, Vec::<String>::new());
        assert_eq!(back.state, state);
    }

    #[wasm_bindgen_test]
    fn hand_written_parameters_are_read_and_override_the_fragment() {
        let link =
            read("http://h/?view=ratings&sample=genai-arena&seed=9&ties=davidson").expect("a link");
        assert_eq!(link.state.view, Some(View::Ratings));
        assert_eq!(link.state.data.len(), 1);
        let ratings = link.state.ratings.expect("ratings");
        assert_eq!((ratings.settings.seed, ratings.settings.ties), (9, TieRule::Davidson));
        let with_fragment = ShareState {
            ratings: Some(RatingsShare {
                settings: RatingsSettings { seed: 3, ..RatingsSettings::default() },
                ..RatingsShare::default()
            }),
            ..ShareState::default()
        };
        let token = benchlens_engine::share::encode(&with_fragment).expect("token");
        let read_back = read(&format!("http://h/?seed=11#s={token}")).expect("a link");
        assert_eq!(read_back.state.ratings.expect("ratings").settings.seed, 11);
    }

    #[wasm_bindgen_test]
    fn bad_links_say_what_was_wrong() {
        let link = read("http://h/?view=nope&data=ftp://x/y.csv&kind=battle_log&sample=zzz#s=%%%")
            .expect("a link");
        let notes = link.notes.join("\n");
        assert!(notes.contains("could not be read"), "{notes}");
        assert!(notes.contains("view=nope"), "{notes}");
        assert!(notes.contains("only http and https"), "{notes}");
        assert!(notes.contains("kind=battle_log"), "{notes}");
        assert!(notes.contains("sample=zzz"), "{notes}");
        assert!(link.state.data.is_empty());
        assert!(read("http://h/").is_none());
    }
}

/// A table as the views write it (two header rows with spans, a rowspan in the body, a rounded
/// cell with its full value, a model name with a badge) reads back as flat columns and full
/// values, in CSV, JSON and the report's static copy.
#[wasm_bindgen_test]
fn export_table_reads_spans_and_full_values_from_the_page() {
    use benchlens::export::dom::read_table;
    use benchlens::export::ExportTable;
    let host = host();
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            <ExportTable testid="t">
                <table data-testid="t">
                    <thead>
                        <tr><th></th><th class="group" colspan="2">"Win rate (%)"</th></tr>
                        <tr><th>"Model ▼"</th><th class="num">"win rate"</th><th class="num">"± SE"</th></tr>
                    </thead>
                    <tbody>
                        <tr><td data-value="a, \"b\"">"a, \"b\""<span class="badge">"baseline"</span></td>
                            <td class="num" data-value="15.733512">"15.73"</td><td class="num" rowspan="2">"1,120"</td></tr>
                        <tr><td>"<img src=x>"</td><td class="num">"—"</td></tr>
                    </tbody>
                </table>
            </ExportTable>
        }
    });
    assert!(host.query_selector("[data-testid=t-csv]").ok().flatten().is_some());
    assert!(host.query_selector("[data-testid=t-json]").ok().flatten().is_some());
    let table = host.query_selector("table").ok().flatten().expect("table");
    let data = read_table(&table);
    assert_eq!(data.columns, ["Model", "Win rate (%) / win rate", "Win rate (%) / ± SE"]);
    assert_eq!(
        data.to_csv(),
        "Model,Win rate (%) / win rate,Win rate (%) / ± SE\r\n\"a, \"\"b\"\"\",15.733512,\"1,120\"\r\n<img src=x>,—,\"1,120\"\r\n"
    );
    let json: serde_json::Value = serde_json::from_str(&data.to_json()).expect("json");
    assert_eq!(json[0]["Win rate (%) / win rate"], serde_json::json!(15.733512));
    assert_eq!(json[1]["Win rate (%) / ± SE"], serde_json::json!(1120.0));
    assert_eq!(json[1]["Win rate (%) / win rate"], serde_json::Value::Null);
    let html = data.to_html();
    assert!(html.contains("&lt;img src=x&gt;") && !html.contains("<img"), "{html}");
}

#[wasm_bindgen_test]
fn export_names_and_report_are_safe() {
    use benchlens::export::html::{Block, Provenance, Report};
    use benchlens::export::table::csv_field;
    use benchlens::export::{file_name, ExportFormat};
    assert_eq!(
        file_name("ratings", "chart-forest", ExportFormat::Svg),
        "benchlens-ratings-forest.svg"
    );
    assert_eq!(csv_field("x\"y"), "\"x\"\"y\"");
    let report = Report {
        view: "Judge".into(),
        generated: "now".into(),
        url: "http://127.0.0.1/#a&b".into(),
        settings: "{}".into(),
        datasets: vec![Provenance {
            name: "<script>x</script>".into(),
            kind: "k".into(),
            format: "CSV".into(),
            rows: 1,
            bytes: 2,
            origin: "dropped".into(),
        }],
        blocks: vec![Block::Notes(vec!["<b>n</b>".into()])],
    };
    let html = report.render();
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("href=\"http://127.0.0.1/#a&amp;b\""));
    // Parsed by the browser, user text makes no elements.
    let doc = web_sys::window().and_then(|w| w.document()).expect("a document");
    let holder = doc.create_element("div").expect("div");
    holder.set_inner_html(&html);
    assert_eq!(holder.query_selector_all("script, b").expect("query").length(), 0);
    assert_eq!(holder.query_selector_all("#provenance tbody tr").expect("query").length(), 1);
}
