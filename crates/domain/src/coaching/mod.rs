//! Coaching (issue 9): appointments between a coach and entrepreneurs, the follow-up each
//! entrepreneur is owed (LIF-41), and the calendar they appear in. Pure: parsing, statuses,
//! overlaps and the follow-up rule; storage, e-mails and the ICS file are elsewhere.

pub mod appointment;
pub mod follow_up;

/// The topics a cooperative starts with (code, French label); each cooperative renames, adds or
/// turns them off.
pub const DEFAULT_TOPICS: [(&str, &str); 8] = [
    ("project", "Projet et stratégie"),
    ("pricing", "Prix, devis et facturation"),
    ("customers", "Prospection et clients"),
    ("treasury", "Gestion et trésorerie"),
    ("pay", "Rémunération"),
    ("legal", "Juridique et assurances"),
    ("digital", "Communication et numérique"),
    ("membership", "Sociétariat et gouvernance"),
];

/// A topic's code: lowercase ASCII letters, digits and `_`, 2 to 30 characters.
pub fn topic_code(input: &str) -> Result<String, &'static str> {
    let t = input.trim();
    if t.len() < 2
        || t.len() > 30
        || !t
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err("topic_code_format");
    }
    Ok(t.to_owned())
}
