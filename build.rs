//! Build script: embeds the default rules directory into the binary and compiles the
//! `khabar.v1` protobuf definitions (pure Rust through `protox`: no system `protoc` needed).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    embed_rules(Path::new("rules"), &out_dir.join("embedded_rules.rs"));
    compile_protos(&out_dir);
}

/// Generates the prost messages and tonic client/server for `proto/khabar/v1/classifier.proto`,
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
        .build_server(true)
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
