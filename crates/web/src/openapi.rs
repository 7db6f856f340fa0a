//! The OpenAPI 3.1 description of the JSON API, maintained by hand beside the handlers; a test
//! keeps its paths and the registry's `/api/` routes identical.

pub const DOCUMENT: &str = include_str!("../openapi.json");

/// The (method, path) pairs the document describes, with `{id}`-style templates.
pub fn operations() -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_str(DOCUMENT).unwrap_or_default();
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            for method in ["get", "post", "put", "patch", "delete"] {
                if item.get(method).is_some() {
                    out.push((method.to_uppercase(), format!("/api/v1{path}")));
                }
            }
        }
    }
    out.sort();
    out
}
