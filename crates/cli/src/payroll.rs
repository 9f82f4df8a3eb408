//! `essaim payroll simulate`: the salary simulator from the command line. Prints one JSON object
//! with the fields of the salary oracle (`../shared/tools/salary-oracle`), amounts in euros with
//! two decimals (exact decimal text, never a float).

use anyhow::Result;
use clap::{Args, Subcommand};
use essaim_domain::payroll::{self, SimulationInput, params};

#[derive(Subcommand)]
pub enum PayrollCommand {
    /// From one of --gross, --net or --employer-cost (per month), the two others and the
    /// contributions.
    Simulate(SimulateArgs),
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Monthly gross salary.
    #[arg(long)]
    gross: Option<String>,
    /// Monthly net before income tax.
    #[arg(long)]
    net: Option<String>,
    /// Monthly total employer cost.
    #[arg(long)]
    employer_cost: Option<String>,
    /// non-cadre or cadre.
    #[arg(long, default_value = "non-cadre")]
    status: String,
    /// The month's date (YYYY-MM-DD); default: today.
    #[arg(long)]
    date: Option<String>,
    /// The cooperative's headcount.
    #[arg(long, default_value = "10")]
    headcount: String,
    /// AT/MP rate, in percent.
    #[arg(long, default_value = "2.08")]
    atmp_rate: String,
    /// Mobility tax rate, in percent (from 11 employees).
    #[arg(long, default_value = "0")]
    mobility_rate: String,
    /// Compulsory health insurance premium, per month.
    #[arg(long, default_value = "40")]
    mutuelle: String,
    /// The employer's share of it, in percent.
    #[arg(long, default_value = "50")]
    mutuelle_employer_share: String,
    /// Hours paid in the month.
    #[arg(long, default_value = "151.67")]
    hours: String,
    /// Print JSON (the only output for now; kept for scripts that pass it).
    #[arg(long)]
    json: bool,
}

/// The JSON of a payslip: the oracle's fields, then the detail.
pub fn payslip_json(s: &payroll::Payslip) -> String {
    let lines: Vec<String> = s
        .lines
        .iter()
        .map(|l| {
            format!(
                "{{\"code\":\"{}\",\"base\":{},\"employee\":{},\"employer\":{}}}",
                l.code,
                l.base.round_dp(2),
                l.employee.round_dp(4).normalize(),
                l.employer.round_dp(4).normalize()
            )
        })
        .collect();
    format!(
        "{{\"status\":\"{}\",\"date\":\"{}\",\"gross_monthly\":{},\"net_before_income_tax\":{},\"net_taxable\":{},\"employee_contributions\":{},\"employer_contributions\":{},\"employer_reductions\":{},\"employer_cost\":{},\"rgdu_coefficient\":{},\"lines\":[{}]}}",
        s.status.code(),
        s.on,
        s.gross_money().decimal(),
        s.net_before_income_tax().decimal(),
        s.net_taxable().decimal(),
        s.employee_contributions().decimal(),
        s.employer_contributions().decimal(),
        s.employer_reductions_money().decimal(),
        s.employer_cost().decimal(),
        s.rgdu_coefficient,
        lines.join(",")
    )
}

pub fn run(command: PayrollCommand) -> Result<()> {
    let PayrollCommand::Simulate(a) = command;
    let input = SimulationInput {
        gross: a.gross.unwrap_or_default(),
        net: a.net.unwrap_or_default(),
        employer_cost: a.employer_cost.unwrap_or_default(),
        status: a.status,
        date: a.date.unwrap_or_default(),
        headcount: a.headcount,
        atmp_rate: a.atmp_rate,
        mobility_rate: a.mobility_rate,
        health_insurance: a.mutuelle,
        health_insurance_employer_share: a.mutuelle_employer_share,
        hours: a.hours,
    };
    let today = time::OffsetDateTime::now_utc().date();
    let sim = input.parse(today).map_err(|errors| {
        let t = essaim_web::i18n::Tr::new(essaim_domain::account::Locale::En);
        anyhow::anyhow!(
            errors
                .0
                .iter()
                .map(|f| format!("--{}: {}", f.field.replace('_', "-"), t.error(f.code)))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let slip = payroll::simulate(
        &params::FRANCE,
        &sim.assumptions,
        sim.status,
        sim.on,
        sim.given,
    )
    .ok_or_else(|| {
        anyhow::anyhow!(
            "no payroll figures for {} (the table starts on {})",
            sim.on,
            params::FRANCE[0].from
        )
    })?;
    println!("{}", payslip_json(&slip));
    Ok(())
}
