//! Build script: embeds the default rules directory into the binary, compiles the `khabar.v1`
//! protobuf definitions (pure Rust through `protox`: no system `protoc` needed) and their JSON
//! mapping, and records the git commit for `khabar --version`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    embed_rules(Path::new("rules"), &out_dir.join("embedded_rules.rs"));
    compile_protos(&out_dir);
    git_commit();
}

/// Sets `KHABAR_GIT_COMMIT` for `khabar --version`: the environment variable of the same name when
/// the build gives one (a build from a source archive), else the checkout's commit (12 hex
/// digits), else `unknown` (no git, or not a checkout). Reruns when HEAD or its branch moves.
fn git_commit() {
    println!("cargo:rerun-if-env-changed=KHABAR_GIT_COMMIT");
    let commit = std::env::var("KHABAR_GIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=KHABAR_GIT_COMMIT={}", commit.trim());
    // The files that change when HEAD moves (a worktree keeps HEAD apart from the branches).
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        let Some(path) = git(&["rev-parse", "--git-path", &name]) else {
            continue;
        };
        let path = Path::new(&path);
        // Only paths that exist (a missing one would rerun this script on every build). A branch
        // that lives only in packed-refs (a fresh clone) gets its file on the next commit: watch
        // its directory until then.
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        } else if let Some(dir) = path.parent().filter(|d| d.is_dir()) {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
    }
}

/// The trimmed output of a successful `git` command, or `None` (no git, not a checkout).
fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !s.trim().is_empty()).then(|| s.trim().to_owned())
}

/// Generates the prost messages and the tonic client for `proto/khabar/v1/classifier.proto`,
/// their proto3 JSON mapping (serde `Serialize`/`Deserialize` by `pbjson-build`, the JSON that
/// grpcurl prints), and writes the encoded file descriptor set (`khabar_descriptor.bin`) used by
/// server reflection. Well-known types (`google.protobuf.Timestamp`) come from `pbjson-types`,
/// which has their JSON mapping.
fn compile_protos(out_dir: &Path) {
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=proto/khabar/v1/classifier.proto");
    let fds = protox::compile(["khabar/v1/classifier.proto"], ["proto"])
        .unwrap_or_else(|e| panic!("cannot compile proto/khabar/v1/classifier.proto: {e}"));
    let encoded = protox::prost::Message::encode_to_vec(&fds);
    std::fs::write(out_dir.join("khabar_descriptor.bin"), &encoded)
        .expect("write khabar_descriptor.bin");
    tonic_prost_build::configure()
        .build_client(true)
        // The server's routes are written out (src/server/rpc.rs: a codec and limit per method).
        .build_server(false)
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .compile_fds(fds)
        .expect("generate khabar.v1 code");
    pbjson_build::Builder::new()
        .register_descriptors(&encoded)
        .expect("register khabar.v1 descriptors")
        .out_dir(out_dir)
        .build(&[".khabar.v1"])
        .expect("generate the proto3 JSON mapping of khabar.v1");
}

/// Writes `EMBEDDED_RULES: &[(&str, &[u8])]`, every file under `rules/` (sorted, relative paths
/// with `/`), so `khabar serve` works from any directory without `--rules`.
fn embed_rules(dir: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    let mut code = String::from("/// Every file of the default rules directory.\npub static EMBEDDED_RULES: &[(&str, &[u8])] = &[\n");
    for rel in &files {
        let abs = std::fs::canonicalize(dir.join(rel)).expect("rule file exists");
        println!("cargo:rerun-if-changed={}", abs.display());
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    std::fs::write(out, code).expect("write embedded_rules.rs");
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
}
