//! sim-core's layers import only downward:
//! `engine → spec → model → services → runbook → world → measure → cost → validate → sweep → budget →
//! advise`.
//!
//! The check reads every file under `src/`, finds each `crate::LAYER` it uses (in `use` statements, grouped
//! ones included, and in inline paths), and fails on any that names a higher layer. Comments are skipped
//! (a doc link to a higher layer is documentation, not a dependency), as are test code (`mod tests`, files
//! named `*tests.rs`/`testing.rs`) and items right under `#[cfg(test)]` — the registry's test-only dummy
//! service line among them.

use std::path::{Path, PathBuf};

/// The layers, lowest first. `demo` is a self-contained example model on top of the engine.
const LAYERS: &[&str] = &[
    "engine", "spec", "model", "services", "runbook", "world", "measure", "cost", "validate",
    "sweep", "budget", "advise", "demo",
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|&l| l == module)
}

/// The layer a source file belongs to: its top-level module (`src/world/refresh.rs` → `world`).
fn layer_of(relative: &Path) -> Option<usize> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    layer(first.trim_end_matches(".rs"))
}

/// Every upward import in `(path relative to src, text)` files, as `"file:line: LAYER uses crate::HIGHER"`.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(own) = layer_of(path) else { continue };
        if name.ends_with("tests.rs") || name == "testing.rs" {
            continue;
        }
        let mut previous = "";
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("#[cfg(test)]")
                && text
                    .lines()
                    .nth(i + 1)
                    .is_some_and(|l| l.trim_start().starts_with("mod tests"))
            {
                break;
            }
            let exempt = previous.trim_start().starts_with("#[cfg(test)]");
            previous = line;
            if exempt || code.starts_with("//") {
                continue;
            }
            let code = code.split("//").next().unwrap_or("");
            for used in code.split("crate::").skip(1) {
                let module: String = used
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // `use crate::{a::x, b::y}` names several layers in one statement.
                let modules: Vec<String> = if module.is_empty() && used.starts_with('{') {
                    used[1..]
                        .split(',')
                        .map(|part| {
                            part.trim()
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect()
                        })
                        .collect()
                } else {
                    vec![module]
                };
                for module in modules {
                    if let Some(theirs) = layer(&module)
                        && theirs > own
                    {
                        found.push(format!(
                            "{}:{}: {} uses crate::{module}, a higher layer",
                            path.display(),
                            i + 1,
                            LAYERS[own]
                        ));
                    }
                }
            }
        }
    }
    found
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            out.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn every_layer_imports_only_downward() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    // Every top-level module is placed in a layer (lib.rs itself only declares them).
    for (path, _) in &files {
        if path != Path::new("lib.rs") {
            assert!(
                layer_of(path).is_some(),
                "{} is in no layer: add it to LAYERS",
                path.display()
            );
        }
    }
    let found = violations(&files);
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}

#[test]
fn an_upward_import_is_caught_wherever_it_is_written() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let found = violations(&[
        file(
            "model/store.rs",
            "use crate::engine::time::SimTime;\nuse crate::world::World;\n",
        ),
        file(
            "spec/mod.rs",
            "use crate::{engine::dist::Dist, services::rds::Rds};\n",
        ),
        file(
            "services/rds.rs",
            "fn f() { crate::sweep::run_replication(); }\n",
        ),
        file(
            "world/mod.rs",
            "//! see [`crate::measure`]\nuse crate::model::Ctx;\n",
        ),
        file(
            "spec/registry.rs",
            "#[cfg(test)]\nDummy(crate::services::dummy::DummyConfig)\n",
        ),
        file(
            "model/topology.rs",
            "#[cfg(test)]\nmod tests {\n    use crate::world::World;\n}\n",
        ),
    ]);
    assert_eq!(
        found,
        [
            "model/store.rs:2: model uses crate::world, a higher layer",
            "spec/mod.rs:1: spec uses crate::services, a higher layer",
            "services/rds.rs:1: services uses crate::sweep, a higher layer",
        ]
    );
}
