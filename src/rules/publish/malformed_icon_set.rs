//! PQ306: an icon record is not two lists of four PNG entries.
use super::{Publish, not_static, publish_records};
use crate::declare_rule;
use crate::diagnostic::{Finding, Severity};
use crate::model::connector::{EXTENSION_CONTENTS, field};
use crate::model::eval::follow::library_call;
use crate::model::eval::resolve::{Definition, Env, Resolved, Resolver};
use crate::rules::{Context, Priority};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, ExprKind, Field};

declare_rule! {
    /// ## What it checks
    /// An icon record lacks `Icon16` or `Icon32`, or one is not a list of at least four distinct PNG entries.
    ///
    /// The icon records are those named by a Publish record's `SourceImage` and
    /// `SourceTypeImage`. Each must have `Icon16` and `Icon32`, each a list of at least four
    /// `Extension.Contents("….png")` calls with literal names, no entry twice in one list. By
    /// convention `Icon16` holds the 16, 20, 24 and 32 px images and `Icon32` the 32, 40, 48
    /// and 64 px ones. Computed values are reported at info.
    ///
    /// ## Why it matters
    /// Each list serves several display scales; Get Data picks the image for the screen's
    /// scaling, so every scale needs its own correctly sized icon.
    ///
    /// ## Example
    /// `Contoso.Icons = [Icon16 = {Extension.Contents("Contoso16.png")}];`
    ///
    /// Use instead:
    /// `Icon16 = { Extension.Contents("Contoso16.png"), Extension.Contents("Contoso20.png"),
    /// Extension.Contents("Contoso24.png"), Extension.Contents("Contoso32.png") }` and the
    /// same for `Icon32` with the 32, 40, 48 and 64 px images.
    pub(crate) static MALFORMED_ICON_SET = Rule {
        code: "PQ306",
        name: "malformed-icon-set",
        default_severity: Severity::Warning,
        priority: Priority::P2,
    };
}

/// Icons each list should hold, one per display scale.
const ICONS_PER_LIST: usize = 4;

/// An icon record and where findings about it point.
struct IconRecord<'a> {
    fields: &'a [Field],
    env: Env<'a>,
    /// `icon record `Contoso.Icons``, or for an inline record the Publish field naming it.
    title: String,
    at: (FileId, Span),
}

fn check(cx: &mut Context<'_>) {
    let resolver = &cx.connector().resolver;
    let mut records: Vec<IconRecord<'_>> = Vec::new();
    for publish in publish_records(cx) {
        for image in ["SourceImage", "SourceTypeImage"] {
            let Some(image_field) = publish.field(image) else {
                continue;
            };
            if let Some(record) = icon_record(cx, resolver, &publish, image_field)
                && !records
                    .iter()
                    .any(|r| std::ptr::eq(r.fields, record.fields))
            {
                records.push(record);
            }
        }
    }
    for record in &records {
        for list in ["Icon16", "Icon32"] {
            match field(record.fields, list) {
                Some(list_field) => check_list(cx, resolver, record, list_field),
                None => cx.report(
                    Finding::new(format!("{} has no `{list}`", record.title))
                        .primary(record.at.0, record.at.1)
                        .help(format!(
                            "add `{list} = {{ … }}` with four `Extension.Contents(\"….png\")` icons"
                        )),
                ),
            }
        }
    }
}

/// The icon record a `SourceImage`/`SourceTypeImage` field names; reports when it is none.
fn icon_record<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    publish: &Publish<'a>,
    image_field: &'a Field,
) -> Option<IconRecord<'a>> {
    let image = &image_field.name.name;
    let value = &image_field.value;
    match resolver.resolve(value, &publish.env) {
        Resolved::Record(fields, env) => {
            let (title, at) = match defining_name(value, &publish.env) {
                Some((name, file, span)) => (format!("icon record `{name}`"), (file, span)),
                None => (
                    format!("the `{image}` icon record"),
                    (publish.file, image_field.name.span),
                ),
            };
            Some(IconRecord {
                fields,
                env,
                title,
                at,
            })
        }
        Resolved::Computed(computed) => {
            cx.report_review(
                Finding::new(not_static(&format!("`{image}`"), &computed.reason))
                    .primary(publish.file, value.span),
            );
            None
        }
        Resolved::Param { .. } => None,
        other => {
            cx.report(
                Finding::new(format!(
                    "`{image}` is {}, not an icon record",
                    other.describe()
                ))
                .primary(publish.file, value.span)
                .help("set it to a record `[Icon16 = { … }, Icon32 = { … }]`"),
            );
            None
        }
    }
}

/// The name whose definition `expr` refers to, when it is a name.
fn defining_name<'a>(expr: &'a Expr, env: &Env<'a>) -> Option<(String, FileId, Span)> {
    let ExprKind::Ident(ident) = &expr.kind else {
        return None;
    };
    match env.lookup_at(&ident.name, expr.span) {
        Definition::Value {
            file, name_span, ..
        } => Some((ident.name.to_string(), file, name_span)),
        _ => None,
    }
}

fn check_list<'a>(
    cx: &mut Context<'_>,
    resolver: &Resolver<'a>,
    record: &IconRecord<'a>,
    list_field: &'a Field,
) {
    let list = &list_field.name.name;
    let file = record.env.file();
    let (items, items_env) = match resolver.resolve(&list_field.value, &record.env) {
        Resolved::List(items, env) => (items, env),
        Resolved::Computed(computed) => {
            cx.report_review(
                Finding::new(not_static(&format!("`{list}`"), &computed.reason))
                    .primary(file, list_field.value.span),
            );
            return;
        }
        Resolved::Param { .. } => return,
        other => {
            cx.report(
                Finding::new(format!(
                    "`{list}` is {}, not a list of icons",
                    other.describe()
                ))
                .primary(file, list_field.value.span)
                .help("list four `Extension.Contents(\"….png\")` icons"),
            );
            return;
        }
    };
    if items.len() < ICONS_PER_LIST {
        cx.report(
            Finding::new(format!(
                "`{list}` lists {} icon{}, fewer than {ICONS_PER_LIST}",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            ))
            .primary(file, list_field.value.span)
            .help(sizes_help(list)),
        );
    }
    // Each entry with where it is listed.
    let mut seen: Vec<(String, Vec<(FileId, Span)>)> = Vec::new();
    let items_file = items_env.file();
    for (index, item) in items.iter().enumerate() {
        let ordinal = index + 1;
        let Some((EXTENSION_CONTENTS, [name_arg, ..], arg_env)) = library_call(item, &items_env)
        else {
            cx.report(
                Finding::new(format!(
                    "`{list}` item {ordinal} is not an `Extension.Contents(\"….png\")` call"
                ))
                .primary(items_file, item.span)
                .help("name a PNG entry of the package with `Extension.Contents(\"Name16.png\")`"),
            );
            continue;
        };
        let arg_file = arg_env.file();
        let name = match resolver.text(name_arg, &arg_env) {
            Ok(name) => name,
            Err(computed) => {
                cx.report_review(
                    Finding::new(not_static(
                        &format!("`{list}` item {ordinal}"),
                        &computed.reason,
                    ))
                    .primary(arg_file, name_arg.span),
                );
                continue;
            }
        };
        if !name.to_ascii_lowercase().ends_with(".png") {
            cx.report(
                Finding::new(format!("`{list}` names `{name}`, not a `.png` entry"))
                    .primary(arg_file, name_arg.span)
                    .help("convert the icon to PNG and name the `.png` entry"),
            );
        }
        let at = (arg_file, name_arg.span);
        match seen.iter_mut().find(|(seen_name, _)| *seen_name == name) {
            Some((_, places)) => places.push(at),
            None => seen.push((name, vec![at])),
        }
    }
    // One finding per repeated entry, at its second listing.
    for (name, places) in seen {
        let (Some(first), Some(second)) = (places.first(), places.get(1)) else {
            continue;
        };
        let times = if places.len() == 2 {
            "twice".to_owned()
        } else {
            format!("{} times", places.len())
        };
        cx.report(
            Finding::new(format!("`{list}` lists `{name}` {times}"))
                .primary(second.0, second.1)
                .secondary(first.0, first.1, "first listed here")
                .help(sizes_help(list)),
        );
    }
}

fn sizes_help(list: &str) -> String {
    let sizes = if list == "Icon16" {
        "16, 20, 24 and 32"
    } else {
        "32, 40, 48 and 64"
    };
    format!("list one icon per display scale in `{list}`: {sizes} px")
}

#[cfg(test)]
mod tests {
    use super::MALFORMED_ICON_SET;
    use crate::testing::{Fixture, RuleCase};

    /// Finch whose Publish record takes both images from `Finch.Icons = icons`.
    fn icons(icons: &str) -> Fixture {
        Fixture::finch()
            .set(
                "Finch.Publish",
                "[SourceImage = Finch.Icons, SourceTypeImage = Finch.Icons]",
            )
            .members(&format!("Finch.Icons = {icons};"))
    }

    fn contents(sizes: &[u32]) -> String {
        sizes
            .iter()
            .map(|size| format!("Extension.Contents(\"Finch{size}.png\")"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Two lists of four distinct PNG entries pass. Missing lists, short lists, duplicates,
    /// other entries and other calls fail; computed icons are info.
    #[test]
    fn malformed_icon_set() {
        let cases = RuleCase::new(&MALFORMED_ICON_SET)
            .pass([
                Fixture::finch(),
                Fixture::kestrel(),
                icons(&format!(
                    "[Icon16 = {{{}}}, Icon32 = {{{}}}]",
                    contents(&[16, 20, 24, 32]),
                    contents(&[32, 40, 48, 64])
                )),
            ])
            .fail([
                icons(&format!(
                    "[Icon16 = {{{}, Extension.Contents(\"Finch16.png\"), Extension.Contents(\"Finch.svg\"), Binary.FromText(\"\")}}]",
                    contents(&[16, 20])
                )),
                Fixture::finch().set(
                    "Finch.Publish",
                    "[SourceImage = [Icon16 = \"Finch16.png\", Icon32 = {Extension.Contents(IconName)}], SourceTypeImage = \"Finch.png\"]",
                ),
            ]);
        insta::assert_snapshot!(cases.run());
    }
}
