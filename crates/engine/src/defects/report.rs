//! One call that runs every enabled check and gathers what the review UI and the CLI need:
//! flags with evidence, per-subject shares, duplicate groups with token diffs, key-position and
//! longest-option statistics, model disagreement, and a combined suspicion ranking.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::disagreement::{self, Disagreement, PredictionTable};
use super::duplicates::{self, DuplicateGroup, NearDuplicate, NearSettings};
use super::statistics::{self, LongestStats, PositionStats};
use super::{checks, CheckId, Flag, ItemSet, Severity};

/// What to run. The defaults are the documented ones (see docs/defects.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Checks to run; empty means all.
    pub checks: Vec<CheckId>,
    /// k in the k-of-m disagreement rule (at least k models agree on one non-key answer); None =
    /// no such condition. See [`disagreement::rule_fires`].
    pub min_agree: Option<usize>,
    /// Share of the answering models that must miss the key; None = no such condition, unless
    /// `min_agree` is None too, in which case [`disagreement::DEFAULT_MIN_MISS_SHARE`] applies.
    #[serde(default)]
    pub min_miss_share: Option<f64>,
    pub near: NearSettings,
    /// Items at or above this combined suspicion count as flagged in summaries (default 0.5: any
    /// error or suspect flag reaches it, warnings alone do not).
    pub suspicion_threshold: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            checks: Vec::new(),
            min_agree: None,
            min_miss_share: None,
            near: NearSettings::default(),
            suspicion_threshold: 0.5,
        }
    }
}

impl Settings {
    pub fn enabled(&self, c: CheckId) -> bool {
        self.checks.is_empty() || self.checks.contains(&c)
    }
}

/// Flag shares for one subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectShare {
    pub subject: String,
    pub items: u64,
    /// Items flagged per check.
    pub by_check: BTreeMap<CheckId, u64>,
    /// Items with any error or suspect flag.
    pub flagged: u64,
    pub share: f64,
}

/// An item's combined suspicion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub item: usize,
    /// 1 − Π(1 − w) over the item's flags: error 0.9, suspect its agreement share (at least 0.5),
    /// warning 0.15, plus half the positive confident-learning margin.
    pub suspicion: f64,
}

/// Everything `benchlens defects` finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub settings: Settings,
    pub items: ItemSet,
    /// Sorted by (item, check).
    pub flags: Vec<Flag>,
    pub subjects: Vec<SubjectShare>,
    pub duplicate_groups: Vec<DuplicateGroup>,
    pub near_duplicates: Vec<NearDuplicate>,
    pub positions: Vec<PositionStats>,
    pub longest: Vec<LongestStats>,
    pub disagreement: Option<Disagreement>,
    /// Items with suspicion > 0, most suspicious first (ties by item order).
    pub ranking: Vec<Ranked>,
}

/// Runs the enabled checks over `items`, with predictions when given.
pub fn analyze(items: ItemSet, predictions: &[PredictionTable], settings: &Settings) -> Report {
    let enabled = |c: CheckId| settings.enabled(c);
    let mut flags = Vec::new();
    checks::run(&items, &enabled, &mut flags);
    let groups = duplicates::exact_groups(&items);
    for g in &groups {
        for &i in &g.items {
            let other = *g.items.iter().find(|&&o| o != i).unwrap_or(&i);
            let where_ = locate(&items, other);
            let more = g.items.len() - 2;
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            if enabled(CheckId::ExactDuplicate) {
                flags.push(Flag::new(
                    i,
                    CheckId::ExactDuplicate,
                    format!("same item as {where_}{more}"),
                    Vec::new(),
                ));
            }
            if g.key_conflict && enabled(CheckId::DuplicateKeyConflict) {
                flags.push(Flag::new(
                    i,
                    CheckId::DuplicateKeyConflict,
                    format!("duplicates {where_}{more}, but the keys point at different answers"),
                    Vec::new(),
                ));
            }
        }
    }
    let near = if enabled(CheckId::NearDuplicate) {
        duplicates::near_duplicates(&items, &groups, &settings.near)
    } else {
        Vec::new()
    };
    for p in &near {
        for (i, o) in [(p.a, p.b), (p.b, p.a)] {
            let mut f = Flag::new(
                i,
                CheckId::NearDuplicate,
                format!("near-duplicate of {} (Jaccard {:.2})", locate(&items, o), p.jaccard),
                Vec::new(),
            );
            f.score = p.jaccard;
            flags.push(f);
        }
    }
    let disagreement = (!predictions.is_empty()).then(|| disagreement::tally(&items, predictions));
    if let (Some(d), true) = (&disagreement, enabled(CheckId::ModelDisagreement)) {
        for v in d.items.iter() {
            let key = items.items[v.item].key;
            if !disagreement::rule_fires(v, key, settings.min_agree, settings.min_miss_share) {
                continue;
            }
            let Some((j, c)) = v.top_other else { continue };
            let miss = disagreement::missing(v, key);
            let key = key.map_or("none".to_owned(), checks::letter);
            let mut f = Flag::new(
                v.item,
                CheckId::ModelDisagreement,
                format!(
                    "{miss} of {} {} the key {key}; {c} {} {}",
                    v.models,
                    if miss == 1 { "models misses" } else { "models miss" },
                    if c == 1 { "answers" } else { "answer" },
                    checks::letter(j)
                ),
                Vec::new(),
            );
            f.score = f64::from(c) / f64::from(v.models.max(1));
            flags.push(f);
        }
    }
    flags.sort_by_key(|f| (f.item, f.check));
    flags.dedup_by(|a, b| a.item == b.item && a.check == b.check);
    let ranking = rank(&items, &flags, disagreement.as_ref());
    let subjects = subject_shares(&items, &flags);
    Report {
        settings: settings.clone(),
        positions: statistics::positions(&items),
        longest: statistics::longest(&items),
        items,
        flags,
        subjects,
        duplicate_groups: groups,
        near_duplicates: near,
        disagreement,
        ranking,
    }
}

/// "college_medicine_test.csv row 12" (1-based data row).
pub fn locate(set: &ItemSet, item: usize) -> String {
    let it = &set.items[item];
    format!("{} row {}", set.files[it.file].name, it.row + 1)
}

fn rank(set: &ItemSet, flags: &[Flag], d: Option<&Disagreement>) -> Vec<Ranked> {
    let mut keep = vec![1.0f64; set.items.len()];
    for f in flags {
        let w = match f.severity {
            Severity::Error => 0.9,
            // At least 0.5, so the default threshold counts every suspect item; the agreeing
            // share then ranks them (a bloc of models on one answer before a scatter).
            Severity::Suspect => f.score.max(0.5),
            Severity::Warning => 0.15,
        };
        keep[f.item] *= 1.0 - w.clamp(0.0, 1.0);
    }
    if let Some(d) = d {
        for v in &d.items {
            keep[v.item] *= 1.0 - 0.5 * v.margin.max(0.0);
        }
    }
    let mut out: Vec<Ranked> = keep
        .iter()
        .enumerate()
        .filter(|(_, &k)| k < 1.0)
        .map(|(item, &k)| Ranked { item, suspicion: 1.0 - k })
        .collect();
    out.sort_by(|a, b| b.suspicion.total_cmp(&a.suspicion).then(a.item.cmp(&b.item)));
    out
}

fn subject_shares(set: &ItemSet, flags: &[Flag]) -> Vec<SubjectShare> {
    let mut map: BTreeMap<String, SubjectShare> = BTreeMap::new();
    for i in 0..set.items.len() {
        let s = set.subject_of(i).to_owned();
        map.entry(s.clone())
            .or_insert_with(|| SubjectShare {
                subject: s,
                items: 0,
                by_check: BTreeMap::new(),
                flagged: 0,
                share: 0.0,
            })
            .items += 1;
    }
    let mut last: Option<(usize, CheckId)> = None;
    let mut flagged_item = None;
    for f in flags {
        let Some(s) = map.get_mut(set.subject_of(f.item)) else { continue };
        if last != Some((f.item, f.check)) {
            *s.by_check.entry(f.check).or_insert(0) += 1;
        }
        if f.severity != Severity::Warning && flagged_item != Some(f.item) {
            s.flagged += 1;
            flagged_item = Some(f.item);
        }
        last = Some((f.item, f.check));
    }
    map.into_values()
        .map(|mut s| {
            s.share = if s.items == 0 { 0.0 } else { s.flagged as f64 / s.items as f64 };
            s
        })
        .collect()
}
