//! The field reference of `docs/scenario-format.md` is generated from the scenario's types in `src/spec/`
//! (every struct with its fields, their types, whether they are required, and their doc comments), so it
//! cannot drift from the format. Refresh it on purpose with
//! `DRSIM_BLESS=1 cargo test -p sim-core --test it format_reference`.

use std::path::{Path, PathBuf};

/// The files of the format, in the order the reference lists them.
const FILES: &[&str] = &[
    "spec/mod.rs",
    "spec/site.rs",
    "spec/flow.rs",
    "spec/disaster.rs",
    "spec/runbook.rs",
    "spec/budget.rs",
    "spec/policy.rs",
    "spec/prices.rs",
    "spec/resources/rds.rs",
    "spec/resources/aurora.rs",
    "spec/resources/dynamodb.rs",
    "spec/resources/s3.rs",
    "spec/resources/backup.rs",
    "spec/resources/ec2.rs",
    "spec/resources/asg.rs",
    "spec/resources/alb.rs",
    "spec/resources/lambda.rs",
    "spec/resources/cloudfront.rs",
    "spec/resources/health_check.rs",
    "spec/resources/arc.rs",
    "spec/resources/record.rs",
    "spec/resources/stack.rs",
    "spec/resources/alarm.rs",
    "spec/resources/onprem.rs",
    "spec/resources/onprem_app.rs",
];

const HEADING: &str = "## Reference: every field\n";

/// The reference section for the structs of `text` (from file `label`).
fn structs(label: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = lines[i]
            .strip_prefix("pub struct ")
            .and_then(|rest| rest.strip_suffix(" {"))
        else {
            i += 1;
            continue;
        };
        // Only the types of the format: those scenario files deserialise.
        let derives = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
            .any(|l| l.contains("Deserialize"));
        i += 1;
        if !derives {
            continue;
        }
        out.push_str(&format!("#### `{name}`  (sim-core/src/{label})\n"));
        let (mut doc, mut defaulted) = (Vec::new(), false);
        while i < lines.len() && lines[i] != "}" {
            let line = lines[i].trim();
            if let Some(d) = line.strip_prefix("///") {
                doc.push(d.trim());
            } else if line.starts_with("#[serde(default") {
                defaulted = true;
            } else if let Some(field) = line.strip_prefix("pub ") {
                let (field, ty) = field.split_once(": ").unwrap_or((field, ""));
                let ty = ty.trim_end_matches(',');
                let optional = defaulted || ty.starts_with("Option<");
                out.push_str(&format!(
                    "- `{field}`: `{ty}` ({}) — {}\n",
                    if optional { "optional" } else { "required" },
                    doc.join(" ")
                ));
                doc.clear();
                defaulted = false;
            }
            i += 1;
        }
        out.push('\n');
    }
    out
}

/// The reference section for the enums of `text` whose variants carry named fields (disaster kinds,
/// deployments, routing policies, runbook states and actions): each such variant's fields, as
/// `Variant.field`.
fn enums(label: &str, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(name) = lines[i]
            .strip_prefix("pub enum ")
            .and_then(|rest| rest.strip_suffix(" {"))
        else {
            i += 1;
            continue;
        };
        let derives = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
            .any(|l| l.contains("Deserialize"));
        i += 1;
        let mut section = String::new();
        let (mut doc, mut defaulted, mut variant) = (Vec::new(), false, None::<&str>);
        while i < lines.len() && lines[i] != "}" {
            let line = lines[i];
            if let Some(v) = line
                .strip_prefix("    ")
                .filter(|l| !l.starts_with(' '))
                .and_then(|l| l.strip_suffix(" {"))
            {
                variant = Some(v);
                doc.clear();
            } else if line == "    }," {
                variant = None;
            } else if let (Some(v), Some(body)) = (variant, line.strip_prefix("        ")) {
                let body = body.trim();
                if let Some(d) = body.strip_prefix("///") {
                    doc.push(d.trim());
                } else if body.starts_with("#[serde(default") {
                    defaulted = true;
                } else if let Some((field, ty)) = body.split_once(": ") {
                    let ty = ty.trim_end_matches(',');
                    let optional = defaulted || ty.starts_with("Option<");
                    section.push_str(&format!(
                        "- `{v}.{field}`: `{ty}` ({}) — {}\n",
                        if optional { "optional" } else { "required" },
                        doc.join(" ")
                    ));
                    doc.clear();
                    defaulted = false;
                }
            }
            i += 1;
        }
        if derives && !section.is_empty() {
            out.push_str(&format!("#### `{name}` variants  (sim-core/src/{label})\n"));
            out.push_str(&section);
            out.push('\n');
        }
    }
    out
}

fn generated(src: &Path) -> String {
    let mut out = String::from(HEADING);
    out.push_str(
        "\nGenerated from the scenario's types in `sim-core/src/spec/` by\n\
         `sim-core/tests/it/format_reference.rs` (refresh with `DRSIM_BLESS=1`); \"optional\" fields have the\n\
         default their description states. Enums whose variants carry fields (deployments, routing policies,\n\
         disaster kinds, runbook states and actions) list them as `Variant.field`; the sections above say\n\
         what each variant means.\n\n",
    );
    for file in FILES {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        out.push_str(&structs(file, &text));
        out.push_str(&enums(file, &text));
    }
    out.trim_end().to_string() + "\n"
}

#[test]
fn the_field_reference_is_the_format() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc_path = root.join("../docs/scenario-format.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let at = doc.find(HEADING).expect("the reference heading");
    let expected = generated(&root.join("src"));
    if std::env::var_os("DRSIM_BLESS").is_some() {
        std::fs::write(&doc_path, format!("{}{expected}", &doc[..at])).unwrap();
        return;
    }
    assert!(
        doc[at..] == expected,
        "docs/scenario-format.md's reference differs from the types in sim-core/src/spec: refresh it with \
         `DRSIM_BLESS=1 cargo test -p sim-core --test it format_reference` and review the diff"
    );
}

#[test]
fn every_spec_file_is_in_the_reference() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["spec", "spec/resources"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("Deserialize") && text.contains("pub struct ") {
                    files.push(path.strip_prefix(&root).unwrap().display().to_string());
                }
            }
        }
    }
    for file in files {
        assert!(
            FILES.contains(&file.as_str()),
            "{file} has format types: list it in FILES"
        );
    }
}
