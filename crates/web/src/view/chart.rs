//! Charts drawn on the server as SVG (no script): the activity account's waterfall, the
//! progress of competences.

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

/// One line of a progress chart: its name, its CSS class, and its points as (column, value in
/// tenths of a level).
pub struct Series {
    pub label: String,
    pub class: &'static str,
    pub points: Vec<(usize, i64)>,
}

const LEFT: i64 = 120;

/// A progress chart: levels (1 at the bottom, `levels.len()` at the top, each named on the left)
/// against the dates of the columns; one polyline per series with a dot and a title per point,
/// and the whole chart described for screen readers (`summary`).
pub fn progress(columns: &[String], levels: &[String], series: &[Series], summary: &str) -> String {
    let top_level = i64::try_from(levels.len().max(2)).unwrap_or(2);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |tenths: i64| -> i64 {
        let t = tenths.clamp(10, top_level * 10);
        TOP + (top_level * 10 - t) * plot_h / ((top_level - 1) * 10)
    };
    let n = i64::try_from(columns.len().max(1)).unwrap_or(1);
    let slot = (WIDTH - LEFT) / n;
    let x = |col: usize| LEFT + i64::try_from(col).unwrap_or(0) * slot + slot / 2;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="progress" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(summary)
    );
    for (i, name) in levels.iter().enumerate() {
        let ly = y((i64::try_from(i).unwrap_or(0) + 1) * 10);
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" y1="{ly}" x2="{WIDTH}" y2="{ly}" class="grid"/><text x="{}" y="{}" text-anchor="end" class="label">{}</text>"#,
            LEFT - 6,
            ly + 4,
            escape(name)
        );
    }
    for (i, c) in columns.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle" class="label">{}</text>"#,
            x(i),
            HEIGHT - 14,
            escape(c)
        );
    }
    for s in series {
        if s.points.is_empty() {
            continue;
        }
        let points: Vec<String> = s
            .points
            .iter()
            .map(|(c, v)| format!("{},{}", x(*c), y(*v)))
            .collect();
        let _ = write!(
            svg,
            r#"<g class="{}"><polyline points="{}"/>"#,
            s.class,
            points.join(" ")
        );
        for (c, v) in &s.points {
            let _ = write!(
                svg,
                r#"<circle cx="{}" cy="{}" r="5"><title>{} — {} : {},{}</title></circle>"#,
                x(*c),
                y(*v),
                escape(&s.label),
                escape(columns.get(*c).map_or("", String::as_str)),
                v / 10,
                v % 10
            );
        }
        svg.push_str("</g>");
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

    #[test]
    fn a_progress_chart_draws_a_line_per_series_within_the_picture() {
        let columns = vec!["01/03/2026".to_owned(), "01/09/2026".to_owned()];
        let levels: Vec<String> = ["À découvrir", "En apprentissage", "Autonome", "Maîtrisé"]
            .iter()
            .map(|l| (*l).to_owned())
            .collect();
        let series = [
            Series {
                label: "Auto-évaluation".into(),
                class: "own",
                points: vec![(0, 10), (1, 27)],
            },
            Series {
                label: "Accompagnement <équipe>".into(),
                class: "coach",
                points: vec![(1, 40)],
            },
        ];
        let svg = progress(&columns, &levels, &series, "Progression");
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("Accompagnement &lt;équipe&gt;"));
        assert!(svg.contains("Auto-évaluation — 01/09/2026 : 2,7"));
        // Level 1 sits at the bottom of the plot, the top level at its top.
        assert!(svg.contains(&format!(",{}", HEIGHT - BOTTOM)));
        assert!(svg.contains(&format!(",{TOP}")));
        assert!(!svg.contains("=\"-"));
    }
}
