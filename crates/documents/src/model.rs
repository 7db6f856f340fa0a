//! The document model every PDF is built from: a title, a language and a flow of blocks
//! (headings, paragraphs, lists, key–value lists, tables, signature lines). It knows nothing of
//! pages; `render` lays it out and tags each block with its PDF structure role.

use crate::Lang;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document title: PDF metadata, shown by viewers in the window title.
    pub title: String,
    pub lang: Lang,
    /// Written into the PDF metadata as the author.
    pub author: Option<String>,
    /// One line at the foot of every page, before the page number.
    pub footer: Option<String>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 to 3; deeper levels are drawn like level 3.
    Heading {
        level: u8,
        text: String,
    },
    /// Wrapped text; a `\n` inside starts a new line.
    Paragraph(String),
    /// A paragraph drawn in bold (an emphasised request, a notice).
    Strong(String),
    /// Lines kept as they are (an address block): one paragraph, one line each.
    Lines(Vec<String>),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    /// Label–value pairs drawn in two columns and tagged as a table with row headers.
    KeyValues(Vec<(String, String)>),
    Table(Table),
    /// Room to sign, a line, and the lines under it (name, role).
    Signature(Vec<String>),
    /// A vector drawing (a progress chart), tagged as one Figure whose alt text says in words
    /// what the drawing shows; the numbers it is drawn from belong in a table beside it.
    Figure(Figure),
}

/// A drawing in its own coordinates: `width` × `height` points, origin at the top left, y down.
/// It is drawn at the left margin and kept whole on one page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    /// Read in place of the drawing by assistive technology (PDF/UA: every Figure has one).
    pub alt: String,
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Where a label's anchor point is on its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A straight stroke; `dash` is (on, off) lengths for a dashed line.
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        colour: Rgb,
        dash: Option<(f32, f32)>,
    },
    /// A filled disc.
    Dot {
        at: (f32, f32),
        radius: f32,
        colour: Rgb,
    },
    /// A filled closed polygon (a target marker).
    Polygon {
        points: Vec<(f32, f32)>,
        colour: Rgb,
    },
    /// A one-line label on the baseline at `at`.
    Text {
        at: (f32, f32),
        text: String,
        size: f32,
        anchor: Anchor,
        colour: Rgb,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub caption: Option<String>,
    /// Column headers; empty for a table without a header row.
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The first cell of each row names the row (tagged as a row header).
    pub row_headers: bool,
}

impl Document {
    pub fn new(title: impl Into<String>, lang: Lang) -> Document {
        Document {
            title: title.into(),
            lang,
            author: None,
            footer: None,
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, block: Block) -> &mut Document {
        self.blocks.push(block);
        self
    }
}
