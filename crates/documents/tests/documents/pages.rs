//! Page-rendered snapshots: the first page of the IEP, the 504 plan, the prior written notice and
//! the notice of a Section 504 decision, and the pages of a progress report with its charts, in English and Spanish, rasterised with
//! `pdftoppm -r 50 -gray` and compared with the reference PNGs in `tests/snapshots/pages/`.
//! The comparison allows a little anti-aliasing jitter over the page and in any one tile, so a
//! block that moves, goes missing or appears fails. `UPDATE_SNAPSHOTS=1` rewrites the references;
//! review the new images like code.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;

use documents::{
    GoalProgress, Lang, NoticeFacts, notice_pdf, plan_pdf, student_progress_report_pdf,
};
use domain::evaluation::NoticeKind;
use domain::plan::PlanStatus;
use law::progress::{GoalData, analyze, parse_goal};

use crate::{charts, notices, plans};

/// The mean absolute difference over the page, in grey levels (0–255).
const MAX_PAGE_MEAN: f64 = 0.5;
/// The mean absolute difference inside any one tile of `TILE`×`TILE` pixels.
const MAX_TILE_MEAN: f64 = 12.0;
const TILE: usize = 16;

#[derive(Debug, PartialEq)]
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("documents-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Page `page` (from 1) at 50 dpi in grey, or None (with a note) without poppler-utils.
fn rasterise(pdf: &[u8], name: &str, page: usize) -> Option<Gray> {
    let dir = scratch();
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).expect("write the PDF");
    let prefix = dir.join(format!("{name}-p{page}"));
    let page = page.to_string();
    let out = match Command::new("pdftoppm")
        .args(["-r", "50", "-gray", "-singlefile", "-f", &page, "-l", &page])
        .arg(&path)
        .arg(&prefix)
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            eprintln!("note: pdftoppm (poppler-utils) not found; page snapshots skipped");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "pdftoppm failed on {name} page {page}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pgm = std::fs::read(format!("{}.pgm", prefix.display())).expect("pdftoppm's PGM");
    Some(parse_pgm(&pgm))
}

/// A binary PGM (P5, 8 bits): what `pdftoppm -gray` writes.
fn parse_pgm(bytes: &[u8]) -> Gray {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes[at] == b'#' {
            while bytes[at] != b'\n' {
                at += 1;
            }
            continue;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "not a binary PGM");
    assert_eq!(fields[3], "255", "not an 8-bit PGM");
    let width: usize = fields[1].parse().expect("PGM width");
    let height: usize = fields[2].parse().expect("PGM height");
    let pixels = bytes[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height, "PGM size");
    Gray {
        width,
        height,
        pixels,
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).expect("chunk size").to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// An 8-bit greyscale PNG, every row unfiltered.
fn encode_png(image: &Gray) -> Vec<u8> {
    let mut raw = Vec::with_capacity((image.width + 1) * image.height);
    for row in image.pixels.chunks(image.width) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    zlib.write_all(&raw).expect("compress");
    let data = zlib.finish().expect("compress");
    let mut header = Vec::new();
    for n in [image.width, image.height] {
        header.extend_from_slice(&u32::try_from(n).expect("size").to_be_bytes());
    }
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut out = PNG_SIGNATURE.to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &data);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Reads an 8-bit greyscale, non-interlaced PNG (any row filter).
fn decode_png(bytes: &[u8]) -> Gray {
    assert!(bytes.starts_with(PNG_SIGNATURE), "not a PNG");
    let mut at = PNG_SIGNATURE.len();
    let (mut width, mut height) = (0, 0);
    let mut data = Vec::new();
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("length")) as usize;
        let kind = &bytes[at + 4..at + 8];
        let body = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().expect("width")) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().expect("height")) as usize;
                assert_eq!(&body[8..13], &[8, 0, 0, 0, 0], "not 8-bit grey");
            }
            b"IDAT" => data.extend_from_slice(body),
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&data[..])
        .read_to_end(&mut raw)
        .expect("inflate");
    assert_eq!(raw.len(), (width + 1) * height, "PNG data size");
    let mut pixels = vec![0u8; width * height];
    for y in 0..height {
        let filter = raw[y * (width + 1)];
        for x in 0..width {
            let byte = raw[y * (width + 1) + 1 + x];
            let left = if x > 0 { pixels[y * width + x - 1] } else { 0 };
            let up = if y > 0 {
                pixels[(y - 1) * width + x]
            } else {
                0
            };
            let corner = if x > 0 && y > 0 {
                pixels[(y - 1) * width + x - 1]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, corner),
                other => panic!("PNG filter {other}"),
            };
            pixels[y * width + x] = byte.wrapping_add(predicted);
        }
    }
    Gray {
        width,
        height,
        pixels,
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Why two renderings differ too much, or None when they match within the tolerance.
fn difference(actual: &Gray, reference: &Gray) -> Option<String> {
    if (actual.width, actual.height) != (reference.width, reference.height) {
        return Some(format!(
            "size {}×{}, reference {}×{}",
            actual.width, actual.height, reference.width, reference.height
        ));
    }
    let diff = |i: usize| f64::from(actual.pixels[i].abs_diff(reference.pixels[i]));
    let total: f64 = (0..actual.pixels.len()).map(diff).sum();
    let mean = total / actual.pixels.len() as f64;
    let (mut worst, mut worst_at) = (0.0, (0, 0));
    for ty in (0..actual.height).step_by(TILE) {
        for tx in (0..actual.width).step_by(TILE) {
            let (mut sum, mut n) = (0.0, 0.0);
            for y in ty..(ty + TILE).min(actual.height) {
                for x in tx..(tx + TILE).min(actual.width) {
                    sum += diff(y * actual.width + x);
                    n += 1.0;
                }
            }
            if sum / n > worst {
                worst = sum / n;
                worst_at = (tx, ty);
            }
        }
    }
    (mean > MAX_PAGE_MEAN || worst > MAX_TILE_MEAN).then(|| {
        format!(
            "mean difference {mean:.2} (at most {MAX_PAGE_MEAN}); worst tile {worst:.1} at \
             x={} y={} px (at most {MAX_TILE_MEAN})",
            worst_at.0, worst_at.1
        )
    })
}

/// Compares the pages of `pdf` with their references (or writes them with UPDATE_SNAPSHOTS=1).
fn check_pages(pdf: &[u8], name: &str, pages: &[usize]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/pages");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for &page in pages {
        let Some(actual) = rasterise(pdf, name, page) else {
            return;
        };
        let file = dir.join(format!("{name}-p{page}.png"));
        if update {
            std::fs::create_dir_all(&dir).expect("snapshot directory");
            std::fs::write(&file, encode_png(&actual)).expect("write the reference");
            continue;
        }
        let Ok(bytes) = std::fs::read(&file) else {
            failures.push(format!(
                "{}: no reference; run with UPDATE_SNAPSHOTS=1 and review it",
                file.display()
            ));
            continue;
        };
        if let Some(why) = difference(&actual, &decode_png(&bytes)) {
            let seen = scratch().join(format!("{name}-p{page}.actual.png"));
            std::fs::write(&seen, encode_png(&actual)).expect("write the rendering");
            failures.push(format!(
                "{name} page {page}: {why}; this rendering is {}",
                seen.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn facts() -> NoticeFacts {
    NoticeFacts {
        district: "Maple Valley USD".into(),
        student: "Ana Soto".into(),
        birth_date: Some("2017-04-02".parse().unwrap()),
        sent_on: Some("2026-11-20".parse().unwrap()),
    }
}

/// A second goal with too few points for a trend.
fn short_goal() -> GoalData {
    parse_goal(
        r#"{"baseline": {"on": "2026-09-07", "value": 30},
            "target": {"on": "2027-05-28", "value": 5},
            "direction": "decrease",
            "points": [{"on": "2026-09-21", "value": 28}, {"on": "2026-10-05", "value": 25},
                       {"on": "2026-10-19", "value": 24}]}"#,
    )
    .expect("valid goal")
}

fn progress_report(lang: Lang) -> Vec<u8> {
    let reading = charts::goal();
    let behaviour = short_goal();
    let (r1, r2) = (analyze(&reading), analyze(&behaviour));
    let l1 = charts::labels(lang);
    let l2 = documents::ChartLabels::new(lang, "goal-2", "Calling out in class", "Times per day");
    let title = match lang {
        Lang::En => "Progress report",
        Lang::Es => "Informe de progreso",
    };
    student_progress_report_pdf(
        "Leo Rivera",
        title,
        &[
            GoalProgress {
                description: "Leo will read 40 words correct per minute.",
                analysis: Some((&reading, &r1, &l1)),
            },
            GoalProgress {
                description: "Leo will call out in class fewer than 5 times a day.",
                analysis: Some((&behaviour, &r2, &l2)),
            },
        ],
        Some("2026-11-06".parse().unwrap()),
        lang,
    )
    .expect("renders")
}

#[test]
fn the_iep_first_page_looks_as_it_did() {
    for lang in Lang::ALL {
        let pdf = plan_pdf(&plans::iep(PlanStatus::Finalized), lang).expect("renders");
        check_pages(&pdf, &format!("iep-{lang}"), &[1]);
    }
}

#[test]
fn the_504_plan_first_page_looks_as_it_did() {
    for lang in Lang::ALL {
        let pdf = plan_pdf(&plans::plan504(), lang).expect("renders");
        check_pages(&pdf, &format!("plan504-{lang}"), &[1]);
    }
}

#[test]
fn the_prior_written_notice_first_page_looks_as_it_did() {
    for lang in Lang::ALL {
        let pdf = notice_pdf(
            &notices::notice(),
            NoticeKind::PriorWrittenNotice,
            &facts(),
            lang,
        )
        .expect("renders");
        check_pages(&pdf, &format!("pwn-{lang}"), &[1]);
    }
}

#[test]
fn the_section_504_notice_first_page_looks_as_it_did() {
    for lang in Lang::ALL {
        let pdf = notice_pdf(
            &notices::notice_504(),
            NoticeKind::Section504,
            &facts(),
            lang,
        )
        .expect("renders");
        check_pages(&pdf, &format!("notice504-{lang}"), &[1]);
    }
}

#[test]
fn the_progress_report_pages_with_their_charts_look_as_they_did() {
    for lang in Lang::ALL {
        check_pages(&progress_report(lang), &format!("progress-{lang}"), &[1, 2]);
    }
}

#[test]
fn the_comparison_passes_jitter_and_fails_a_missing_block() {
    let page = Gray {
        width: 64,
        height: 64,
        pixels: vec![255; 64 * 64],
    };
    let mut text = page.pixels.clone();
    for y in 8..14 {
        for x in 4..60 {
            text[y * 64 + x] = if x % 3 == 0 { 40 } else { 200 };
        }
    }
    let with_text = Gray {
        pixels: text,
        ..page
    };
    assert_eq!(decode_png(&encode_png(&with_text)), with_text);
    // Anti-aliasing jitter: a few grey levels here and there.
    let mut jitter = with_text.pixels.clone();
    for (i, p) in jitter.iter_mut().enumerate() {
        if i % 7 == 0 {
            *p = p.saturating_sub(3);
        }
    }
    let jittered = Gray {
        pixels: jitter,
        width: 64,
        height: 64,
    };
    assert_eq!(difference(&jittered, &with_text), None);
    let blank = Gray {
        width: 64,
        height: 64,
        pixels: vec![255; 64 * 64],
    };
    assert!(
        difference(&blank, &with_text).is_some(),
        "a missing line passes"
    );
}
