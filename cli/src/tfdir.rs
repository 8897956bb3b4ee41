//! Reading a Terraform configuration directory into the file name → text map the core
//! imports. Which files take part follows Terraform: `.tf` files, `terraform.tfvars` and
//! `*.auto.tfvars`, in the root module and in the directories below it that local modules
//! may use; `.terraform/` (downloaded providers and modules) and hidden directories are not
//! read.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// At most this many files, so pointing the command at `/` fails fast instead of reading
/// the disk.
const MAX_FILES: usize = 5_000;

pub fn read(root: &Path) -> io::Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    walk(root, root, &mut files)?;
    if files.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "the directory holds no Terraform files (*.tf)",
        ));
    }
    Ok(files)
}

fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, String>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(root, &path, files)?;
        } else if kind.is_file() && takes_part(&name) {
            if files.len() >= MAX_FILES {
                return Err(io::Error::other(format!(
                    "more than {MAX_FILES} Terraform files below {}; point at the configuration's own directory",
                    root.display()
                )));
            }
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(relative, std::fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

fn takes_part(name: &str) -> bool {
    name.ends_with(".tf") || name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_files_take_part_and_others_do_not() {
        assert!(takes_part("main.tf"));
        assert!(takes_part("terraform.tfvars"));
        assert!(takes_part("prod.auto.tfvars"));
        assert!(!takes_part("prod.tfvars"));
        assert!(!takes_part("main.tf.json"));
        assert!(!takes_part("README.md"));
    }
}
