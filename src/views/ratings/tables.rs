//! The ratings view's tables: notes and warnings, the sortable leaderboard, style coefficients
//! and the Δ-rank comparison.

use std::collections::HashMap;

use leptos::prelude::*;

use benchlens_engine::ratings::compare::LanguageOverview;
use benchlens_engine::sorting::stable_sort_by;
use benchlens_engine::wording::plural;

use crate::export::full_opt;
use crate::format;
use crate::jobs::analysis::RatingsOutcome;
use crate::views::sort_header::SortHeader;
use crate::views::table::{DataTable, MarkupTable, NumCell, TableHead};

fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    v.filter(|x| x.is_finite()).map_or(String::new(), |x| format!("{x:.decimals$}"))
}

/// Components, filters and warnings: what the numbers rest on.
#[component]
pub fn Notes(
    /// The finished run.
    outcome: Signal<Option<RatingsOutcome>>,
) -> impl IntoView {
    move || {
        outcome.get().map(|o| {
            let r = &o.result;
            let mut notes = vec![format!(
                "{} {} rated{}",
                format::count(r.battles_used),
                plural(r.battles_used, "battle", "battles"),
                if r.filter.total > 0 && r.filter.kept < r.filter.total {
                    format!(
                        " of {} (filters removed {})",
                        format::count(r.filter.total),
                        format::count(r.filter.total - r.filter.kept)
                    )
                } else {
                    String::new()
                }
            )];
            for c in &r.components {
                if !c.never_lose.is_empty() {
                    notes.push(format!(
                        "Never lost: {} (no finite rating without a prior; see 'prior games').",
                        c.never_lose.join(", ")
                    ));
                }
                if !c.never_win.is_empty() {
                    notes.push(format!("Never won: {}.", c.never_win.join(", ")));
                }
                if c.failed_replicates > 0 {
                    notes.push(format!(
                        "{} bootstrap {} no finite fit and {} left out.",
                        c.failed_replicates,
                        plural(u64::from(c.failed_replicates), "replicate had", "replicates had"),
                        plural(u64::from(c.failed_replicates), "was", "were"),
                    ));
                }
            }
            let warnings = r
                .warnings
                .iter()
                .map(|w| view! { <li class="warning">{w.clone()}</li> })
                .collect_view();
            let notes = notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view();
            view! {
                <ul class="notes" data-testid="ratings-notes">
                    {notes}
                    {warnings}
                </ul>
            }
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Rank,
    Model,
    Rating,
    Battles,
    DeltaSubset,
    DeltaStyle,
    DeltaPublished,
}

/// Rank change per model, when that column is on.
type RankChanges = Option<HashMap<String, i64>>;

/// Each model's rank change: in the comparison subset (rank in all − rank in the subset) and
/// under style control (raw rank − controlled rank); positive means it moves up.
#[derive(Default)]
struct RankDeltas {
    subset: RankChanges,
    style: RankChanges,
}

impl RankDeltas {
    fn of(o: &RatingsOutcome) -> Self {
        Self {
            subset: o.comparison.as_ref().map(|c| {
                c.rows.iter().filter_map(|r| Some((r.model.clone(), r.delta_rank?))).collect()
            }),
            style: o
                .result
                .style
                .as_ref()
                .map(|s| s.rank_changes.iter().map(|c| (c.model.clone(), c.rank_change)).collect()),
        }
    }

    /// Sort value: models without a Δ go last.
    fn key(map: &RankChanges, model: &str) -> i64 {
        map.as_ref().and_then(|m| m.get(model).copied()).unwrap_or(i64::MIN)
    }
}

/// A rank-change cell, coloured by direction, with the integer in `data-value` for exports.
fn rank_change_cell(delta: Option<i64>) -> impl IntoView {
    let class = match delta {
        Some(d) if d > 0 => "num delta up",
        Some(d) if d < 0 => "num delta down",
        _ => "num delta",
    };
    view! {
        <td class=class data-value=delta.map_or(String::new(), |d| d.to_string())>
            {format::rank_change(delta)}
        </td>
    }
}

/// The Δ cell of a leaderboard column that is on (`map` present).
fn delta_cell(map: &RankChanges, model: &str) -> impl IntoView {
    map.as_ref().map(|m| rank_change_cell(m.get(model).copied()))
}

/// Rank (UB), model, rating, −/+ CI, battles, and the Δ rank in the comparison subset and under
/// style control when those are on; click a header to sort.
#[component]
pub fn Leaderboard(
    /// The finished run.
    outcome: Signal<Option<RatingsOutcome>>,
) -> impl IntoView {
    let sort = RwSignal::new((SortKey::Rank, false));
    let has_subset = Signal::derive(move || {
        outcome.with(|o| o.as_ref().is_some_and(|o| o.comparison.is_some()))
    });
    let has_style = Signal::derive(move || {
        outcome.with(|o| o.as_ref().is_some_and(|o| o.result.style.is_some()))
    });
    let has_published =
        Signal::derive(move || outcome.with(|o| o.as_ref().is_some_and(|o| o.published.is_some())));
    let header = move |key: SortKey, label: &'static str, testid: &'static str| {
        let ascending = matches!(key, SortKey::Rank | SortKey::Model);
        view! {
            <SortHeader key=key sort=sort testid=testid ascending=ascending>
                {label}
            </SortHeader>
        }
    };
    let rows = move || {
        let Some(o) = outcome.get() else { return Vec::new() };
        let mut rows = o.result.ratings.clone();
        let deltas = RankDeltas::of(&o);
        let published = super::published::by_model(&o);
        let published_delta =
            |m: &str| published.as_ref().and_then(|p| p.get(m)).map_or(f64::NEG_INFINITY, |r| r.1);
        let (key, reverse) = sort.get();
        stable_sort_by(&mut rows, |a, b| {
            let ord = match key {
                SortKey::Rank => a
                    .component
                    .cmp(&b.component)
                    .then(a.rank_ub.cmp(&b.rank_ub))
                    .then(b.rating.total_cmp(&a.rating)),
                SortKey::Model => a.model.cmp(&b.model),
                SortKey::Rating => b.rating.total_cmp(&a.rating),
                SortKey::Battles => b.battles.cmp(&a.battles),
                SortKey::DeltaSubset => RankDeltas::key(&deltas.subset, &b.model)
                    .cmp(&RankDeltas::key(&deltas.subset, &a.model)),
                SortKey::DeltaStyle => RankDeltas::key(&deltas.style, &b.model)
                    .cmp(&RankDeltas::key(&deltas.style, &a.model)),
                SortKey::DeltaPublished => {
                    published_delta(&b.model).total_cmp(&published_delta(&a.model))
                }
            }
            .then_with(|| a.model.cmp(&b.model));
            if reverse {
                ord.reverse()
            } else {
                ord
            }
        });
        let multi = o.result.components.len() > 1;
        rows.into_iter()
            .map(|m| {
                let minus = m.lower.map(|l| m.rating - l);
                let plus = m.upper.map(|u| u - m.rating);
                view! {
                    <tr data-testid="leaderboard-row">
                        <td class="num">{m.rank_ub}</td>
                        <td class="model" data-value=m.model.clone()>
                            {m.model.clone()}
                            {multi
                                .then(|| {
                                    view! {
                                        <span class="badge">
                                            {format!("group {}", m.component + 1)}
                                        </span>
                                    }
                                })}
                        </td>
                        <NumCell value=m.rating text=format!("{:.1}", m.rating) />
                        <NumCell value=minus.map(|x| -x) text=fmt_opt(minus.map(|x| -x), 1) />
                        <td class="num" data-value=full_opt(plus)>
                            {plus
                                .filter(|x| x.is_finite())
                                .map_or(String::new(), |x| format!("+{x:.1}"))}
                        </td>
                        <td class="num" data-value=m.battles.to_string()>
                            {format::count(m.battles)}
                        </td>
                        {delta_cell(&deltas.subset, &m.model)}
                        {delta_cell(&deltas.style, &m.model)}
                        <td class="num" hidden data-value=full_opt(m.lower)>
                            {fmt_opt(m.lower, 1)}
                        </td>
                        <td class="num" hidden data-value=full_opt(m.upper)>
                            {fmt_opt(m.upper, 1)}
                        </td>
                        {super::published::cells(&published, &m.model)}
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        // Exports carry the interval as the CLI prints it (`lower,upper`, next to the rating) and
        // the offsets shown on screen as extra columns with ASCII names.
        <MarkupTable testid="leaderboard" export_first="Rank (UB)|Model|Rating|lower|upper">
            <TableHead slot>
                <tr>
                    {header(SortKey::Rank, "Rank (UB)", "sort-rank")}
                    {header(SortKey::Model, "Model", "sort-model")}
                    {header(SortKey::Rating, "Rating", "sort-rating")}
                    <th data-export-name="lower_offset">"−CI"</th>
                    <th data-export-name="upper_offset">"+CI"</th>
                    {header(SortKey::Battles, "Battles", "sort-battles")}
                    {move || {
                        has_subset
                            .get()
                            .then(|| header(SortKey::DeltaSubset, "Δ subset", "sort-delta-subset"))
                    }}
                    {move || {
                        has_style
                            .get()
                            .then(|| header(SortKey::DeltaStyle, "Δ style", "sort-delta-style"))
                    }} <th hidden>"lower"</th><th hidden>"upper"</th>
                    {move || {
                        has_published
                            .get()
                            .then(|| {
                                view! {
                                    <th class="num" title="The loaded leaderboard's rating">
                                        "Published"
                                    </th>
                                }
                            })
                    }}
                    {move || {
                        has_published
                            .get()
                            .then(|| header(
                                SortKey::DeltaPublished,
                                "Δ published",
                                "sort-delta-published",
                            ))
                    }}
                </tr>
            </TableHead>
            {rows}
        </MarkupTable>
    }
}

/// Style coefficients with intervals and each model's rank change.
#[component]
pub fn StyleTable(
    /// The finished run.
    outcome: Signal<Option<RatingsOutcome>>,
) -> impl IntoView {
    move || {
        outcome.get().and_then(|o| o.result.style).map(|style| {
            let coefs = style
                .coefficients
                .iter()
                .map(|c| {
                    view! {
                        <tr>
                            <td>{c.feature.clone()}</td>
                            <NumCell value=c.coefficient text=format!("{:.4}", c.coefficient) />
                            <NumCell value=c.lower text=fmt_opt(c.lower, 4) />
                            <NumCell value=c.upper text=fmt_opt(c.upper, 4) />
                        </tr>
                    }
                })
                .collect_view();
            let changes = style
                .rank_changes
                .iter()
                .map(|c| {
                    view! {
                        <tr>
                            <td>{c.model.clone()}</td>
                            <td class="num">{c.raw_rank}</td>
                            <td class="num">{c.style_rank}</td>
                            {rank_change_cell(Some(c.rank_change))}
                            <NumCell value=c.raw_rating text=format!("{:.1}", c.raw_rating) />
                            <NumCell value=c.style_rating text=format!("{:.1}", c.style_rating) />
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <DataTable testid="style-coefficients" headers="Feature|Coefficient|Lower|Upper">
                    {coefs}
                </DataTable>
                <DataTable
                    testid="style-rank-changes"
                    headers="Model|Raw rank|Style-controlled rank|Δ|Raw rating|Controlled rating"
                >
                    {changes}
                </DataTable>
            }
        })
    }
}

/// Rank under both filter sets and the difference.
#[component]
pub fn DeltaRank(
    /// The finished run.
    outcome: Signal<Option<RatingsOutcome>>,
) -> impl IntoView {
    move || {
        outcome.get().and_then(|o| o.comparison).map(|c| {
            let rows = c
                .rows
                .iter()
                .map(|r| {
                    let opt = |v: Option<u32>| v.map_or("—".to_string(), |x| x.to_string());
                    view! {
                        <tr data-testid="delta-row">
                            <td>{r.model.clone()}</td>
                            <td class="num">{opt(r.rank_a)}</td>
                            <td class="num">{opt(r.rank_b)}</td>
                            {rank_change_cell(r.delta_rank)}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <DataTable testid="delta-rank" headers="Model|Rank, all|Rank, subset|Δ">
                    {rows}
                </DataTable>
            }
        })
    }
}

/// Each model's Rank (UB) per language, rated on that language's battles alone.
#[component]
pub fn LanguageRanks(
    /// The ranks, from the run's breakdown.
    languages: Signal<Option<LanguageOverview>>,
) -> impl IntoView {
    move || {
        languages.get().map(|l| {
            let head = l
                .languages
                .iter()
                .zip(&l.battles)
                .map(|(lang, n)| view! {
                    <th
                        class="num"
                        title=format!("{} {}", format::count(*n), plural(*n, "battle", "battles"))
                    >
                        {lang.clone()}
                    </th>
                })
                .collect_view();
            let rows = l
                .models
                .iter()
                .zip(&l.ranks)
                .map(|(model, ranks)| {
                    let cells = ranks
                        .iter()
                        .map(|r| view! { <td class="num">{r.map_or("—".to_string(), |x| x.to_string())}</td> })
                        .collect_view();
                    view! {
                        <tr>
                            <td>{model.clone()}</td>
                            {cells}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <MarkupTable testid="language-ranks">
                    <TableHead slot>
                        <tr>
                            <th>"Model"</th>
                            {head}
                        </tr>
                    </TableHead>
                    {rows}
                </MarkupTable>
            }
        })
    }
}

/// The view's settings as JSON, for the report.
pub fn report_settings() -> Signal<serde_json::Value> {
    let vs = use_context::<super::RatingsViewState>();
    Signal::derive(move || match vs {
        Some(vs) => serde_json::json!({
            "settings": vs.settings.get(),
            "compare_with": vs.compare.get().map(|c| c.label()),
        }),
        None => serde_json::Value::Null,
    })
}
