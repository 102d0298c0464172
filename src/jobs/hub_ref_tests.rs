//! Unit tests of `hub_ref`: links, addresses, globs, listings and the choice of files.

use super::{choose, glob_match, next_page, parse_listing, HubFile, HubRef};

fn parse(spec: &str) -> HubRef {
    HubRef::parse(spec).unwrap_or_else(|e| panic!("{e}"))
}

fn ok<T>(result: Result<T, String>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn err<T: std::fmt::Debug>(result: Result<T, String>) -> String {
    match result {
        Ok(v) => panic!("no error: {v:?}"),
        Err(e) => e,
    }
}

fn file(path: &str) -> HubFile {
    HubFile { path: path.into(), size: 10 }
}

#[test]
fn links_are_read_with_revision_after_the_name_or_at_the_end() {
    let r = parse("hf://datasets/lmarena-ai/arena-human-preference-140k");
    assert_eq!((r.owner.as_str(), r.name.as_str()), ("lmarena-ai", "arena-human-preference-140k"));
    assert_eq!((r.glob, r.revision.as_str()), (None, "main"));
    let r = parse("hf://datasets/cais/mmlu/all/test-*.parquet@refs%2Fconvert%2Fparquet");
    assert_eq!(r.glob.as_deref(), Some("all/test-*.parquet"));
    assert_eq!(r.revision, "refs/convert/parquet");
    let same = HubRef::parse("hf://datasets/cais/mmlu@refs/convert/parquet/all/test-*.parquet");
    // A plain slash after `@` in the name belongs to the path: write such refs encoded there.
    assert_eq!(ok(same).revision, "refs");
    let r = parse("hf://datasets/cais/mmlu@refs%2Fconvert%2Fparquet/all/test-*.parquet");
    assert_eq!(
        (r.revision.as_str(), r.glob.as_deref()),
        ("refs/convert/parquet", Some("all/test-*.parquet"))
    );
    assert_eq!(r.spec(), "hf://datasets/cais/mmlu@refs%2Fconvert%2Fparquet/all/test-*.parquet");
    assert_eq!(parse(&r.spec()), r);
}

#[test]
fn bad_links_say_what_is_wrong() {
    let err = |s: &str| err(HubRef::parse(s));
    assert!(err("https://huggingface.co/datasets/a/b").contains("starts with hf://datasets/"));
    assert!(err("hf://models/a/b").contains("only datasets"));
    assert!(err("hf://datasets/onlyowner").contains("dataset name is missing"));
    assert!(err("hf://datasets/a b/c").contains("owner “a b”"));
    assert!(err("hf://datasets/a/-c").contains("dataset name “-c”"));
    assert!(err("hf://datasets/a/c/../x").contains("no empty, . or .."));
    assert!(err("hf://datasets/a/c@").contains("revision “”"));
    assert!(err("hf://datasets/a/c@x%zz").contains("badly encoded"));
    assert!(err("hf://datasets/a/c@a..b/../c").contains("revision"));
}

#[test]
fn addresses_encode_the_revision_and_path() {
    let r = parse("hf://datasets/o/n@refs%2Fconvert%2Fparquet");
    assert_eq!(
        r.tree_url("https://huggingface.co/"),
        "https://huggingface.co/api/datasets/o/n/tree/refs%2Fconvert%2Fparquet?recursive=true"
    );
    assert_eq!(
        r.resolve_url("http://127.0.0.1:9", "default/train/0 a.parquet"),
        "http://127.0.0.1:9/datasets/o/n/resolve/refs%2Fconvert%2Fparquet/default/train/0%20a.parquet"
    );
    assert_eq!(r.label(), "o/n");
}

#[test]
fn globs_match_within_and_across_folders() {
    assert!(glob_match("data/train-*.parquet", "data/train-00000-of-00002.parquet"));
    assert!(!glob_match("data/train-*.parquet", "data/test-00000-of-00002.parquet"));
    assert!(!glob_match("*.parquet", "data/x.parquet"));
    assert!(glob_match("**/*.parquet", "data/x.parquet"));
    assert!(glob_match("**/*.parquet", "x.parquet"));
    assert!(glob_match("data/train-0000[01]-of-*.parquet", "data/train-00001-of-00002.parquet"));
    assert!(glob_match("a/?.parquet", "a/b.parquet"));
    assert!(!glob_match("a?b.parquet", "a/b.parquet"));
}

#[test]
fn listings_keep_parquet_files_with_their_lfs_size() {
    let body = r#"[
        {"type":"directory","oid":"1","size":0,"path":"data"},
        {"type":"file","oid":"2","size":134,"path":"data/train-00000-of-00001.parquet",
         "lfs":{"oid":"3","size":32228,"pointerSize":134}},
        {"type":"file","oid":"4","size":900,"path":"README.md"},
        {"type":"file","oid":"5","size":77,"path":"small.parquet"}
    ]"#;
    let files = ok(parse_listing("u", body));
    assert_eq!(
        files,
        [
            HubFile { path: "data/train-00000-of-00001.parquet".into(), size: 32228 },
            HubFile { path: "small.parquet".into(), size: 77 },
        ]
    );
    assert!(err(parse_listing("u", "<html>")).contains("could not be read"));
}

#[test]
fn the_next_page_comes_from_the_link_header() {
    let link = r#"<https://huggingface.co/api/datasets/o/n/tree/main?recursive=true&cursor=abc>; rel="next""#;
    assert_eq!(
        next_page(link).as_deref(),
        Some("https://huggingface.co/api/datasets/o/n/tree/main?recursive=true&cursor=abc")
    );
    assert_eq!(next_page(r#"<https://x/prev>; rel="prev""#), None);
    assert_eq!(next_page(""), None);
}

#[test]
fn files_are_chosen_sorted_and_one_split_at_a_time() {
    let listing = vec![
        file("data/train-00001-of-00002.parquet"),
        file("data/test-00000-of-00001.parquet"),
        file("data/train-00000-of-00002.parquet"),
    ];
    let with_glob = parse("hf://datasets/o/n/data/train-*");
    let chosen = ok(choose(&with_glob, listing.clone()));
    let paths: Vec<&str> = chosen.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"]);
    let all = parse("hf://datasets/o/n");
    let splits = err(choose(&all, listing.clone()));
    assert!(splits.contains("2 splits (data/test, data/train)"), "{splits}");
    assert!(splits.contains("hf://datasets/o/n/data/train*.parquet"), "{splits}");
    let none = parse("hf://datasets/o/n/data/validation-*");
    assert!(err(choose(&none, listing)).contains("no Parquet file matches “data/validation-*”"));
    assert!(err(choose(&all, Vec::new())).contains("no Parquet files at revision main"));
    assert_eq!(ok(choose(&all, vec![file("a/train-00000-of-00001.parquet")])).len(), 1);
}
