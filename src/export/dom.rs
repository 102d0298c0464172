//! Reading the page: a `<table>` into [`TableData`], and a view's tables, charts and notes, in
//! page order, into report [`Block`]s.

use leptos::prelude::{GetUntracked, WithUntracked};
use wasm_bindgen::JsCast;

use super::caption::Caption;
use super::download::chart_svg;
use super::html::Block;
use super::table::{collapse, RawCell, TableData};
use super::ExportRegistry;

fn elements(list: &web_sys::NodeList) -> Vec<web_sys::Element> {
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

fn select_all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    root.query_selector_all(selector).map(|l| elements(&l)).unwrap_or_default()
}

fn span(cell: &web_sys::Element, name: &str) -> usize {
    cell.get_attribute(name).and_then(|v| v.trim().parse().ok()).unwrap_or(1)
}

fn row_cells(tr: &web_sys::Element) -> Vec<RawCell> {
    let children = tr.children();
    (0..children.length())
        .filter_map(|i| children.item(i))
        .filter(|c| matches!(c.tag_name().to_ascii_uppercase().as_str(), "TD" | "TH"))
        .map(|c| RawCell {
            text: collapse(&c.text_content().unwrap_or_default()),
            value: c.get_attribute("data-value"),
            numeric: c.class_name().split_whitespace().any(|k| k == "num"),
            colspan: span(&c, "colspan"),
            rowspan: span(&c, "rowspan"),
            export_name: c.get_attribute("data-export-name"),
        })
        .collect()
}

/// The table's header rows and every body row (all `<tbody>`s), as on screen, hidden
/// export-only columns included.
pub fn read_table(table: &web_sys::Element) -> TableData {
    let head: Vec<Vec<RawCell>> =
        select_all(table, ":scope > thead > tr").iter().map(row_cells).collect();
    let body: Vec<Vec<RawCell>> =
        select_all(table, ":scope > tbody > tr").iter().map(row_cells).collect();
    let data = TableData::from_raw(&head, &body);
    // `data-export-first="a|b"`: columns the export puts first, in that order.
    match table.get_attribute("data-export-first") {
        Some(first) => data.with_columns_first(&first.split('|').collect::<Vec<_>>()),
        None => data,
    }
}

/// The first `<table>` inside `holder`.
pub fn table_in(holder: &web_sys::Element) -> Option<web_sys::Element> {
    holder.query_selector("table").ok().flatten()
}

/// Title of the panel holding `el` (its `h2`), if any.
pub fn panel_title(el: &web_sys::Element) -> Option<String> {
    let panel = el.closest(".panel").ok().flatten()?;
    let h2 = panel.query_selector(":scope > h2, :scope > div > h2").ok().flatten()?;
    let t = collapse(&h2.text_content().unwrap_or_default());
    (!t.is_empty()).then_some(t)
}

/// Notes lists, exportable tables and charts under `root`, in page order, each under its
/// panel's title.
pub fn collect_blocks(root: &web_sys::Element, charts: Option<ExportRegistry>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut last_title: Option<String> = None;
    for el in select_all(root, "ul.notes, [data-export-table], [data-export-chart]") {
        let title = panel_title(&el);
        if title.is_some() && title != last_title {
            blocks.push(Block::Heading(title.clone().unwrap_or_default()));
            last_title = title;
        }
        if let Some(name) = el.get_attribute("data-export-table") {
            if let Some(table) = table_in(&el) {
                blocks.push(Block::Table { name, data: read_table(&table) });
            }
        } else if let Some(name) = el.get_attribute("data-export-chart") {
            let Some(spec) = charts.and_then(|r| r.spec(&name)) else { continue };
            let label = el
                .query_selector("canvas")
                .ok()
                .flatten()
                .and_then(|c| c.get_attribute("aria-label"))
                .unwrap_or_default();
            blocks.push(match chart_svg(&spec) {
                Ok(svg) => Block::Chart { name, label, svg },
                Err(error) => Block::Failed { name, error },
            });
        } else {
            let items: Vec<String> = select_all(&el, ":scope > li")
                .iter()
                .map(|li| collapse(&li.text_content().unwrap_or_default()))
                .filter(|t| !t.is_empty())
                .collect();
            if !items.is_empty() {
                blocks.push(Block::Notes(items));
            }
        }
    }
    blocks
}

/// The caption of the chart whose export bar is `bar`: its panel's title, its canvas's
/// description, the view and the loaded files.
pub fn chart_caption(bar: &web_sys::Element, app: Option<crate::state::AppState>) -> Caption {
    let figure = bar.closest("figure").ok().flatten();
    let method = figure
        .as_ref()
        .and_then(|f| f.query_selector("canvas").ok().flatten())
        .and_then(|c| c.get_attribute("aria-label"))
        .unwrap_or_default();
    let (view, sources): (String, Vec<(String, u64)>) = app.map_or_else(Default::default, |a| {
        let view = a.view.get_untracked().label().to_owned();
        let sources = a.datasets.with_untracked(|d| {
            d.iter().map(|e| (e.summary.name.clone(), e.summary.rows)).collect()
        });
        (view, sources)
    });
    let date = String::from(js_sys::Date::new_0().to_iso_string());
    Caption {
        title: panel_title(bar),
        method,
        view,
        sources,
        date: date.chars().take(10).collect(),
    }
}
