//! The salary simulator against the URSSAF's own rules (PAY 2.3–2.5): `../shared/tools/
//! salary-oracle` evaluates `modele-social` (the rules behind the URSSAF's simulators). A grid of
//! 66 cases — both statuses, eleven salaries from 1 SMIC to 4 PASS, each of the three given
//! quantities — plus other headcounts, rates and dates must agree to 0.01 € on the net, the
//! employer cost and each contributions total.
//!
//! Assumptions, stated as the oracle's defaults: headcount 10, AT/MP 2.08 %, no mobility tax,
//! health insurance 40 € a month paid half by the employer, 151.67 hours.
//!
//! The oracle inverts net and cost numerically (to a few cents of gross); Essaim solves them to
//! the cent. So for a given net or cost, the gross Essaim finds is given back to the oracle, whose
//! figures for it must equal Essaim's and give back the net or cost asked, and the two grosses
//! must be within 5 cents.
//!
//! Without the oracle (`../shared/tools/salary-oracle/setup` not run) the test says so and passes,
//! except in CI (`CI` set), where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the test loudly

use essaim_domain::payroll::{Assumptions, Given, Payslip, Status, params, simulate};
use rust_decimal::Decimal;
use std::io::Write;
use std::process::{Command, Stdio};
use time::Date;
use time::macros::date;

fn oracle() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/tools/salary-oracle");
    let ready = dir.join("node_modules/modele-social").is_dir();
    if ready {
        return Some(dir.join("salary-oracle.mjs"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the salary oracle is not set up: run ../shared/tools/salary-oracle/setup"
    );
    eprintln!("salary oracle not set up ({}): skipped", dir.display());
    None
}

/// Runs the oracle on JSON lines; one JSON value per line back.
fn ask(oracle: &std::path::Path, lines: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let mut child = Command::new("node")
        .arg(oracle)
        .arg("--precise")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node");
    {
        let mut stdin = child.stdin.take().unwrap();
        for l in lines {
            writeln!(stdin, "{l}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let answers: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), lines.len(), "{text}");
    answers
}

/// A number of the oracle, exact, rounded to the cent half away from zero as it rounds.
fn cents(v: &serde_json::Value, field: &str) -> i64 {
    let d: Decimal = v[field]
        .to_string()
        .parse()
        .unwrap_or_else(|_| panic!("{field} in {v}"));
    let r = (d * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(r.mantissa() / 10_i128.pow(r.scale())).unwrap()
}

fn to_cents(d: Decimal) -> i64 {
    i64::try_from((d * Decimal::ONE_HUNDRED).round().mantissa()).unwrap()
}

#[derive(Clone, Copy, Debug)]
struct Case {
    status: Status,
    on: Date,
    given: Given,
    a: Assumptions,
}

fn request(c: &Case, given: Given) -> serde_json::Value {
    let mut v = serde_json::json!({
        "status": c.status.code(),
        "date": c.on.to_string(),
        "headcount": c.a.headcount,
        "atmp_rate": (c.a.atmp_rate * Decimal::ONE_HUNDRED).to_string().parse::<f64>().unwrap(),
        "vm_rate": (c.a.mobility_rate * Decimal::ONE_HUNDRED).to_string().parse::<f64>().unwrap(),
        "health_insurance_monthly": c.a.health_insurance.to_string().parse::<f64>().unwrap(),
        "health_insurance_employer_share": (c.a.health_insurance_employer_share * Decimal::ONE_HUNDRED).to_string().parse::<f64>().unwrap(),
        "hours": c.a.hours.to_string().parse::<f64>().unwrap(),
    });
    let (field, amount) = match given {
        Given::Gross(g) => ("gross_monthly", g),
        Given::Net(n) => ("net_monthly", n),
        Given::EmployerCost(e) => ("employer_cost_monthly", e),
    };
    v[field] = serde_json::Value::from(amount.to_string().parse::<f64>().unwrap());
    v
}

/// Essaim's figures and the oracle's for the same gross, to the cent.
fn same(ours: &Payslip, theirs: &serde_json::Value, label: &str) -> Vec<String> {
    let mut gaps = Vec::new();
    for (field, mine) in [
        (
            "net_before_income_tax",
            ours.net_before_income_tax().cents(),
        ),
        ("employer_cost", ours.employer_cost().cents()),
        (
            "employee_contributions",
            ours.employee_contributions().cents(),
        ),
        (
            "employer_contributions",
            ours.employer_contributions().cents(),
        ),
        (
            "employer_reductions",
            ours.employer_reductions_money().cents(),
        ),
    ] {
        let other = cents(theirs, field);
        if (mine - other).abs() > 1 {
            gaps.push(format!("{label}: {field} {mine} ≠ oracle {other}"));
        }
    }
    gaps
}

#[test]
fn pay_2_4_the_simulator_equals_the_urssaf_rules_on_a_grid_of_cases() {
    let Some(oracle) = oracle() else { return };
    let p = params::FRANCE[0];
    let smic = p.smic_hourly * Assumptions::default().hours;
    let pss = p.pss_monthly;
    // From 1 SMIC to 4 PASS: the thresholds (SMIC multiples, PSS) and between them.
    let salaries: Vec<Decimal> = vec![
        smic.round_dp(2),
        Decimal::new(2_000, 0),
        Decimal::new(2_500, 0),
        (smic * Decimal::new(16, 1)).round_dp(2),
        Decimal::new(3_500, 0),
        pss,
        Decimal::new(5_000, 0),
        (smic * Decimal::new(299, 2)).round_dp(2),
        pss * Decimal::TWO,
        Decimal::new(12_000, 0),
        pss * Decimal::from(4),
    ];
    let mut cases = Vec::new();
    for status in [Status::NonCadre, Status::Cadre] {
        for s in &salaries {
            let base = Case {
                status,
                on: date!(2026 - 03 - 01),
                given: Given::Gross(*s),
                a: Assumptions::default(),
            };
            let forward = simulate(&params::FRANCE, &base.a, status, base.on, base.given).unwrap();
            let net = Decimal::new(forward.net_before_income_tax().cents(), 2);
            let cost = Decimal::new(forward.employer_cost().cents(), 2);
            cases.push(base);
            cases.push(Case {
                given: Given::Net(net),
                ..base
            });
            cases.push(Case {
                given: Given::EmployerCost(cost),
                ..base
            });
        }
    }
    // Other headcounts and rates, part time, and the SMIC of June 2026.
    let a = Assumptions::default();
    for (status, on, gross, assumptions) in [
        (
            Status::NonCadre,
            date!(2026 - 03 - 01),
            2_500,
            Assumptions {
                headcount: 20,
                mobility_rate: Decimal::new(15, 3),
                ..a
            },
        ),
        (
            Status::Cadre,
            date!(2026 - 03 - 01),
            4_200,
            Assumptions { headcount: 20, ..a },
        ),
        (
            Status::NonCadre,
            date!(2026 - 03 - 01),
            2_500,
            Assumptions { headcount: 60, ..a },
        ),
        (
            Status::Cadre,
            date!(2026 - 03 - 01),
            6_000,
            Assumptions {
                headcount: 300,
                atmp_rate: Decimal::new(7, 3),
                ..a
            },
        ),
        (
            Status::NonCadre,
            date!(2026 - 03 - 01),
            2_100,
            Assumptions {
                health_insurance: Decimal::ZERO,
                ..a
            },
        ),
        (
            Status::NonCadre,
            date!(2026 - 03 - 01),
            1_300,
            Assumptions {
                hours: Decimal::new(10_400, 2),
                ..a
            },
        ),
        (Status::NonCadre, date!(2026 - 07 - 01), 2_500, a),
        (Status::Cadre, date!(2026 - 07 - 01), 2_800, a),
    ] {
        cases.push(Case {
            status,
            on,
            given: Given::Gross(Decimal::from(gross)),
            a: assumptions,
        });
    }
    assert!(cases.len() >= 66 + 8);
    // Essaim's answers, then the oracle's for the same request and for Essaim's gross.
    let ours: Vec<Payslip> = cases
        .iter()
        .map(|c| simulate(&params::FRANCE, &c.a, c.status, c.on, c.given).unwrap())
        .collect();
    let mut requests: Vec<serde_json::Value> = cases.iter().map(|c| request(c, c.given)).collect();
    requests.extend(
        cases
            .iter()
            .zip(&ours)
            .map(|(c, o)| request(c, Given::Gross(o.gross))),
    );
    let answers = ask(&oracle, &requests);
    let (asked, at_our_gross) = answers.split_at(cases.len());
    // Where the oracle inverted, its own gross given back to it: how close its inverse came.
    let theirs_forward: Vec<serde_json::Value> = {
        let back: Vec<serde_json::Value> = cases
            .iter()
            .zip(asked)
            .map(|(c, t)| {
                let g: Decimal = t["gross_monthly"].to_string().parse().unwrap();
                request(c, Given::Gross(g.round_dp(6)))
            })
            .collect();
        ask(&oracle, &back)
    };
    let mut gaps = Vec::new();
    for (i, ((c, o), (theirs, forward))) in cases
        .iter()
        .zip(&ours)
        .zip(asked.iter().zip(at_our_gross))
        .enumerate()
    {
        let label = format!("{:?} {:?} {} {:?}", c.status, c.given, c.on, c.a.headcount);
        assert!(theirs.get("error").is_none(), "{label}: {theirs}");
        gaps.extend(same(o, forward, &label));
        match c.given {
            Given::Gross(_) => gaps.extend(same(o, theirs, &label)),
            Given::Net(n) => {
                let back = cents(forward, "net_before_income_tax");
                if (back - to_cents(n)).abs() > 1 {
                    gaps.push(format!(
                        "{label}: our gross gives the oracle a net of {back}"
                    ));
                }
            }
            Given::EmployerCost(e) => {
                let back = cents(forward, "employer_cost");
                if (back - to_cents(e)).abs() > 1 {
                    gaps.push(format!(
                        "{label}: our gross gives the oracle a cost of {back}"
                    ));
                }
            }
        }
        // Essaim's inverse is at least as close to the amount asked as the oracle's own.
        let (field, target) = match c.given {
            Given::Gross(_) => continue,
            Given::Net(n) => ("net_before_income_tax", to_cents(n)),
            Given::EmployerCost(e) => ("employer_cost", to_cents(e)),
        };
        let ours_gap = (cents(forward, field) - target).abs();
        let theirs_gap = (cents(&theirs_forward[i], field) - target).abs();
        if ours_gap > theirs_gap.max(1) {
            gaps.push(format!(
                "{label}: our gross {} misses the {field} by {ours_gap} cents, the oracle's {} by {theirs_gap}",
                o.gross, theirs["gross_monthly"]
            ));
        }
    }
    assert!(
        gaps.is_empty(),
        "{} gap(s):\n{}",
        gaps.len(),
        gaps.join("\n")
    );
}

#[test]
fn the_command_line_prints_the_oracles_fields() {
    let run = Command::new(env!("CARGO_BIN_EXE_essaim"))
        .args([
            "payroll",
            "simulate",
            "--gross",
            "2500",
            "--status",
            "non-cadre",
            "--date",
            "2026-03-01",
            "--json",
        ])
        .env("ESSAIM_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    for (field, expected) in [
        ("gross_monthly", 250_000),
        ("net_before_income_tax", 195_705),
        ("employee_contributions", 54_295),
        ("employer_contributions", 66_265),
        ("employer_reductions", 42_975),
        ("employer_cost", 316_265),
    ] {
        assert_eq!(cents(&v, field), expected, "{field}");
    }
    // One amount only, and a date the table covers.
    let run = Command::new(env!("CARGO_BIN_EXE_essaim"))
        .args(["payroll", "simulate", "--gross", "2500", "--net", "2000"])
        .output()
        .unwrap();
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("one amount only"));
    let run = Command::new(env!("CARGO_BIN_EXE_essaim"))
        .args([
            "payroll",
            "simulate",
            "--employer-cost",
            "3162.65",
            "--date",
            "2025-12-01",
        ])
        .output()
        .unwrap();
    assert!(!run.status.success());
}
