//! Shared UI mechanisms (issue #17, items 8–10): charts drawn at the width they are shown, label
//! placement that never prints one label over another, PNG captions, and CSV exports that are
//! safe to open in a spreadsheet.

use benchlens::charts::labels::{overlaps, text_width, LabelPlacer};
use benchlens::charts::xy::{LegendAt, XyAxis, XyPlot, XySeries};
use benchlens::charts::{ChartCanvas, ChartSpec};
use benchlens::export::caption::{wrap, Caption};
use benchlens::export::table::{RawCell, TableData};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn plot(width: u32, height: u32) -> XyPlot {
    XyPlot {
        x: XyAxis::new("compute", true),
        y: XyAxis::new("score", false),
        series: vec![XySeries::Points {
            legend: None,
            colour: 0,
            radius: 4.0,
            hollow: false,
            points: vec![(1e21, 40.0), (1.05e21, 40.5), (1e23, 70.0)],
            labels: vec!["Falcon-7B".into(), "OLMo-7B".into(), "big".into()],
        }],
        legend: LegendAt::UpperLeft,
        width,
        height,
    }
}

#[wasm_bindgen_test]
fn labels_of_close_points_do_not_overlap_and_stay_in_the_plot() {
    let area = (0, 0, 400, 300);
    let mut placer = LabelPlacer::new(Some(area));
    // Two points 3 px apart (Falcon and OLMo at nearly the same compute and score).
    for p in [(200, 150), (203, 151)] {
        placer.block((p.0 - 4, p.1 - 4, p.0 + 5, p.1 + 5));
    }
    let size = (text_width("Falcon-7B", 11.0), 13);
    let a = placer.around((200, 150), 4, size, 3).expect("a spot for the first label");
    let b = placer.around((203, 151), 4, size, 3).expect("a spot for the second label");
    assert!(!overlaps(a.rect, b.rect), "{a:?} {b:?}");
    for r in [a.rect, b.rect] {
        assert!(r.0 >= 0 && r.1 >= 0 && r.2 <= 400 && r.3 <= 300, "{r:?} outside the plot");
        // Off both points.
        assert!(!overlaps(r, (196, 146, 205, 155)) && !overlaps(r, (199, 147, 208, 156)));
    }
    // The first label sits beside its point; the second either sits beside its own point (at most
    // radius + gap from it) or, moved further, gets a leader line.
    assert!(!a.leader);
    let beside = |r: (i32, i32, i32, i32), p: (i32, i32)| {
        let dx = (r.0 - p.0).max(p.0 - r.2).max(0);
        let dy = (r.1 - p.1).max(p.1 - r.3).max(0);
        dx.max(dy) <= 4 + 3 + 1
    };
    assert!(b.leader || beside(b.rect, (203, 151)), "{b:?}");
    // Near the right edge the label goes left instead of off the plot.
    let c = placer.around((395, 40), 4, size, 3).expect("a spot");
    assert!(c.rect.2 <= 400 && c.rect.0 < 395, "{c:?}");
    // A plot full of labels: the label is left out, not drawn over another.
    let mut full = LabelPlacer::new(Some((0, 0, 60, 20)));
    full.block((0, 0, 60, 20));
    assert_eq!(full.around((30, 10), 2, (20, 10), 2), None);
}

#[wasm_bindgen_test]
fn curve_labels_shift_to_the_next_free_line() {
    let mut placer = LabelPlacer::new(None);
    assert_eq!(placer.shifted(0, 100, 60, 12), Some(100));
    assert_eq!(placer.shifted(10, 100, 60, 12), Some(86));
    assert_eq!(placer.shifted(200, 100, 60, 12), Some(100));
    assert_eq!(placer.shifted(0, 100, 60, 12), Some(114));
    // Text widths are estimated on the wide side of a sans-serif font.
    assert!(text_width("alpaca-7b_verbose", 12.0) >= 17 * 7);
}

#[wasm_bindgen_test]
fn flowing_charts_shrink_to_the_space_and_fixed_ones_keep_their_size() {
    let xy = ChartSpec::Xy(plot(920, 440));
    assert_eq!(xy.size_at(2000), (920, 440));
    let (w, h) = xy.size_at(340);
    assert_eq!(w, 340);
    assert!((200..=255).contains(&h), "a phone plot keeps a readable height, got {h}");
    assert_eq!(xy.size_at(100).0, benchlens::charts::MIN_WIDTH);
    let heat = ChartSpec::Heatmap(benchlens::charts::heatmap::Heatmap {
        labels: vec!["a".into(), "b".into()],
        values: vec![vec![None, Some(0.5)], vec![Some(0.5), None]],
        min: 0.0,
        max: 1.0,
        decimals: 2,
        title: "t".into(),
    });
    assert_eq!(heat.size_at(200), heat.size());
    // Narrow drawing works and still labels the points.
    let svg = {
        use plotters::prelude::*;
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
            xy.draw(&root, 1.0).expect("draws");
            root.present().expect("present");
        }
        out
    };
    assert!(svg.contains("Falcon-7B") && svg.contains("OLMo-7B"), "{svg}");
}

/// Mounted in a 340 px wide box (a 390 px phone's panel), the canvas is 340 CSS pixels wide and
/// its backing store is that × the device pixel ratio: drawn at the width shown, not squeezed.
#[wasm_bindgen_test]
async fn chart_canvas_is_drawn_at_the_width_it_is_shown() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let host: web_sys::HtmlElement = document.create_element("div").expect("div").unchecked_into();
    host.style().set_property("width", "340px").expect("style");
    document.body().expect("body").append_child(&host).expect("attach");
    let _handle = leptos::mount::mount_to(host.clone(), move || {
        let spec = Signal::derive(|| Some(ChartSpec::Xy(plot(920, 440))));
        view! { <ChartCanvas spec=spec testid="narrow-chart" label="test chart"/> }
    });
    // Effects run after mount: give them a tick.
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
    });
    wasm_bindgen_futures::JsFuture::from(tick).await.expect("tick");
    let canvas: web_sys::HtmlCanvasElement = host
        .query_selector("canvas[data-testid=narrow-chart]")
        .ok()
        .flatten()
        .expect("canvas")
        .unchecked_into();
    let dpr = web_sys::window().expect("window").device_pixel_ratio().max(1.0);
    let shown = canvas.get_bounding_client_rect().width();
    assert_eq!(shown, 340.0);
    assert_eq!(f64::from(canvas.width()), (shown * dpr).round());
}

#[wasm_bindgen_test]
fn png_caption_names_title_method_data_and_wraps() {
    let caption = Caption {
        title: Some("Leaderboard".into()),
        method: "Forest plot of ratings with 95 % bootstrap intervals".into(),
        view: "Ratings".into(),
        sources: vec![("arena.json".into(), 12_345)],
        date: "2026-12-02".into(),
    };
    let text = caption.text();
    assert!(text.starts_with("Leaderboard: Forest plot of ratings"), "{text}");
    assert!(text.contains("Data: arena.json (12,345 rows)."), "{text}");
    assert!(text.contains("Ratings view, 2026-12-02."), "{text}");
    let many =
        Caption { sources: (0..57).map(|i| (format!("s{i}.csv"), 5)).collect(), ..caption.clone() };
    assert!(many.text().contains("Data: 57 files, 285 rows (s0.csv, s1.csv, s2.csv and 54 more)."));
    let lines = caption.lines(40, 4);
    assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
    assert_eq!(wrap("aaaa bbbb cccc", 9, 1), vec!["aaaa bbb…"]);
    assert_eq!(wrap("abcdefghij", 4, 5), vec!["abcd", "efgh", "ij"]);
}

#[wasm_bindgen_test]
fn csv_export_escapes_formulas_in_text_and_keeps_numbers() {
    let head = vec![vec![
        RawCell::new("Model"),
        RawCell::new("Rating"),
        RawCell { export_name: Some("lower_offset".into()), ..RawCell::new("−CI") },
        RawCell::new("lower"),
    ]];
    let body = vec![
        vec![
            RawCell {
                value: Some("=cmd|' /C calc'!A0".into()),
                ..RawCell::new("=cmd|' /C calc'!A0")
            },
            RawCell::num("1000.0", Some("1000.04")),
            RawCell::num("-3.5", Some("-3.5")),
            RawCell::num("996.5", Some("996.54")),
        ],
        vec![
            RawCell::new("-1+2"),
            RawCell::num("990.0", Some("990")),
            RawCell::num("-2.0", Some("-2")),
            RawCell::num("988.0", Some("988")),
        ],
        vec![
            RawCell::new("@SUM(A1)"),
            RawCell::num("—", None),
            RawCell::num("", None),
            RawCell::num("", None),
        ],
    ];
    let t = TableData::from_raw(&head, &body).with_columns_first(&["Model", "Rating", "lower"]);
    assert_eq!(t.columns, ["Model", "Rating", "lower", "lower_offset"]);
    assert_eq!(
        t.to_csv(),
        "Model,Rating,lower,lower_offset\r\n'=cmd|' /C calc'!A0,1000.04,996.54,-3.5\r\n'-1+2,990,988,-2\r\n'@SUM(A1),—,,\r\n"
    );
    // JSON is data, not a spreadsheet: names stay as they are, numbers are numbers.
    let json: serde_json::Value = serde_json::from_str(&t.to_json()).expect("json");
    assert_eq!(json[0]["Model"], serde_json::json!("=cmd|' /C calc'!A0"));
    assert_eq!(json[0]["lower_offset"], serde_json::json!(-3.5));
}
