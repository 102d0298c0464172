//! TruthfulQA's answer lists: an answer in both the correct and incorrect lists makes scoring
//! contradictory; the best answer missing from the correct list breaks MC1/MC2 construction;
//! repeats within one list double-count in MC2.

use super::{flag, span};
use crate::defects::items::{Item, TqaAnswers};
use crate::defects::text::normalize;
use crate::defects::{CheckId, Field, Flag};

pub(super) fn check(idx: usize, item: &Item, tqa: &TqaAnswers, out: &mut Vec<Flag>) {
    let nc = tqa.correct.len();
    let opt = |i: usize| span(&item.options[i], Field::Option(i), 0, item.options[i].len());
    let correct: Vec<String> = tqa.correct.iter().map(|s| normalize(s)).collect();
    let incorrect: Vec<String> = tqa.incorrect.iter().map(|s| normalize(s)).collect();
    for (i, c) in correct.iter().enumerate() {
        if let Some(j) = incorrect.iter().position(|x| x == c) {
            out.push(flag(
                idx,
                CheckId::TqaContradiction,
                format!("{:?} is listed as both a correct and an incorrect answer", tqa.correct[i]),
                vec![opt(i), opt(nc + j)],
            ));
            break;
        }
    }
    for (list, offset, name) in [(&correct, 0, "correct"), (&incorrect, nc, "incorrect")] {
        let dup = (0..list.len())
            .find_map(|i| (i + 1..list.len()).find(|&j| list[i] == list[j]).map(|j| (i, j)));
        if let Some((i, j)) = dup {
            out.push(flag(
                idx,
                CheckId::TqaDuplicateAnswer,
                format!("{:?} appears twice in the {name} answers", item.options[offset + i]),
                vec![opt(offset + i), opt(offset + j)],
            ));
        }
    }
    let best = normalize(&tqa.best);
    if !best.is_empty() && !correct.contains(&best) {
        out.push(flag(
            idx,
            CheckId::TqaBestMissing,
            format!("the best answer {:?} is not among the correct answers", tqa.best),
            vec![span(&tqa.best, Field::BestAnswer, 0, tqa.best.len())],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(best: &str, correct: &[&str], incorrect: &[&str]) -> Vec<CheckId> {
        let tqa = TqaAnswers {
            best: best.into(),
            correct: correct.iter().map(|s| (*s).to_owned()).collect(),
            incorrect: incorrect.iter().map(|s| (*s).to_owned()).collect(),
        };
        let mut options = tqa.correct.clone();
        options.extend(tqa.incorrect.iter().cloned());
        let item = Item {
            file: 0,
            row: 0,
            id: None,
            question: "Q?".into(),
            options,
            key: None,
            key_text: String::new(),
            tqa: Some(tqa.clone()),
            label: None,
        };
        let mut out = Vec::new();
        check(0, &item, &tqa, &mut out);
        out.iter().map(|f| f.check).collect()
    }

    #[test]
    fn truthfulqa_rules() {
        assert!(run("Yes", &["Yes", "Sure"], &["No"]).is_empty());
        assert_eq!(run("Yes", &["Yes"], &["No", "yes."]), [CheckId::TqaContradiction]);
        assert_eq!(run("Yes", &["Yes", "Sure", "sure"], &["No"]), [CheckId::TqaDuplicateAnswer]);
        assert_eq!(run("Maybe", &["Yes"], &["No"]), [CheckId::TqaBestMissing]);
    }
}
