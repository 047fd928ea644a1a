//! Writing output files safely, and the progress bar.
//!
//! Every file drsim writes (JSON, HTML, Markdown, JUnit, shard results) goes to a temporary file beside the
//! target and is renamed into place, so a reader never sees half a file; a Ctrl-C removes temporary files
//! in flight before exiting, so an interrupted run leaves nothing partial behind.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Temporary files being written now (removed on Ctrl-C).
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// Removes temporary files in flight and exits 130 on Ctrl-C. `main` installs it before any command runs,
/// so an interrupt during a long sweep exits 130 too (not killed by the signal); idempotent.
pub fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        // If a handler cannot be installed (another library owns the signal), writes are still atomic;
        // only the cleanup of a temp file interrupted mid-write is lost.
        let _ = ctrlc::set_handler(|| {
            // Held until the process exits: a write in progress holds it too, so it either finishes
            // (renamed into place, complete) before this runs, or never starts a new temporary file after.
            let files = IN_FLIGHT.lock();
            if let Ok(files) = &files {
                for f in files.iter() {
                    let _ = std::fs::remove_file(f);
                }
            }
            eprintln!("drsim: interrupted; no partial output was left behind");
            std::process::exit(130);
        });
    });
}

/// Writes `bytes` to `path` atomically (temporary file + rename in the same directory).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    install_interrupt_handler();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| format!("{}: not a file path", path.display()))?;
    let tmp = dir.join(format!(".{name}.drsim-{}.tmp", std::process::id()));
    // The lock is held for the whole write, so a Ctrl-C handler never runs between creating the temporary
    // file and registering it (or between its removal and a late write).
    let mut in_flight = IN_FLIGHT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    in_flight.push(tmp.clone());
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    in_flight.retain(|f| f != &tmp);
    drop(in_flight);
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// A progress bar on stderr for `total` replications, hidden when stderr is not a terminal.
pub fn progress(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} runs ({per_sec}, {eta} left)")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// Writes to stdout. A closed pipe (`drsim check … | head -1`) is not an error: the rest of stdout is
/// dropped while files are still written and the exit code still says what happened (`println!` would
/// panic with exit 101). Any other stdout error is reported once on stderr.
pub fn emit(args: std::fmt::Arguments<'_>) {
    static REPORTED: Once = Once::new();
    if let Err(e) = std::io::stdout().lock().write_fmt(args)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        REPORTED.call_once(|| eprintln!("drsim: cannot write to stdout: {e}"));
    }
}

/// Whether to colour stdout: a terminal, and NO_COLOR unset.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
