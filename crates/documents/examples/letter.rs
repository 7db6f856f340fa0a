//! Writes one letter as a PDF and prints how long rendering took:
//! `cargo run -p documents --example letter -- KIND DATA.json OUT.pdf [en|es]`.

use std::process::ExitCode;
use std::time::Instant;

use documents::{Lang, LetterData, LetterKind, letter};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, data, out, rest @ ..] = args.as_slice() else {
        eprintln!("usage: letter KIND DATA.json OUT.pdf [en|es]");
        return ExitCode::from(2);
    };
    match run(kind, data, out, rest.first().map_or("en", String::as_str)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn run(kind: &str, data: &str, out: &str, lang: &str) -> Result<(), String> {
    let kind: LetterKind = kind.parse().map_err(|e| format!("{e}"))?;
    let lang: Lang = lang.parse().map_err(|e| format!("{e}"))?;
    let json = std::fs::read_to_string(data).map_err(|e| format!("{data}: {e}"))?;
    let data_file = data;
    let data = LetterData::from_json(&json).map_err(|e| format!("{data_file}: {e}"))?;
    // The first render pays one-time costs (font parsing caches, allocator warm-up).
    letter(kind, &data, lang).map_err(|e| format!("{data_file}: {e}"))?;
    let runs = 20;
    let start = Instant::now();
    let mut pdf = Vec::new();
    for _ in 0..runs {
        pdf = letter(kind, &data, lang).map_err(|e| format!("{data_file}: {e}"))?;
    }
    let each = start.elapsed() / runs;
    std::fs::write(out, &pdf).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("{out}: {} bytes, {each:?} per render", pdf.len());
    Ok(())
}
