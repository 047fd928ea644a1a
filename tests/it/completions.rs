//! `drsim completions`.

use crate::{drsim, fails, ok};

#[test]
fn bash_completion_script_names_the_subcommands() {
    let script = ok(&drsim(&["completions", "bash"]));
    assert!(script.contains("_drsim()"), "{script}");
    assert!(script.contains("complete -F _drsim"), "{script}");
    for cmd in ["sweep", "merge", "check", "replay"] {
        assert!(script.contains(cmd), "{cmd} missing");
    }
    for shell in ["zsh", "fish"] {
        assert!(ok(&drsim(&["completions", shell])).contains("drsim"));
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let err = fails(&drsim(&["completions", "tcsh"]), 2);
    assert!(err.contains("bash"), "{err}");
}
