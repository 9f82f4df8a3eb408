//! The message catalogs: French and English say the same things, and every key the code and the
//! templates use exists.

use essaim_domain::account::Locale;
use essaim_web::i18n::catalog_keys;
use std::path::Path;

fn keys_used_in(dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            keys_used_in(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in ["t.get(\"", "t.fmt(\""] {
                for (i, _) in text.match_indices(marker) {
                    let rest = &text[i + marker.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    found.push(key.to_owned());
                }
            }
        }
    }
}

#[test]
fn french_and_english_catalogs_have_the_same_keys() {
    assert_eq!(catalog_keys(Locale::Fr), catalog_keys(Locale::En));
}

/// A key written twice would show one page the other's sentence (the last one wins).
#[test]
fn each_catalog_gives_each_key_once() {
    for name in ["fr.txt", "en.txt"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("i18n")
            .join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
            .filter(|k| !seen.insert(*k))
            .collect();
        assert!(twice.is_empty(), "{name}: {twice:?}");
    }
}

#[test]
fn every_key_used_by_pages_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut used = Vec::new();
    keys_used_in(&root.join("src"), &mut used);
    keys_used_in(&root.join("templates"), &mut used);
    let known = catalog_keys(Locale::Fr);
    let missing: Vec<&String> = used
        .iter()
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    assert!(used.len() > 100, "found only {} keys", used.len());
    assert!(missing.is_empty(), "missing keys: {missing:?}");
}

#[test]
fn every_validation_code_of_the_domain_has_a_sentence() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/src");
    let known = catalog_keys(Locale::Fr);
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for area in ["selling", "spending"] {
        let app = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../app/src")
            .join(area);
        for entry in std::fs::read_dir(app).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        // Codes given as `AppError::field("field", "code")`: the second literal.
        for (i, _) in text.match_indices("AppError::field(\"") {
            let rest = &text[i + 17..];
            let field_end = rest.find('"').unwrap();
            let Some(rest) = rest[field_end + 1..].strip_prefix(", \"") else {
                continue;
            };
            let code = &rest[..rest.find('"').unwrap()];
            assert!(
                known.contains(&format!("error.{code}").as_str()),
                "no sentence for error.{code} ({})",
                path.display()
            );
        }
        for (i, _) in text.match_indices("Err(\"") {
            let rest = &text[i + 5..];
            let code = &rest[..rest.find('"').unwrap()];
            assert!(
                known.contains(&format!("error.{code}").as_str()),
                "no sentence for error.{code}"
            );
        }
    }
}

#[test]
fn every_code_shown_through_a_key_family_has_a_sentence() {
    use essaim_domain::access::{Permission, RoleKind};
    use essaim_domain::path::{DeadlineBand, PathEvent, Status};
    use essaim_domain::person::{Gender, RefList};
    let mut keys: Vec<String> = Vec::new();
    keys.extend(Status::ALL.iter().map(|s| format!("status.{}", s.code())));
    keys.extend(PathEvent::KINDS.iter().map(|k| format!("event.{k}")));
    keys.extend(
        [
            DeadlineBand::Overdue,
            DeadlineBand::WithinOneMonth,
            DeadlineBand::WithinThreeMonths,
            DeadlineBand::WithinSixMonths,
        ]
        .iter()
        .map(|b| format!("band.{}", b.code())),
    );
    keys.extend(Gender::ALL.iter().map(|g| format!("gender.{}", g.code())));
    keys.extend(RefList::ALL.iter().map(|l| format!("list.{}", l.code())));
    keys.extend(
        Permission::ALL
            .iter()
            .map(|p| format!("permission.{}", p.code())),
    );
    keys.extend(RoleKind::ALL.iter().map(|k| format!("role.{}", k.code())));
    keys.extend(
        ["associate", "cape_end", "trial_end"]
            .iter()
            .map(|k| format!("deadline.{k}")),
    );
    keys.extend(
        ["queued", "running", "done", "failed"]
            .iter()
            .map(|k| format!("job.status.{k}")),
    );
    for code in [
        "path_before_last_event",
        "path_not_now",
        "end_before_start",
        "cape_too_long",
        "cape_too_many_renewals",
        "cape_renewal_not_contiguous",
        "cape_end_outside_period",
        "trial_too_long",
        "param_missing",
    ] {
        keys.push(format!("error.{code}"));
    }
    let known = catalog_keys(Locale::Fr);
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    assert!(missing.is_empty(), "missing keys: {missing:?}");
}
