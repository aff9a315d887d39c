//! TLS for both listeners (`--tls-cert`, `--tls-key`, and `--tls-client-ca` for mutual TLS):
//! the PEM files are read and checked once, at startup, with errors naming the flag and the file.
//! gRPC gets them through tonic's TLS ([`Tls::grpc_config`]); the HTTP/JSON endpoint through
//! tokio-rustls ([`Tls::http_acceptor`]) with the same certificate, key and client verifier. Both
//! use rustls with its default provider, aws-lc-rs; plaintext stays the default.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};
use tokio_rustls::TlsAcceptor;

use super::ServeError;

/// How long a TLS handshake may take before its connection is closed (a peer that connects and
/// sends nothing must not hold a connection slot).
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A server certificate and key, and the CA of client certificates for mutual TLS.
#[derive(Clone)]
pub struct Tls {
    cert_pem: Vec<u8>,
    key_pem: Vec<u8>,
    client_ca_pem: Option<Vec<u8>>,
    /// The checked configuration, with ALPN for HTTP/2 and HTTP/1.1 (the HTTP/JSON endpoint).
    http: Arc<ServerConfig>,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("mutual", &self.is_mutual())
            .finish_non_exhaustive()
    }
}

impl Tls {
    /// Reads and checks the PEM files of `--tls-cert`, `--tls-key` and `--tls-client-ca`.
    pub fn from_files(
        cert: &Path,
        key: &Path,
        client_ca: Option<&Path>,
    ) -> Result<Tls, ServeError> {
        let read = |flag: &str, path: &Path| {
            std::fs::read(path).map_err(|e| format!("{flag} {}: {e}", path.display()))
        };
        let cert_pem = read("--tls-cert", cert)?;
        let key_pem = read("--tls-key", key)?;
        let client_ca_pem = client_ca.map(|p| read("--tls-client-ca", p)).transpose()?;
        Tls::from_pem(cert_pem, key_pem, client_ca_pem).map_err(|e| {
            let file = match e.flag {
                "--tls-cert" => cert,
                "--tls-key" => key,
                _ => client_ca.unwrap_or(cert),
            };
            format!("{} {}: {}", e.flag, file.display(), e.message).into()
        })
    }

    /// A certificate chain and its private key (PEM), and for mutual TLS the CA certificates
    /// (PEM) that client certificates must chain to.
    pub fn from_pem(
        cert_pem: Vec<u8>,
        key_pem: Vec<u8>,
        client_ca_pem: Option<Vec<u8>>,
    ) -> Result<Tls, TlsError> {
        // tonic builds its rustls configuration with the process-wide provider: make it
        // aws-lc-rs (the one compiled in) whatever else may be linked.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());

        let certs = certificates(&cert_pem, "--tls-cert")?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| TlsError {
            flag: "--tls-key",
            message: format!("no PEM private key (PKCS#8, PKCS#1 or SEC1): {e}"),
        })?;
        let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError {
                flag: "--tls-cert",
                message: e.to_string(),
            })?;
        let builder = match &client_ca_pem {
            None => builder.with_no_client_auth(),
            Some(pem) => {
                let mut roots = RootCertStore::empty();
                for ca in certificates(pem, "--tls-client-ca")? {
                    roots.add(ca).map_err(|e| TlsError {
                        flag: "--tls-client-ca",
                        message: format!("not a usable CA certificate: {e}"),
                    })?;
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| TlsError {
                            flag: "--tls-client-ca",
                            message: e.to_string(),
                        })?;
                builder.with_client_cert_verifier(verifier)
            }
        };
        let mut http = builder.with_single_cert(certs, key).map_err(|e| TlsError {
            flag: "--tls-key",
            message: format!("does not go with the certificate of --tls-cert: {e}"),
        })?;
        http.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Tls {
            cert_pem,
            key_pem,
            client_ca_pem,
            http: Arc::new(http),
        })
    }

    /// Whether clients must present a certificate (`--tls-client-ca`).
    pub fn is_mutual(&self) -> bool {
        self.client_ca_pem.is_some()
    }

    /// tonic's configuration for the gRPC listener.
    pub fn grpc_config(&self) -> tonic::transport::ServerTlsConfig {
        let identity = tonic::transport::Identity::from_pem(&self.cert_pem, &self.key_pem);
        let config = tonic::transport::ServerTlsConfig::new()
            .identity(identity)
            .timeout(HANDSHAKE_TIMEOUT);
        match &self.client_ca_pem {
            Some(ca) => config.client_ca_root(tonic::transport::Certificate::from_pem(ca)),
            None => config,
        }
    }

    /// The acceptor of the HTTP/JSON listener (ALPN: `h2`, `http/1.1`).
    pub fn http_acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(Arc::clone(&self.http))
    }
}

/// The certificates of a PEM file (at least one).
fn certificates(pem: &[u8], flag: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError {
            flag,
            message: format!("unreadable PEM: {e}"),
        })?;
    if certs.is_empty() {
        return Err(TlsError {
            flag,
            message: "no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned(),
        });
    }
    Ok(certs)
}

/// A TLS file that cannot be used: which flag's file, and why.
#[derive(Debug, thiserror::Error)]
#[error("{flag}: {message}")]
pub struct TlsError {
    /// `--tls-cert`, `--tls-key` or `--tls-client-ca`.
    pub flag: &'static str,
    /// What is wrong.
    pub message: String,
}
