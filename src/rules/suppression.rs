//! Suppressions in M source and PQ099. `// mezcheck: ignore[PQ705, tracing-enabled] -- reason`
//! silences those rules on the next line, `// mezcheck: file-ignore[PQ703] -- reason` in the
//! whole file. They are applied after every rule ran; a code that silenced nothing, an unknown
//! code and a comment that is not a valid suppression are then reported as PQ099. PQ099
//! findings are made after suppressions are applied, so no comment can hide them; naming
//! PQ099 in a suppression is itself reported.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Finding};
use crate::model::Model;
use crate::rules::{Rule, stamp};
use crate::source::{FileId, SourceDb, Span};

/// What starts a suppression comment, after `//` or `/*`.
const MARKER: &str = "mezcheck:";

/// The suppression comments of a package.
#[derive(Debug, Default)]
pub struct Suppressions {
    directives: Vec<Directive>,
    malformed: Vec<(FileId, Span)>,
}

#[derive(Debug)]
struct Directive {
    file: FileId,
    /// The suppressed line (1-based), or `None` for the whole file.
    line: Option<u32>,
    codes: Vec<Code>,
}

#[derive(Debug)]
struct Code {
    rule: Option<&'static Rule>,
    text: String,
    span: Span,
    used: bool,
}

/// A parsed suppression comment: whether it covers the whole file, and each listed code with
/// its byte range in the comment.
#[derive(Debug, PartialEq)]
struct Parsed<'t> {
    file_wide: bool,
    codes: Vec<(&'t str, std::ops::Range<usize>)>,
}

/// Finds the suppression comments of every parsed M document.
pub fn collect(model: &Model) -> Suppressions {
    let mut suppressions = Suppressions::default();
    for document in &model.documents {
        let source = model.sources.get(document.file);
        for &comment in &document.parse.comments {
            let text = source.slice(comment);
            let parsed = match parse(text) {
                None => continue,
                Some(Err(())) => {
                    suppressions.malformed.push((document.file, comment));
                    continue;
                }
                Some(Ok(parsed)) => parsed,
            };
            let last = comment.end.saturating_sub(1).max(comment.start);
            let line = (!parsed.file_wide).then(|| source.line_col(last).line + 1);
            let codes = parsed
                .codes
                .into_iter()
                .map(|(code, range)| Code {
                    rule: super::find(code),
                    text: code.to_owned(),
                    span: Span::new(
                        comment.start + range.start as u32,
                        comment.start + range.end as u32,
                    ),
                    used: false,
                })
                .collect();
            suppressions.directives.push(Directive {
                file: document.file,
                line,
                codes,
            });
        }
    }
    suppressions
}

impl Suppressions {
    /// Removes the diagnostics a suppression covers and marks the codes that did so.
    pub fn apply(&mut self, diagnostics: &mut Vec<Diagnostic>, sources: &SourceDb) {
        if self.directives.is_empty() {
            return;
        }
        diagnostics.retain(|diagnostic| {
            let mut suppressed = false;
            for directive in &mut self.directives {
                if !covers(directive, diagnostic, sources) {
                    continue;
                }
                for code in &mut directive.codes {
                    if code.rule.is_some_and(|r| r.code == diagnostic.rule.code) {
                        code.used = true;
                        suppressed = true;
                    }
                }
            }
            !suppressed
        });
    }

    /// Whether a whole-file suppression of `rule` covers `file` (for findings that were only
    /// counted, past the per-file cap).
    pub fn covers_file(&mut self, rule: &'static Rule, file: FileId) -> bool {
        let mut covered = false;
        for directive in self
            .directives
            .iter_mut()
            .filter(|d| d.file == file && d.line.is_none())
        {
            for code in &mut directive.codes {
                if code.rule.is_some_and(|r| std::ptr::eq(r, rule)) {
                    code.used = true;
                    covered = true;
                }
            }
        }
        covered
    }

    /// The PQ099 findings, and the suppressions the checks across packages may still use.
    pub fn finish(self, config: &Config) -> (Vec<Diagnostic>, Vec<PendingSuppression>) {
        let severity = config.severity(&crate::rules::package::UNUSED_SUPPRESSION);
        let mut findings = Vec::new();
        let mut pending = Vec::new();
        for (file, span) in self.malformed {
            findings.push(
                Finding::new("`mezcheck:` comment is not a valid suppression")
                    .primary(file, span)
                    .help("write `// mezcheck: ignore[PQ705] -- reason` for the next line, or `// mezcheck: file-ignore[PQ703] -- reason` for the file"),
            );
        }
        for directive in self.directives {
            let (form, place) = match directive.line {
                Some(_) => ("ignore", "on the next line"),
                None => ("file-ignore", "in this file"),
            };
            for code in directive.codes {
                let Some(rule) = code.rule else {
                    findings.push(
                        Finding::new(format!("`{}` in `{form}[…]` is not a rule", code.text))
                            .primary(directive.file, code.span)
                            .help("name rules by code (`PQ705`) or name (`tracing-enabled`); `mezcheck rule --all` lists them"),
                    );
                    continue;
                };
                if std::ptr::eq(rule, &crate::rules::package::UNUSED_SUPPRESSION) {
                    findings.push(
                        Finding::new(format!("`{}` cannot be suppressed in source", code.text))
                            .primary(directive.file, code.span)
                            .help("remove the stale suppression instead, or turn PQ099 off in the configuration"),
                    );
                    continue;
                }
                if config.severity(rule).is_none() {
                    continue;
                }
                let across = std::ptr::eq(rule, &crate::rules::document::DUPLICATE_NAME);
                if across {
                    pending.push(PendingSuppression {
                        rule,
                        file: directive.file,
                        line: directive.line,
                        code_span: code.span,
                        reported_unused: !code.used && severity.is_some(),
                    });
                }
                if !code.used {
                    findings.push(
                        Finding::new(format!(
                            "`{form}[{}]` suppresses nothing {place}",
                            code.text
                        ))
                        .primary(directive.file, code.span)
                        .help(format!(
                            "remove `{}` from the suppression; no {} finding is reported {place}",
                            code.text, rule.code
                        )),
                    );
                }
            }
        }
        let Some(severity) = severity else {
            return (Vec::new(), pending);
        };
        let diagnostics = findings
            .into_iter()
            .map(|finding| {
                stamp(
                    &crate::rules::package::UNUSED_SUPPRESSION,
                    severity,
                    finding,
                )
            })
            .collect();
        (diagnostics, pending)
    }
}

/// Whether a diagnostic lies where a directive applies: its primary label on the suppressed
/// line of that file, or anywhere in the file (a finding about the file itself included) for
/// `file-ignore`.
fn covers(directive: &Directive, diagnostic: &Diagnostic, sources: &SourceDb) -> bool {
    match (&diagnostic.primary, directive.line) {
        (Some(label), line) => {
            label.file == directive.file
                && line.is_none_or(|line| {
                    sources.get(label.file).line_col(label.span.start).line == line
                })
        }
        (None, None) => diagnostic
            .entry
            .as_deref()
            .is_some_and(|entry| entry == sources.get(directive.file).name),
        (None, Some(_)) => false,
    }
}

/// Reads a comment: `None` when it is not a suppression, `Err` when it starts like one but
/// cannot be read.
fn parse(comment: &str) -> Option<Result<Parsed<'_>, ()>> {
    let body = match comment.strip_suffix("*/") {
        Some(body) if comment.starts_with("/*") => body,
        _ => comment,
    };
    let start = body
        .find(|c: char| !(c == '/' || c == '*' || c.is_whitespace()))
        .unwrap_or(body.len());
    let rest = body.get(start..)?.strip_prefix(MARKER)?;
    let mut at = body.len() - rest.len();
    at += rest.len() - rest.trim_start().len();
    let rest = body.get(at..)?;
    let (file_wide, keyword) = if rest.starts_with("file-ignore[") {
        (true, "file-ignore[")
    } else if rest.starts_with("ignore[") {
        (false, "ignore[")
    } else {
        return Some(Err(()));
    };
    let open = at + keyword.len();
    let Some(close) = body.get(open..).and_then(|inside| inside.find(']')) else {
        return Some(Err(()));
    };
    let inside = body.get(open..open + close)?;
    let mut codes = Vec::new();
    let mut piece_start = None;
    let ends = inside
        .char_indices()
        .chain(std::iter::once((inside.len(), ',')));
    for (index, c) in ends {
        let separator = c == ',' || c.is_whitespace();
        match (separator, piece_start) {
            (true, Some(from)) => {
                if let Some(piece) = inside.get(from..index) {
                    codes.push((piece, open + from..open + index));
                }
                piece_start = None;
            }
            (false, None) => piece_start = Some(index),
            _ => {}
        }
    }
    if codes.is_empty() {
        return Some(Err(()));
    }
    Some(Ok(Parsed { file_wide, codes }))
}

/// A code in a source suppression whose rule also reports across packages.
#[derive(Clone, Debug)]
pub struct PendingSuppression {
    pub rule: &'static Rule,
    pub file: FileId,
    /// The suppressed line (1-based), or `None` for the whole file.
    pub line: Option<u32>,
    /// The code in the comment, where PQ099 points.
    pub code_span: Span,
    /// Whether PQ099 reported it as unused, to be withdrawn if a finding here uses it.
    pub reported_unused: bool,
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::rules::document::{FILE_SYSTEM_ACCESS, UNSCOPED_SHARED_MEMBER};
    use crate::testing::{Fixture, RuleCase, listing};

    /// Line and block comments, codes and names separated by commas and spaces, with or
    /// without a reason; other comments are not suppressions; broken ones are errors.
    #[test]
    fn parses_comments() {
        let parsed = parse("// mezcheck: ignore[PQ705, tracing-enabled] -- reason")
            .expect("a suppression")
            .expect("valid");
        assert!(!parsed.file_wide);
        let texts: Vec<&str> = parsed.codes.iter().map(|(code, _)| *code).collect();
        assert_eq!(texts, ["PQ705", "tracing-enabled"]);
        let (_, range) = &parsed.codes[1];
        assert_eq!(
            &"// mezcheck: ignore[PQ705, tracing-enabled] -- reason"[range.clone()],
            "tracing-enabled"
        );
        let block = parse("/* mezcheck: file-ignore[PQ703] */").expect("a suppression");
        assert_eq!(block.map(|p| p.file_wide), Ok(true));
        assert_eq!(parse("// just a comment about mezcheck"), None);
        assert_eq!(parse("// mezcheck: ignore PQ705"), Some(Err(())));
        assert_eq!(parse("// mezcheck: ignore[]"), Some(Err(())));
        assert_eq!(parse("// mezcheck: ignore[PQ705"), Some(Err(())));
    }

    /// Finch reading a file (PQ115, `File.Contents`) and sharing a member without its Kind's
    /// prefix (PQ116), with these suppression comments.
    fn reads_and_shares(a: &str, b: &str) -> Fixture {
        Fixture::finch().members(&format!("{a}A = File.Contents(\"x\");\n{b}shared B = 1;"))
    }

    /// A finding on the next line is suppressed by code, a file's by `file-ignore`; one two
    /// lines below the comment is not.
    #[test]
    fn suppresses_by_code() {
        let cases = RuleCase::new(&FILE_SYSTEM_ACCESS)
            .pass([
                reads_and_shares(
                    "// mezcheck: ignore[PQ115] -- reads a fixture in tests\n",
                    "",
                ),
                reads_and_shares("// mezcheck: file-ignore[PQ115, PQ116] -- legacy\n", ""),
            ])
            .fail([
                reads_and_shares("", ""),
                Fixture::finch().members("// mezcheck: ignore[PQ115]\n\nB = File.Contents(\"y\");"),
            ]);
        insta::assert_snapshot!(cases.run());
    }

    /// A finding on the next line is suppressed by rule name in a block comment, a file's by
    /// `file-ignore`.
    #[test]
    fn suppresses_by_name() {
        let cases = RuleCase::new(&UNSCOPED_SHARED_MEMBER)
            .pass([
                reads_and_shares("", "/* mezcheck: ignore[unscoped-shared-member] */\n"),
                reads_and_shares("// mezcheck: file-ignore[PQ115, PQ116] -- legacy\n", ""),
            ])
            .fail([reads_and_shares("", "")]);
        insta::assert_snapshot!(cases.run());
    }

    /// The PQ099, PQ115 and PQ116 findings of `mezcheck check` with every rule on.
    fn check_all(fixture: &Fixture) -> String {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = fixture.write_to(dir.path());
        let package = crate::package::load(&path, &fixture.name).expect("the fixture loads");
        listing(&crate::check_package(package, &Default::default()).report)
            .lines()
            .filter(|line| {
                line.starts_with("PQ099") || line.starts_with("PQ115") || line.starts_with("PQ116")
            })
            .map(|line| format!("{line}\n"))
            .collect()
    }

    /// PQ099 with the suppressed rules running (a rule case selects PQ099 alone): codes that
    /// suppressed a finding are not reported; a code that suppressed nothing on the next line
    /// or in the file is.
    #[test]
    fn stale_codes() {
        assert_eq!(
            check_all(&reads_and_shares(
                "// mezcheck: ignore[PQ115] -- reads a fixture in tests\n",
                "/* mezcheck: ignore[unscoped-shared-member] */\n"
            )),
            ""
        );
        assert_eq!(
            check_all(&reads_and_shares(
                "// mezcheck: file-ignore[PQ115, PQ116] -- legacy\n",
                ""
            )),
            ""
        );
        insta::assert_snapshot!(check_all(&Fixture::finch().members(
            "// mezcheck: ignore[PQ115, PQ116] -- PQ116 is stale\nA = File.Contents(\"x\");\n// mezcheck: ignore[PQ115]\n\nB = File.Contents(\"y\");\n// mezcheck: file-ignore[PQ116]\nC = 1;"
        )));
    }
}
