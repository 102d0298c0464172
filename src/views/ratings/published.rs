//! The loaded published leaderboard next to ours: the leaderboard's "Published" and
//! "Δ published" cells, and a note saying how many models matched, how far we are, and — when
//! the 2023–24 L2 method reproduces the published values and the current settings do not — an
//! offer to switch. The comparison itself is `benchlens_engine::ratings::published::compare`.

use std::collections::HashMap;

use benchlens_engine::ratings::published::{PublishedComparison, REPRODUCES_WITHIN};
use benchlens_engine::ratings::CiMethod;
use benchlens_engine::wording::plural;
use leptos::prelude::*;

use super::RatingsViewState;
use crate::export::full;
use crate::jobs::analysis::RatingsOutcome;
use crate::views::form::ActionButton;

/// Model → (published, ours − published), when a leaderboard was matched.
pub fn by_model(o: &RatingsOutcome) -> Option<HashMap<String, (f64, f64)>> {
    o.published
        .as_ref()
        .map(|p| p.rows.iter().map(|r| (r.model.clone(), (r.published, r.delta))).collect())
}

/// The two leaderboard cells of one model (nothing when no leaderboard is matched).
pub fn cells(map: &Option<HashMap<String, (f64, f64)>>, model: &str) -> impl IntoView {
    map.as_ref().map(|m| {
        let hit = m.get(model).copied();
        let class = match hit {
            Some((_, d)) if d.abs() <= REPRODUCES_WITHIN => "num delta",
            Some(_) => "num delta off",
            None => "num delta",
        };
        view! {
            <td
                class="num published"
                data-testid="published-value"
                data-value=hit.map_or(String::new(), |h| full(h.0))
            >
                {hit.map_or("—".to_string(), |h| format!("{:.1}", h.0))}
            </td>
            <td
                class=class
                data-testid="published-delta"
                data-value=hit.map_or(String::new(), |h| full(h.1))
            >
                {hit.map_or("—".to_string(), |h| format!("{:+.1}", h.1))}
            </td>
        }
    })
}

/// How many published models matched, how far off we are, and the offer to switch to the
/// method that reproduces the published values.
#[component]
pub fn PublishedNote(
    /// The finished run.
    outcome: Signal<Option<RatingsOutcome>>,
) -> impl IntoView {
    let vs = expect_context::<RatingsViewState>();
    let switch = move |_| {
        vs.settings.update(|s| {
            s.legacy_l2 = true;
            // The L2 method has no closed-form interval.
            if s.ci == CiMethod::Sandwich {
                s.ci = CiMethod::Bootstrap;
            }
        })
    };
    move || {
        outcome.get().and_then(|o| o.published).map(|p| {
            let offer = p.offers_legacy_l2().then(|| {
                let theirs = p.alternative.as_ref().map_or(0.0, |a| a.max_abs_delta);
                view! {
                    <p class="published-offer" data-testid="ratings-published-offer">
                        {format!(
                            "The 2023–24 L2 method reproduces the published values (largest |Δ| {theirs:.2} points); these settings do not (largest |Δ| {:.1}). ",
                            p.max_abs_delta,
                        )}
                        <ActionButton testid="ratings-published-switch" on_click=switch>
                            "Switch to the L2 method"
                        </ActionButton>
                    </p>
                }
            });
            let class = if p.reproduces { "published-note match" } else { "published-note off" };
            let warnings = p
                .warnings
                .iter()
                .map(|w| view! { <li class="warning">{w.clone()}</li> })
                .collect_view();
            view! {
                <div class=class data-testid="ratings-published">
                    <p data-testid="ratings-published-summary">{sentence(&p)}</p>
                    {offer}
                    <ul class="notes">{warnings}</ul>
                </div>
            }
        })
    }
}

/// What the page says about the match, in words a reader checks against the table.
fn sentence(p: &PublishedComparison) -> String {
    let n = p.rows.len() as u64;
    let mut s = format!(
        "Compared with {} (column “{}”: {}): {} of {} published {} matched",
        p.sources.join(", "),
        p.column,
        p.column_reason,
        n,
        p.published_models,
        plural(p.published_models as u64, "model", "models"),
    );
    if p.matched_renamed > 0 {
        s.push_str(&format!(
            ", {} of them after dropping the imagenhub_ prefix and the _generation/_edition suffix",
            p.matched_renamed
        ));
    }
    if !p.unmatched_ours.is_empty() {
        s.push_str(&format!("; not in the leaderboard: {}", p.unmatched_ours.join(", ")));
    }
    s.push_str(&format!(". Largest |ours − published|: {:.2} points", p.max_abs_delta));
    if p.reproduces {
        s.push_str(&format!(
            " — these settings reproduce the published values (within {REPRODUCES_WITHIN} point)."
        ));
    } else {
        match &p.alternative {
            Some(a) if !a.reproduces => s.push_str(&format!(
                " — neither these settings nor the {} (largest |Δ| {:.1}) reproduce them; the leaderboard may use other battles or another method.",
                if a.legacy_l2 { "2023–24 L2 method" } else { "Bradley–Terry MLE" },
                a.max_abs_delta
            )),
            Some(a) if !a.legacy_l2 => s.push_str(&format!(
                " — the Bradley–Terry MLE reproduces them (largest |Δ| {:.2}): untick “2023–24 L2 method”.",
                a.max_abs_delta
            )),
            Some(_) => s.push('.'),
            None => s.push_str(
                " — the published values do not match these settings; the L2 comparison needs Bradley–Terry without style control or the Davidson tie model.",
            ),
        }
    }
    s
}
