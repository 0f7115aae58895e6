//! Reaching the server the way `psql` does: the URL first, then the `PG*` variables, then the
//! password file (`.pgpass`), and `sslmode` as libpq reads it. The password is held only in
//! memory; what is shown or written anywhere is the URL without it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How long a connection attempt may take before it is given up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `text` names a workspace on a server rather than a file.
pub fn is_server_url(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A server workspace's address as the user gave it. `Display` and `Debug` show it without the
/// password, so it can go into titles, logs and messages.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl {
    given: String,
    shown: String,
}

impl ServerUrl {
    pub fn new(given: &str) -> Self {
        Self {
            given: given.to_owned(),
            shown: without_password(given),
        }
    }

    /// The address without its password.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerUrl({})", self.shown)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`.
fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    let credentials = &authority[..at];
    let user = credentials.split(':').next().unwrap_or_default();
    format!(
        "{}{user}@{}{}",
        &url[..scheme_end + 3],
        &authority[at + 1..],
        &rest[authority_end..]
    )
}

/// How the connection is to be encrypted, as libpq's `sslmode` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<Self, String> {
        Ok(match text {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode {other:?} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                ));
            }
        })
    }
}

/// Everything needed to connect (and to connect again after the link drops).
#[derive(Clone)]
pub struct Target {
    pub url: ServerUrl,
    config: postgres::Config,
    ssl: SslMode,
    root_cert: Option<PathBuf>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({}, sslmode {:?})", self.url, self.ssl)
    }
}

/// Where the variables and files a connection falls back on are read from; tests give their
/// own instead of the process's.
pub trait Environment {
    fn var(&self, key: &str) -> Option<String>;
    fn home(&self) -> Option<PathBuf>;
}

/// The process's variables and the user's home folder.
pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }

    fn home(&self) -> Option<PathBuf> {
        directories::BaseDirs::new().map(|d| d.home_dir().to_owned())
    }
}

impl Target {
    /// Reads the URL and fills what it leaves out from the environment, as libpq does.
    pub fn resolve(url: &ServerUrl, env: &dyn Environment) -> Result<Self, String> {
        let bad = |e: &dyn fmt::Display| format!("{url}: {e}");
        // sslmode and sslrootcert are taken out here: the client library knows only three of
        // libpq's six modes.
        let (base, query) = match url.given.split_once('?') {
            Some((base, query)) => (base, query),
            None => (url.given.as_str(), ""),
        };
        let mut ssl = None;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => ssl = Some(SslMode::parse(value).map_err(|e| bad(&e))?),
                "sslrootcert" => root_cert = Some(PathBuf::from(decode(value))),
                _ => kept.push(pair),
            }
        }
        let rebuilt = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config: postgres::Config = rebuilt.parse().map_err(|e| bad(&e))?;
        if config.get_hosts().is_empty() {
            match env.var("PGHOST") {
                Some(host) if host.starts_with('/') => {
                    config.host_path(host);
                }
                Some(host) => {
                    config.host(&host);
                }
                None => {
                    config.host("localhost");
                }
            }
        }
        if config.get_ports().is_empty()
            && let Some(port) = env.var("PGPORT")
        {
            let port: u16 = port
                .parse()
                .map_err(|_| bad(&format!("PGPORT {port:?} is not a port number")))?;
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = env
                .var("PGUSER")
                .or_else(|| env.var("USER"))
                .or_else(|| env.var("LOGNAME"))
                .ok_or_else(|| bad(&"no user name: give one in the URL or PGUSER"))?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let dbname = env
                .var("PGDATABASE")
                .or_else(|| config.get_user().map(str::to_owned));
            if let Some(dbname) = dbname {
                config.dbname(&dbname);
            }
        }
        if config.get_password().is_none() {
            let password = env.var("PGPASSWORD").or_else(|| {
                let file = env
                    .var("PGPASSFILE")
                    .map(PathBuf::from)
                    .or_else(|| env.home().map(|h| h.join(".pgpass")))?;
                password_from_file(&file, &config)
            });
            if let Some(password) = password {
                config.password(password);
            }
        }
        let ssl = match ssl {
            Some(mode) => mode,
            None => match env.var("PGSSLMODE") {
                Some(mode) => SslMode::parse(&mode).map_err(|e| bad(&e))?,
                None => SslMode::Prefer,
            },
        };
        let root_cert = root_cert.or_else(|| env.var("PGSSLROOTCERT").map(PathBuf::from));
        config.ssl_mode(match ssl {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        });
        config.connect_timeout(CONNECT_TIMEOUT);
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        config.application_name("incident-map");
        Ok(Self {
            url: url.clone(),
            config,
            ssl,
            root_cert,
        })
    }

    /// The database name, for messages.
    pub fn database(&self) -> &str {
        self.config.get_dbname().unwrap_or("?")
    }

    /// Opens a connection.
    pub fn connect(&self) -> Result<postgres::Client, String> {
        let result = match self.ssl {
            SslMode::Disable => self.config.connect(postgres::NoTls),
            _ => {
                let tls = self.tls()?;
                self.config
                    .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
            }
        };
        result.map_err(|e| format!("{}: {}", self.url, describe(&e)))
    }

    /// The TLS settings for this sslmode: `prefer` and `require` encrypt without checking
    /// the server's certificate (as libpq does unless given a root certificate); `verify-ca`
    /// checks it against the roots; `verify-full` also checks the host name.
    fn tls(&self) -> Result<rustls::ClientConfig, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("{}: TLS: {e}", self.url))?;
        let verify = match self.ssl {
            SslMode::VerifyCa | SslMode::VerifyFull => true,
            // A root certificate given with `require` makes libpq check the chain.
            SslMode::Require => self.root_cert.is_some(),
            _ => false,
        };
        if !verify {
            return Ok(builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(NoCheck(provider)))
                .with_no_client_auth());
        }
        let mut roots = rustls::RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                use rustls::pki_types::pem::PemObject;
                let certificates = rustls::pki_types::CertificateDer::pem_file_iter(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                for certificate in certificates {
                    let certificate =
                        certificate.map_err(|e| format!("{}: {e}", path.display()))?;
                    roots
                        .add(certificate)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let checked =
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| format!("{}: TLS roots: {e}", self.url))?;
        if self.ssl == SslMode::VerifyFull {
            return Ok(builder.with_webpki_verifier(checked).with_no_client_auth());
        }
        Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(ChainOnly(checked)))
            .with_no_client_auth())
    }
}

/// A client error in words: the server's message when it sent one, else the library's.
pub fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => {
            let text = error.to_string();
            match std::error::Error::source(error) {
                Some(source) if !text.contains(&source.to_string()) => {
                    format!("{text}: {source}")
                }
                _ => text,
            }
        }
    }
}

/// Percent-decoding of a query value (a path to a certificate).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The password for this host, port, database and user from a `.pgpass` file: lines of
/// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped. As
/// libpq does, a file that others can read is ignored.
fn password_from_file(path: &Path, config: &postgres::Config) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            log::warn!(
                "{}: ignored: others can read it (chmod 0600 to use it)",
                path.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) => "localhost".to_owned(),
        None => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            if fields.len() != 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value);
            matches.then(|| fields[4].clone())
        })
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(field) = fields.last_mut()
                {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

/// Accepts any certificate: what `sslmode=prefer` and `require` ask for (encryption against
/// eavesdroppers, not proof of who the server is). Signatures are still checked.
#[derive(Debug)]
struct NoCheck(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the name on the certificate is not
/// compared with the host.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl rustls::client::danger::ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        intermediates: &[rustls::pki_types::CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(rustls::client::danger::ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fake {
        vars: HashMap<&'static str, String>,
        home: Option<PathBuf>,
    }

    impl Environment for Fake {
        fn var(&self, key: &str) -> Option<String> {
            self.vars.get(key).cloned()
        }
        fn home(&self) -> Option<PathBuf> {
            self.home.clone()
        }
    }

    fn fake(vars: &[(&'static str, &str)]) -> Fake {
        Fake {
            vars: vars.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            home: None,
        }
    }

    #[test]
    fn the_password_never_shows() {
        let url = ServerUrl::new("postgres://ana:s3cr%40t@db.example:5433/desk?sslmode=require");
        assert_eq!(
            url.to_string(),
            "postgres://ana@db.example:5433/desk?sslmode=require"
        );
        assert!(!format!("{url:?}").contains("s3cr"));
        assert_eq!(
            ServerUrl::new("postgresql://host/db").shown(),
            "postgresql://host/db"
        );
        assert_eq!(
            ServerUrl::new("postgres://:pw@host/db").shown(),
            "postgres://@host/db"
        );
        assert!(is_server_url("PostgreSQL://x/y"));
        assert!(!is_server_url("desk.gpkg"));
        assert!(!is_server_url("post"));
    }

    #[test]
    fn what_the_url_leaves_out_comes_from_the_environment() -> Result<(), String> {
        let env = fake(&[
            ("PGHOST", "db.internal"),
            ("PGPORT", "6543"),
            ("PGUSER", "ana"),
            ("PGDATABASE", "desk"),
            ("PGPASSWORD", "from-env"),
            ("PGSSLMODE", "verify-full"),
        ]);
        let target = Target::resolve(&ServerUrl::new("postgres://"), &env)?;
        assert_eq!(target.config.get_user(), Some("ana"));
        assert_eq!(target.config.get_dbname(), Some("desk"));
        assert_eq!(target.config.get_ports(), [6543]);
        assert_eq!(target.config.get_password(), Some(&b"from-env"[..]));
        assert_eq!(target.ssl, SslMode::VerifyFull);
        // The URL wins over the variables.
        let target = Target::resolve(
            &ServerUrl::new("postgres://bo:pw@h:5000/other?sslmode=disable"),
            &env,
        )?;
        assert_eq!(target.config.get_user(), Some("bo"));
        assert_eq!(target.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(target.ssl, SslMode::Disable);
        let error = Target::resolve(&ServerUrl::new("postgres://h/db?sslmode=maybe"), &env)
            .err()
            .unwrap_or_default();
        assert!(error.contains("sslmode \"maybe\""), "{error}");
        Ok(())
    }

    #[test]
    fn a_pgpass_file_gives_the_password_only_when_private() -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let file = dir.path().join(".pgpass");
        std::fs::write(
            &file,
            "# comment\nother:*:*:*:nope\ndb.internal:5432:desk:ana:pa\\:ss\n*:*:*:*:fallback\n",
        )
        .map_err(|e| e.to_string())?;
        let env = Fake {
            vars: HashMap::new(),
            home: Some(dir.path().to_owned()),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))
                .map_err(|e| e.to_string())?;
            let target = Target::resolve(&ServerUrl::new("postgres://ana@db.internal/desk"), &env)?;
            assert_eq!(
                target.config.get_password(),
                None,
                "a readable file is ignored"
            );
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| e.to_string())?;
        }
        let target = Target::resolve(&ServerUrl::new("postgres://ana@db.internal/desk"), &env)?;
        assert_eq!(target.config.get_password(), Some(&b"pa:ss"[..]));
        let target = Target::resolve(&ServerUrl::new("postgres://bo@elsewhere/x"), &env)?;
        assert_eq!(target.config.get_password(), Some(&b"fallback"[..]));
        Ok(())
    }
}
