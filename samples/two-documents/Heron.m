// Heron Transit connector for Power Query (copy written by the legacy Visual Studio SDK build).
//
// Why this sample exists: this Heron.m is the second section document of the folder, next to
// Heron.pq (see the comment there). It was produced by the old build, which renamed Heron.pq to
// Heron.m, and was committed by mistake. mezcheck must report PQ016 (multiple section documents).
[Version = "2.1.0"]
section Heron;

// The Heron Transit service. Its address is fixed, so users enter nothing to connect.
ServiceUrl = "https://api.heron-transit.example/v3";

[DataSource.Kind = "Heron", Publish = "Heron.Publish"]
shared Heron.Contents = Value.ReplaceType(HeronImpl, HeronType);

HeronType = type function () as table meta [
    Documentation.Name = Extension.LoadString("FunctionName"),
    Documentation.LongDescription = Extension.LoadString("FunctionDescription")
];

// The navigator, one row per table. A table is only downloaded when it is selected.
HeronImpl = () as table =>
    let
        catalog = #table(
            {"Name", "Key", "ItemKind", "ItemName", "IsLeaf"},
            {
                {"Routes", "routes", "Table", "Table", true},
                {"Stops", "stops", "Table", "Table", true},
                {"Departures", "departures", "Table", "Table", true}
            }
        ),
        withData = Table.AddColumn(catalog, "Data", each GetTable([Key]), type table),
        navigation = Table.ToNavigationTable(withData, {"Key"}, "Name", "Data", "ItemKind", "ItemName", "IsLeaf")
    in
        navigation;

// One endpoint as a typed table. The service answers with a JSON object whose "items" field
// holds every row.
GetTable = (endpoint as text) as table =>
    let
        response = Web.Contents(ServiceUrl, [RelativePath = endpoint, Headers = [Accept = "application/json"]]),
        rows = Json.Document(response)[items],
        shaped = ApplySchema(rows, Record.Field(Schemas, endpoint))
    in
        shaped;

// Turns a list of JSON records into a typed table. Each schema item is
// {field in the JSON answer, column name shown to users, column type}.
ApplySchema = (rows as list, schema as list) as table =>
    let
        sourceFields = List.Transform(schema, each _{0}),
        columnNames = List.Transform(schema, each _{1}),
        columnTypes = List.Transform(schema, each {_{1}, _{2}}),
        asTable = Table.FromList(rows, Splitter.SplitByNothing(), {"Record"}),
        expanded = Table.ExpandRecordColumn(asTable, "Record", sourceFields, columnNames),
        typed = Table.TransformColumnTypes(expanded, columnTypes)
    in
        typed;

// Column schemas of the endpoints, keyed by relative path.
Schemas = [
    routes = {
        {"id", "Route ID", type text},
        {"short_name", "Route", type text},
        {"long_name", "Route Name", type text},
        {"mode", "Mode", type text}
    },
    stops = {
        {"id", "Stop ID", type text},
        {"name", "Stop", type text},
        {"latitude", "Latitude", type number},
        {"longitude", "Longitude", type number},
        {"accessible", "Step-free Access", type logical}
    },
    departures = {
        {"route_id", "Route ID", type text},
        {"stop_id", "Stop ID", type text},
        {"scheduled_at", "Scheduled", type datetimezone},
        {"platform", "Platform", type nullable text}
    }
];

// The data source definition. The service is public, so access is anonymous.
Heron = [
    TestConnection = (dataSourcePath) => { "Heron.Contents" },
    Authentication = [
        Anonymous = []
    ]
];

// How the connector appears in Get Data.
Heron.Publish = [
    Beta = false,
    Category = "Online Services",
    ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") },
    LearnMoreUrl = "https://heron-transit.example/developers/power-query",
    SourceImage = Heron.Icons,
    SourceTypeImage = Heron.Icons
];

Heron.Icons = [
    Icon16 = { Extension.Contents("Heron16.png"), Extension.Contents("Heron20.png"), Extension.Contents("Heron24.png"), Extension.Contents("Heron32.png") },
    Icon32 = { Extension.Contents("Heron32.png"), Extension.Contents("Heron40.png"), Extension.Contents("Heron48.png"), Extension.Contents("Heron64.png") }
];

// Makes a table show up in the Power Query navigator: adds the key and the navigation metadata.
Table.ToNavigationTable = (
    table as table,
    keyColumns as list,
    nameColumn as text,
    dataColumn as text,
    itemKindColumn as text,
    itemNameColumn as text,
    isLeafColumn as text
) as table =>
    let
        navigatorType = Type.AddTableKey(Value.Type(table), keyColumns, true) meta [
            NavigationTable.NameColumn = nameColumn,
            NavigationTable.DataColumn = dataColumn,
            NavigationTable.ItemKindColumn = itemKindColumn,
            NavigationTable.ItemNameColumn = itemNameColumn,
            NavigationTable.IsLeafColumn = isLeafColumn,
            Preview.DelayColumn = itemNameColumn
        ],
        navigationTable = Value.ReplaceType(table, navigatorType)
    in
        navigationTable;
