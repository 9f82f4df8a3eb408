//! Charts drawn on the server as SVG (no script): the activity account's waterfall.

use super::format::money;
use std::fmt::Write;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar of a waterfall: a step that adds `cents` to the running total, or (`total`) the
/// running total itself drawn from zero.
pub struct Step {
    pub label: String,
    pub cents: i64,
    pub total: bool,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 260;
const TOP: i64 = 24;
const BOTTOM: i64 = 44;

/// A waterfall chart: each step floats from the running total before it to the one after it;
/// totals stand on zero. Gains green, losses red, totals blue; every bar carries its amount as
/// text and a title, and the whole chart its description for screen readers (`summary`).
pub fn waterfall(steps: &[Step], summary: &str) -> String {
    let mut running = 0_i64;
    let mut spans = Vec::with_capacity(steps.len());
    for s in steps {
        let (from, to) = if s.total {
            (0, running)
        } else {
            let before = running;
            running += s.cents;
            (before, running)
        };
        spans.push((from, to));
    }
    let low = spans
        .iter()
        .map(|(a, b)| (*a).min(*b))
        .min()
        .unwrap_or(0)
        .min(0);
    let high = spans
        .iter()
        .map(|(a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(0);
    let range = (high - low).max(1);
    let plot = i128::from(HEIGHT - TOP - BOTTOM);
    // Whole pixels, computed in integers: y of a value.
    let y = |v: i64| -> i64 {
        let offset = i128::from(high - v) * plot / i128::from(range);
        TOP + i64::try_from(offset).unwrap_or(0)
    };
    let n = i64::try_from(steps.len().max(1)).unwrap_or(1);
    let slot = WIDTH / n;
    let bar = slot * 3 / 5;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="waterfall" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(summary)
    );
    let zero = y(0);
    let _ = write!(
        svg,
        r#"<line x1="0" y1="{zero}" x2="{WIDTH}" y2="{zero}" class="axis"/>"#
    );
    for (i, (s, (from, to))) in steps.iter().zip(&spans).enumerate() {
        let x = i64::try_from(i).unwrap_or(0) * slot + (slot - bar) / 2;
        let (y1, y2) = (y(*from.max(to)), y(*from.min(to)));
        let h = (y2 - y1).max(1);
        let class = if s.total {
            "total"
        } else if s.cents < 0 {
            "loss"
        } else {
            "gain"
        };
        let amount = money(if s.total { *to } else { s.cents });
        let label = escape(&s.label);
        let _ = write!(
            svg,
            r#"<g class="{class}"><title>{label} : {amount}</title><rect x="{x}" y="{y1}" width="{bar}" height="{h}"/>"#
        );
        let cx = x + bar / 2;
        let ty = (y1 - 6).max(12);
        let _ = write!(
            svg,
            r#"<text x="{cx}" y="{ty}" text-anchor="middle" class="amount">{amount}</text><text x="{cx}" y="{}" text-anchor="middle" class="label">{label}</text></g>"#,
            HEIGHT - 14
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waterfall_draws_each_step_from_the_running_total_and_escapes_its_text() {
        let steps = [
            Step {
                label: "Facturé".into(),
                cents: 1_000_000,
                total: false,
            },
            Step {
                label: "Contribution <10 %>".into(),
                cents: -100_000,
                total: false,
            },
            Step {
                label: "Disponible".into(),
                cents: 0,
                total: true,
            },
        ];
        let svg = waterfall(&steps, "Compte & résultat");
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("aria-label=\"Compte &amp; résultat\""));
        assert!(svg.contains("Contribution &lt;10 %&gt;"));
        assert!(
            svg.contains("9\u{202f}000,00\u{a0}€") || svg.contains("9 000,00"),
            "{svg}"
        );
        // The total stands on zero: same bottom as the first bar.
        assert!(svg.contains(r#"class="total""#));
        // Losses below zero stay within the picture.
        let down = [
            Step {
                label: "Salaire".into(),
                cents: -500_000,
                total: false,
            },
            Step {
                label: "Disponible".into(),
                cents: 0,
                total: true,
            },
        ];
        let svg = waterfall(&down, "x");
        assert!(!svg.contains("y=\"-"), "{svg}");
        assert!(!svg.contains("height=\"-"), "{svg}");
    }
}
