//! A throwaway PostgreSQL cluster with PostGIS for one test: created in a temporary folder,
//! started on a free local port with password (SCRAM) authentication, stopped and removed when
//! dropped. Needs Debian's `postgresql` and `postgis` packages (`scripts/test` installs them).
//! Run as root, the server runs as the `postgres` user, as PostgreSQL requires.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const ADMIN: &str = "im_admin";
pub const ADMIN_PASSWORD: &str = "admin-pw";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

fn server_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .filter(|bin| bin.join("initdb").is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL's server programs are not installed (/usr/lib/postgresql/*/bin/initdb): \
             run scripts/test, which installs postgresql and postgis"
        )
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Runs openssl with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs (Debian package openssl)");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A certificate authority in `dir` (`NAME.crt`, `NAME.key`).
pub fn certificate_authority(dir: &Path, name: &str) -> PathBuf {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            "2",
            "-subj",
            &format!("/CN={name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    dir.join(format!("{name}.crt"))
}

impl Cluster {
    /// A cluster that also speaks TLS, with a certificate for `localhost` signed by a test
    /// authority; returns the authority's certificate too.
    pub fn start_tls() -> (Self, PathBuf) {
        let cluster = Self::start();
        let dir = cluster.dir.path().to_owned();
        let ca = certificate_authority(&dir, "test-ca");
        openssl(
            &dir,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        );
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .expect("extensions file");
        openssl(
            &dir,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "test-ca.crt",
                "-CAkey",
                "test-ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "server.ext",
            ],
        );
        let data = PathBuf::from(cluster.data());
        for file in ["server.crt", "server.key"] {
            std::fs::copy(dir.join(file), data.join(file)).expect("certificate copied");
        }
        if cluster.as_postgres {
            let status = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(data.join("server.crt"))
                .arg(data.join("server.key"))
                .status()
                .expect("chown runs");
            assert!(status.success());
        }
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                data.join("server.key"),
                std::fs::Permissions::from_mode(0o600),
            )
            .expect("key private");
        }
        let path = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&path).expect("postgresql.conf");
        text.push_str("ssl = on\n");
        std::fs::write(&path, text).expect("postgresql.conf written");
        cluster.kill_server();
        cluster.start_server();
        (cluster, ca)
    }

    pub fn start() -> Self {
        let bin = server_bin();
        let dir = tempfile::Builder::new()
            .prefix("incident-map-pg.")
            .tempdir()
            .expect("a temporary folder");
        let as_postgres = unsafe { libc::geteuid() } == 0;
        std::fs::write(dir.path().join("pw"), ADMIN_PASSWORD).expect("password file");
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(status.success(), "chown the cluster folder");
        }
        let cluster = Self {
            dir,
            bin,
            port: free_port(),
            as_postgres,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                ADMIN,
                &format!("--pwfile={}", cluster.dir.path().join("pw").display()),
                "--auth=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             fsync = off\nmax_connections = 50\n",
            cluster.port,
            cluster.dir.path().display()
        );
        let path = Path::new(&data).join("postgresql.conf");
        let mut text = std::fs::read_to_string(&path).expect("postgresql.conf");
        text.push_str(&conf);
        std::fs::write(&path, text).expect("postgresql.conf written");
        cluster.start_server();
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let output = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            Command::new(&program).args(args).output()
        }
        .expect("a PostgreSQL program runs");
        assert!(
            output.status.success(),
            "{} {args:?}: {}{}",
            program.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts the server (again) and waits until it takes connections.
    pub fn start_server(&self) {
        let log = self.dir.path().join("log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "start"]);
    }

    /// Stops the server at once, as a crash would: transactions in flight are lost.
    pub fn kill_server(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }

    /// The URL of `database` as `user` with `password`.
    pub fn url(&self, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    pub fn admin(&self, database: &str) -> postgres::Client {
        postgres::Client::connect(&self.url(ADMIN, ADMIN_PASSWORD, database), postgres::NoTls)
            .expect("the administrator connects")
    }

    /// A new database with PostGIS enabled; returns its name.
    pub fn database(&self, name: &str) -> String {
        let mut admin = self.admin("postgres");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("database created");
        self.admin(name)
            .batch_execute("CREATE EXTENSION postgis")
            .expect("PostGIS enabled");
        name.to_owned()
    }

    /// A login role with a password.
    pub fn role(&self, name: &str, password: &str) {
        let mut admin = self.admin("postgres");
        let statement: String = admin
            .query_one(
                "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)",
                &[&name, &password],
            )
            .expect("statement")
            .get(0);
        admin.batch_execute(&statement).expect("role created");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(self.bin.join("pg_ctl"))
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output()
            .and_then(|_| {
                if self.as_postgres {
                    Command::new("runuser")
                        .args(["-u", "postgres", "--"])
                        .arg(self.bin.join("pg_ctl"))
                        .args(["-D", &self.data(), "-m", "immediate", "stop"])
                        .output()
                } else {
                    Command::new("true").output()
                }
            });
    }
}
