//! The article's summary table read as data: which row is Release State, Products,
//! Authentication types or Function reference documentation (each under the label spellings
//! seen in published articles), and the values a cell lists.

use super::markdown::{BlockKind, Outline, Row, Table};

/// A row of the summary table the rules know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryRow {
    ReleaseState,
    Products,
    AuthenticationTypes,
    FunctionReference,
}

impl SummaryRow {
    /// The rows that must be present and non-empty (PQ805).
    pub const REQUIRED: [SummaryRow; 3] = [
        SummaryRow::ReleaseState,
        SummaryRow::Products,
        SummaryRow::AuthenticationTypes,
    ];

    /// How the template spells the label.
    pub fn label(self) -> &'static str {
        match self {
            SummaryRow::ReleaseState => "Release State",
            SummaryRow::Products => "Products",
            SummaryRow::AuthenticationTypes => "Authentication Types Supported",
            SummaryRow::FunctionReference => "Function Reference Documentation",
        }
    }

    /// The row a label cell names, after stripping emphasis, a trailing `:` and spaces.
    pub fn of_label(cell: &str) -> Option<SummaryRow> {
        let label = normalise_label(cell);
        let row = match label.as_str() {
            "release state" => SummaryRow::ReleaseState,
            "products" | "products supported" | "supported products" => SummaryRow::Products,
            "authentication types supported"
            | "authentication types"
            | "supported authentication types" => SummaryRow::AuthenticationTypes,
            "function reference documentation" | "function reference docs" => {
                SummaryRow::FunctionReference
            }
            _ => return None,
        };
        Some(row)
    }
}

/// The summary table: the first table after `after` (the support note or the title).
pub fn summary_table(outline: &Outline, after: u32) -> Option<&Table> {
    outline
        .blocks
        .iter()
        .filter(|b| b.span.start >= after)
        .find_map(|b| match b.kind {
            BlockKind::Table(index) => outline.tables.get(index),
            _ => None,
        })
}

/// The first row of a table (header excluded) with this label.
pub fn find_row(table: &Table, wanted: SummaryRow) -> Option<&Row> {
    table.rows.iter().skip(1).find(|row| {
        row.cells
            .first()
            .and_then(|c| SummaryRow::of_label(&c.text))
            == Some(wanted)
    })
}

/// Whether any table of the outline has a Release State row (a candidate article qualifies).
pub fn has_release_state_row(outline: &Outline) -> bool {
    outline
        .tables
        .iter()
        .any(|t| find_row(t, SummaryRow::ReleaseState).is_some())
}

/// The value cell of a row, trimmed; empty when there is none or it is only a dash.
pub fn row_value(row: &Row) -> &str {
    let value = row.cells.get(1).map_or("", |c| c.text.trim());
    if value.chars().all(|c| matches!(c, '-' | '—' | '–' | ' ')) {
        ""
    } else {
        value
    }
}

/// The items a value cell lists, split at `,`, `;` and line breaks (`<br>` arrives as one).
pub fn row_values(row: &Row) -> Vec<String> {
    row_value(row)
        .split([',', ';', '\n'])
        .map(|item| item.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|item| !item.is_empty())
        .collect()
}

fn normalise_label(cell: &str) -> String {
    let stripped: String = cell.chars().filter(|c| !matches!(c, '*' | '_')).collect();
    let trimmed = stripped.trim().trim_end_matches(':').trim();
    trimmed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every accepted spelling names its row; emphasis, colons and case do not matter.
    #[test]
    fn labels() {
        assert_eq!(
            SummaryRow::of_label("**Release state:**"),
            Some(SummaryRow::ReleaseState)
        );
        assert_eq!(
            SummaryRow::of_label("Supported products"),
            Some(SummaryRow::Products)
        );
        assert_eq!(
            SummaryRow::of_label(" Authentication  types "),
            Some(SummaryRow::AuthenticationTypes)
        );
        assert_eq!(
            SummaryRow::of_label("Function reference docs"),
            Some(SummaryRow::FunctionReference)
        );
        assert_eq!(SummaryRow::of_label("Release"), None);
    }

    /// Values split at commas, semicolons and `<br>`; a dash is empty.
    #[test]
    fn values() {
        let outline = crate::submission::markdown::parse(
            "| Item | Description |\n|-|-|\n| Products | A<br>B; C, D |\n| Release State | — |\n",
        );
        let table = &outline.tables[0];
        let products = find_row(table, SummaryRow::Products).expect("row");
        assert_eq!(row_values(products), ["A", "B", "C", "D"]);
        let state = find_row(table, SummaryRow::ReleaseState).expect("row");
        assert_eq!(row_value(state), "");
        assert!(has_release_state_row(&outline));
    }
}
