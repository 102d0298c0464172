//! A battle log's row groups, decoded independently and merged in file order.
//!
//! Row groups share nothing, so each one becomes its own [`BattleBuilder`] (plus the problems of
//! its rows), and [`BattleBuilder::absorb`] appends them in row-group order: the merged log, its
//! ids and its warnings equal what one builder fed every row would give. That lets native
//! callers decode several row groups at once, one per thread (a 1M-battle shard is about a
//! second of decoding on one core); the browser worker has no threads and decodes one at a time.

use parquet::file::reader::ChunkReader;

use crate::battles::BattleBuilder;
use crate::dataset::Severity;
use crate::progress::Ticker;

use super::assemble::push_group;
use super::battles::BattlePlan;
use super::columns::Leaf;
use super::load::{read_group, Run, CANCELLED, STAGE};
use super::prefetch::OpenFile;

/// One row group's battles and the rows that were not battles.
struct GroupBattles {
    index: usize,
    builder: BattleBuilder,
    /// Rows the group has (battles and skipped rows together).
    rows: u64,
    battles: u64,
    /// (row number in the file, column, problem) of each skipped row, in row order.
    problems: Vec<(u64, String, String)>,
}

/// Decodes row group `g`, whose first row follows `before` rows; Err is the located message.
fn decode_group<R: ChunkReader + 'static>(
    file: &OpenFile<R>,
    g: usize,
    projected: &[Leaf],
    plan: &BattlePlan,
    before: u64,
) -> Result<GroupBattles, String> {
    let data = read_group(file, g, projected, before)?;
    let rows = file.group_rows(g);
    let mut builder = BattleBuilder::new();
    let problems: Vec<(u64, String, String)> = push_group(plan, &data, rows as usize, &mut builder)
        .into_iter()
        .map(|(r, (column, problem))| (before + r as u64 + 1, column, problem))
        .collect();
    builder.shift_positions(before);
    let out =
        GroupBattles { index: g, builder, rows, battles: rows - problems.len() as u64, problems };
    Ok(out)
}

/// Decodes several row groups (`(group, rows before it)`), on one thread each where threads
/// exist, and returns their results in the order given.
fn decode_wave<R: ChunkReader + 'static>(
    file: &OpenFile<R>,
    wave: &[(usize, u64)],
    projected: &[Leaf],
    plan: &BattlePlan,
) -> Vec<Result<GroupBattles, String>> {
    #[cfg(not(target_arch = "wasm32"))]
    if let [(first, first_before), rest @ ..] = wave {
        if !rest.is_empty() {
            // This thread decodes the first group itself: each extra thread brings its own malloc
            // arena, whose freed pages go back to the system after every group and fault in
            // again (three arenas instead of two tripled the system time on two cores).
            return std::thread::scope(|scope| {
                let handles: Vec<_> = rest
                    .iter()
                    .map(|&(g, before)| {
                        scope.spawn(move || decode_group(file, g, projected, plan, before))
                    })
                    .collect();
                let mut out = vec![decode_group(file, *first, projected, plan, *first_before)];
                out.extend(handles.into_iter().zip(rest).map(|(h, &(g, _))| {
                    h.join().unwrap_or_else(|_| {
                        Err(format!("row group {}: its decoding thread panicked", g + 1))
                    })
                }));
                out
            });
        }
    }
    wave.iter().map(|&(g, before)| decode_group(file, g, projected, plan, before)).collect()
}

/// Every row group's battles into `builder`, `threads` row groups at a time, telling `ticker`
/// before each row group as the one-at-a-time load does (a stop there keeps the groups before
/// it). Returns the rows walked.
pub(super) async fn battle_groups<R: ChunkReader + 'static>(
    file: &OpenFile<R>,
    projected: &[Leaf],
    plan: &BattlePlan,
    run: &mut Run,
    ticker: &mut Ticker<'_>,
    threads: usize,
    builder: &mut BattleBuilder,
) -> u64 {
    let total = file.metadata().file_metadata().num_rows().max(0) as u64;
    let n_groups = file.num_row_groups();
    let mut done = 0u64;
    let mut next = 0usize;
    while next < n_groups {
        let mut wave = Vec::with_capacity(threads.max(1));
        let mut before = done;
        let mut stopped = false;
        while wave.len() < threads.max(1) && next < n_groups {
            if !ticker.tick(STAGE, before, total).await {
                stopped = true;
                break;
            }
            wave.push((next, before));
            before += file.group_rows(next);
            next += 1;
        }
        for group in decode_wave(file, &wave, projected, plan) {
            let group = match group {
                Ok(group) => group,
                Err(message) => {
                    run.error(message);
                    return done;
                }
            };
            run.rows += group.battles;
            for (row, column, problem) in group.problems {
                run.skipped += 1;
                run.warnings.add(Severity::Warning, Some(row), Some(&column), &problem, || {
                    format!("{problem} (row {row}, row group {})", group.index + 1)
                });
            }
            builder.absorb(group.builder);
            done += group.rows;
        }
        if stopped {
            run.error(CANCELLED.into());
            return done;
        }
    }
    done
}
