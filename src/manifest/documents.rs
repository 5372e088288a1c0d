//! The documents of one manifest text: YAML split at `---` lines as kubectl splits
//! it (a line that is `---`, optionally followed by a comment), or a stream of JSON
//! values; `List` objects (`kind: List`, `PipelineList`, ...) opened into their items.
//! Pure: the text is already read.

use serde_json::Value;

use crate::usage::UsageError;

/// One object found in a manifest text.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document's number in its text, from 1 (empty documents are not counted).
    pub number: usize,
    /// The object (an item of a `List` keeps its list's number).
    pub object: Value,
}

/// Parses `text`, read from `source` (a file name, `-` or the kustomization), into
/// its objects. JSON when `json` (a `.json` file) or when the text starts with `{`;
/// YAML otherwise. An error names the source, the document number and the parser's
/// line, counted from the start of the text.
pub fn parse(source: &str, text: &str, json: bool) -> Result<Vec<Document>, UsageError> {
    let raw = if json || text.trim_start().starts_with('{') {
        json_stream(source, text)?
    } else {
        yaml_documents(source, text)?
    };
    let mut out = Vec::new();
    for (number, value) in raw {
        open_lists(source, number, value, &mut out)?;
    }
    Ok(out)
}

/// The values of a JSON stream (one or more JSON documents one after the other).
fn json_stream(source: &str, text: &str) -> Result<Vec<(usize, Value)>, UsageError> {
    let mut out = Vec::new();
    for (i, v) in serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .enumerate()
    {
        let number = i + 1;
        match v {
            Ok(v) => out.push((number, v)),
            Err(e) => {
                return Err(UsageError(format!(
                    "{source}: document {number}: line {}: {}",
                    e.line(),
                    strip_position(&e.to_string())
                )))
            }
        }
    }
    Ok(out)
}

/// serde_json's message without its own ` at line L column C` (the line is given first).
fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// Whether `line` separates YAML documents the way kubectl's reader decides it.
fn is_separator(line: &str) -> bool {
    match line.strip_prefix("---") {
        Some(rest) => {
            let rest = rest.trim();
            rest.is_empty() || rest.starts_with('#')
        }
        None => false,
    }
}

/// Whether a document holds nothing but blank lines and comments.
fn is_empty(doc: &str) -> bool {
    doc.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "..."
    })
}

/// The non-empty YAML documents of `text`, parsed.
fn yaml_documents(source: &str, text: &str) -> Result<Vec<(usize, Value)>, UsageError> {
    // (first line number, text) of each document.
    let mut chunks: Vec<(usize, String)> = vec![(1, String::new())];
    for (i, line) in text.lines().enumerate() {
        if is_separator(line) {
            chunks.push((i + 2, String::new()));
        } else {
            let chunk = &mut chunks.last_mut().expect("one chunk at least").1;
            chunk.push_str(line);
            chunk.push('\n');
        }
    }
    let mut out = Vec::new();
    for (start, chunk) in chunks.into_iter().filter(|(_, c)| !is_empty(c)) {
        let number = out.len() + 1;
        match serde_saphyr::from_str::<Value>(&chunk) {
            Ok(v) => out.push((number, v)),
            Err(e) => {
                let line = e
                    .location()
                    .map(|l| format!("line {}: ", start as u64 + l.line() - 1))
                    .unwrap_or_default();
                let msg = e.without_snippet().to_string();
                let msg = msg.lines().next().unwrap_or_default();
                // The library's advice on its own options means nothing to a user.
                let msg = msg
                    .split(", set DuplicateKeyPolicy")
                    .next()
                    .unwrap_or_default();
                return Err(UsageError(format!(
                    "{source}: document {number}: {line}{}",
                    strip_position(msg)
                )));
            }
        }
    }
    Ok(out)
}

/// Adds `value` to `out`, or its items when it is a list (`kind` ending in `List`
/// with an `items` array), recursively.
fn open_lists(
    source: &str,
    number: usize,
    value: Value,
    out: &mut Vec<Document>,
) -> Result<(), UsageError> {
    if value.is_null() {
        return Ok(());
    }
    let is_list = value
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k.ends_with("List"));
    if is_list {
        if let Some(Value::Array(items)) = value.get("items") {
            for item in items.clone() {
                open_lists(source, number, item, out)?;
            }
            return Ok(());
        }
    }
    if !value.is_object() {
        return Err(UsageError(format!(
            "{source}: document {number}: not an object (a Kubernetes manifest is a mapping with apiVersion, kind and metadata)"
        )));
    }
    out.push(Document {
        number,
        object: value,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A text, whether it is read as a `.json` file, and the (document, kind) found.
    type Case<'a> = (&'a str, bool, &'a [(usize, &'a str)]);

    fn kinds(docs: &[Document]) -> Vec<(usize, String)> {
        docs.iter()
            .map(|d| {
                (
                    d.number,
                    d.object["kind"].as_str().unwrap_or("?").to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn documents_lists_and_json_streams() {
        let table: &[Case] = &[
            ("kind: A\n", false, &[(1, "A")]),
            ("kind: A\n---\nkind: B\n", false, &[(1, "A"), (2, "B")]),
            // A leading separator, empty documents, comments and a `---` followed by
            // a comment; `---x` is no separator.
            (
                "---\n# c\n---\nkind: A\n--- # next\nkind: B\n---\n\n...\n",
                false,
                &[(1, "A"), (2, "B")],
            ),
            ("kind: A\nx: ---y\n", false, &[(1, "A")]),
            // Lists, nested, and an empty one.
            (
                "kind: List\nitems:\n- kind: A\n- kind: PipelineList\n  items: [{kind: B}]\n---\nkind: C\n",
                false,
                &[(1, "A"), (1, "B"), (2, "C")],
            ),
            ("apiVersion: v1\nkind: List\nitems: []\n", false, &[]),
            // JSON: a file, a stream, a list; text starting with `{` is JSON too.
            (r#"{"kind": "A"}"#, true, &[(1, "A")]),
            ("{\"kind\": \"A\"}\n{\"kind\": \"B\"}\n", false, &[(1, "A"), (2, "B")]),
            (
                r#"{"kind": "List", "items": [{"kind": "A"}, {"kind": "B"}]}"#,
                true,
                &[(1, "A"), (1, "B")],
            ),
            ("", false, &[]),
            ("# only a comment\n", false, &[]),
        ];
        for (text, json, want) in table {
            let got = parse("f.yaml", text, *json).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            let want: Vec<(usize, String)> =
                want.iter().map(|(n, k)| (*n, k.to_string())).collect();
            assert_eq!(kinds(&got), want, "{text:?}");
        }
        let docs = parse(
            "f.yaml",
            "kind: A\nspec: {replicas: 2, x: [1, \"a\"]}\n",
            false,
        )
        .unwrap();
        assert_eq!(
            docs[0].object,
            json!({"kind": "A", "spec": {"replicas": 2, "x": [1, "a"]}})
        );
    }

    #[test]
    fn what_does_not_parse_is_named_by_source_document_and_line() {
        let table: &[(&str, bool, &str)] = &[
            // The second document, its third line is the 6th of the file.
            (
                "kind: A\n---\nkind: B\nmetadata:\n  name: x\n   bad: [\n",
                false,
                "f.yaml: document 2: line 6: ",
            ),
            (
                "kind: A\nb: [1\nc: 2\n",
                false,
                "f.yaml: document 1: line 3: ",
            ),
            (
                "kind: A\nkind: B\n",
                false,
                "f.yaml: document 1: line 2: duplicate mapping key: kind",
            ),
            (
                "{\"kind\": \"A\",\n \"x\": }\n",
                true,
                "f.yaml: document 1: line 2: ",
            ),
            (
                "{\"kind\": \"A\"}\n{\"kind\": \n",
                false,
                "f.yaml: document 2: line 3: ",
            ),
            (
                "- a\n- b\n",
                false,
                "f.yaml: document 1: not an object (a Kubernetes manifest is a mapping",
            ),
            (
                "kind: A\n---\njust text\n",
                false,
                "f.yaml: document 2: not an object",
            ),
        ];
        for (text, json, want) in table {
            let err = parse("f.yaml", text, *json).unwrap_err().0;
            assert!(err.starts_with(want), "{text:?}: {err}");
        }
    }
}
