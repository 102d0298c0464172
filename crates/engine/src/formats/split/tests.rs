//! Splitter tests: chunk boundaries, separators, truncation, CSV quoting.

use super::*;

fn split_json(chunks: &[&[u8]], lines: bool) -> Result<Vec<(String, u64)>, SplitError> {
    let mut s = JsonSplitter::new(lines);
    let mut out = Vec::new();
    for c in chunks {
        s.feed(c, &mut |r| out.push((String::from_utf8_lossy(r.bytes).into_owned(), r.line)))?;
    }
    s.finish(&mut |r| out.push((String::from_utf8_lossy(r.bytes).into_owned(), r.line)))?;
    Ok(out)
}

#[test]
fn json_array_split_across_chunks() {
    let text = b"[\n {\"a\": \"x,]}\"},\n {\"b\": [1, {\"c\": 2}]}\n]";
    for cut in 0..text.len() {
        let got = split_json(&[&text[..cut], &text[cut..]], false).expect("valid");
        assert_eq!(got.len(), 2, "cut at {cut}");
        assert_eq!(got[0], ("{\"a\": \"x,]}\"}".to_string(), 2));
        assert_eq!(got[1], ("{\"b\": [1, {\"c\": 2}]}".to_string(), 3));
    }
}

#[test]
fn jsonl_split_and_blank_lines() {
    let got = split_json(&[b"{\"a\":1}\n\n{\"a\":", b"2}\r\n{\"a\":3}"], true).expect("valid");
    let lines: Vec<u64> = got.iter().map(|g| g.1).collect();
    assert_eq!(lines, vec![1, 3, 4]);
    assert_eq!(got[1].0, "{\"a\":2}");
}

#[test]
fn truncated_array_is_reported() {
    assert_eq!(split_json(&[b"[{\"a\":1},{\"a\""], false), Err(SplitError::Unterminated));
}

#[test]
fn missing_comma_is_reported() {
    let err = split_json(&[b"[{\"a\":1}\n{\"a\":2}]"], false).expect_err("no comma");
    assert_eq!(err, SplitError::BadSeparator { line: 2, found: '{' });
}

#[test]
fn csv_quotes_and_newlines_across_chunks() {
    let text = b"q,a\n\"line one\nline two, still\",B\n\nx,\"y\"\"z\"\n";
    for cut in 0..text.len() {
        let mut s = CsvSplitter::new(b',');
        let mut rows = Vec::new();
        let mut emit = |r: RawRow<'_>| {
            let fields: Vec<String> =
                r.fields.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            rows.push((fields, r.line));
        };
        s.feed(&text[..cut], &mut emit).expect("ok");
        s.feed(&text[cut..], &mut emit).expect("ok");
        s.feed(&[], &mut emit).expect("ok");
        assert_eq!(rows.len(), 3, "cut {cut}");
        assert_eq!(rows[1].0, vec!["line one\nline two, still".to_string(), "B".into()]);
        assert_eq!(rows[1].1, 2);
        assert_eq!(rows[2].0, vec!["x".to_string(), "y\"z".into()]);
        assert_eq!(rows[2].1, 5);
    }
}

#[test]
fn newlines_counted_a_word_at_a_time_match_the_plain_count() {
    // Every byte value next to line breaks, at every offset and length, so each byte of a word
    // and the remainder are both exercised (0x0a ± the high bit, 0x8a, is the classic miss).
    let mut bytes: Vec<u8> = (0..=255u8).flat_map(|b| [b, b'\n', b, 0x8a, 0x0b, 0x09]).collect();
    bytes.extend(std::iter::repeat_n(b'\n', 19));
    for from in 0..16 {
        for to in (from..bytes.len()).step_by(7) {
            let slice = &bytes[from..to];
            let plain = slice.iter().filter(|&&b| b == b'\n').count() as u64;
            assert_eq!(count_newlines_by_word(slice), plain, "{from}..{to}");
        }
    }
}
