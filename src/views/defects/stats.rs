//! Run summary, answer-position and longest-option statistics, exact and near duplicates.

use benchlens_engine::defects::checks::letter;
use benchlens_engine::defects::duplicates::{DiffOp, Scope};
use benchlens_engine::sorting::stable_sort_by_key;
use leptos::prelude::*;

use super::counted;
use crate::format;
use crate::jobs::defects::{DefectsOverview, SHOWN_DUPLICATE_GROUPS, SHOWN_NEAR_DUPLICATES};
use crate::views::table::{DataTable, MarkupTable, NumCell, TableHead};

/// p-values: three decimals, or scientific notation when small.
pub fn fmt_p(p: f64) -> String {
    if !p.is_finite() {
        String::new()
    } else if p < 0.001 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}

/// Counts of items, flags and severities, plus loader and prediction warnings.
#[component]
pub fn Summary(
    /// The latest overview.
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    move || {
        overview.get().map(|o| {
            let sev = o
                .by_severity
                .iter()
                .map(|(s, n)| view! {
                    <span class=format!("chip {}", s.id()) data-testid=format!("count-{}", s.id())>
                        {format!("{} {}", format::count(*n), s.id())}
                    </span>
                })
                .collect_view();
            let checks = o
                .by_check
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(c, n)| {
                    view! {
                        <span class="chip" data-testid=format!("count-check-{}", c.id())>
                            {format!("{} {}", c.id().replace('_', " "), format::count(*n))}
                        </span>
                    }
                })
                .collect_view();
            let preds = o.predictions.as_ref().map(|p| {
                view! {
                    <li data-testid="defects-predictions">
                        {format!(
                            "Model disagreement from {} ({}), matched to {}{}; {}.",
                            counted(p.models.len() as u64, "model", "models"),
                            p.models.join(", "),
                            counted(p.matched_items as u64, "item", "items"),
                            if p.unmatched > 0 {
                                format!(
                                    ", {} unmatched",
                                    counted(p.unmatched as u64, "answer", "answers"),
                                )
                            } else {
                                String::new()
                            },
                            p
                                .min_agree
                                .map_or(
                                    "flagged when no model chose the key".to_string(),
                                    |k| {
                                        format!(
                                            "flagged when {} agree on one other answer",
                                            counted(k as u64, "model", "models"),
                                        )
                                    },
                                ),
                        )}
                    </li>
                }
            });
            let left_out =
                o.predictions.as_ref().and_then(|p| p.left_out_note.clone()).map(|note| {
                    view! { <li data-testid="defects-left-out">{note}</li> }
                });
            let warnings = o
                .warnings
                .iter()
                .map(|w| view! { <li class="warning">{w.clone()}</li> })
                .collect_view();
            view! {
                <ul class="notes" data-testid="defects-summary">
                    <li data-testid="defects-headline">
                        {format!(
                            "{} in {}: {} with an error or suspect flag ({:.1}%), {} in all.",
                            counted(o.items as u64, "item", "items"),
                            counted(o.files.len() as u64, "file", "files"),
                            counted(o.flagged_items as u64, "item", "items"),
                            100.0 * o.flagged_items as f64 / o.items.max(1) as f64,
                            counted(o.flags as u64, "flag", "flags"),
                        )}
                    </li>
                    <li class="chips">{sev}</li>
                    <li class="chips">{checks}</li>
                    {preds}
                    {left_out}
                    {warnings}
                </ul>
            }
        })
    }
}

/// Key position per file with the χ² test, and how often the key is the longest option.
#[component]
pub fn Positions(
    /// The latest overview.
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    move || {
        overview.get().map(|mut o| {
            // Pooled rows first: they are the headline.
            stable_sort_by_key(&mut o.positions, |p| p.scope != "all");
            stable_sort_by_key(&mut o.longest, |l| l.scope != "all");
            let width = o.positions.iter().map(|p| p.counts.len()).max().unwrap_or(0);
            let heads = (0..width).map(|i| view! { <th class="num">{letter(i)}</th> }).collect_view();
            let rows = o
                .positions
                .iter()
                .map(|p| {
                    let cells = (0..width)
                        .map(|i| {
                            let c = p.counts.get(i).copied();
                            let share = c.map(|c| 100.0 * c as f64 / p.n.max(1) as f64);
                            view! {
                                <td class="num" data-value=c.map(|c| c.to_string())>
                                    {c
                                        .map(|c| {
                                            format!(
                                                "{} ({:.0}%)",
                                                format::count(c),
                                                share.unwrap_or(0.0),
                                            )
                                        })}
                                </td>
                            }
                        })
                        .collect_view();
                    let pooled = p.scope == "all";
                    view! {
                        <tr
                            data-testid="position-row"
                            class:pooled=pooled
                            class:significant={p.p_value < 0.05}
                        >
                            <td>{p.scope.clone()}</td>
                            <td class="num" data-value=p.n.to_string()>
                                {format::count(p.n)}
                            </td>
                            {cells}
                            <NumCell value=p.chi2 text=format!("{:.2}", p.chi2) />
                            <td class="num">{p.df}</td>
                            <NumCell value=p.p_value text=fmt_p(p.p_value) />
                        </tr>
                    }
                })
                .collect_view();
            let longest = o
                .longest
                .iter()
                .map(|l| view! {
                    <tr
                        data-testid="longest-row"
                        class:pooled={l.scope == "all"}
                        class:significant={l.p_value < 0.05}
                    >
                        <td>{l.scope.clone()}</td>
                        <td class="num" data-value=l.n.to_string()>
                            {format::count(l.n)}
                        </td>
                        <td class="num" data-value=l.key_longest.to_string()>
                            {format::count(l.key_longest)}
                        </td>
                        <NumCell value=100.0 * l.rate text=format!("{:.1}%", 100.0 * l.rate) />
                        <NumCell value=100.0 * l.chance text=format!("{:.1}%", 100.0 * l.chance) />
                        <NumCell value=l.z text=format!("{:+.2}", l.z) />
                        <NumCell value=l.p_value text=fmt_p(l.p_value) />
                    </tr>
                })
                .collect_view();
            view! {
                <div class="panel stats-panel">
                    <div>
                        <h2>"Answer-key position (χ² against uniform)"</h2>
                        <MarkupTable testid="positions-table" scroll_box="scroll">
                            <TableHead slot>
                                <tr>
                                    <th>"File"</th>
                                    <th class="num">"Items"</th>
                                    {heads}
                                    <th class="num">"χ²"</th>
                                    <th class="num">"df"</th>
                                    <th class="num">"p"</th>
                                </tr>
                            </TableHead>
                            {rows}
                        </MarkupTable>
                    </div>
                    <div>
                        <h2>"Key is the longest option"</h2>
                        <DataTable
                            testid="longest-table"
                            headers="File|#Items|#Key longest|#Rate (%)|#Chance (%)|#z|#p"
                            scroll_box="scroll"
                        >
                            {longest}
                        </DataTable>
                    </div>
                    <p class="hint">
                        "Rows with p < 0.05 are tinted; “all” pools the files with the same option count."
                    </p>
                </div>
            }
        })
    }
}

fn scope_label(s: Scope) -> &'static str {
    match s {
        Scope::WithinFile => "within file",
        Scope::AcrossFiles => "across files",
        Scope::AcrossSubjects => "across subjects",
        Scope::AcrossSplits => "across splits",
    }
}

/// Words of a long shared run kept on each side of a change.
const CONTEXT_WORDS: usize = 14;

/// A shared run, shortened to the words next to the changes ("… 312 shared words …").
fn elide(text: &str, first: bool, last: bool) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let keep_head = if first { 0 } else { CONTEXT_WORDS };
    let keep_tail = if last { 0 } else { CONTEXT_WORDS };
    if (first && last) || words.len() <= keep_head + keep_tail + 4 {
        return text.to_owned();
    }
    let hidden = words.len() - keep_head - keep_tail;
    let mut out = words[..keep_head].join(" ");
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&format!("[… {hidden} shared words …]"));
    if keep_tail > 0 {
        out.push(' ');
        out.push_str(&words[words.len() - keep_tail..].join(" "));
    }
    out
}

/// One side of a near-duplicate pair: shared tokens plain (long runs elided), its own tokens
/// marked.
fn diff_side(diff: &[DiffOp], left: bool) -> impl IntoView {
    let n = diff.len();
    diff.iter()
        .enumerate()
        .filter_map(|(k, op)| match (op, left) {
            (DiffOp::Same(t), _) => {
                Some(view! { <span>{elide(t, k == 0, k + 1 == n)}</span> }.into_any())
            }
            (DiffOp::Removed(t), true) => {
                Some(view! { <mark class="del">{t.clone()}</mark> }.into_any())
            }
            (DiffOp::Added(t), false) => {
                Some(view! { <mark class="ins">{t.clone()}</mark> }.into_any())
            }
            _ => None,
        })
        .flat_map(|v| [v, " ".into_any()])
        .collect_view()
}

/// Exact-duplicate groups and near-duplicate pairs side by side with their token diff.
#[component]
pub fn Duplicates(
    /// The latest overview.
    overview: Signal<Option<DefectsOverview>>,
) -> impl IntoView {
    move || {
        overview.get().map(|o| {
            let n_groups = o.duplicate_groups_total;
            let pairs = o.duplicate_pairs_total;
            let groups = o
                .duplicate_groups
                .iter()
                .map(|g| {
                    let scopes = g.scopes.iter().map(|s| scope_label(*s)).collect::<Vec<_>>().join(", ");
                    let q: String = g.question.chars().take(160).collect();
                    let more = if g.question.chars().count() > 160 { "…" } else { "" };
                    view! {
                        <tr data-testid="dup-group">
                            <td>{g.members.join("; ")}</td>
                            <td>{scopes}</td>
                            <td class:error=g
                                .key_conflict>
                                {if g.key_conflict { "keys differ" } else { "same key" }}
                            </td>
                            <td class="question" data-value=g.question.clone()>
                                {q}
                                {more}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let near = o
                .near_duplicates
                .iter()
                .map(|p| view! {
                    <div class="near-pair" data-testid="near-pair">
                        <p class="hint">{format!("Jaccard {:.3}", p.jaccard)}</p>
                        <div class="side-by-side">
                            <div>
                                <b>{p.a.clone()}</b>
                                <p class="tokens">{diff_side(&p.diff, true)}</p>
                            </div>
                            <div>
                                <b>{p.b.clone()}</b>
                                <p class="tokens">{diff_side(&p.diff, false)}</p>
                            </div>
                        </div>
                    </div>
                })
                .collect_view();
            view! {
                <div class="panel">
                    <h2 data-testid="dup-heading">
                        {format!(
                            "Exact duplicates: {} ({})",
                            counted(n_groups as u64, "group", "groups"),
                            counted(pairs as u64, "pair", "pairs"),
                        )}
                    </h2>
                    {(n_groups > SHOWN_DUPLICATE_GROUPS)
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {format!(
                                        "The first {SHOWN_DUPLICATE_GROUPS} groups are shown; the flag report (and `benchlens defects`) lists them all.",
                                    )}
                                </p>
                            }
                        })}
                    <DataTable
                        testid="dup-table"
                        headers="Members|Scope|Keys|Question"
                        scroll_box="scroll"
                    >
                        {groups}
                    </DataTable>
                </div>
                <div class="panel">
                    <h2 data-testid="near-heading">
                        {format!(
                            "Near-duplicates: {} (Jaccard ≥ 0.9 over word 3-grams)",
                            counted(o.near_duplicates_total as u64, "pair", "pairs"),
                        )}
                    </h2>
                    {(o.near_duplicates_total > SHOWN_NEAR_DUPLICATES)
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {format!(
                                        "The first {SHOWN_NEAR_DUPLICATES} pairs in file order are shown; the flag report lists them all.",
                                    )}
                                </p>
                            }
                        })}
                    <p class="hint">
                        "Tokens only in the left item are struck through; tokens only in the right item are highlighted."
                    </p>
                    {near}
                </div>
            }
        })
    }
}

/// The view's settings as JSON, for the report.
pub fn report_settings() -> Signal<serde_json::Value> {
    let vs = use_context::<super::DefectsViewState>();
    Signal::derive(move || {
        let Some(vs) = vs else { return serde_json::Value::Null };
        let (sort, descending) = vs.sort.get();
        serde_json::json!({
            "checks": vs.checks.get(),
            "min_agree": vs.min_agree.get(),
            "shown_severities": vs.severities.get(),
            "check_filter": vs.check_filter.get(),
            "subject": vs.subject.get(),
            "search": vs.search.get(),
            "sort": sort,
            "descending": descending,
            "page": vs.page.get() + 1,
        })
    })
}
