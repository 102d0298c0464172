//! Analysis targets: structured inputs (read with [`Unstructured`]) so that every run reaches the
//! statistics: ratings on arbitrary battles, scaling fits on arbitrary tables, defect checks on
//! arbitrary items, judge metrics on arbitrary annotations.
//!
//! Values are drawn from small vocabularies that contain the hostile cases users actually
//! produce (NaN, inf, zero, negative, duplicates, empty strings), and sizes are capped so one run
//! takes milliseconds: the bugs live in degenerate shapes, not in big ones.

use arbitrary::{Result, Unstructured};
use benchlens_engine::battles::{BattleBuilder, CsvBattleFields};
use benchlens_engine::defects::disagreement::PredictionTable;
use benchlens_engine::defects::duplicates::NearSettings;
use benchlens_engine::defects::{self, CheckId, ItemSet};
use benchlens_engine::judge::{self as judge_mod, ArenaHardSettings, JudgeKind, JudgeSettings};
use benchlens_engine::ratings::{
    self, Anchor, CiMethod, Filters, Method, RatingsInput, RatingsSettings, TieRule,
};
use benchlens_engine::scaling::{self, FitSettings, LossKind, ScalingSettings};
use benchlens_engine::Table;

/// Numbers as users write them, hostile ones included.
const NUMBERS: &[&str] = &[
    "", "0", "-1", "1", "2", "0.5", "1e-300", "1e308", "NaN", "inf", "-inf", "x", "1.5", "3", "7B",
    "1.4T", "15T+", "~70 B", "1,400", "1e21", "2.0", "1.99",
];

/// A positive number spread over many decades, or a hostile one (one time in eight).
fn magnitude(u: &mut Unstructured<'_>, lo: f64, decades: f64) -> Result<String> {
    if u.ratio(1, 8)? {
        return Ok((*u.choose(NUMBERS)?).to_owned());
    }
    let t = f64::from(u.int_in_range(0u16..=1000)?) / 1000.0;
    Ok(format!("{:e}", lo * 10f64.powf(t * decades)))
}

/// A float setting: usually sane, sometimes NaN, zero, negative or huge.
fn setting(u: &mut Unstructured<'_>, sane: f64) -> Result<f64> {
    Ok(match u.int_in_range(0u8..=15)? {
        0 => f64::NAN,
        1 => 0.0,
        2 => -sane,
        3 => f64::INFINITY,
        4 => 1e300,
        5 => f64::from(u.int_in_range(0u16..=1000)?) / 100.0,
        _ => sane,
    })
}

fn table(columns: &[&str], rows: &[Vec<String>]) -> Table {
    let mut t = Table::new(columns.iter().map(|c| (*c).to_owned()).collect());
    for (i, r) in rows.iter().enumerate() {
        t.push_row(r.iter().map(String::as_str), i as u64 + 2);
    }
    t
}

const WINNERS: &[&str] = &["model_a", "model_b", "tie", "tie (bothbad)", "both_bad", "bogus"];
const LANGUAGES: &[&str] = &["", "English", "German"];

/// Ratings on arbitrary battles with arbitrary settings (Bradley–Terry, Davidson, Elo, bootstrap,
/// sandwich, anchors, priors, filters, style control, the legacy fit, pair counts).
pub fn ratings(data: &[u8]) {
    let _ = ratings_inner(&mut Unstructured::new(data));
}

fn ratings_inner(u: &mut Unstructured<'_>) -> Result<()> {
    let n_models = u.int_in_range(1u8..=7)?;
    let model = |i: u8| format!("m{i}");
    let mut builder = BattleBuilder::new();
    let n_battles = u.int_in_range(0u8..=48)?;
    for _ in 0..n_battles {
        let a = model(u.int_in_range(0..=n_models - 1)?);
        let b = model(u.int_in_range(0..=n_models - 1)?);
        let tstamp = format!("{}", u.int_in_range(1_700_000_000u32..=1_760_000_000)?);
        let turn = format!("{}", u.int_in_range(0u8..=3)?);
        let fields = CsvBattleFields {
            model_a: &a,
            model_b: &b,
            winner: u.choose(WINNERS)?,
            judge: Some(u.choose(&["", "j1", "j2"])?),
            turn: Some(&turn),
            anony: Some(u.choose(&["", "true", "false"])?),
            language: Some(u.choose(LANGUAGES)?),
            tstamp: u.ratio(1, 8)?.then_some("").or(Some(&tstamp)),
            others: vec![(
                "w",
                u.choose(&["", "1", "0", "-1", "2.5", "0.3", "abc", "NaN", "inf"])?,
            )],
        };
        let _ = builder.push_fields(&fields);
    }
    let (battles, _) = builder.finish();

    let pair_counts = if u.ratio(1, 4)? {
        let mut rows = Vec::new();
        for _ in 0..u.int_in_range(0u8..=8)? {
            rows.push(vec![
                model(u.int_in_range(0..=n_models)?),
                model(u.int_in_range(0..=n_models)?),
                (*u.choose(NUMBERS)?).to_owned(),
                u.int_in_range(0u16..=50)?.to_string(),
                u.int_in_range(0u16..=50)?.to_string(),
            ]);
        }
        let t = table(&["model_a", "model_b", "wins_a", "wins_b", "ties"], &rows);
        ratings::pair_counts::from_table(&t).ok().map(|(agg, _)| agg)
    } else {
        None
    };

    let mut filters = Filters::default();
    if u.ratio(1, 4)? {
        filters.min_votes = u.int_in_range(0u64..=6)?;
        filters.exclude_ties = u.arbitrary()?;
        filters.anony = u.arbitrary()?;
        if u.arbitrary()? {
            filters.languages.push((*u.choose(LANGUAGES)?).to_owned());
        }
        if u.arbitrary()? {
            filters.exclude_models.push(model(u.int_in_range(0..=n_models)?));
        }
        filters.turn_min = u.arbitrary::<Option<u8>>()?.map(|t| u32::from(t % 4));
    }
    let anchor = if u.ratio(1, 3)? {
        Some(Anchor {
            model: model(u.int_in_range(0..=n_models)?),
            rating: setting(u, 1000.0)?,
            required: u.arbitrary()?,
        })
    } else {
        None
    };
    let s = RatingsSettings {
        method: if u.ratio(1, 4)? { Method::Elo } else { Method::Bt },
        ties: *u.choose(&[TieRule::Half, TieRule::Drop, TieRule::Davidson])?,
        anchor,
        ci: *u.choose(&[CiMethod::Bootstrap, CiMethod::Sandwich, CiMethod::None])?,
        bootstrap_rounds: u.int_in_range(0u32..=6)?,
        seed: u.arbitrary()?,
        legacy_l2: u.ratio(1, 8)?,
        style_control: u.ratio(1, 8)?,
        prior_games: if u.ratio(1, 4)? { setting(u, 1.0)? } else { 0.0 },
        scale: if u.ratio(1, 8)? { setting(u, 400.0)? } else { 400.0 },
        base: if u.ratio(1, 8)? { setting(u, 10.0)? } else { 10.0 },
        init_rating: if u.ratio(1, 8)? { setting(u, 1000.0)? } else { 1000.0 },
        elo_k: if u.ratio(1, 8)? { setting(u, 4.0)? } else { 4.0 },
        filters,
        weights: u.ratio(1, 4)?.then(|| "w".to_owned()),
        threads: u.int_in_range(1usize..=3)?,
    };
    let input = RatingsInput {
        battles: (pair_counts.is_none() || u.arbitrary()?).then_some(&battles),
        pair_counts: pair_counts.as_ref(),
    };
    if let Ok(result) = ratings::rate(input, &s) {
        let n = result.ratings.len() as u32;
        for r in &result.ratings {
            assert!(r.rank_ub >= 1 && r.rank_ub <= n.max(1), "rank {} of {n}", r.rank_ub);
            if let (Some(lo), Some(hi)) = (r.lower, r.upper) {
                // Bootstrap percentiles are ordered whenever they are numbers.
                assert!(
                    lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Greater),
                    "interval [{lo}, {hi}] of {}",
                    r.model
                );
            }
        }
    }
    Ok(())
}

/// Approach-3 scaling fits, the score trend, Approach 2 and the inference optimum on arbitrary
/// tables of runs.
pub fn scaling_fit(data: &[u8]) {
    let _ = scaling_inner(&mut Unstructured::new(data));
}

fn scaling_inner(u: &mut Unstructured<'_>) -> Result<()> {
    let with_compute = u.ratio(1, 3)?;
    let with_score = u.ratio(1, 3)?;
    let mut rows = Vec::new();
    for i in 0..u.int_in_range(0u8..=12)? {
        let params = magnitude(u, 1e7, 4.0)?;
        let tokens = magnitude(u, 1e9, 4.0)?;
        let loss = if u.ratio(1, 8)? {
            (*u.choose(NUMBERS)?).to_owned()
        } else {
            format!("{}", 1.7 + f64::from(u.int_in_range(0u16..=3000)?) / 1000.0)
        };
        let compute = if with_compute { magnitude(u, 1e17, 8.0)? } else { String::new() };
        let score = if with_score {
            format!("{}", f64::from(u.int_in_range(0u16..=1000)?) / 10.0)
        } else {
            String::new()
        };
        rows.push(vec![format!("run{i}"), params, tokens, loss, compute, score]);
    }
    let t = table(&["model", "params", "tokens", "loss", "compute", "mmlu"], &rows);
    let loss = match u.int_in_range(0u8..=3)? {
        0 => LossKind::L2,
        1 => LossKind::L1,
        2 => LossKind::Huber { delta: setting(u, 1e-3)? },
        _ => LossKind::default(),
    };
    let settings = ScalingSettings {
        fit: FitSettings {
            loss,
            starts: scaling::StartMode::Varpro,
            drop_top: u.int_in_range(0usize..=3)?,
            bootstrap: u.int_in_range(0usize..=3)?,
            seed: u.arbitrary()?,
        },
        target_loss: if u.arbitrary()? { Some(setting(u, 2.2)?) } else { None },
        inference_tokens: if u.arbitrary()? { vec![setting(u, 1e12)?] } else { Vec::new() },
        ..ScalingSettings::default()
    };
    let _ = scaling::analyse(&t, &settings, &mut |_, _| true);
    Ok(())
}

const WORDS: &[&str] =
    &["", "the", "cat", "sat", "A", "B", "none of the above", "all of the above", "42", "é", " "];
const KEYS: &[&str] = &["A", "B", "C", "D", "E", "0", "1", "3", "9", "", "b", "x", "-1"];

fn phrase(u: &mut Unstructured<'_>, max_words: u8) -> Result<String> {
    let n = u.int_in_range(0..=max_words)?;
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(u.choose(WORDS)?);
    }
    Ok(s)
}

/// Every defect check on arbitrary items (duplicate and near-duplicate questions, identical or
/// empty options, bad keys) with arbitrary predictions and settings.
pub fn defects(data: &[u8]) {
    let _ = defects_inner(&mut Unstructured::new(data));
}

fn defects_inner(u: &mut Unstructured<'_>) -> Result<()> {
    let list_layout = u.arbitrary::<bool>()?;
    let n_items = u.int_in_range(0u8..=16)?;
    let mut rows = Vec::new();
    for i in 0..n_items {
        let id = format!("q{}", i % 12);
        let question = phrase(u, 12)?;
        let n_options = if list_layout { u.int_in_range(0u8..=6)? } else { 4 };
        let mut options = Vec::new();
        for _ in 0..n_options {
            options.push(phrase(u, 4)?);
        }
        let key = (*u.choose(KEYS)?).to_owned();
        let subject = (*u.choose(&["", "math", "law"])?).to_owned();
        let mut row = vec![id, question];
        if list_layout {
            row.push(serde_json::to_string(&options).unwrap_or_default());
        } else {
            row.extend(options);
        }
        row.extend([key, subject]);
        rows.push(row);
    }
    let columns: &[&str] = if list_layout {
        &["id", "question", "choices", "answer", "subject"]
    } else {
        &["id", "question", "A", "B", "C", "D", "answer", "subject"]
    };
    let items = table(columns, &rows);
    let mut set = ItemSet::default();
    set.add_table("items.csv", &items, None, None, None);

    let mut predictions = Vec::new();
    for m in 0..u.int_in_range(0u8..=4)? {
        let mut rows = Vec::new();
        for _ in 0..u.int_in_range(0u8..=16)? {
            rows.push(vec![
                format!("q{}", u.int_in_range(0u8..=13)?),
                format!("m{m}"),
                (*u.choose(KEYS)?).to_owned(),
            ]);
        }
        let t = table(&["id", "model", "answer"], &rows);
        if let Ok(p) = PredictionTable::from_table(&format!("m{m}.csv"), &t) {
            predictions.push(p);
        }
    }
    let mut checks = Vec::new();
    if u.ratio(1, 4)? {
        for _ in 0..u.int_in_range(1u8..=3)? {
            let id = *u.choose(&[
                "exact_duplicate",
                "near_duplicate",
                "duplicate_options",
                "key_invalid",
                "model_disagreement",
                "duplicate_key_conflict",
            ])?;
            checks.push(CheckId::from_id(id).unwrap_or(CheckId::ExactDuplicate));
        }
    }
    let settings = defects::Settings {
        checks,
        min_agree: u.arbitrary::<Option<u8>>()?.map(|k| usize::from(k % 6)),
        min_miss_share: if u.ratio(1, 3)? { Some(setting(u, 1.0)?) } else { None },
        near: NearSettings {
            threshold: if u.ratio(1, 4)? { setting(u, 0.9)? } else { 0.9 },
            bands: u.int_in_range(0usize..=16)?,
            rows: u.int_in_range(0usize..=8)?,
            seed: u.arbitrary()?,
        },
        suspicion_threshold: if u.ratio(1, 4)? { setting(u, 0.5)? } else { 0.5 },
    };
    let n_items = set.items.len();
    let report = defects::analyze(set, &predictions, &settings);
    for f in &report.flags {
        assert!(f.item < n_items, "flag on item {} of {n_items}", f.item);
    }
    assert!(
        report.flags.windows(2).all(|w| (w[0].item, w[0].check) <= (w[1].item, w[1].check)),
        "flags not sorted by (item, check)"
    );
    Ok(())
}

const VERDICTS: &[&str] =
    &["A>>B", "A>B", "A=B", "B>A", "B>>A", "A<B", "", "null", "[[A>B]]", "B=A", "garbage"];

/// Judge metrics (AlpacaEval win rates and length control, Arena-Hard bootstrap, MT-Bench means)
/// on arbitrary annotation tables.
pub fn judge(data: &[u8]) {
    let _ = judge_inner(&mut Unstructured::new(data));
}

fn judge_inner(u: &mut Unstructured<'_>) -> Result<()> {
    let kind = *u.choose(&[JudgeKind::AlpacaEval, JudgeKind::ArenaHard, JudgeKind::MtBench])?;
    let n_models = u.int_in_range(1u8..=5)?;
    let mut rows = Vec::new();
    for _ in 0..u.int_in_range(0u8..=24)? {
        let model = format!("m{}", u.int_in_range(0..=n_models - 1)?);
        let question = format!("q{}", u.int_in_range(0u8..=6)?);
        let row = match kind {
            JudgeKind::AlpacaEval => vec![
                question,
                phrase(u, 6)?,
                (*u.choose(&["base", "base", "", "m0"])?).to_owned(),
                phrase(u, 10)?,
                model,
                if u.ratio(1, 4)? {
                    (*u.choose(NUMBERS)?).to_owned()
                } else {
                    format!("{}", 1.0 + f64::from(u.int_in_range(0u8..=100)?) / 100.0)
                },
            ],
            JudgeKind::ArenaHard => {
                let games = serde_json::json!([
                    {"score": u.choose(VERDICTS)?},
                    {"score": u.choose(VERDICTS)?},
                ]);
                vec![question, model, games.to_string(), "base".to_owned()]
            }
            JudgeKind::MtBench => vec![
                question,
                model,
                (*u.choose(&["1", "2", "3", "", "x"])?).to_owned(),
                if u.ratio(1, 4)? {
                    (*u.choose(NUMBERS)?).to_owned()
                } else {
                    u.int_in_range(1u8..=10)?.to_string()
                },
            ],
        };
        rows.push(row);
    }
    let columns: &[&str] = match kind {
        JudgeKind::AlpacaEval => {
            &["instruction", "output_1", "generator_1", "output_2", "generator_2", "preference"]
        }
        JudgeKind::ArenaHard => &["question_id", "model", "games", "baseline"],
        JudgeKind::MtBench => &["question_id", "model", "turn", "score"],
    };
    let t = table(columns, &rows);
    let settings = JudgeSettings {
        kind: u.ratio(3, 4)?.then_some(kind),
        baseline: if u.ratio(1, 4)? { Some("base".to_owned()) } else { None },
        seed: u.arbitrary()?,
        arena_hard: ArenaHardSettings {
            bootstrap_rounds: u.int_in_range(0u32..=8)?,
            strong_verdict_weight: u.int_in_range(0u32..=4)?,
            ci_level: if u.ratio(1, 4)? { setting(u, 0.9)? } else { 0.9 },
            ..ArenaHardSettings::default()
        },
        mt_bench_ci_level: if u.ratio(1, 4)? { setting(u, 0.95)? } else { 0.95 },
        ..JudgeSettings::default()
    };
    let _ = judge_mod::judge(&[("judgments.jsonl", &t)], &settings);
    Ok(())
}
