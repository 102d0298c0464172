//! Shape checks on the comparison graph, before any fit: which models were ever compared (each
//! connected component is rated on its own: ratings across components share no scale), and
//! whether a finite maximum-likelihood estimate exists at all (Zermelo 1929 / Ford 1957: it does
//! exactly when the "scored against" graph of a component is strongly connected; a model that
//! never loses, or a group that never loses to the rest, would drift to +∞).

use serde::{Deserialize, Serialize};

use super::aggregate::PairTally;

/// Connected components of the undirected comparison graph over `n` models. Each component is a
/// sorted list of model indices; components are ordered by their smallest index. Models with no
/// battle form no component.
pub fn components(n: usize, tallies: &[PairTally]) -> Vec<Vec<u32>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut present = vec![false; n];
    for t in tallies {
        if t.total() <= 0.0 {
            continue;
        }
        let (a, b) = (t.a as usize, t.b as usize);
        present[a] = true;
        present[b] = true;
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut by_root: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, &here) in present.iter().enumerate() {
        if here {
            let r = find(&mut parent, i);
            by_root[r].push(i as u32);
        }
    }
    by_root.into_iter().filter(|c| !c.is_empty()).collect()
}

/// Why a component has no finite MLE.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Separation {
    /// Models in groups that never lost a battle against the rest of their component (sorted
    /// model indices).
    pub never_lose: Vec<u32>,
    /// Models in groups that never won (or tied) against the rest of their component.
    pub never_win: Vec<u32>,
}

/// Checks that the "i scored against j" digraph restricted to `members` is strongly connected.
/// A tie scores both ways. Returns None when a finite MLE exists, else the separated groups.
/// `tallies` use global model indices; `local[i]` maps a global index to its position in
/// `members` (or `u32::MAX` when outside).
pub fn separation(members: &[u32], local: &[u32], tallies: &[PairTally]) -> Option<Separation> {
    let k = members.len();
    if k <= 1 {
        return None;
    }
    let mut fwd: Vec<Vec<u32>> = vec![Vec::new(); k];
    let mut rev: Vec<Vec<u32>> = vec![Vec::new(); k];
    for t in tallies {
        let (la, lb) = (local[t.a as usize], local[t.b as usize]);
        if la == u32::MAX || lb == u32::MAX {
            continue;
        }
        // Edge x → y: x scored against y at least once.
        if t.wins_a > 0.0 || t.ties > 0.0 {
            fwd[la as usize].push(lb);
            rev[lb as usize].push(la);
        }
        if t.wins_b > 0.0 || t.ties > 0.0 {
            fwd[lb as usize].push(la);
            rev[la as usize].push(lb);
        }
    }
    let comp = strongly_connected(&fwd, &rev);
    let n_comp = comp.iter().copied().max().map_or(0, |m| m as usize + 1);
    if n_comp <= 1 {
        return None;
    }
    // A group with no incoming edge from another group never lost to the rest; one with no
    // outgoing edge never scored against the rest.
    let mut has_in = vec![false; n_comp];
    let mut has_out = vec![false; n_comp];
    for (x, edges) in fwd.iter().enumerate() {
        for &y in edges {
            let (cx, cy) = (comp[x] as usize, comp[y as usize] as usize);
            if cx != cy {
                has_out[cx] = true;
                has_in[cy] = true;
            }
        }
    }
    let mut sep = Separation::default();
    for x in 0..k {
        let c = comp[x] as usize;
        if !has_in[c] {
            sep.never_lose.push(members[x]);
        }
        if !has_out[c] {
            sep.never_win.push(members[x]);
        }
    }
    Some(sep)
}

/// Kosaraju's algorithm, iterative. Returns a component id per node.
fn strongly_connected(fwd: &[Vec<u32>], rev: &[Vec<u32>]) -> Vec<u32> {
    let k = fwd.len();
    let mut order = Vec::with_capacity(k);
    let mut seen = vec![false; k];
    for s in 0..k {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        let mut stack: Vec<(usize, usize)> = vec![(s, 0)];
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&y) = fwd[node].get(*next) {
                *next += 1;
                if !seen[y as usize] {
                    seen[y as usize] = true;
                    stack.push((y as usize, 0));
                }
            } else {
                order.push(node);
                stack.pop();
            }
        }
    }
    let mut comp = vec![u32::MAX; k];
    let mut next_id = 0u32;
    for &s in order.iter().rev() {
        if comp[s] != u32::MAX {
            continue;
        }
        comp[s] = next_id;
        let mut stack = vec![s];
        while let Some(x) = stack.pop() {
            for &y in &rev[x] {
                if comp[y as usize] == u32::MAX {
                    comp[y as usize] = next_id;
                    stack.push(y as usize);
                }
            }
        }
        next_id += 1;
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(a: u32, b: u32, wa: f64, wb: f64, ties: f64) -> PairTally {
        PairTally { a, b, wins_a: wa, wins_b: wb, ties }
    }

    #[test]
    fn finds_components_and_separation() {
        let tallies = [t(0, 1, 3.0, 1.0, 0.0), t(1, 2, 0.0, 2.0, 0.0), t(3, 4, 1.0, 1.0, 0.0)];
        let comps = components(6, &tallies);
        assert_eq!(comps, vec![vec![0, 1, 2], vec![3, 4]]);
        let mut local = vec![u32::MAX; 6];
        for (i, &m) in comps[0].iter().enumerate() {
            local[m as usize] = i as u32;
        }
        // 2 beat 1 twice and never lost; 0 and 1 traded wins.
        let sep = separation(&comps[0], &local, &tallies).expect("separated");
        assert_eq!(sep.never_lose, vec![2]);
        assert_eq!(sep.never_win, vec![0, 1]);
        // A tie between 1 and 2 joins everything.
        let tied = [tallies[0], t(1, 2, 0.0, 2.0, 1.0)];
        assert!(separation(&comps[0], &local, &tied).is_none());
    }
}
