//! Tests of the Markdown outline: what is found, where it points, and what is ignored.

use super::*;

const ARTICLE: &str = "---\ntitle: Contoso\nms.subservice: connectors\nms.custom:\n  nested: no\n---\n\n# Contoso\n\n<!-- a comment -->\n\n>[!Note]\n>This connector is owned and provided by Contoso.\n\n## Summary\n\n| Item | Description |\n| --- | --- |\n| **Release State:** | Preview |\n| Products | A<br/>B |\n\n```md\n# not a heading\nTODO\n```\n\nSetext\n======\n\n1. one\n   1. nested\n   2. nested\n2. two\n";

/// Front matter keys, headings (ATX and setext), tables and quotes are found with their lines.
#[test]
fn outline_of_an_article() {
    let outline = parse(ARTICLE);
    let front = outline.front_matter.as_ref().expect("front matter");
    let keys: Vec<_> = front
        .keys
        .iter()
        .map(|k| (k.key.as_str(), k.value.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("title", "Contoso"),
            ("ms.subservice", "connectors"),
            ("ms.custom", "")
        ]
    );
    assert!(front.error.is_none());
    assert_eq!(&ARTICLE[front.open.range()], "---");
    let headings: Vec<_> = outline
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str(), &ARTICLE[h.span.range()]))
        .collect();
    assert_eq!(
        headings,
        [
            (1, "Contoso", "# Contoso"),
            (2, "Summary", "## Summary"),
            (1, "Setext", "Setext")
        ]
    );
    let table = &outline.tables[0];
    let cells: Vec<Vec<&str>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(
        cells,
        [
            vec!["Item", "Description"],
            vec!["Release State:", "Preview"],
            vec!["Products", "A\nB"]
        ]
    );
    assert_eq!(
        &ARTICLE[table.rows[1].span.range()],
        "| **Release State:** | Preview |"
    );
    let quote = &outline.blockquotes[0];
    assert_eq!(quote.lines[0].0, "[!Note]");
    assert_eq!(
        quote.lines[1].0,
        "This connector is owned and provided by Contoso."
    );
    let lists: Vec<usize> = outline.ordered_lists.iter().map(|l| l.items).collect();
    assert_eq!(lists, [2, 2]);
}

/// Blocks after the title come in order; comments are their own kind; code is not prose.
#[test]
fn blocks_and_prose() {
    let outline = parse(ARTICLE);
    let kinds: Vec<BlockKind> = outline.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Heading(0),
            BlockKind::Comment,
            BlockKind::BlockQuote(0),
            BlockKind::Heading(1),
            BlockKind::Table(0),
            BlockKind::Code,
            BlockKind::Heading(2),
            BlockKind::List,
        ]
    );
    let prose = outline.prose(ARTICLE);
    assert_eq!(prose.len(), ARTICLE.len());
    assert!(!prose.contains("TODO") && !prose.contains("a comment"));
    assert!(prose.contains("Release State"));
}

/// Sections run to the next heading of the same or a higher level.
#[test]
fn sections() {
    let text = "# T\n## A\ntext\n### A.1\nmore\n## B\nend\n";
    let outline = parse(text);
    assert_eq!(
        &text[outline.section(1).range()],
        "## A\ntext\n### A.1\nmore\n"
    );
    assert_eq!(&text[outline.section(3).range()], "## B\nend\n");
    assert_eq!(outline.section_end(0), text.len() as u32);
    assert_eq!(outline.find_heading(&[2], |t| t == "b"), Some(3));
}

/// An unclosed front matter is not front matter; includes are found outside code only.
#[test]
fn unclosed_front_matter_and_includes() {
    let outline =
        parse("---\ntitle: x\n\n# T\n[!INCLUDE [a](b.md)]\n```\n[!INCLUDE [c](d.md)]\n```\n");
    assert!(outline.front_matter.is_none());
    assert_eq!(outline.includes.len(), 1);
}
