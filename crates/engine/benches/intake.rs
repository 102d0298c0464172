//! Parse throughput of the streaming loader on FastChat-style battle JSON (with `conv_metadata`)
//! and on a quoted CSV, through the same chunked path the browser worker uses.

use benchlens_engine::formats::{load_bytes, LoadOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

mod quick;

/// A FastChat `clean_battle` JSON array of `n` battles (~650 bytes each, like the real dumps).
pub fn battle_json(n: usize) -> Vec<u8> {
    let models = [
        "gpt-4-0613",
        "claude-2.1",
        "llama-2-70b-chat",
        "mixtral-8x7b-instruct-v0.1",
        "vicuna-13b",
    ];
    let winners = ["model_a", "model_b", "tie", "tie (bothbad)"];
    let langs = ["English", "Chinese", "German", "Spanish"];
    let mut out = String::with_capacity(n * 700);
    out.push_str("[\n");
    for i in 0..n {
        let a = models[i % 5];
        let b = models[(i * 7 + 1) % 5];
        let b = if a == b { models[(i + 2) % 5] } else { b };
        out.push_str(&format!(
            concat!(
                "  {{\"question_id\": \"{:032x}\", \"model_a\": \"{}\", \"model_b\": \"{}\", \"winner\": \"{}\", ",
                "\"judge\": \"arena_user_{}\", \"turn\": {}, \"anony\": {}, \"language\": \"{}\", \"tstamp\": {}.{}, ",
                "\"conv_metadata\": {{\"sum_user_tokens\": {}, \"sum_assistant_a_tokens\": {}, \"sum_assistant_b_tokens\": {}, ",
                "\"context_a_tokens\": {}, \"context_b_tokens\": {}, ",
                "\"turns\": 1, \"header_count_a\": {{\"h1\": 0, \"h2\": {}, \"h3\": 0, \"h4\": 0, \"h5\": 0, \"h6\": 0}}, ",
                "\"list_count_a\": {{\"ordered\": {}, \"unordered\": 0}}, \"bold_count_a\": {{\"**\": {}, \"__\": 0}}, ",
                "\"header_count_b\": {{\"h1\": 0, \"h2\": 0, \"h3\": {}, \"h4\": 0, \"h5\": 0, \"h6\": 0}}, ",
                "\"list_count_b\": {{\"ordered\": 0, \"unordered\": {}}}, \"bold_count_b\": {{\"**\": 0, \"__\": {}}}}}, ",
                "\"is_code\": false, \"is_refusal\": false, \"dedup_tag\": {{\"high_freq\": false, \"sampled\": true}}}}"
            ),
            i as u128 * 2_654_435_761,
            a,
            b,
            winners[i % 4],
            i % 997,
            1 + i % 3,
            i % 2 == 0,
            langs[i % 4],
            1_700_000_000 + i,
            i % 1000,
            20 + i % 50,
            100 + i % 700,
            90 + i % 650,
            30 + i % 40,
            31 + i % 40,
            i % 3,
            i % 4,
            i % 5,
            i % 2,
            i % 3,
            i % 2
        ));
        out.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    out.push(']');
    out.into_bytes()
}

/// A benchmark-items CSV with quoted fields.
fn items_csv(n: usize) -> Vec<u8> {
    let mut out = String::from("question,A,B,C,D,answer\n");
    for i in 0..n {
        out.push_str(&format!(
            "\"Which of the following best describes item {i}, given \"\"context\"\", a, b?\",option a {i},option b,\"option, c\",option d {},{}\n",
            i % 13,
            ["A", "B", "C", "D"][i % 4]
        ));
    }
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("intake");
    group.sample_size(10);
    quick::configure(&mut group);
    let json = battle_json(quick::size(100_000, 10_000));
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function(quick::size("battles_json_100k", "battles_json_10k"), |b| {
        b.iter(|| load_bytes("battles.json", &json, &LoadOptions::default()))
    });
    let csv = items_csv(quick::size(200_000, 20_000));
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.bench_function(quick::size("items_csv_200k", "items_csv_20k"), |b| {
        b.iter(|| load_bytes("items.csv", &csv, &LoadOptions::default()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
