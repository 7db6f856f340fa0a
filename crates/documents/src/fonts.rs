//! The embedded faces (Liberation Sans Regular and Bold, SIL Open Font License 1.1, see
//! `fonts/LICENSE-Liberation.txt`) and text measurement. Widths come from rustybuzz, the shaper
//! krilla draws with, so a wrapped line is exactly as wide as measured.

use rustybuzz::{Face, UnicodeBuffer};

use crate::DocumentError;

static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// Drawn in place of a character the fonts lack: PDF/UA forbids the empty `.notdef` glyph, and
/// a visible mark tells the reader something was there.
const MISSING: char = '?';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

pub(crate) struct Fonts {
    regular: Face<'static>,
    bold: Face<'static>,
    regular_pdf: krilla::text::Font,
    bold_pdf: krilla::text::Font,
}

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, DocumentError> {
        let broken = || DocumentError::Pdf("an embedded font could not be read".into());
        Ok(Fonts {
            regular: Face::from_slice(REGULAR, 0).ok_or_else(broken)?,
            bold: Face::from_slice(BOLD, 0).ok_or_else(broken)?,
            regular_pdf: krilla::text::Font::new(REGULAR.into(), 0).ok_or_else(broken)?,
            bold_pdf: krilla::text::Font::new(BOLD.into(), 0).ok_or_else(broken)?,
        })
    }

    fn face(&self, weight: Weight) -> &Face<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub(crate) fn pdf_font(&self, weight: Weight) -> krilla::text::Font {
        match weight {
            Weight::Regular => self.regular_pdf.clone(),
            Weight::Bold => self.bold_pdf.clone(),
        }
    }

    /// Width in points of `text` set at `size` points.
    pub(crate) fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let face = self.face(weight);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 / face.units_per_em() as f32 * size
    }

    /// Distance from the top of a line box to the baseline, as a share of the font size.
    pub(crate) fn ascent(&self, weight: Weight) -> f32 {
        let face = self.face(weight);
        f32::from(face.ascender()) / face.units_per_em() as f32
    }

    /// The text as it can be drawn: control characters become spaces and characters neither
    /// face has become `?`, so export never fails on a stray emoji in a parent's note.
    pub(crate) fn drawable(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.regular.glyph_index(c).is_some()
                    && self.bold.glyph_index(c).is_some()
                {
                    c
                } else {
                    MISSING
                }
            })
            .collect()
    }
}
