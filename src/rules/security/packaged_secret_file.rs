//! PQ709: secret files shipped in the package.
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::package::{Packing, file_extension, file_stem};
use crate::rules::{Context, Priority};

/// Extensions of key and certificate stores.
const KEY_EXTENSIONS: &[&str] = &["pfx", "p12", "pem", "key", "snk"];

declare_rule! {
    /// ## What it checks
    /// A client secret, key store or private key is shipped in the package.
    ///
    /// An entry (or a project-folder root file that `MakePQX compile` would pack) named
    /// `client_secret` (any extension), with `secret` in its name, ending `.pfx`, `.p12`,
    /// `.pem`, `.key` or `.snk`, or named `.env`; a plain-text file (no extension, `.txt`,
    /// `.json`, `.cfg`, `.config`, `.ini`, `.dat`) whose name words include `key`, `token` or
    /// `password` (`subscription_key.txt`, `token.txt`); or any entry containing a PEM
    /// private-key block (`-----BEGIN … PRIVATE KEY-----`).
    ///
    /// ## Why it matters
    /// Anyone can unzip a package. A real certified package shipped its OAuth client secret
    /// this way.
    ///
    /// ## Example
    /// A package holding `client_id` and `client_secret`, read with `Extension.Contents`.
    ///
    /// Use instead: use a public client with PKCE (no secret), or keep the secret on a
    /// service you control.
    pub(crate) static PACKAGED_SECRET_FILE = Rule {
        code: "PQ709",
        name: "packaged-secret-file",
        default_severity: Severity::Error,
        priority: Priority::P1,
    };
}

fn check(cx: &mut Context<'_>) {
    for entry in &cx.model().package.entries {
        if entry.packing == Packing::Subfolder {
            continue;
        }
        let why = if is_secret_name(&entry.name) {
            "a secret file"
        } else if entry.read && contains_private_key(&entry.data) {
            "a file containing a private key"
        } else {
            continue;
        };
        let message = match entry.packing {
            Packing::MakePqxOnly => format!(
                "`{}` is {why} in the project root, where `MakePQX compile` would pack it",
                entry.name
            ),
            _ => format!("`{}` is {why} shipped in the package", entry.name),
        };
        cx.report(
            Finding::new(message)
                .entry(entry.name.clone())
                .help("remove it and rotate the secret; anyone can unzip a package"),
        );
    }
}

fn is_secret_name(name: &str) -> bool {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    file_stem(&base) == "client_secret"
        || base.contains("secret")
        || base == ".env"
        || KEY_EXTENSIONS.contains(&file_extension(&base).as_str())
        || is_key_text_file(&base)
}

/// A plain-text file whose name says it holds a key, token or password:
/// `subscription_key.txt`, `token.txt`, `api-key`, `password.json`.
fn is_key_text_file(base: &str) -> bool {
    const TEXT_EXTENSIONS: &[&str] = &["", "txt", "json", "cfg", "config", "ini", "dat"];
    const WORDS: &[&str] = &["key", "apikey", "token", "password", "passwd", "pwd"];
    TEXT_EXTENSIONS.contains(&file_extension(base).as_str())
        && crate::names::name_words(file_stem(base))
            .iter()
            .any(|word| WORDS.contains(&word.to_ascii_lowercase().as_str()))
}

fn contains_private_key(data: &[u8]) -> bool {
    memchr::memmem::find_iter(data, b"-----BEGIN ").any(|at| {
        let after = data.get(at + b"-----BEGIN ".len()..).unwrap_or_default();
        let line_end = after.iter().take(64).position(|&b| b == b'-').unwrap_or(0);
        after
            .get(..line_end)
            .is_some_and(|label| label.ends_with(b"PRIVATE KEY"))
    })
}

#[cfg(test)]
mod tests {
    use super::PACKAGED_SECRET_FILE;
    use crate::testing::{Fixture, RuleCase};

    /// A client id and a public certificate pass; secrets, key stores and embedded private keys
    /// fail.
    #[test]
    fn packaged_secret_file() {
        let cases = RuleCase::new(&PACKAGED_SECRET_FILE)
            .pass([
                Fixture::kestrel(),
                Fixture::finch().entry("client_id", b"0b0e5a4c").entry(
                    "-----BEGIN CERTIFICATE-----.txt",
                    b"-----BEGIN CERTIFICATE-----",
                ),
                // Icons and modules named after keys are not key files.
                Fixture::finch()
                    .entry("Key16.png", b"")
                    .entry("TokenHelpers.pqm", b"1"),
            ])
            .fail([Fixture::finch()
                .entry("client_secret", b"fake")
                .entry("secrets.json", b"{}")
                .entry("signing.pfx", b"")
                .entry(
                    "notes.txt",
                    b"keep\n-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
                )
                .entry(".env", b"A=1")
                .entry("subscription_key.txt", b"7f3c9a1b")
                .entry("token", b"abc")]);
        insta::assert_snapshot!(cases.run());
    }
}
