//! Battle scanner tests: what it reads, where a record ends, and what it leaves to serde.

use super::*;

#[test]
fn reads_a_fastchat_record() {
    let rec = br#"{"question_id": "x", "model_a": "a\u00e9", "model_b": "b", "winner": "tie",
        "judge": "j", "turn": 2, "anony": true, "language": "English", "tstamp": 1.5e9,
        "conv_metadata": {"sum_user_tokens": 3, "sum_assistant_a_tokens": 10, "sum_assistant_b_tokens": 20,
          "header_count_a": {"h1": 1, "h2": 2}, "header_count_b": {}, "list_count_a": {"ordered": 1, "unordered": null},
          "list_count_b": {"ordered": 0}, "bold_count_a": {"**": 3, "__": 1}, "bold_count_b": {"**": 0}},
        "is_code": false, "nested": [1, {"x": "]}"}], "dedup_tag": {"high_freq": false, "sampled": true},
        "category_tag": {"math_v0.1": {"math": true}}}"#;
    let s = scan(rec).expect("fast path");
    assert_eq!(s.model_a.as_deref(), Some("a\u{e9}"));
    assert_eq!(s.turn, Some(2.0));
    assert_eq!(s.tstamp, Some(1.5e9));
    assert_eq!(s.style, Some([10.0, 20.0, 3.0, 0.0, 1.0, 0.0, 4.0, 0.0]));
    assert_eq!(s.dedup_sampled, Some(true));
    assert_eq!(s.category_tag, Some(r#"{"math_v0.1": {"math": true}}"#));
}

#[test]
fn integers_read_as_the_float_parser_reads_them() {
    for text in ["0", "7", "00012", "123456789012345", "1234567890123456", "1.5", "-3", "1e3"] {
        let rec = format!(r#"{{"model_a": "a", "model_b": "b", "winner": "tie", "turn": {text}}}"#);
        let s = scan(rec.as_bytes()).expect("fast path");
        assert_eq!(s.turn, text.parse::<f64>().ok(), "{text}");
    }
}

#[test]
fn decimals_read_as_the_float_parser_reads_them() {
    let mut texts: Vec<String> =
        ["0.0", "-0", "-0.5", "1682899232.4797", "0.1", "9.99999999999999", "007.50"]
            .map(String::from)
            .to_vec();
    // Seeded xorshift: 15-digit numbers with the dot at every place.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let digits = (state % 1_000_000_000_000_000).to_string();
        let dot = 1 + (state >> 50) as usize % digits.len();
        let sign = if state & 1 == 1 { "-" } else { "" };
        texts.push(
            format!("{sign}{}.{}", &digits[..dot], &digits[dot..])
                .replace(".", if dot == digits.len() { "" } else { "." }),
        );
    }
    for text in &texts {
        let expected = text.parse::<f64>().map(f64::to_bits).ok();
        let got = plain_decimal(text.as_bytes(), 0).map(|(v, end)| (v.to_bits(), end));
        assert_eq!(got, expected.map(|bits| (bits, text.len())), "{text}");
    }
    for text in ["1.", ".5", "-", "", "1e5", "1.2.3", "+1", "1234567890123456", "1.234567890123456"]
    {
        assert_eq!(plain_decimal(text.as_bytes(), 0), None, "{text}");
    }
}

#[test]
fn keys_match_only_their_own_name() {
    let rec = br#"{"sum_assistant_a_tokenz": 1, "model_a": "a", "model_b": "b", "winner": "tie",
        "conv_metadata": {"sum_assistant_b_tokens_and_more_bytes": 5, "sum_assistant_a_tokens": 9,
        "sum_assistant_b_tokenS": 7}, "turnx": 4, "tur": 5}"#;
    let s = scan(rec).expect("fast path");
    assert_eq!(s.turn, None);
    let style = s.style.expect("conv_metadata");
    assert_eq!(style[0], 9.0);
    assert!(style[1].is_nan());
}

#[test]
fn prefix_scan_ends_where_the_splitter_would() {
    let text =
        br#"{"model_a": "a", "model_b": "b", "winner": "tie", "x": [{"y": "}"}]}, {"next": 1}"#;
    let (s, len) = scan_prefix(text).expect("fast path");
    assert_eq!(s.winner.as_deref(), Some("tie"));
    assert_eq!(&text[len..len + 2], b", ");
    // Brackets that balance only by count (the splitter would end the record early), nesting
    // past the limit, and a record cut short: all left to the splitter.
    let deep = format!(
        r#"{{"model_a": "a", "model_b": "b", "winner": "tie", "x": {}{}}}"#,
        "[".repeat(70),
        "]".repeat(70)
    );
    for rec in [
        &br#"{"model_a": "a", "model_b": "b", "winner": "tie", "x": [1 }, "y": {2 ]}"#[..],
        deep.as_bytes(),
        br#"{"model_a": "a", "model_b": "b", "winner": "tie", "turn": 12"#,
    ] {
        assert!(scan_prefix(rec).is_none(), "{}", String::from_utf8_lossy(rec));
    }
}

#[test]
fn record_cut_after_a_backslash_defers_instead_of_panicking() {
    // Found by the battle_record fuzz target: the escape skip ran past the end.
    for rec in [&br#"{"model_a": "a\"#[..], br#"{"x": ["\"#, br#"{"model_\"#] {
        assert!(scan(rec).is_none(), "{}", String::from_utf8_lossy(rec));
    }
}

#[test]
fn defers_anything_unusual() {
    for rec in [
        &br#"{"model_a": "a", "model_b": "b"}"#[..],
        br#"{"model_a": "a", "model_b": "b", "winner": "tie", "model_a": "c"}"#,
        br#"{"model_a": "a", "model_b": "b", "winner": "tie", "turn": "two"}"#,
        br#"{"model_a": "a", "model_b": "b", "winner": "tie""#,
        br#"{"model_a": "a", "model_b": "b", "winner": "tie"} x"#,
        br#"{"model_\u0061": "a", "model_b": "b", "winner": "tie"}"#,
        br#"{"model_a": 1, "model_b": "b", "winner": "tie"}"#,
    ] {
        assert!(scan(rec).is_none(), "{}", String::from_utf8_lossy(rec));
    }
}

#[test]
fn keys_of_every_length_read_the_same_near_the_end_and_far_from_it() {
    // A side column's key of 1–40 bytes, last in the record (its window runs past the end) and
    // followed by padding (it does not); with an escape at any place, the record is deferred.
    for len in 1..=40 {
        let key = "k".repeat(len);
        for tail in ["", r#", "pad": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#] {
            let rec = format!(r#"{{"model_a":"a","model_b":"b","winner":"tie","{key}":1{tail}}}"#);
            let s = scan(rec.as_bytes()).unwrap_or_else(|| panic!("{rec}"));
            assert_eq!(s.numbers.len(), 1, "{rec}");
            assert_eq!((s.numbers[0].0.as_ref(), s.numbers[0].1), (key.as_str(), 1.0), "{rec}");
            for at in 0..len {
                let escaped = format!("{}\\u006b{}", &key[..at], &key[at + 1..]);
                let rec = rec.replacen(&format!("\"{key}\""), &format!("\"{escaped}\""), 1);
                assert!(scan(rec.as_bytes()).is_none(), "{rec}");
            }
        }
    }
}
