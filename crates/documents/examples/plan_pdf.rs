//! Renders a full IEP (four goals with objectives, five services, six accommodations, a team of
//! seven) as a PDF repeatedly and prints the timings after warm-up:
//! `cargo run --release -p documents --example plan_pdf -- [ROUNDS] [OUT.pdf]`.
//! The target is one IEP PDF under 300 ms after warm-up (docs/BENCHMARKS.md).

use std::process::ExitCode;
use std::time::Instant;

use documents::{Lang, PlanDocument, plan_pdf};
use domain::plan::{PlanKind, PlanStatus};

const IEP: &str = include_str!("../tests/data/iep.json");

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.first().and_then(|r| r.parse().ok()).unwrap_or(50);
    let content: serde_json::Value = match serde_json::from_str(IEP) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("tests/data/iep.json: {e}");
            return ExitCode::from(2);
        }
    };
    let plan = PlanDocument {
        student: "Leo Rivera".into(),
        birth_date: jiff::civil::date(2016, 4, 2),
        kind: PlanKind::Iep,
        version: 3,
        status: PlanStatus::Finalized,
        change_summary: Some("Adds extended school year reading instruction.".into()),
        content,
    };
    for lang in [Lang::En, Lang::Es] {
        // The first render pays one-time costs (allocator warm-up, shaping caches).
        let warm = Instant::now();
        let pdf = match plan_pdf(&plan, lang) {
            Ok(pdf) => pdf,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        let first = warm.elapsed();
        let mut times: Vec<f64> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                let _ = plan_pdf(&plan, lang);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "{}: {} bytes; first {:.1} ms; after warm-up over {rounds} rounds: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            lang.code(),
            pdf.len(),
            first.as_secs_f64() * 1000.0,
            pct(0.5),
            pct(0.95),
            pct(1.0)
        );
        if let (Some(out), Lang::En) = (args.get(1), lang)
            && let Err(e) = std::fs::write(out, &pdf)
        {
            eprintln!("{out}: {e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
