//! Keeps the app crate's top-level modules layered: every dependency between them points one
//! way (views use state, never the reverse), so a module can be read, tested and changed
//! without the ones above it. The test reads the sources, so a new `use` that closes a loop
//! fails here, naming the loop, instead of surfacing later as tangled code.
//!
//! The scan is textual: paths starting `crate::`, `super::` (resolved from the file's place in
//! the tree) or, in the binaries, `benchlens::`, outside `//` comments. An inline `mod` inside a
//! file is not tracked, so its `super::` resolves one level high; that can only add an edge to a
//! top-level module of that name, which no inline module here refers to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → the top-level modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Binaries next to the library: they reach it as `benchlens::…`.
const BINARIES: [&str; 2] = ["main", "worker"];

/// The modules `lib.rs` declares public (`pub mod x;`), plus the binaries.
fn top_level_modules(src: &Path) -> Result<BTreeSet<String>, String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).map_err(|e| e.to_string())?;
    let mut modules: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ")?.strip_suffix(';'))
        .map(str::to_owned)
        .collect();
    modules.extend(BINARIES.iter().map(|b| (*b).to_owned()));
    Ok(modules)
}

/// Every `.rs` file of a module (its file, or its folder), sorted.
fn module_files(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let mut folders = vec![src.join(module)];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The module path of a file below `src`: `views/ratings/mod.rs` → [views, ratings].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut path: Vec<String> =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    path
}

/// The identifiers right after a path prefix: `x` in `x::…`, or each item's first segment in
/// `{x::…, y}`.
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
    };
    let Some(group) = rest.strip_prefix('{') else { return vec![ident(rest)] };
    let mut segments = Vec::new();
    let mut depth = 0usize;
    let mut item_start = true;
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if c.is_whitespace() => {}
            _ if item_start => {
                segments.push(ident(&group[at..]));
                item_start = false;
            }
            _ => {}
        }
    }
    segments
}

/// The top-level modules a line of `file` (at module path `here`) names.
fn named_modules(line: &str, here: &[String]) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut named = Vec::new();
    for prefix in ["crate::", "benchlens::"] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            named.extend(first_segments(&code[at + prefix.len()..]));
        }
    }
    let mut rest = code;
    while let Some(at) = rest.find("super::") {
        let before = rest[..at].chars().next_back();
        let mut tail = &rest[at..];
        let mut ups = 0;
        while let Some(t) = tail.strip_prefix("super::") {
            ups += 1;
            tail = t;
        }
        let word_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if word_start && ups == here.len() {
            named.extend(first_segments(tail));
        } else if word_start && ups < here.len() {
            named.push(here[0].clone());
        }
        rest = tail;
    }
    named
}

/// The dependency graph between the top-level modules of `src`.
fn module_graph(src: &Path) -> Result<Graph, String> {
    let modules = top_level_modules(src)?;
    let mut graph = Graph::new();
    for module in &modules {
        let edges = graph.entry(module.clone()).or_default();
        for file in module_files(src, module) {
            let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
            let here = module_path(src, &file);
            for line in text.lines() {
                for named in named_modules(line, &here) {
                    if named != *module && modules.contains(&named) {
                        edges.insert(named);
                    }
                }
            }
        }
    }
    Ok(graph)
}

/// A cycle of `graph` as the modules along it (first repeated at the end), if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        graph: &Graph,
        node: &str,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack.get(from..).unwrap_or_default().to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(graph, node, &mut marks, &mut Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut g = Graph::new();
        for (from, to) in edges {
            g.entry((*from).to_owned()).or_default().insert((*to).to_owned());
            g.entry((*to).to_owned()).or_default();
        }
        g
    }

    #[test]
    fn top_level_modules_depend_on_each_other_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let graph = module_graph(&src).unwrap_or_else(|e| panic!("reading {}: {e}", src.display()));
        let modules: Vec<&str> = graph.keys().map(String::as_str).collect();
        assert_eq!(
            modules,
            [
                "app", "charts", "export", "format", "intake", "jobs", "main", "share", "state",
                "views", "worker"
            ],
            "the scan did not find the crate's modules"
        );
        // Edges the page cannot work without: proof that the scan sees paths at all.
        for (from, to) in
            [("app", "views"), ("views", "state"), ("worker", "jobs"), ("main", "app")]
        {
            assert!(graph[from].contains(to), "the scan missed {from} -> {to}: {graph:?}");
        }
        if let Some(cycle) = find_cycle(&graph) {
            panic!("module cycle: {}", cycle.join(" -> "));
        }
    }

    #[test]
    fn a_cycle_is_found_and_named() {
        let looped = graph(&[("a", "b"), ("b", "c"), ("c", "b"), ("a", "d")]);
        assert_eq!(find_cycle(&looped), Some(vec!["b".into(), "c".into(), "b".into()]));
        assert_eq!(find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    }

    #[test]
    fn paths_are_read_from_uses_groups_and_supers() {
        let here = ["views".to_owned(), "ratings".to_owned(), "controls".to_owned()];
        assert_eq!(named_modules("use crate::state::AppState;", &here), ["state"]);
        assert_eq!(
            named_modules("use crate::{export::full, charts::{xy, ChartSpec}};", &here),
            ["export", "charts"]
        );
        assert_eq!(named_modules("use super::super::super::share::x;", &here), ["share"]);
        assert_eq!(named_modules("use super::tables;", &here), ["views"]);
        assert_eq!(named_modules("benchlens::jobs::IntakeWorker::registrar()", &[]), ["jobs"]);
        assert!(named_modules("// crate::state in a comment", &here).is_empty());
        assert!(named_modules("mycrate::state::x", &here).is_empty());
    }
}
