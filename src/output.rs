//! Where output goes — files and stdout — checked before the work and written so that nothing is
//! overwritten that should not be, nothing is left half-written, and every failure shows in the exit code.
//!
//! The rules, by what an output path is:
//! - **A regular file, or nothing yet**: written atomically. The bytes go to a temporary file created in
//!   the target's directory with `O_EXCL` and an unpredictable name, `.NAME.drsim-PID-RANDOM.tmp` (so
//!   nothing planted at a temporary path is ever followed or truncated), with the permissions any new file
//!   gets (0666 less the umask); it is synced and renamed over the target, so a reader sees the old file or
//!   the whole new one.
//! - **A device, a FIFO or a socket, or a symbolic link to one** (`/dev/null`, `/dev/stdout`,
//!   `/proc/self/fd/1`): opened for writing as it is — never created, truncated or renamed over — and
//!   written directly. (A FIFO's open waits for its reader, as a shell's `>` does.)
//! - **A descriptor**: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N` name a stream the
//!   caller handed drsim, whatever is behind it (a pipe, a terminal, a regular file after `>`): 1 and 2
//!   are written through drsim's own stdout and stderr (so `--out /dev/stdout > f` keeps the results and
//!   the summary in order), others are opened and written in place.
//! - **A symbolic link to a regular file, or to nothing**: refused (exit 2). Writing through it would
//!   follow a link anyone who can write the directory may have planted (and bypass the kernel's
//!   `protected_symlinks`); replacing it would break the link. Name the file itself.
//! - **A directory**, or a path with no file name: refused (exit 2).
//!
//! Before the work starts ([`plan`]), every output is checked: no output may be an input of the command
//! or another output (the same file by path after resolving `.`/`..`/links in the directory, or by
//! device and inode — a hard link — when it exists; exit 2); a temporary file is created in (and removed
//! from) each regular output's directory, and each direct output is opened, so an unwritable location fails
//! at once, not after a long sweep (exit 3). Stale temporaries of the same target are removed then: see
//! [`remove_stale`].
//!
//! A Ctrl-C removes temporary files in flight before exiting 130, so an interrupted run leaves nothing
//! partial behind. Writes to stdout go through [`emit`]: a reader that goes away (`| head -1`) is not an
//! error; any other failure is reported once and makes the exit code 3.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, SystemTime};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tempfile::NamedTempFile;

/// Temporary files being written now (removed on Ctrl-C).
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// A temporary file whose writer is no longer running is stale after this long (a grace for writers on
/// another machine sharing the directory, whose process ids mean nothing here).
const STALE_DEAD_WRITER: Duration = Duration::from_secs(60);
/// Any temporary of ours is stale after this long: a write takes seconds.
const STALE_ANY: Duration = Duration::from_secs(15 * 60);
/// At most this many bytes of the target's name go into a temporary's name (names are limited to 255).
const NAME_IN_TEMP: usize = 100;

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
            note(format_args!(
                "drsim: interrupted; no partial output was left behind"
            ));
            std::process::exit(130);
        });
    });
}

/// Why an output cannot be written.
#[derive(Debug)]
pub struct OutputError {
    /// What went wrong, for people.
    pub message: String,
    /// `true`: drsim refuses the path by its rules (exit 2); `false`: the system refused (exit 3).
    pub refused: bool,
}

impl OutputError {
    fn refused(message: String) -> OutputError {
        OutputError {
            message,
            refused: true,
        }
    }

    fn io(message: String) -> OutputError {
        OutputError {
            message,
            refused: false,
        }
    }
}

/// One output of a command, checked writable by [`plan`].
#[derive(Debug)]
pub struct Output {
    /// The flag that named it (`--out`), for messages.
    flag: &'static str,
    path: PathBuf,
    sink: Sink,
}

#[derive(Debug)]
enum Sink {
    /// A regular file, or none yet: a temporary file in `dir`, renamed over the path.
    Atomic { dir: PathBuf },
    /// A device, FIFO or socket, opened before the work: written in place.
    Direct(File),
    /// The process's own stdout (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`).
    Stdout,
    /// The process's own stderr.
    Stderr,
}

/// What an output path is, before any file is touched.
enum Kind {
    /// A regular file that exists (its device and inode).
    Existing(u64, u64),
    /// Nothing yet.
    New,
    /// A device, FIFO or socket, or a link to one.
    Direct,
    /// A file descriptor of this process, named by path (`/dev/stdout`, `/proc/self/fd/3`).
    Descriptor(u32),
}

impl Output {
    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes`, atomically to a regular file, in place to a device or FIFO. A device whose reader
    /// went away (a closed pipe behind `/dev/stdout`) drops the rest silently, as stdout does.
    pub fn write(&self, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_with(|w| w.write_all(bytes))
    }

    /// Writes what `fill` writes, through a buffer, with [`write`](Self::write)'s guarantees: a large
    /// results file goes out row by row instead of being built in memory first.
    pub fn write_with(
        &self,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let failed = |e: std::io::Error| {
            OutputError::io(format!(
                "cannot write {} {}: {e}",
                self.flag,
                self.path.display()
            ))
        };
        let buffered = |w: &mut dyn Write| -> std::io::Result<()> {
            let mut buffer = std::io::BufWriter::with_capacity(1 << 16, w);
            fill(&mut buffer)?;
            buffer.flush()
        };
        match &self.sink {
            Sink::Direct(file) => {
                let mut file: &File = file;
                in_place(buffered(&mut file)).map_err(failed)
            }
            Sink::Stdout => {
                let mut out = std::io::stdout().lock();
                in_place(buffered(&mut out).and_then(|()| out.flush())).map_err(failed)
            }
            Sink::Stderr => in_place(buffered(&mut std::io::stderr().lock())).map_err(failed),
            Sink::Atomic { dir } => {
                // The lock is held for the whole write, so a Ctrl-C handler never runs between creating the
                // temporary file and registering it (or between its removal and a late write).
                let mut in_flight = IN_FLIGHT
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let mut tmp = temporary(dir, self.name()).map_err(failed)?;
                let tmp_path = tmp.path().to_path_buf();
                in_flight.push(tmp_path.clone());
                let written = buffered(&mut tmp).and_then(|()| tmp.as_file().sync_all());
                // On failure the temporary file is dropped, which removes it.
                let result =
                    written.and_then(|()| tmp.persist(&self.path).map(drop).map_err(|e| e.error));
                in_flight.retain(|p| p != &tmp_path);
                result.map_err(failed)
            }
        }
    }

    fn name(&self) -> &OsStr {
        self.path.file_name().unwrap_or_default()
    }
}

/// The result of a write in place: a reader that went away (a closed pipe) is not a failure.
fn in_place(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The descriptor a path names, if it is one of this process's: `/dev/stdout` (1), `/dev/stderr` (2),
/// `/dev/fd/N`, `/proc/self/fd/N` (also `/proc/thread-self/fd/N` and `/proc/PID/fd/N` with our pid).
fn descriptor(path: &Path) -> Option<u32> {
    let text = path.to_str()?;
    match text {
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let own = format!("/proc/{}/fd/", std::process::id());
    [
        "/dev/fd/",
        "/proc/self/fd/",
        "/proc/thread-self/fd/",
        own.as_str(),
    ]
    .iter()
    .find_map(|prefix| text.strip_prefix(prefix))
    .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    .and_then(|n| n.parse().ok())
}

/// Checks the outputs a command will write, before any work: `wanted` names each by its flag; `inputs`
/// are the files the command reads, `(what, path)` (`("scenario file", …)`), which no output may be.
/// Returns the outputs in the order given (`None` where a flag was not given). See the module docs.
pub fn plan<const N: usize>(
    wanted: [(&'static str, Option<&Path>); N],
    inputs: &[(&str, &Path)],
) -> Result<[Option<Output>; N], OutputError> {
    // 1. What each path is, refusing what drsim will not write; nothing is created yet.
    let mut kinds = Vec::new();
    for (flag, path) in wanted.iter().filter_map(|&(f, p)| p.map(|p| (f, p))) {
        kinds.push((flag, path, kind(flag, path)?));
    }
    // 2. No output is an input or another output.
    let identity = |path: &Path, kind: &Kind| match kind {
        Kind::Existing(dev, ino) => Some(Identity::Inode(*dev, *ino)),
        Kind::New => Some(Identity::Path(resolved(path))),
        Kind::Direct | Kind::Descriptor(_) => None,
    };
    for (i, (flag, path, kind)) in kinds.iter().enumerate() {
        let Some(id) = identity(path, kind) else {
            continue;
        };
        for (what, input) in inputs {
            if let Ok(m) = std::fs::metadata(input)
                && id == Identity::Inode(m.dev(), m.ino())
            {
                return Err(OutputError::refused(format!(
                    "{flag} {} is the {what} {} this command reads: writing it would destroy its own input; choose another file",
                    path.display(),
                    input.display()
                )));
            }
        }
        for (other_flag, other, other_kind) in &kinds[..i] {
            if identity(other, other_kind).as_ref() == Some(&id) {
                return Err(OutputError::refused(format!(
                    "{other_flag} {} and {flag} {} are the same file: one would overwrite the other; give each its own file",
                    other.display(),
                    path.display()
                )));
            }
        }
    }
    // 3. Each location is writable: open what is written in place; create a temporary file where one
    // will be created, and clean up stale ones of the same target.
    let mut planned = Vec::new();
    for (flag, path, kind) in kinds {
        let sink = match kind {
            Kind::Descriptor(1) => Sink::Stdout,
            Kind::Descriptor(2) => Sink::Stderr,
            Kind::Direct | Kind::Descriptor(_) => Sink::Direct(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| {
                        OutputError::io(format!(
                            "{flag} {}: cannot open for writing: {e}",
                            path.display()
                        ))
                    })?,
            ),
            Kind::Existing(..) | Kind::New => {
                let dir = directory(path);
                probe(flag, path, &dir)?;
                Sink::Atomic { dir }
            }
        };
        planned.push(Output {
            flag,
            path: path.to_path_buf(),
            sink,
        });
    }
    let mut planned = planned.into_iter();
    Ok(wanted.map(|(_, p)| p.and_then(|_| planned.next())))
}

/// The same file: by device and inode when it exists, by resolved path when it does not yet.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    Inode(u64, u64),
    Path(PathBuf),
}

/// Classifies `path`, refusing links to regular files, directories and paths without a file name.
fn kind(flag: &str, path: &Path) -> Result<Kind, OutputError> {
    let shown = path.display();
    if path.file_name().is_none() {
        return Err(OutputError::refused(format!(
            "cannot write {shown}: not a file path"
        )));
    }
    if let Some(fd) = descriptor(path) {
        return Ok(Kind::Descriptor(fd));
    }
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kind::New),
        Err(e) => return Err(OutputError::io(format!("cannot write {shown}: {e}"))),
    };
    let file_type = meta.file_type();
    if file_type.is_symlink() {
        return match std::fs::metadata(path) {
            Ok(target) if target.is_file() || target.is_dir() => {
                Err(OutputError::refused(format!(
                    "{flag} {shown} is a symbolic link to {}: drsim replaces output files whole and does not write through links (another user may have planted one); name the file itself, or remove the link",
                    if target.is_dir() {
                        "a directory"
                    } else {
                        "a regular file"
                    }
                )))
            }
            Ok(_) => Ok(Kind::Direct),
            Err(_) => Err(OutputError::refused(format!(
                "{flag} {shown} is a symbolic link to nothing: drsim does not create files through links; name the file itself, or remove the link"
            ))),
        };
    }
    if file_type.is_dir() {
        return Err(OutputError::refused(format!(
            "cannot write {shown}: not a file path (it is a directory)"
        )));
    }
    if file_type.is_file() {
        Ok(Kind::Existing(meta.dev(), meta.ino()))
    } else {
        Ok(Kind::Direct)
    }
}

/// The directory an output's temporary file goes in.
fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A path that does not exist yet, its directory resolved (`.`, `..`, links), so that two spellings of
/// one new file compare equal.
fn resolved(path: &Path) -> PathBuf {
    let dir = directory(path);
    std::fs::canonicalize(&dir)
        .unwrap_or(dir)
        .join(path.file_name().unwrap_or_default())
}

/// The prefix of a temporary file for target `name`: `.NAME.drsim-PID-` (NAME cut to [`NAME_IN_TEMP`]
/// bytes).
fn temp_prefix(name: &OsStr, pid: u32) -> OsString {
    let bytes = name.as_bytes();
    let mut prefix = b".".to_vec();
    prefix.extend_from_slice(&bytes[..bytes.len().min(NAME_IN_TEMP)]);
    prefix.extend_from_slice(format!(".drsim-{pid}-").as_bytes());
    OsString::from_vec(prefix)
}

/// Creates a temporary file for target `name` in `dir`: `O_EXCL`, a random part, mode 0666 less the umask.
fn temporary(dir: &Path, name: &OsStr) -> std::io::Result<NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&temp_prefix(name, std::process::id()))
        .suffix(".tmp")
        .rand_bytes(12)
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
}

/// Checks that a temporary file can be created in `dir` (and removes it), then removes stale temporaries
/// of the same target, owned by whoever owns the file just created.
fn probe(flag: &str, path: &Path, dir: &Path) -> Result<(), OutputError> {
    let name = path.file_name().unwrap_or_default();
    let uid = {
        let mut in_flight = IN_FLIGHT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let made = temporary(dir, name).and_then(|tmp| {
            let tmp_path = tmp.path().to_path_buf();
            in_flight.push(tmp_path.clone());
            let uid = tmp.as_file().metadata().map(|m| m.uid());
            let closed = tmp.close();
            in_flight.retain(|p| p != &tmp_path);
            closed.and(uid)
        });
        made.map_err(|e| {
            OutputError::io(match e.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "cannot write {flag} {}: directory {} does not exist",
                    path.display(),
                    dir.display()
                ),
                _ => format!(
                    "cannot write {flag} {}: cannot create files in {}: {e}",
                    path.display(),
                    dir.display()
                ),
            })
        })?
    };
    remove_stale(dir, name, uid);
    Ok(())
}

/// Removes the stale temporaries of target `name` in `dir` that a killed write left behind. A file is
/// removed only if all of these hold: its name is one drsim gives this target's temporaries
/// (`.NAME.drsim-PID-RANDOM.tmp`, or `.NAME.drsim-PID.tmp` from drsim before 0.2); it is a regular file
/// (not a link, not a directory) with one link; it belongs to `uid`, the owner drsim's own new files get
/// here; and either its writer (PID) is not running on this machine and it is over a minute old, or it is
/// over fifteen minutes old. Anything else is left alone; failures are ignored (cleanup is a courtesy).
fn remove_stale(dir: &Path, name: &OsStr, uid: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let proc_visible = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = temp_writer(&file_name, name) else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.file_type().is_file() || meta.nlink() != 1 || meta.uid() != uid {
            continue;
        }
        let age = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or_default();
        let writer_gone = proc_visible && !Path::new("/proc").join(pid.to_string()).exists();
        if age > STALE_ANY || (writer_gone && age > STALE_DEAD_WRITER) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The writer's process id, if `file_name` is the name of a temporary file for target `name`.
fn temp_writer(file_name: &OsStr, name: &OsStr) -> Option<u32> {
    let bytes = file_name.as_bytes();
    let prefix = temp_prefix(name, 0);
    // `.NAME.drsim-`: the prefix without its pid and final `-`.
    let stem = &prefix.as_bytes()[..prefix.len() - 2];
    let rest = bytes.strip_prefix(stem)?.strip_suffix(b".tmp")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (pid, random) = rest.split_at(digits);
    let random_ok = match random {
        [] => true,
        [b'-', random @ ..] => {
            (1..=32).contains(&random.len()) && random.iter().all(u8::is_ascii_alphanumeric)
        }
        _ => false,
    };
    if !(1..=10).contains(&digits) || !random_ok {
        return None;
    }
    std::str::from_utf8(pid).ok()?.parse().ok()
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
    bar.set_message(printable_text(what));
    bar
}

/// Whether a write to stdout has failed (other than a closed pipe).
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout. A closed pipe (`drsim check … | head -1`) is not an error: the rest of stdout is
/// dropped while files are still written and the exit code still says what happened (`println!` would
/// panic with exit 101). Any other stdout error (`> /dev/full`, a full disk) is reported once on stderr
/// and makes the exit code 3 (see [`stdout_ok`]).
pub fn emit(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args) {
        stdout_failed(&e);
    }
}

fn stdout_failed(e: &std::io::Error) {
    static REPORTED: Once = Once::new();
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        STDOUT_FAILED.store(true, Ordering::SeqCst);
        REPORTED.call_once(|| note(format_args!("drsim: cannot write to stdout: {e}")));
    }
}

/// Flushes stdout; whether everything written to it arrived (a reader that went away counts as arrived).
pub fn stdout_ok() -> bool {
    if let Err(e) = std::io::stdout().lock().flush() {
        stdout_failed(&e);
    }
    !STDOUT_FAILED.load(Ordering::SeqCst)
}

/// Writes a line to stderr, ignoring failure (a message about a failure must not become a panic).
pub fn note(args: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{args}");
}

/// Whether to colour stdout: a terminal, and NO_COLOR unset.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Text for a terminal or a text file: control characters that are not line breaks, shown as escapes
/// (see [`report::human::printable`]), line by line.
pub fn printable_text(text: &str) -> String {
    text.split('\n')
        .map(|line| report::human::printable(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_and_descriptor_names_are_recognised() {
        let writer = |file: &str, target: &str| temp_writer(OsStr::new(file), OsStr::new(target));
        assert_eq!(
            writer(".r.json.drsim-42-aZ09aZ09aZ09.tmp", "r.json"),
            Some(42)
        );
        assert_eq!(writer(".r.json.drsim-42.tmp", "r.json"), Some(42));
        for (file, target) in [
            (".r.json.drsim-42.tmp", "r"),
            (".r.json.drsim-42.tmp", "r.json.drsim-42"),
            (".r.json.drsim-.tmp", "r.json"),
            (".r.json.drsim-42-.tmp", "r.json"),
            (".r.json.drsim-42-a.b.tmp", "r.json"),
            (".r.json.drsim-42x.tmp", "r.json"),
            (".r.json.drsim-12345678901.tmp", "r.json"),
            ("r.json.drsim-42.tmp", "r.json"),
            (".r.json.drsim-42.tmp.bak", "r.json"),
        ] {
            assert_eq!(writer(file, target), None, "{file} for {target}");
        }
        assert_eq!(descriptor(Path::new("/dev/stdout")), Some(1));
        assert_eq!(descriptor(Path::new("/proc/self/fd/2")), Some(2));
        assert_eq!(descriptor(Path::new("/dev/fd/7")), Some(7));
        for path in [
            "/dev/fd/",
            "/dev/fd/1/x",
            "/proc/self/fd/one",
            "./dev/stdout",
            "/dev/null",
        ] {
            assert_eq!(descriptor(Path::new(path)), None, "{path}");
        }
        // A long target name is cut in the temporary's name, and still recognised.
        let long = "x".repeat(200);
        let tmp = temp_prefix(OsStr::new(&long), 7);
        let tmp = format!("{}abc.tmp", tmp.to_string_lossy());
        assert!(tmp.len() < 255);
        assert_eq!(writer(&tmp, &long), Some(7));
    }
}
