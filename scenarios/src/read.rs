//! Reading an input file safely: a regular file only, and at most a given size.
//!
//! Every file drsim reads (scenarios, their `extends` bases, results for `merge`, `report` and
//! `check --baseline`) goes through [`read_regular`]. The file type is checked *before* opening, because
//! opening a FIFO that has no writer blocks forever, and a device (`/dev/zero`) never ends; the size is
//! checked before reading (a sparse 50 GB file costs nothing to refuse), and the read stops one byte past
//! the limit in case the file grows meanwhile.
//!
//! Residual window: a file replaced by a FIFO between the check and the open can still block that open.
//! Only someone who can already write the input's directory can do that, and the cost is a hang, not a
//! wrong result; what was opened is checked again.

use std::fmt;
use std::fs::{File, FileType};
use std::io::Read;
use std::path::Path;

/// Why an input file could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// Nothing at that path: the caller knows what was expected there.
    NotFound,
    /// Not a regular file: a directory, a FIFO, a device or a socket (what it is, for the message).
    NotRegular(&'static str),
    /// Larger than `limit` bytes (`len`: its size, when the file system said).
    TooLarge {
        /// Its size, when known before reading.
        len: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// Any other failure of the operating system (permissions, I/O).
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "no such file"),
            ReadError::NotRegular(kind) => write!(
                f,
                "{kind}, not a regular file; drsim reads only regular files (a pipe or a device could block or never end)"
            ),
            ReadError::TooLarge {
                len: Some(len),
                limit,
            } => write!(f, "file is {len} bytes; the limit is {limit} bytes"),
            ReadError::TooLarge { len: None, limit } => {
                write!(f, "more than {limit} bytes; the limit is {limit} bytes")
            }
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// What a non-regular file is, in words: `a directory`, `a FIFO (named pipe)`, `a character device`, ...
pub fn kind_of(file_type: &FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Reads the regular file at `path` (a symbolic link is followed to one), refusing anything else and
/// anything over `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular(kind_of(&metadata.file_type())));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge {
            len: Some(metadata.len()),
            limit,
        });
    }
    let file = File::open(path).map_err(io)?;
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() {
        return Err(ReadError::NotRegular(kind_of(&opened.file_type())));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len().min(limit)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { len: None, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_nothing_else() {
        let dir = std::env::temp_dir().join(format!("drsim-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular(&file, 5).unwrap(), b"12345");
        assert!(matches!(
            read_regular(&file, 4),
            Err(ReadError::TooLarge {
                len: Some(5),
                limit: 4
            })
        ));
        assert!(matches!(
            read_regular(&dir, 5),
            Err(ReadError::NotRegular("a directory"))
        ));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 5),
            Err(ReadError::NotRegular("a character device"))
        ));
        assert!(matches!(
            read_regular(&dir.join("nope"), 5),
            Err(ReadError::NotFound)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
