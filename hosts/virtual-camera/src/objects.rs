//! The object tree: the served directory as PTP objects. Every file and
//! folder (an association) gets a handle that stays the same while it
//! exists; handles are never reused within a server's life.
//!
//! Hidden names (starting with `.`, which is also where the server's
//! temporary files live) and symbolic links (which could point outside the
//! directory) are not served.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::object_info::ImageMeta;

/// The one store's StorageID (physical store 1, logical 1).
pub const STORAGE_ID: u32 = 0x0001_0001;
/// ParentObject of objects at the top of the store.
pub const ROOT_PARENT: u32 = 0;
/// The most objects served; a scan stops there (and says so).
pub const MAX_OBJECTS: usize = 100_000;
/// The deepest folder level served.
pub const MAX_DEPTH: usize = 32;

/// A file or folder found on disk, relative to the served directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Path relative to the served directory.
    pub relative: PathBuf,
    /// Whether it is a folder.
    pub is_folder: bool,
    /// Size in bytes (0 for folders).
    pub size: u64,
    /// Modification time.
    pub modified: SystemTime,
}

/// One object.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its handle.
    pub handle: u32,
    /// The folder holding it ([`ROOT_PARENT`] at the top).
    pub parent: u32,
    /// What is on disk.
    pub found: Found,
    /// Image details, computed when first asked for.
    pub meta: Option<Arc<ImageMeta>>,
}

impl Entry {
    /// The file name.
    pub fn name(&self) -> String {
        self.found
            .relative
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What a [`ObjectTree::sync`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// New objects, parents first.
    pub added: Vec<u32>,
    /// Objects gone.
    pub removed: Vec<u32>,
}

/// Walks `root` (sorted, parents before children, no hidden names, no
/// links), returning at most [`MAX_OBJECTS`] objects and whether it stopped
/// early.
pub fn scan(root: &Path) -> io::Result<(Vec<Found>, bool)> {
    let mut found = Vec::new();
    let mut truncated = false;
    walk(root, Path::new(""), 0, &mut found, &mut truncated)?;
    Ok((found, truncated))
}

fn walk(
    root: &Path,
    relative: &Path,
    depth: usize,
    found: &mut Vec<Found>,
    truncated: &mut bool,
) -> io::Result<()> {
    let mut names: Vec<_> = std::fs::read_dir(root.join(relative))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .filter(|name| !name.to_string_lossy().starts_with('.'))
        .collect();
    names.sort();
    for name in names {
        if found.len() >= MAX_OBJECTS {
            *truncated = true;
            return Ok(());
        }
        let child = relative.join(&name);
        // Gone since read_dir, or unreadable: not served.
        let Ok(metadata) = std::fs::symlink_metadata(root.join(&child)) else {
            continue;
        };
        let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if metadata.is_dir() {
            found.push(Found {
                relative: child.clone(),
                is_folder: true,
                size: 0,
                modified,
            });
            if depth + 1 < MAX_DEPTH {
                // A folder that cannot be read is served empty.
                let _ = walk(root, &child, depth + 1, found, truncated);
            }
        } else if metadata.is_file() {
            found.push(Found {
                relative: child,
                is_folder: false,
                size: metadata.len(),
                modified,
            });
        }
    }
    Ok(())
}

/// The served directory's objects.
#[derive(Debug)]
pub struct ObjectTree {
    root: PathBuf,
    entries: BTreeMap<u32, Entry>,
    by_path: HashMap<PathBuf, u32>,
    next_handle: u32,
    generation: u64,
}

impl ObjectTree {
    /// An empty tree for the directory `root`.
    pub fn new(root: PathBuf) -> Self {
        ObjectTree {
            root,
            entries: BTreeMap::new(),
            by_path: HashMap::new(),
            next_handle: 1,
            generation: 0,
        }
    }

    /// The served directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Counts the changes made through [`Self::insert`], [`Self::remove`]
    /// and [`Self::relocate`] (PTP operations, captures), so that a scan
    /// started before one can be recognised as stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// A fresh handle, never given before.
    pub fn reserve_handle(&mut self) -> u32 {
        let handle = self.next_handle;
        self.next_handle = match self.next_handle.wrapping_add(1) {
            0 | 0xFFFF_FFFF => 1,
            next => next,
        };
        handle
    }

    /// Brings the tree in line with a [`scan`]: new paths get handles,
    /// vanished ones are removed, changed files forget their details.
    pub fn sync(&mut self, found: Vec<Found>) -> Changes {
        let present: HashSet<&Path> = found.iter().map(|f| f.relative.as_path()).collect();
        let gone: Vec<u32> = self
            .entries
            .values()
            .filter(|entry| !present.contains(entry.found.relative.as_path()))
            .map(|entry| entry.handle)
            .collect();
        let mut changes = Changes::default();
        for handle in gone {
            if let Some(entry) = self.entries.remove(&handle) {
                self.by_path.remove(&entry.found.relative);
                changes.removed.push(handle);
            }
        }
        for item in found {
            match self.by_path.get(&item.relative).copied() {
                Some(handle) => {
                    if let Some(entry) = self.entries.get_mut(&handle) {
                        let changed = entry.found.size != item.size
                            || entry.found.modified != item.modified
                            || entry.found.is_folder != item.is_folder;
                        if changed {
                            entry.found = item;
                            entry.meta = None;
                        }
                    }
                }
                None => changes.added.push(self.insert_entry(item, None)),
            }
        }
        changes
    }

    /// Adds an object (with a handle from [`Self::reserve_handle`], or a new
    /// one); its parent folder must be in the tree already.
    pub fn insert(&mut self, found: Found, handle: Option<u32>) -> u32 {
        self.generation += 1;
        self.insert_entry(found, handle)
    }

    fn insert_entry(&mut self, found: Found, handle: Option<u32>) -> u32 {
        let handle = handle.unwrap_or_else(|| self.reserve_handle());
        let parent = found
            .relative
            .parent()
            .and_then(|parent| self.by_path.get(parent).copied())
            .unwrap_or(ROOT_PARENT);
        if let Some(old) = self.by_path.insert(found.relative.clone(), handle) {
            self.entries.remove(&old);
        }
        self.entries.insert(
            handle,
            Entry {
                handle,
                parent,
                found,
                meta: None,
            },
        );
        handle
    }

    /// Removes an object and everything under it; returns their handles.
    pub fn remove(&mut self, handle: u32) -> Vec<u32> {
        let Some(entry) = self.entries.get(&handle) else {
            return Vec::new();
        };
        let prefix = entry.found.relative.clone();
        self.generation += 1;
        let doomed: Vec<u32> = self
            .entries
            .values()
            .filter(|e| e.found.relative.starts_with(&prefix))
            .map(|e| e.handle)
            .collect();
        for handle in &doomed {
            if let Some(entry) = self.entries.remove(handle) {
                self.by_path.remove(&entry.found.relative);
            }
        }
        doomed
    }

    /// Moves an object (and everything under it) to `relative` under
    /// `parent`.
    pub fn relocate(&mut self, handle: u32, relative: PathBuf, parent: u32) {
        let Some(entry) = self.entries.get(&handle) else {
            return;
        };
        let old = entry.found.relative.clone();
        self.generation += 1;
        let moved: Vec<u32> = self
            .entries
            .values()
            .filter(|e| e.found.relative.starts_with(&old))
            .map(|e| e.handle)
            .collect();
        for moved_handle in moved {
            if let Some(entry) = self.entries.get_mut(&moved_handle) {
                self.by_path.remove(&entry.found.relative);
                let rest = entry
                    .found
                    .relative
                    .strip_prefix(&old)
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                entry.found.relative = if rest.as_os_str().is_empty() {
                    relative.clone()
                } else {
                    relative.join(rest)
                };
                if moved_handle == handle {
                    entry.parent = parent;
                }
                self.by_path
                    .insert(entry.found.relative.clone(), moved_handle);
            }
        }
    }

    /// The object with this handle.
    pub fn get(&self, handle: u32) -> Option<&Entry> {
        self.entries.get(&handle)
    }

    /// The object with this handle, to update its cached details.
    pub fn get_mut(&mut self, handle: u32) -> Option<&mut Entry> {
        self.entries.get_mut(&handle)
    }

    /// The handle of the object at `relative`.
    pub fn handle_of(&self, relative: &Path) -> Option<u32> {
        self.by_path.get(relative).copied()
    }

    /// The absolute path of an object.
    pub fn path(&self, handle: u32) -> Option<PathBuf> {
        self.get(handle).map(|e| self.root.join(&e.found.relative))
    }

    /// Handles of the objects `filter` accepts, in handle order.
    pub fn handles(&self, filter: impl Fn(&Entry) -> bool) -> Vec<u32> {
        self.entries
            .values()
            .filter(|e| filter(e))
            .map(|e| e.handle)
            .collect()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vcam-objects-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn scan_and_sync_follow_the_directory() {
        let dir = temp_dir("sync");
        std::fs::create_dir(dir.join("DCIM")).unwrap();
        std::fs::write(dir.join("DCIM/b.jpg"), b"bb").unwrap();
        std::fs::write(dir.join("a.txt"), b"a").unwrap();
        std::fs::write(dir.join(".hidden"), b"h").unwrap();
        let mut tree = ObjectTree::new(dir.clone());
        let (found, truncated) = scan(&dir).unwrap();
        assert!(!truncated);
        let changes = tree.sync(found);
        assert_eq!(changes.added.len(), 3);
        let folder = tree.handle_of(Path::new("DCIM")).unwrap();
        let file = tree.handle_of(Path::new("DCIM/b.jpg")).unwrap();
        assert_eq!(tree.get(file).unwrap().parent, folder);
        assert_eq!(tree.get(folder).unwrap().parent, ROOT_PARENT);
        assert!(tree.handle_of(Path::new(".hidden")).is_none());

        std::fs::remove_file(dir.join("a.txt")).unwrap();
        std::fs::write(dir.join("DCIM/c.jpg"), b"c").unwrap();
        let changes = tree.sync(scan(&dir).unwrap().0);
        assert_eq!(changes.removed.len(), 1);
        assert_eq!(changes.added.len(), 1);
        // Unchanged objects keep their handles.
        assert_eq!(tree.handle_of(Path::new("DCIM/b.jpg")), Some(file));
        assert_eq!(tree.sync(scan(&dir).unwrap().0), Changes::default());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn remove_and_relocate_whole_subtrees() {
        let dir = temp_dir("subtree");
        std::fs::create_dir_all(dir.join("x/y")).unwrap();
        std::fs::write(dir.join("x/y/f"), b"f").unwrap();
        let mut tree = ObjectTree::new(dir.clone());
        tree.sync(scan(&dir).unwrap().0);
        let x = tree.handle_of(Path::new("x")).unwrap();
        let f = tree.handle_of(Path::new("x/y/f")).unwrap();
        tree.relocate(x, PathBuf::from("z"), ROOT_PARENT);
        assert_eq!(tree.handle_of(Path::new("z/y/f")), Some(f));
        assert_eq!(tree.remove(x).len(), 3);
        assert!(tree.handles(|_| true).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
