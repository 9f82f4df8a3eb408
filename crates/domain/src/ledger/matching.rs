//! Proposing which open document a bank-statement line settles: same amount, the document's
//! number in the line's text, and the party's name resembling the line's. The accountant confirms;
//! nothing here records anything.

use std::collections::HashMap;

/// A bank line as matching reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BankFacts {
    /// Signed: money in is positive.
    pub amount_cents: i64,
    pub label: String,
    pub counterparty: Option<String>,
    pub reference: Option<String>,
}

/// An open document a bank line could settle: an invoice still due (money in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub number: String,
    pub party: String,
    /// What remains due, signed like the bank line it expects (an invoice: positive).
    pub due_cents: i64,
}

/// A proposal: the candidate's index and a score from 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub candidate: usize,
    pub score: u32,
}

/// Proposals scoring at least this are shown.
pub const MIN_SCORE: u32 = 40;

/// Upper-case letters and digits only, other characters as single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
        _ => c,
    }
}

fn trigrams(s: &str) -> Vec<[u8; 3]> {
    let padded: Vec<u8> = format!("  {s} ").into_bytes();
    let mut t: Vec<[u8; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// Trigram similarity of two normalised names, from 0 to 100 (Jaccard index of their trigrams).
pub fn name_similarity(a: &str, b: &str) -> u32 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let (ta, tb) = (trigrams(a), trigrams(b));
    let common = ta.iter().filter(|t| tb.binary_search(t).is_ok()).count();
    let union = ta.len() + tb.len() - common;
    u32::try_from(common * 100 / union.max(1)).unwrap_or(0)
}

/// Scores one candidate: 50 for the exact amount, 40 when the document's number appears in the
/// line's text, up to 20 for the name.
pub fn score(line: &BankFacts, text: &str, name: &str, c: &Candidate) -> u32 {
    let mut s = 0;
    if c.due_cents == line.amount_cents {
        s += 50;
    }
    let number = normalize(&c.number);
    if !number.is_empty() && contains_token(text, &number) {
        s += 40;
    }
    s += name_similarity(name, &normalize(&c.party)) / 5;
    s.min(100)
}

fn contains_token(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// Candidates indexed for matching many lines: by amount and by number.
pub struct Index<'a> {
    candidates: &'a [Candidate],
    by_amount: HashMap<i64, Vec<usize>>,
    by_number: HashMap<String, usize>,
}

impl<'a> Index<'a> {
    pub fn new(candidates: &'a [Candidate]) -> Index<'a> {
        let mut by_amount: HashMap<i64, Vec<usize>> = HashMap::new();
        let mut by_number = HashMap::new();
        for (i, c) in candidates.iter().enumerate() {
            by_amount.entry(c.due_cents).or_default().push(i);
            by_number.insert(normalize(&c.number), i);
        }
        Index {
            candidates,
            by_amount,
            by_number,
        }
    }

    /// The best proposals for a line, best first, at most `limit`, each scoring ≥ [`MIN_SCORE`].
    pub fn propose(&self, line: &BankFacts, limit: usize) -> Vec<Proposal> {
        let text = normalize(&format!(
            "{} {} {}",
            line.label,
            line.reference.as_deref().unwrap_or(""),
            line.counterparty.as_deref().unwrap_or("")
        ));
        let name = normalize(line.counterparty.as_deref().unwrap_or(&line.label));
        let mut seen: Vec<usize> = self
            .by_amount
            .get(&line.amount_cents)
            .cloned()
            .unwrap_or_default();
        // Numbers are made of letters, digits and separators: try every run of 1 to 4 tokens.
        let tokens: Vec<&str> = text.split(' ').collect();
        for start in 0..tokens.len() {
            for len in 1..=4.min(tokens.len() - start) {
                let key = tokens[start..start + len].join(" ");
                if let Some(&i) = self.by_number.get(&key) {
                    seen.push(i);
                }
            }
        }
        seen.sort_unstable();
        seen.dedup();
        let mut out: Vec<Proposal> = seen
            .into_iter()
            .map(|i| Proposal {
                candidate: i,
                score: score(line, &text, &name, &self.candidates[i]),
            })
            .filter(|p| p.score >= MIN_SCORE)
            .collect();
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.candidate.cmp(&b.candidate)));
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cands() -> Vec<Candidate> {
        vec![
            Candidate {
                id: 1,
                number: "2026-AB-0042".into(),
                party: "ACME SAS".into(),
                due_cents: 120_000,
            },
            Candidate {
                id: 2,
                number: "2026-AB-0043".into(),
                party: "Boulangerie du Marché".into(),
                due_cents: 120_000,
            },
            Candidate {
                id: 3,
                number: "2026-CD-0007".into(),
                party: "Mairie de Saint-Julien".into(),
                due_cents: 5_000,
            },
        ]
    }

    #[test]
    fn the_number_in_the_reference_wins_over_the_amount_alone() {
        let c = cands();
        let idx = Index::new(&c);
        let line = BankFacts {
            amount_cents: 120_000,
            label: "VIR SEPA BOULANGERIE DU MARCHE".into(),
            counterparty: Some("BOULANGERIE DU MARCHE".into()),
            reference: Some("Facture 2026-AB-0043".into()),
        };
        let p = idx.propose(&line, 3);
        assert_eq!(p[0].candidate, 1);
        assert_eq!(p[0].score, 100);
        assert_eq!(p[1].candidate, 0);
        assert!(p[1].score < 60);
    }

    #[test]
    fn a_partial_payment_is_found_by_number_and_nothing_by_noise() {
        let c = cands();
        let idx = Index::new(&c);
        let partial = BankFacts {
            amount_cents: 2_500,
            label: "VIR MAIRIE ST JULIEN 2026 CD 0007".into(),
            ..Default::default()
        };
        assert_eq!(
            idx.propose(&partial, 3).first().map(|p| p.candidate),
            Some(2)
        );
        let noise = BankFacts {
            amount_cents: 777,
            label: "FRAIS TENUE DE COMPTE".into(),
            ..Default::default()
        };
        assert!(idx.propose(&noise, 3).is_empty());
        // A number inside a longer one is not a match.
        assert!(!contains_token("2026 AB 00421", "2026 AB 0042"));
    }

    #[test]
    fn names_compare_without_accents_or_case() {
        assert_eq!(
            normalize("Boulangerie  du Marché!"),
            "BOULANGERIE DU MARCHE"
        );
        assert!(name_similarity("BOULANGERIE DU MARCHE", "BOULANGERIE DU MARCHE") == 100);
        assert!(name_similarity("GARAGE MARTIN", "BOULANGERIE DU MARCHE") < 20);
    }
}
