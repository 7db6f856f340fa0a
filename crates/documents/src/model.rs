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
