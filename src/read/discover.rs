//! Paths → the files to read, in a deterministic order, with their stable ids.

use super::input::open_reason;
use super::{Format, ReadError, SourceFile};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Finds the files to read under `paths`.
///
/// - `-` is standard input.
/// - A file given directly is read whatever its name; its `rel` is its file name.
/// - A folder is walked recursively in name order, following symbolic links (loops are
///   reported, not followed), skipping dot-files and dot-folders and files whose extension
///   is not an article format (images, archives, executables…: anything but txt, text,
///   md, markdown, jsonl, ndjson, json, csv, tsv, html, htm, those with `.gz`, and files
///   without an extension). `rel` is `<folder name>/<path inside it>` with `/` separators,
///   so the same archive gets the same ids from wherever it is indexed.
///
/// Paths that do not exist, cannot be read or are broken links go to `on_error`, and the
/// rest is still returned. A file reached twice (through two of the given paths) is
/// listed once.
pub fn discover(paths: &[PathBuf], on_error: &mut dyn FnMut(ReadError)) -> Vec<SourceFile> {
    let mut files = Vec::new();
    discover_each(paths, on_error, &mut |f| {
        files.push(f);
        true
    });
    files
}

/// [`discover`], handing each file to `on_file` as soon as it is found, so reading can
/// start while a big archive is still being walked. Stops when `on_file` returns false.
pub fn discover_each(
    paths: &[PathBuf],
    on_error: &mut dyn FnMut(ReadError),
    on_file: &mut dyn FnMut(SourceFile) -> bool,
) {
    // The same file reached through two of the paths (`index bbc bbc/politics`) is
    // listed once, the first time.
    let mut seen = HashSet::new();
    let mut on_file = |f: SourceFile| {
        if paths.len() > 1 && !f.is_stdin() {
            let key = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
            if !seen.insert(key) {
                return true;
            }
        }
        on_file(f)
    };
    for path in paths {
        if path.as_os_str() == "-" {
            if !on_file(SourceFile::stdin()) {
                return;
            }
            continue;
        }
        let shown = path.display().to_string();
        let go_on = match std::fs::metadata(path) {
            Err(e) => {
                let broken_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
                let reason = if broken_link {
                    "is a broken symbolic link; fix or remove it".to_string()
                } else {
                    open_reason(&e)
                };
                on_error(ReadError::file(shown, reason));
                true
            }
            Ok(m) if m.is_dir() => walk(path, on_error, &mut on_file),
            // Files, but also pipes and devices such as `<(zcat dump.gz)`, which the user
            // named on purpose.
            Ok(m) => on_file(SourceFile {
                path: path.clone(),
                rel: file_name(path),
                len: if m.is_file() { m.len() } else { 0 },
            }),
        };
        if !go_on {
            return;
        }
    }
}

/// About how many files [`discover`] would find under `paths`, for a progress total:
/// the same names are kept, but symbolic links are not followed and the same file given
/// twice is counted twice. Reads the folders only, with no `stat` per file, so it costs a
/// sixth of a walk.
pub fn count_files(paths: &[PathBuf]) -> usize {
    let mut n = 0;
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                n += WalkDir::new(path)
                    .into_iter()
                    .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
                    .filter_map(Result::ok)
                    .filter(|e| {
                        e.depth() > 0
                            && !e.file_type().is_dir()
                            && wanted_in_folder(&e.file_name().to_string_lossy())
                    })
                    .count();
            }
            Ok(_) => n += 1,
            Err(_) if path.as_os_str() == "-" => n += 1,
            Err(_) => {}
        }
    }
    n
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The name that prefixes ids under `root`: its last component, resolving `.` and `..`.
fn root_name(root: &Path) -> String {
    let named = root
        .file_name()
        .filter(|_| !root.ends_with(".") && !root.ends_with(".."));
    let name = match named {
        Some(n) => Some(n.to_os_string()),
        None => std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_os_string())),
    };
    name.map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Whether a file found inside a folder looks like an article source by its name.
pub(crate) fn wanted_in_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let inner = lower.strip_suffix(".gz").unwrap_or(&lower);
    // A folder's README, LICENSE and the like describe the archive; they are not news.
    // (Given by name on the command line, they are still read.)
    let stem = inner.split('.').next().unwrap_or(inner);
    if matches!(
        stem,
        "readme" | "license" | "licence" | "copying" | "changelog" | "notice" | "authors"
    ) {
        return false;
    }
    match Path::new(inner).extension().and_then(|e| e.to_str()) {
        None => true,
        // `2024.01 report` or `v1.2`: a dot inside a name is not an extension.
        Some(ext)
            if ext.contains(' ') || ext.len() > 10 || ext.chars().all(|c| c.is_ascii_digit()) =>
        {
            true
        }
        Some(ext) => Format::from_extension(ext).is_some(),
    }
}

/// Walks a folder; false if `on_file` asked to stop.
fn walk(
    root: &Path,
    on_error: &mut dyn FnMut(ReadError),
    on_file: &mut dyn FnMut(SourceFile) -> bool,
) -> bool {
    let prefix = root_name(root);
    let walker = WalkDir::new(root)
        .follow_links(true)
        // Entries sorted together are siblings, so comparing whole paths compares their
        // names, without `sort_by_file_name`'s re-parsing of both paths at every
        // comparison (a third of the walk's CPU at 100,000 files).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                on_error(walk_error(&e));
                continue;
            }
        };
        if !entry.file_type().is_file() || entry.depth() == 0 {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if !wanted_in_folder(&name) {
            continue;
        }
        let inside = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let mut rel = String::with_capacity(prefix.len() + 1 + inside.as_os_str().len());
        if !prefix.is_empty() {
            rel.push_str(&prefix);
            rel.push('/');
        }
        rel.push_str(&inside.to_string_lossy());
        if std::path::MAIN_SEPARATOR != '/' {
            rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
        }
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let file = SourceFile {
            path: entry.into_path(),
            rel,
            len,
        };
        if !on_file(file) {
            return false;
        }
    }
    true
}

fn walk_error(e: &walkdir::Error) -> ReadError {
    let shown = e
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "a folder".to_string());
    if let Some(ancestor) = e.loop_ancestor() {
        return ReadError::file(
            shown,
            format!(
                "is a symbolic link back to {}, a loop; skipped it",
                ancestor.display()
            ),
        );
    }
    let reason = match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            let link = e
                .path()
                .is_some_and(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_symlink()));
            if link {
                "is a broken symbolic link; fix or remove it".to_string()
            } else {
                "disappeared while the folder was read; skipped".to_string()
            }
        }
        Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            "cannot be read (permission denied); check its permissions".to_string()
        }
        Some(io) => format!("could not be read ({io}); skipped"),
        None => format!("could not be read ({e}); skipped"),
    };
    ReadError::file(shown, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn discover_all(paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<String>) {
        let mut errors = Vec::new();
        let files = discover(paths, &mut |e| errors.push(e.to_string()));
        (files, errors)
    }

    fn rels(files: &[SourceFile]) -> Vec<&str> {
        files.iter().map(|f| f.rel.as_str()).collect()
    }

    // The progress total of a big archive comes from this count: it must keep and skip
    // the same names as the walk.
    #[test]
    fn the_count_agrees_with_the_walk() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("archive");
        fs::create_dir_all(root.join("sport/2024")).expect("mkdir");
        fs::create_dir_all(root.join(".git")).expect("mkdir");
        for f in [
            "sport/2024/a.txt",
            "sport/b.jsonl.gz",
            "c",
            "README.md",
            "photo.jpg",
            ".hidden.txt",
            ".git/config.txt",
        ] {
            fs::write(root.join(f), "x").expect("write");
        }
        let single = dir.path().join("one.csv");
        fs::write(&single, "x").expect("write");
        let paths = [root, single, PathBuf::from("-")];
        let (files, errors) = discover_all(&paths);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(files.len(), 5, "{:?}", rels(&files));
        assert_eq!(count_files(&paths), files.len());
    }

    #[test]
    fn folder_ids_are_relative_to_root_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("archive");
        fs::create_dir_all(root.join("politics/2024")).expect("mkdir");
        fs::write(root.join("politics/2024/b.txt"), "x").expect("write");
        fs::write(root.join("politics/a.txt"), "x").expect("write");
        fs::write(root.join("z.md"), "x").expect("write");
        let (files, errors) = discover_all(std::slice::from_ref(&root));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            rels(&files),
            [
                "archive/politics/2024/b.txt",
                "archive/politics/a.txt",
                "archive/z.md"
            ]
        );
        assert_eq!(files[2].len, 1);

        // The same folder reached through `..` gets the same ids.
        let via_dots = root.join("politics").join("..");
        let (files2, _) = discover_all(&[via_dots]);
        assert_eq!(rels(&files2), rels(&files));
    }

    #[test]
    fn file_given_directly_is_named_by_its_file_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("photo.jpg");
        fs::write(&path, "x").expect("write");
        let (files, errors) = discover_all(&[path]);
        assert!(errors.is_empty());
        assert_eq!(rels(&files), ["photo.jpg"]);
    }

    #[test]
    fn readme_and_license_in_a_folder_are_not_articles() {
        assert!(!wanted_in_folder("README.md"));
        assert!(!wanted_in_folder("LICENSE.txt"));
        assert!(!wanted_in_folder("license"));
        assert!(wanted_in_folder("readmission-rates.txt"));
    }

    #[test]
    fn hidden_and_non_article_files_are_skipped_silently() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("r");
        fs::create_dir_all(root.join(".git")).expect("mkdir");
        fs::write(root.join(".git/config.txt"), "x").expect("write");
        fs::write(root.join(".hidden.txt"), "x").expect("write");
        for name in [
            "a.png",
            "b.zip",
            "c.exe",
            "d.tar.gz",
            "e.pdf",
            "f.JSONL.GZ",
            "g.html",
            "README",
            "notes-no-extension",
            "h.ndjson",
            "i.csv.gz",
            "2024.01 notes",
        ] {
            fs::write(root.join(name), "x").expect("write");
        }
        let (files, errors) = discover_all(&[root]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            rels(&files),
            [
                "r/2024.01 notes",
                "r/f.JSONL.GZ",
                "r/g.html",
                "r/h.ndjson",
                "r/i.csv.gz",
                "r/notes-no-extension"
            ]
        );
    }

    #[test]
    fn missing_path_is_reported_and_the_rest_goes_on() {
        let dir = tempfile::tempdir().expect("temp dir");
        let ok = dir.path().join("ok.txt");
        fs::write(&ok, "x").expect("write");
        let (files, errors) = discover_all(&[dir.path().join("nope"), ok]);
        assert_eq!(rels(&files), ["ok.txt"]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].ends_with("nope: does not exist; check the path"),
            "{errors:?}"
        );
    }

    #[test]
    fn stdin_is_a_source() {
        let (files, _) = discover_all(&[PathBuf::from("-")]);
        assert_eq!(files, [SourceFile::stdin()]);
    }

    #[test]
    fn same_file_twice_is_listed_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("r");
        fs::create_dir_all(root.join("sub")).expect("mkdir");
        fs::write(root.join("sub/a.txt"), "x").expect("write");
        let (files, _) = discover_all(&[root.clone(), root.join("sub")]);
        assert_eq!(rels(&files), ["r/sub/a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn broken_symlinks_and_loops_are_reported() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("r");
        fs::create_dir_all(root.join("sub")).expect("mkdir");
        fs::write(root.join("real.txt"), "x").expect("write");
        symlink(root.join("gone.txt"), root.join("broken.txt")).expect("symlink");
        symlink(&root, root.join("sub/loop")).expect("symlink");
        symlink(root.join("real.txt"), root.join("sub/alias.txt")).expect("symlink");
        let (files, errors) = discover_all(std::slice::from_ref(&root));
        assert_eq!(rels(&files), ["r/real.txt", "r/sub/alias.txt"]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.contains("broken.txt: is a broken symbolic link")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.contains("loop")), "{errors:?}");

        let (files, errors) = discover_all(&[root.join("broken.txt")]);
        assert!(files.is_empty());
        assert!(errors[0].contains("broken symbolic link"));
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folder_is_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("r");
        let locked = root.join("locked");
        fs::create_dir_all(&locked).expect("mkdir");
        fs::write(locked.join("a.txt"), "x").expect("write");
        fs::write(root.join("b.txt"), "x").expect("write");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
        let readable = fs::read_dir(&locked).is_ok();
        let (files, errors) = discover_all(std::slice::from_ref(&root));
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
        if readable {
            return; // running as root
        }
        assert_eq!(rels(&files), ["r/b.txt"]);
        assert!(
            errors[0].contains("locked: cannot be read (permission denied)"),
            "{errors:?}"
        );
    }
}
