//! `drsim validate`: exit 0 for a good scenario, 2 with `file:line:col` and a suggestion for a bad one.

use crate::{arg, drsim, fails, ok, tmp};

#[test]
fn a_builtin_is_valid() {
    let text = ok(&drsim(&["validate", "pilot-light"]));
    assert!(text.starts_with("pilot-light: ok ("), "{text}");
    assert!(text.contains("2 Regions"), "{text}");
}

#[test]
fn a_misspelt_field_names_file_line_column_and_the_fix() {
    let dir = tmp();
    let path = arg(dir.path(), "bad.ron");
    std::fs::write(&path, "(\n    name: \"x\",\n    horizn: \"1h\",\n)\n").unwrap();
    let err = fails(&drsim(&["validate", &path]), 2);
    assert!(err.contains(&format!("{path}:3:5")), "{err}");
    assert!(err.contains("did you mean \"horizon\""), "{err}");
}

#[test]
fn a_file_extending_a_builtin_with_a_bad_value_is_located() {
    let dir = tmp();
    let path = arg(dir.path(), "bad.ron");
    std::fs::write(
        &path,
        "(\n    extends: \"pilot-light\",\n    name: \"mine\",\n    horizon: \"0s\",\n)\n",
    )
    .unwrap();
    let err = fails(&drsim(&["validate", &path]), 2);
    assert!(err.contains(&format!("{path}:4:")), "{err}");
    assert!(err.contains("horizon"), "{err}");
}

#[test]
fn an_unknown_name_suggests_the_closest_builtin() {
    let err = fails(&drsim(&["validate", "pilot-lite"]), 2);
    assert!(
        err.contains("did you mean the built-in \"pilot-light\""),
        "{err}"
    );
    assert!(err.contains("drsim list"), "{err}");
}

#[test]
fn bad_overrides_and_disasters_are_input_errors() {
    let err = fails(
        &drsim(&["validate", "pilot-light", "--set", "horizn=2h"]),
        2,
    );
    assert!(err.contains("did you mean `horizon`"), "{err}");
    let err = fails(
        &drsim(&["validate", "pilot-light", "--disaster", "flood"]),
        2,
    );
    assert!(err.contains("region-outage"), "{err}");
}

#[test]
fn a_device_is_not_read_forever() {
    // /dev/zero reports length 0 and never ends: the loader refuses it by its type, before reading.
    let err = fails(&drsim(&["validate", "/dev/zero"]), 2);
    assert!(
        err.contains("character device, not a regular file"),
        "{err}"
    );
}
