//! The data directory holds minors' personal information: its folders are made `0700` and
//! its files `0600`, whatever the process's umask, so that no other account on the machine
//! can read them. (On systems without Unix modes these are plain creates.)

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

/// The mode of every folder the server makes in the data directory.
pub const FOLDER_MODE: u32 = 0o700;
/// The mode of every file the server makes in the data directory.
pub const FILE_MODE: u32 = 0o600;

/// Makes `dir` (and missing parents) for the server's use only, and sets `dir` itself to
/// [`FOLDER_MODE`] if it existed already.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, FOLDER_MODE);
    builder.create(dir)?;
    set_mode(dir, FOLDER_MODE)
}

/// Open options that create a file with [`FILE_MODE`].
pub fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options
}

/// Sets `path` to [`FILE_MODE`] if it exists (files made by others, such as SQLite's).
pub fn make_private_if_present(path: &Path) -> io::Result<()> {
    match set_mode(path, FILE_MODE) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_the_servers_alone() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a").join("b");
        create_private_dir_all(&nested).unwrap();
        assert_eq!((mode(&root.path().join("a")), mode(&nested)), (FOLDER_MODE, FOLDER_MODE));
        let file = nested.join("f");
        private_file_options().write(true).create(true).truncate(false).open(&file).unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        make_private_if_present(&nested.join("absent")).unwrap();
    }
}
