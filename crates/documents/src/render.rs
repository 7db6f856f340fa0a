//! Lays a `Document` out on US Letter pages and writes it as a tagged PDF/UA-1 file with krilla.
//! Every line of text is marked content inside a structure element (H1–H3, P, L/LI, Table/TR/TH/TD)
//! in reading order; rules, repeated table headers and page footers are artifacts. A figure (a
//! progress chart) is one marked-content sequence inside a Figure element with its alt text.

use std::mem;
use std::num::NonZeroU16;

use krilla::SerializeSettings;
use krilla::color::{luma, rgb};
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::tagging::{
    Artifact, ArtifactType, BBox, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::TextDirection;

use crate::DocumentError;
use crate::fonts::{Fonts, Weight};
use crate::model::{Anchor, Block, Document, Figure, Rgb, Shape, Table};

// US Letter with one-inch margins: what US schools print and file.
const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const MARGIN_X: f32 = 72.0;
const TOP: f32 = 72.0;
const BOTTOM: f32 = PAGE_H - 72.0;
const FOOTER_TOP: f32 = PAGE_H - 48.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// The width of the text column: what a figure may span.
pub const TEXT_WIDTH: f32 = TEXT_W;

const BLOCK_GAP: f32 = 8.0;
const CELL_PAD: f32 = 4.0;
const LIST_INDENT: f32 = 20.0;
const SIGNATURE_ROOM: f32 = 34.0;
const SIGNATURE_LINE: f32 = 230.0;

#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    weight: Weight,
    leading: f32,
}

// Body at 11 pt with generous leading; headings step up in size and weight, never by colour
// alone (PDF/UA: meaning must not depend on colour).
const BODY: Style = Style {
    size: 11.0,
    weight: Weight::Regular,
    leading: 15.5,
};
const BODY_BOLD: Style = Style {
    weight: Weight::Bold,
    ..BODY
};
const FOOTER: Style = Style {
    size: 8.5,
    weight: Weight::Regular,
    leading: 11.0,
};

fn heading_style(level: u8) -> Style {
    match level {
        1 => Style {
            size: 16.0,
            weight: Weight::Bold,
            leading: 21.0,
        },
        2 => Style {
            size: 13.0,
            weight: Weight::Bold,
            leading: 18.0,
        },
        _ => Style {
            size: 11.5,
            weight: Weight::Bold,
            leading: 16.0,
        },
    }
}

/// Renders the document as a tagged PDF (PDF/UA-1, PDF 1.7) with its fonts embedded.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let laid = layout(doc, &fonts);
    emit(doc, &fonts, laid)
}

// ---- layout: positions and the logical structure, no PDF yet ----

enum Mark {
    Content(usize),
    Artifact(ArtifactType),
}

enum Item {
    Text {
        x: f32,
        top: f32,
        style: Style,
        text: String,
        mark: Mark,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
    },
    /// A drawing placed with its top-left corner at (`x`, `top`).
    Figure {
        x: f32,
        top: f32,
        figure: Figure,
        content: usize,
    },
}

#[derive(Clone)]
enum Role {
    Heading(u8, String),
    P,
    List(bool),
    ListItem,
    Label,
    ListBody,
    Table,
    THead,
    TBody,
    Row,
    HeaderCell(TableHeaderScope),
    Cell,
    Caption,
    /// Alt text, and the page and rectangle (left, top, right, bottom) the drawing covers.
    Figure(String, usize, [f32; 4]),
}

enum Node {
    Group(Role, Vec<Node>),
    Content(usize),
}

struct Heading {
    level: u8,
    text: String,
    page: usize,
    y: f32,
}

struct Laid {
    pages: Vec<Vec<Item>>,
    tree: Vec<Node>,
    headings: Vec<Heading>,
    contents: usize,
}

struct Layout<'f> {
    fonts: &'f Fonts,
    done: Vec<Vec<Item>>,
    page: Vec<Item>,
    y: f32,
    contents: usize,
    headings: Vec<Heading>,
}

fn layout(doc: &Document, fonts: &Fonts) -> Laid {
    let mut l = Layout {
        fonts,
        done: Vec::new(),
        page: Vec::new(),
        y: TOP,
        contents: 0,
        headings: Vec::new(),
    };
    let mut tree = Vec::new();
    for block in &doc.blocks {
        tree.push(l.block(block));
    }
    let mut pages = l.done;
    pages.push(l.page);
    add_footers(doc, fonts, &mut pages);
    Laid {
        pages,
        tree,
        headings: l.headings,
        contents: l.contents,
    }
}

impl Layout<'_> {
    fn new_page(&mut self) {
        self.done.push(mem::take(&mut self.page));
        self.y = TOP;
    }

    fn page_index(&self) -> usize {
        self.done.len()
    }

    /// Starts a new page unless `height` still fits (a page that is still empty always takes it,
    /// so an over-tall piece cannot loop).
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    fn place(&mut self, x: f32, top: f32, text: String, style: Style, mark: Mark) {
        self.page.push(Item::Text {
            x,
            top,
            style,
            text,
            mark,
        });
    }

    fn content_at(&mut self, x: f32, top: f32, text: String, style: Style) -> Node {
        let id = self.contents;
        self.contents += 1;
        self.place(x, top, text, style, Mark::Content(id));
        Node::Content(id)
    }

    /// Wrapped text from the current position, breaking pages between lines.
    fn flow(&mut self, x: f32, width: f32, text: &str, style: Style) -> Vec<Node> {
        let mut nodes = Vec::new();
        for line in wrap(self.fonts, text, width, style) {
            self.ensure(style.leading);
            if !line.is_empty() {
                nodes.push(self.content_at(x, self.y, line, style));
            }
            self.y += style.leading;
        }
        nodes
    }

    fn block(&mut self, block: &Block) -> Node {
        match block {
            Block::Heading { level, text } => self.heading((*level).clamp(1, 3), text),
            Block::Paragraph(text) => self.paragraph(text, BODY),
            Block::Strong(text) => self.paragraph(text, BODY_BOLD),
            Block::Lines(lines) => {
                let mut nodes = Vec::new();
                for line in lines {
                    nodes.extend(self.flow(MARGIN_X, TEXT_W, line, BODY));
                }
                self.y += BLOCK_GAP;
                Node::Group(Role::P, nodes)
            }
            Block::List { ordered, items } => self.list(*ordered, items),
            Block::KeyValues(pairs) => {
                let table = Table {
                    caption: None,
                    header: Vec::new(),
                    rows: pairs
                        .iter()
                        .map(|(k, v)| vec![k.clone(), v.clone()])
                        .collect(),
                    row_headers: true,
                };
                self.table(&table, false)
            }
            Block::Table(table) => self.table(table, true),
            Block::Signature(lines) => self.signature(lines),
            Block::Figure(figure) => self.figure(figure),
        }
    }

    /// A drawing is never split: it starts a new page unless it fits whole.
    fn figure(&mut self, figure: &Figure) -> Node {
        self.ensure(figure.height);
        let content = self.contents;
        self.contents += 1;
        let top = self.y;
        self.page.push(Item::Figure {
            x: MARGIN_X,
            top,
            figure: figure.clone(),
            content,
        });
        let rect = [MARGIN_X, top, MARGIN_X + figure.width, top + figure.height];
        self.y += figure.height + BLOCK_GAP;
        Node::Group(
            Role::Figure(figure.alt.clone(), self.page_index(), rect),
            vec![Node::Content(content)],
        )
    }

    fn heading(&mut self, level: u8, text: &str) -> Node {
        let style = heading_style(level);
        if self.y > TOP {
            self.y += style.leading * 0.5;
        }
        // Keep a heading with the first lines that follow it.
        self.ensure(style.leading + 3.0 * BODY.leading);
        self.headings.push(Heading {
            level,
            text: text.to_string(),
            page: self.page_index(),
            y: self.y,
        });
        let nodes = self.flow(MARGIN_X, TEXT_W, text, style);
        self.y += 3.0;
        Node::Group(Role::Heading(level, text.to_string()), nodes)
    }

    fn paragraph(&mut self, text: &str, style: Style) -> Node {
        let nodes = self.flow(MARGIN_X, TEXT_W, text, style);
        self.y += BLOCK_GAP;
        Node::Group(Role::P, nodes)
    }

    fn list(&mut self, ordered: bool, items: &[String]) -> Node {
        let mut children = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let label = if ordered {
                format!("{}.", i + 1)
            } else {
                "•".to_string()
            };
            self.ensure(BODY.leading);
            let label = self.content_at(MARGIN_X + 4.0, self.y, label, BODY);
            let body = self.flow(MARGIN_X + LIST_INDENT, TEXT_W - LIST_INDENT, item, BODY);
            self.y += 2.0;
            children.push(Node::Group(
                Role::ListItem,
                vec![
                    Node::Group(Role::Label, vec![label]),
                    Node::Group(Role::ListBody, body),
                ],
            ));
        }
        self.y += BLOCK_GAP;
        Node::Group(Role::List(ordered), children)
    }

    fn signature(&mut self, lines: &[String]) -> Node {
        self.ensure(SIGNATURE_ROOM + BODY.leading * lines.len() as f32);
        self.y += SIGNATURE_ROOM;
        self.page.push(Item::Rule {
            x1: MARGIN_X,
            x2: MARGIN_X + SIGNATURE_LINE,
            y: self.y,
        });
        self.y += 3.0;
        let mut nodes = Vec::new();
        for line in lines {
            nodes.extend(self.flow(MARGIN_X, TEXT_W, line, BODY));
        }
        self.y += BLOCK_GAP;
        Node::Group(Role::P, nodes)
    }

    fn table(&mut self, table: &Table, ruled: bool) -> Node {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.header.len()])
            .max()
            .unwrap_or(0);
        let mut children = Vec::new();
        if columns == 0 {
            return Node::Group(Role::Table, children);
        }
        let widths = column_widths(self.fonts, table, columns, ruled);
        let header: Vec<String> = pad_row(&table.header, columns);
        let header_style = |_: usize| BODY_BOLD;
        let body_style = |col: usize| {
            if table.row_headers && col == 0 {
                BODY_BOLD
            } else {
                BODY
            }
        };
        let header_height = if table.header.is_empty() {
            0.0
        } else {
            self.row_height(&header, &widths, &header_style)
        };
        if let Some(caption) = &table.caption {
            // Keep the caption with the header and the first rows.
            let lines = wrap(self.fonts, caption, TEXT_W, BODY_BOLD).len() as f32;
            self.ensure(lines * BODY_BOLD.leading + header_height + BODY.leading * 2.0);
            let nodes = self.flow(MARGIN_X, TEXT_W, caption, BODY_BOLD);
            children.push(Node::Group(Role::Caption, nodes));
        }

        if header_height > 0.0 {
            self.ensure(header_height + BODY.leading * 2.0);
            let cells = self.row(&header, &widths, &header_style, ruled, true);
            let cells = cells
                .into_iter()
                .map(|c| Node::Group(Role::HeaderCell(TableHeaderScope::Column), c))
                .collect();
            children.push(Node::Group(
                Role::THead,
                vec![Node::Group(Role::Row, cells)],
            ));
        }

        let mut body = Vec::new();
        for row in &table.rows {
            let row = pad_row(row, columns);
            let height = self.row_height(&row, &widths, &body_style);
            let cells = if height > BOTTOM - TOP - header_height {
                // Taller than a page: flow each cell down the page instead of side by side.
                row.iter()
                    .enumerate()
                    .map(|(col, cell)| {
                        let nodes = self.flow(MARGIN_X, TEXT_W, cell, body_style(col));
                        self.y += CELL_PAD;
                        nodes
                    })
                    .collect()
            } else {
                if self.y + height > BOTTOM {
                    self.new_page();
                    if header_height > 0.0 {
                        // Repeated on the new page for sighted readers; an artifact, so a
                        // screen reader hears the header once.
                        self.row(&header, &widths, &header_style, ruled, false);
                    }
                }
                self.row(&row, &widths, &body_style, ruled, true)
            };
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(col, c)| {
                    let role = if table.row_headers && col == 0 {
                        Role::HeaderCell(TableHeaderScope::Row)
                    } else {
                        Role::Cell
                    };
                    Node::Group(role, c)
                })
                .collect();
            body.push(Node::Group(Role::Row, cells));
        }
        children.push(Node::Group(Role::TBody, body));
        self.y += BLOCK_GAP;
        Node::Group(Role::Table, children)
    }

    fn row_height(&self, row: &[String], widths: &[f32], style: &dyn Fn(usize) -> Style) -> f32 {
        row.iter()
            .zip(widths)
            .enumerate()
            .map(|(col, (cell, width))| {
                let s = style(col);
                wrap(self.fonts, cell, width - 2.0 * CELL_PAD, s).len() as f32 * s.leading
            })
            .fold(0.0, f32::max)
            + 2.0 * CELL_PAD
    }

    /// Draws one row at the current position; `tagged` false draws it as an artifact.
    fn row(
        &mut self,
        row: &[String],
        widths: &[f32],
        style: &dyn Fn(usize) -> Style,
        ruled: bool,
        tagged: bool,
    ) -> Vec<Vec<Node>> {
        let height = self.row_height(row, widths, style);
        let mut x = MARGIN_X;
        let mut cells = Vec::new();
        for (col, (cell, width)) in row.iter().zip(widths).enumerate() {
            let s = style(col);
            let mut nodes = Vec::new();
            let lines = wrap(self.fonts, cell, width - 2.0 * CELL_PAD, s);
            for (i, line) in lines.into_iter().enumerate() {
                if line.is_empty() {
                    continue;
                }
                let top = self.y + CELL_PAD + i as f32 * s.leading;
                if tagged {
                    nodes.push(self.content_at(x + CELL_PAD, top, line, s));
                } else {
                    let mark = Mark::Artifact(ArtifactType::PaginationOther);
                    self.place(x + CELL_PAD, top, line, s, mark);
                }
            }
            cells.push(nodes);
            x += width;
        }
        self.y += height;
        if ruled {
            self.page.push(Item::Rule {
                x1: MARGIN_X,
                x2: x,
                y: self.y,
            });
        }
        cells
    }
}

fn pad_row(row: &[String], columns: usize) -> Vec<String> {
    let mut row = row.to_vec();
    row.resize(columns, String::new());
    row
}

/// Natural (one-line) widths when they fit; otherwise every column gets an equal share, and a
/// column that needs less than its share gives the rest to the others.
fn column_widths(fonts: &Fonts, table: &Table, columns: usize, ruled: bool) -> Vec<f32> {
    let mut natural = vec![40.0_f32; columns];
    let rows = table.rows.iter().map(|r| (r, false));
    for (row, is_header) in [(&table.header, true)].into_iter().chain(rows) {
        for (col, cell) in row.iter().enumerate() {
            let bold = is_header || (table.row_headers && col == 0);
            let style = if bold { BODY_BOLD } else { BODY };
            let widest = cell
                .split('\n')
                .map(|line| fonts.width(line, style.weight, style.size))
                .fold(0.0, f32::max);
            natural[col] = natural[col].max(widest + 2.0 * CELL_PAD + 1.0);
        }
    }
    let total: f32 = natural.iter().sum();
    if total <= TEXT_W {
        let spare = TEXT_W - total;
        if ruled {
            // Ruled tables span the text width, widening every column alike.
            return natural.iter().map(|w| w + spare / columns as f32).collect();
        }
        // Key–value lists: the labels keep their width, the values take the rest.
        if let Some(last) = natural.last_mut() {
            *last += spare;
        }
        return natural;
    }
    let mut widths = vec![0.0; columns];
    let mut open: Vec<usize> = (0..columns).collect();
    let mut room = TEXT_W;
    loop {
        let share = room / open.len().max(1) as f32;
        let (fits, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&col| natural[col] <= share);
        if fits.is_empty() {
            for col in rest {
                widths[col] = share;
            }
            return widths;
        }
        for col in fits {
            widths[col] = natural[col];
            room -= natural[col];
        }
        open = rest;
        if open.is_empty() {
            return widths;
        }
    }
}

/// Greedy line breaking at spaces; a word wider than the line is broken between characters.
/// A `\n` forces a break; an empty input line stays an empty line.
fn wrap(fonts: &Fonts, text: &str, width: f32, style: Style) -> Vec<String> {
    let fits = |s: &str| fonts.width(s, style.weight, style.size) <= width;
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let raw = fonts.drawable(raw);
        let mut line = String::new();
        for word in &glued_words(&raw) {
            let word = word.as_str();
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(mem::take(&mut line));
            }
            if fits(word) {
                line = word.to_string();
                continue;
            }
            for c in word.chars() {
                line.push(c);
                if !fits(&line) && line.chars().count() > 1 {
                    line.pop();
                    lines.push(mem::replace(&mut line, c.to_string()));
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Words to break between, with a citation's parts kept together: "34 CFR 300.301(b)" on one
/// line reads as one reference, split over two it does not.
fn glued_words(text: &str) -> Vec<String> {
    const GLUE: [&str; 2] = ["CFR", "U.S.C."];
    let mut words: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in text.split_whitespace() {
        let glued = GLUE.contains(&word);
        match words.last_mut() {
            Some(last) if glue_next || glued => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        glue_next = glued;
    }
    words
}

fn add_footers(doc: &Document, fonts: &Fonts, pages: &mut [Vec<Item>]) {
    let count = pages.len();
    for (i, items) in pages.iter_mut().enumerate() {
        let number = doc.lang.page_of(i + 1, count);
        let number_w = fonts.width(&number, FOOTER.weight, FOOTER.size);
        if let Some(footer) = &doc.footer {
            let room = TEXT_W - number_w - 24.0;
            if let Some(first) = wrap(fonts, footer, room, FOOTER).into_iter().next() {
                items.push(Item::Text {
                    x: MARGIN_X,
                    top: FOOTER_TOP,
                    style: FOOTER,
                    text: first,
                    mark: Mark::Artifact(ArtifactType::Footer),
                });
            }
        }
        items.push(Item::Text {
            x: PAGE_W - MARGIN_X - number_w,
            top: FOOTER_TOP,
            style: FOOTER,
            text: number,
            mark: Mark::Artifact(ArtifactType::PageNumber),
        });
    }
}

// ---- emission: krilla pages, the tag tree, outline and metadata ----

fn emit(doc: &Document, fonts: &Fonts, laid: Laid) -> Result<Vec<u8>, DocumentError> {
    let pdf_error = |e: String| DocumentError::Pdf(e);
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| pdf_error(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut pdf = krilla::Document::new_with(settings);
    let mut ids: Vec<Option<Identifier>> = (0..laid.contents).map(|_| None).collect();
    let page_settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| pdf_error("invalid page size".into()))?;

    for items in &laid.pages {
        let mut page = pdf.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        surface.set_fill(Some(Fill::default()));
        for item in items {
            match item {
                Item::Text {
                    x,
                    top,
                    style,
                    text,
                    mark,
                } => {
                    let tag = match mark {
                        Mark::Content(_) => ContentTag::Span(SpanTag::empty()),
                        Mark::Artifact(kind) => ContentTag::Artifact(Artifact::with_kind(*kind)),
                    };
                    let baseline = top
                        + (style.leading - style.size) / 2.0
                        + fonts.ascent(style.weight) * style.size;
                    let id = surface.start_tagged(tag);
                    surface.draw_text(
                        Point::from_xy(*x, baseline),
                        fonts.pdf_font(style.weight),
                        style.size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                    surface.end_tagged();
                    if let Mark::Content(index) = mark
                        && let Some(slot) = ids.get_mut(*index)
                    {
                        *slot = Some(id);
                    }
                }
                Item::Figure {
                    x,
                    top,
                    figure,
                    content,
                } => {
                    let id = surface.start_tagged(ContentTag::Other);
                    draw_figure(&mut surface, fonts, figure, *x, *top);
                    surface.end_tagged();
                    if let Some(slot) = ids.get_mut(*content) {
                        *slot = Some(id);
                    }
                }
                Item::Rule { x1, x2, y } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y);
                    path.line_to(*x2, *y);
                    if let Some(path) = path.finish() {
                        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                            ArtifactType::Layout,
                        )));
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: luma::Color::new(110).into(),
                            width: 0.6,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                        surface.end_tagged();
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }

    let mut tree = TagTree::new().with_lang(Some(doc.lang.code().to_string()));
    for node in laid.tree {
        if let Some(node) = to_krilla(node, &mut ids) {
            tree.push(node);
        }
    }
    pdf.set_tag_tree(tree);
    pdf.set_outline(outline(&laid.headings));

    let mut metadata = Metadata::new()
        .title(doc.title.clone())
        .language(doc.lang.code().to_string())
        .creator("iep504".to_string());
    if let Some(author) = &doc.author {
        metadata = metadata.authors(vec![author.clone()]);
    }
    pdf.set_metadata(metadata);
    pdf.finish().map_err(|e| pdf_error(e.to_string()))
}

fn to_krilla(node: Node, ids: &mut [Option<Identifier>]) -> Option<krilla::tagging::Node> {
    match node {
        Node::Content(index) => ids.get_mut(index)?.take().map(Into::into),
        Node::Group(role, children) => {
            let children: Vec<_> = children
                .into_iter()
                .filter_map(|child| to_krilla(child, ids))
                .collect();
            // krilla drops empty groups itself; dropping them here keeps the tree honest.
            if children.is_empty() {
                return None;
            }
            Some(TagGroup::with_children(tag_kind(role), children).into())
        }
    }
}

fn tag_kind(role: Role) -> TagKind {
    match role {
        Role::Heading(level, title) => {
            let level = NonZeroU16::new(u16::from(level)).unwrap_or(NonZeroU16::MIN);
            Tag::Hn(level, Some(title)).into()
        }
        Role::P => Tag::P.into(),
        Role::List(ordered) => {
            let numbering = if ordered {
                ListNumbering::Decimal
            } else {
                ListNumbering::Disc
            };
            Tag::L(numbering).into()
        }
        Role::ListItem => Tag::LI.into(),
        Role::Label => Tag::Lbl.into(),
        Role::ListBody => Tag::LBody.into(),
        Role::Table => Tag::Table.into(),
        Role::THead => Tag::THead.into(),
        Role::TBody => Tag::TBody.into(),
        Role::Row => Tag::TR.into(),
        Role::HeaderCell(scope) => Tag::TH(scope).into(),
        Role::Cell => Tag::TD.into(),
        Role::Caption => Tag::Caption.into(),
        Role::Figure(alt, page, [left, top, right, bottom]) => {
            let bbox = Rect::from_ltrb(left, top, right, bottom).map(|r| BBox::new(page, r));
            Tag::Figure(Some(alt)).with_bbox(bbox).into()
        }
    }
}

fn colour(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

/// Draws a figure's shapes offset by (`dx`, `dy`) on a surface whose marked content is open.
fn draw_figure(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts,
    figure: &Figure,
    dx: f32,
    dy: f32,
) {
    for shape in &figure.shapes {
        match shape {
            Shape::Line {
                from,
                to,
                width,
                colour: c,
                dash,
            } => {
                let mut path = PathBuilder::new();
                path.move_to(from.0 + dx, from.1 + dy);
                path.line_to(to.0 + dx, to.1 + dy);
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: colour(*c).into(),
                        width: *width,
                        dash: dash.map(|(on, off)| StrokeDash {
                            array: vec![on, off],
                            offset: 0.0,
                        }),
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Shape::Dot {
                at,
                radius,
                colour: c,
            } => {
                if let Some(path) = circle(at.0 + dx, at.1 + dy, *radius) {
                    surface.set_fill(Some(Fill {
                        paint: colour(*c).into(),
                        ..Fill::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Shape::Polygon { points, colour: c } => {
                let mut path = PathBuilder::new();
                for (i, (px, py)) in points.iter().enumerate() {
                    if i == 0 {
                        path.move_to(px + dx, py + dy);
                    } else {
                        path.line_to(px + dx, py + dy);
                    }
                }
                path.close();
                if let Some(path) = path.finish() {
                    surface.set_fill(Some(Fill {
                        paint: colour(*c).into(),
                        ..Fill::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Shape::Text {
                at,
                text,
                size,
                anchor,
                colour: c,
            } => {
                let text = fonts.drawable(text);
                let width = fonts.width(&text, Weight::Regular, *size);
                let x = match anchor {
                    Anchor::Start => at.0,
                    Anchor::Middle => at.0 - width / 2.0,
                    Anchor::End => at.0 - width,
                };
                surface.set_fill(Some(Fill {
                    paint: colour(*c).into(),
                    ..Fill::default()
                }));
                surface.draw_text(
                    Point::from_xy(x + dx, at.1 + dy),
                    fonts.pdf_font(Weight::Regular),
                    *size,
                    &text,
                    false,
                    TextDirection::Auto,
                );
            }
        }
    }
    // Text after the figure is drawn in the default black.
    surface.set_fill(Some(Fill::default()));
}

/// A circle as four cubic Béziers (krilla's path builder has no arc).
fn circle(cx: f32, cy: f32, r: f32) -> Option<krilla::geom::Path> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut path = PathBuilder::new();
    path.move_to(cx + r, cy);
    path.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    path.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    path.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    path.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    path.close();
    path.finish()
}

/// Bookmarks from the headings (PDF/UA requires an outline): level 1 at the top, deeper
/// headings under the nearest one above them.
fn outline(headings: &[Heading]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for heading in headings {
        let node = OutlineNode::new(
            heading.text.clone(),
            XyzDestination::new(heading.page, Point::from_xy(MARGIN_X, heading.y)),
        );
        match current.as_mut() {
            Some(parent) if heading.level > 1 => parent.push_child(node),
            _ => {
                if let Some(done) = current.replace(node) {
                    outline.push_child(done);
                }
            }
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}
