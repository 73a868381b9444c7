//! 6xx: navigation tables, built with the SDK's `Table.ToNavigationTable` helper or by the
//! library functions that make their own.

mod eager_navigation_table;
mod invalid_navigation_item_values;
mod malformed_navigation_helper;
mod missing_navigation_table;
mod navigation_column_not_found;

pub(crate) use eager_navigation_table::EAGER_NAVIGATION_TABLE;
pub(crate) use invalid_navigation_item_values::INVALID_NAVIGATION_ITEM_VALUES;
pub(crate) use malformed_navigation_helper::MALFORMED_NAVIGATION_HELPER;
pub(crate) use missing_navigation_table::MISSING_NAVIGATION_TABLE;
pub(crate) use navigation_column_not_found::NAVIGATION_COLUMN_NOT_FOUND;

/// The helper's parameters, in order.
pub(super) const HELPER_PARAMETERS: [&str; 7] = [
    "table",
    "keyColumns",
    "nameColumn",
    "dataColumn",
    "itemKindColumn",
    "itemNameColumn",
    "isLeafColumn",
];

/// The SDK's `Table.ToNavigationTable`, for tests.
#[cfg(test)]
pub(super) const HELPER: &str = r#"Table.ToNavigationTable = (table as table, keyColumns as list, nameColumn as text, dataColumn as text, itemKindColumn as text, itemNameColumn as text, isLeafColumn as text) as table =>
    let
        tableType = Value.Type(table),
        newTableType = Type.AddTableKey(tableType, keyColumns, true) meta [
            NavigationTable.NameColumn = nameColumn,
            NavigationTable.DataColumn = dataColumn,
            NavigationTable.ItemKindColumn = itemKindColumn,
            Preview.DelayColumn = itemNameColumn,
            NavigationTable.IsLeafColumn = isLeafColumn
        ]
    in
        Value.ReplaceType(table, newTableType);"#;
