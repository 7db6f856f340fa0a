//! The forms of the case-record pages, described as data and drawn by `record_form.html`:
//! each field with its label, hint, submitted value and error, so a refused form comes back
//! filled in with the problems listed first and linked to their fields.

use crate::i18n::Tr;
use crate::records_input::{FieldError, Fields, html_id};

#[derive(Debug, Clone)]
pub struct FieldView {
    pub id: String,
    pub name: String,
    pub label: String,
    pub input: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    /// The ticked boxes of a group of checkboxes (`Input::Checks`).
    pub checked: Vec<String>,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub required: bool,
    pub described_by: String,
}

#[derive(Debug, Clone)]
pub struct FormView {
    pub anchor: String,
    /// The heading level, so a form inside a section keeps headings in order.
    pub level: u8,
    pub heading: String,
    pub action: String,
    pub button: String,
    pub hidden: Vec<(String, String)>,
    pub fields: Vec<FieldView>,
    /// (field id, message) for the summary at the top.
    pub errors: Vec<(String, String)>,
}

/// How one field is drawn.
#[derive(Debug, Clone)]
pub enum Input {
    Text,
    LongText,
    Date,
    Number,
    Choice(Vec<(String, String)>),
    /// A group of checkboxes sharing the name (a set of codes), in a fieldset.
    Checks(Vec<(String, String)>),
}

pub struct Builder<'a> {
    t: &'a Tr,
    /// Prepended to every field id, for pages with several forms sharing field names.
    id_prefix: String,
    submitted: &'a Fields,
    errors: &'a [FieldError],
    form: FormView,
}

impl<'a> Builder<'a> {
    pub fn new(
        t: &'a Tr,
        anchor: &str,
        heading_id: &str,
        action: String,
        button_id: &str,
        submitted: &'a Fields,
        errors: &'a [FieldError],
    ) -> Builder<'a> {
        Builder {
            t,
            id_prefix: String::new(),
            submitted,
            errors,
            form: FormView {
                anchor: anchor.to_owned(),
                level: 2,
                heading: t.get(heading_id),
                action,
                button: t.get(button_id),
                hidden: Vec::new(),
                fields: Vec::new(),
                errors: errors
                    .iter()
                    .map(|e| (html_id(e.field), t.get(e.message_id)))
                    .collect(),
            },
        }
    }

    pub fn level(mut self, level: u8) -> Builder<'a> {
        self.form.level = level;
        self
    }

    /// Makes this form's field ids unique on a page with other forms (`{prefix}f-name`);
    /// call before adding fields.
    pub fn id_prefix(mut self, prefix: &str) -> Builder<'a> {
        self.id_prefix = prefix.to_owned();
        for (id, _) in &mut self.form.errors {
            *id = format!("{prefix}{id}");
        }
        self
    }

    pub fn hidden(mut self, name: &str, value: impl Into<String>) -> Builder<'a> {
        self.form.hidden.push((name.to_owned(), value.into()));
        self
    }

    /// A field named `name` (a field path such as `baseline.on`), labelled by the message
    /// `field-{name with dots as dashes}`, prefilled with `default` when nothing was sent.
    pub fn field(self, name: &str, input: Input, required: bool, default: &str) -> Builder<'a> {
        let label_id = format!("rf-{}", name.replace(['.', '_'], "-"));
        self.field_labelled(name, &label_id, input, required, default)
    }

    /// A field whose label is the message `label_id`: for a field name that means something
    /// else on another form (the catalogues share one namespace).
    pub fn field_labelled(
        mut self,
        name: &str,
        label_id: &str,
        input: Input,
        required: bool,
        default: &str,
    ) -> Builder<'a> {
        let id = format!("{}{}", self.id_prefix, html_id(name));
        let label = self.t.get(label_id);
        let value = self
            .submitted
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(|| default.to_owned(), |(_, v)| v.clone());
        let error = self
            .errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| self.t.get(e.message_id));
        let hint = matches!(input, Input::Date).then(|| self.t.get("hint-date"));
        let mut described = Vec::new();
        if hint.is_some() {
            described.push(format!("{id}-hint"));
        }
        if error.is_some() {
            described.push(format!("{id}-error"));
        }
        let checked: Vec<String> = if self.submitted.iter().any(|(k, _)| k == name) {
            self.submitted
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        } else {
            default
                .split(',')
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let (kind, options) = match input {
            Input::Text => ("text", Vec::new()),
            Input::LongText => ("textarea", Vec::new()),
            Input::Date => ("date", Vec::new()),
            Input::Number => ("number", Vec::new()),
            Input::Choice(options) => ("select", options),
            Input::Checks(options) => ("checks", options),
        };
        self.form.fields.push(FieldView {
            id,
            name: name.to_owned(),
            label,
            input: kind,
            value,
            options,
            checked,
            error,
            hint,
            required,
            described_by: described.join(" "),
        });
        self
    }

    pub fn build(self) -> FormView {
        self.form
    }
}

/// Options from codes, each shown through `{prefix}-{code}`.
pub fn choices(t: &Tr, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|code| ((*code).to_owned(), t.term(prefix, code)))
        .collect()
}
