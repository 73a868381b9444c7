//! What `mezcheck info` reports about a connector, as plain data: field names follow the Power
//! Query SDK's `PQTest info` output (`Source`, `LibraryId`, `Members`, `DataSources`, …) so
//! scripts written for one can read the other; mezcheck's own additions follow them.
//! Values that cannot be resolved statically are `null` and listed under `Unresolved`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::model::connector::{Connector, field};
use crate::model::eval::follow::Visit;
use crate::model::eval::resolve::{Env, Resolved};
use crate::model::eval::shape::FunctionShape;
use crate::package::PackageKind;
use crate::syntax::ast::{Expr, Field};

/// Deepest list/record nesting rendered as JSON.
const MAX_VALUE_DEPTH: usize = 8;

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExtensionInfo {
    pub source: String,
    /// The section name.
    pub library_id: Option<String>,
    /// `null` when the connector's M parsed; else a short description of the problem.
    pub error_status: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    /// The section's literal attributes.
    pub metadata: BTreeMap<String, Value>,
    /// The shared members.
    pub members: Vec<MemberInfo>,
    pub data_sources: Vec<DataSourceInfo>,
    /// mezcheck: `mez`, `pqx`, `folder` or `file`.
    pub package_kind: PackageKind,
    /// mezcheck: the Publish records by name.
    pub publish_records: BTreeMap<String, Value>,
    /// mezcheck: icons named by the icon records, with their pixel sizes.
    pub icons: Vec<IconInfo>,
    /// mezcheck: functions that build navigation tables (`Table.ToNavigationTable` callers).
    pub navigation_tables: Vec<String>,
    /// mezcheck: string counts per resource file (`resources.resx`, `resources.de.resx`).
    pub resources: BTreeMap<String, usize>,
    /// mezcheck: the modules the connector loads.
    pub modules: Vec<String>,
    /// mezcheck: what could not be resolved statically, with the reason.
    pub unresolved: Vec<String>,
    /// mezcheck: the signature of a `.pqx` (absent for other packages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::signature::summary::SignatureInfo>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MemberInfo {
    pub name: String,
    /// `function (url as Uri.Type) as table`, or `value` for other members.
    #[serde(rename = "Type")]
    pub type_text: String,
    pub data_source_kind: Option<String>,
    pub publish: Option<String>,
    pub documentation: BTreeMap<String, Value>,
    pub function_parameters: Vec<ParameterInfo>,
    pub is_data_source: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParameterInfo {
    pub name: String,
    #[serde(rename = "Type")]
    pub type_text: String,
    pub is_required: bool,
    pub documentation: BTreeMap<String, Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DataSourceInfo {
    pub data_source_kind: String,
    pub label: Option<Value>,
    pub authentication_infos: Vec<AuthenticationInfo>,
    /// mezcheck: why the `Authentication` record could not be read statically, when it is
    /// computed (an `if`, a helper call); `AuthenticationInfos` is then empty but says nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_computed: Option<String>,
    /// mezcheck: whether the Kind record could be read statically.
    pub record_resolved: bool,
    /// mezcheck: whether the Kind record has a `TestConnection` field.
    pub has_test_connection: bool,
    /// mezcheck: the data source functions of this kind.
    pub functions: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationInfo {
    pub kind: String,
    pub properties: BTreeMap<String, Value>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IconInfo {
    pub list: String,
    pub entry: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `ok`, `missing`, or why the image cannot be read.
    pub status: String,
}

/// The type of a data source function whose shape could not be read statically.
pub const COMPUTED_FUNCTION_TYPE: &str = "function (computed)";

/// Describes the connector of a package.
pub fn extension_info(connector: &Connector<'_>) -> ExtensionInfo {
    let model = connector.model;
    let mut describer = Describer {
        connector,
        unresolved: Vec::new(),
    };
    let section = connector.section.as_ref();
    let metadata = section
        .and_then(|s| Some((s.document.attributes.as_ref()?, &s.env)))
        .map(|(record, env)| describer.record_map(&record.fields, env, "section attributes"))
        .unwrap_or_default();
    let version = metadata
        .get("Version")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let members = section.map(|s| describer.members(s)).unwrap_or_default();
    let data_sources = describer.data_sources();
    let publish_records = describer.publish_records();
    let icons = connector
        .icons()
        .into_iter()
        .map(|icon| {
            let (width, height, status) = match &icon.size {
                Some(Ok(size)) => (Some(size.width), Some(size.height), "ok".to_owned()),
                Some(Err(problem)) => (None, None, format!("not a usable PNG: {problem}")),
                None => (None, None, "missing".to_owned()),
            };
            IconInfo {
                list: icon.list,
                entry: icon.entry,
                width,
                height,
                status,
            }
        })
        .collect();
    let mut navigation_tables: Vec<String> = connector
        .calls()
        .iter()
        .filter(|call| call.name == "Table.ToNavigationTable")
        .filter_map(|call| enclosing_member(connector, call.expr))
        .collect();
    navigation_tables.dedup();
    let resources = model
        .resources
        .iter()
        .map(|r| {
            (
                model.sources.get(r.file).name.clone(),
                r.resx.strings().count(),
            )
        })
        .collect();
    let modules = connector
        .module_loads()
        .iter()
        .filter_map(|load| load.target.clone().ok())
        .collect();
    let syntax_errors: usize = model.documents.iter().map(|d| d.parse.errors.len()).sum();
    let unreadable = model.package.facts.iter().find_map(|fact| match fact {
        crate::package::Fact::Unreadable { reason } => Some(reason.clone()),
        _ => None,
    });
    let error_status = match (unreadable, section, syntax_errors) {
        (Some(reason), _, _) => Some(format!("package cannot be read: {reason}")),
        (None, _, n) if n > 0 => Some(format!("{n} syntax error{}", if n == 1 { "" } else { "s" })),
        (None, None, _) => Some("no section document".to_owned()),
        _ => None,
    };
    ExtensionInfo {
        source: model.package.path.clone(),
        library_id: section.map(|s| s.document.name.name.to_string()),
        error_status,
        name: section.map(|s| s.document.name.name.to_string()),
        version,
        metadata,
        members,
        data_sources,
        package_kind: model.package.kind,
        publish_records,
        icons,
        navigation_tables,
        resources,
        modules,
        unresolved: describer.unresolved,
        signature: crate::signature::summary::summary(&model.package),
    }
}

/// The shared member whose value contains `expr`.
fn enclosing_member(connector: &Connector<'_>, expr: &Expr) -> Option<String> {
    let section = connector.section.as_ref()?;
    section
        .document
        .members
        .iter()
        .find(|m| m.value.span.start <= expr.span.start && expr.span.end <= m.value.span.end)
        .map(|m| m.name.name.to_string())
}

struct Describer<'c, 'a> {
    connector: &'c Connector<'a>,
    unresolved: Vec<String>,
}

impl<'a> Describer<'_, 'a> {
    fn members(&mut self, section: &crate::model::connector::Section<'a>) -> Vec<MemberInfo> {
        let mut members = Vec::new();
        for member in section
            .document
            .members
            .iter()
            .filter(|m| m.shared.is_some())
        {
            let name = member.name.name.to_string();
            let data_source = self
                .connector
                .data_sources()
                .iter()
                .find(|d| std::ptr::eq(d.member, member));
            let shape = crate::model::eval::shape::function_shape(&member.value, &section.env);
            let (type_text, documentation, function_parameters) = match &shape {
                Ok(shape) => self.function(&name, shape),
                Err(computed) if data_source.is_some() => {
                    self.unresolved
                        .push(format!("`{name}`: function shape: {}", computed.reason));
                    (
                        COMPUTED_FUNCTION_TYPE.to_owned(),
                        BTreeMap::new(),
                        Vec::new(),
                    )
                }
                Err(_) => ("value".to_owned(), BTreeMap::new(), Vec::new()),
            };
            members.push(MemberInfo {
                name,
                type_text,
                data_source_kind: data_source.map(|d| d.kind.clone()),
                publish: data_source.and_then(|d| d.publish.as_ref().map(|(p, _)| p.clone())),
                documentation,
                function_parameters,
                is_data_source: data_source.is_some(),
            });
        }
        members
    }

    fn function(
        &mut self,
        name: &str,
        shape: &FunctionShape<'a>,
    ) -> (String, BTreeMap<String, Value>, Vec<ParameterInfo>) {
        let documentation = match &shape.metadata {
            Some((fields, env)) => {
                self.record_map(fields, env, &format!("documentation of `{name}`"))
            }
            None => BTreeMap::new(),
        };
        let parameters = shape
            .params
            .iter()
            .map(|param| ParameterInfo {
                name: param.name.clone(),
                type_text: param.type_name.clone(),
                is_required: !param.optional,
                documentation: match &param.metadata {
                    Some((fields, env)) => self.record_map(
                        fields,
                        env,
                        &format!("parameter `{}` of `{name}`", param.name),
                    ),
                    None => BTreeMap::new(),
                },
            })
            .collect();
        (
            format!("function {}", shape.signature()),
            documentation,
            parameters,
        )
    }

    fn data_sources(&mut self) -> Vec<DataSourceInfo> {
        let connector = self.connector;
        connector
            .kinds()
            .iter()
            .map(|kind| {
                let authentication_infos = kind
                    .authentication
                    .iter()
                    .map(|auth| AuthenticationInfo {
                        kind: auth.kind().to_owned(),
                        properties: match &auth.fields {
                            Some((fields, env)) => self.record_map(
                                fields,
                                env,
                                &format!("`{}` authentication of `{}`", auth.kind(), kind.name),
                            ),
                            None => BTreeMap::new(),
                        },
                    })
                    .collect();
                let authentication_computed = kind.fields.as_ref().and_then(|(fields, env)| {
                    let auth = field(fields, "Authentication")?;
                    match connector.resolver.resolve(&auth.value, env) {
                        Resolved::Record(..) => None,
                        Resolved::Computed(computed) => Some(computed.reason),
                        Resolved::Param { .. } => Some("a function parameter".to_owned()),
                        other => Some(format!("{}, not a record", other.describe())),
                    }
                });
                if let Some(reason) = &authentication_computed {
                    self.unresolved.push(format!(
                        "`Authentication` of Kind `{}`: {reason}",
                        kind.name
                    ));
                }
                let label = kind.fields.as_ref().and_then(|(fields, env)| {
                    field(fields, "Label").map(|f| self.value(&f.value, env, "Label", 0))
                });
                if kind.fields.is_none() {
                    let why = if kind.member.is_some() {
                        "not a record expression"
                    } else {
                        "no section member has this name"
                    };
                    self.unresolved
                        .push(format!("Kind record `{}`: {why}", kind.name));
                }
                DataSourceInfo {
                    data_source_kind: kind.name.clone(),
                    record_resolved: kind.fields.is_some(),
                    label,
                    authentication_infos,
                    authentication_computed,
                    has_test_connection: kind
                        .fields
                        .as_ref()
                        .is_some_and(|(fields, _)| field(fields, "TestConnection").is_some()),
                    functions: connector
                        .data_sources()
                        .iter()
                        .filter(|d| d.kind == kind.name)
                        .map(|d| d.name().to_owned())
                        .collect(),
                }
            })
            .collect()
    }

    fn publish_records(&mut self) -> BTreeMap<String, Value> {
        let connector = self.connector;
        let mut records = BTreeMap::new();
        for publish in connector.publishes() {
            let value = match &publish.fields {
                Some((fields, env)) => Value::Object(
                    self.record_map(fields, env, &format!("`{}`", publish.name))
                        .into_iter()
                        .collect(),
                ),
                None => {
                    self.unresolved
                        .push(format!("`{}`: not a record in the section", publish.name));
                    Value::Null
                }
            };
            records.insert(publish.name.clone(), value);
        }
        records
    }

    fn record_map(
        &mut self,
        fields: &'a [Field],
        env: &Env<'a>,
        context: &str,
    ) -> BTreeMap<String, Value> {
        fields
            .iter()
            .map(|f| {
                (
                    f.name.name.to_string(),
                    self.value(&f.value, env, &format!("{context}: `{}`", f.name.name), 0),
                )
            })
            .collect()
    }

    /// A JSON rendering of a literal value; functions are `"function"`, computed values `null`.
    fn value(&mut self, expr: &'a Expr, env: &Env<'a>, context: &str, depth: usize) -> Value {
        if depth > MAX_VALUE_DEPTH {
            return Value::Null;
        }
        match self.connector.resolver.resolve(expr, env) {
            Resolved::Text(text) => Value::String(text),
            Resolved::Number(n) => {
                serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
            }
            Resolved::Logical(b) => Value::Bool(b),
            Resolved::Null => Value::Null,
            Resolved::List(items, env) => Value::Array(
                items
                    .iter()
                    .map(|item| self.value(item, &env, context, depth + 1))
                    .collect(),
            ),
            Resolved::Record(fields, env) => Value::Object(
                fields
                    .iter()
                    .map(|f| {
                        (
                            f.name.name.to_string(),
                            self.value(
                                &f.value,
                                &env,
                                &format!("{context}.{}", f.name.name),
                                depth + 1,
                            ),
                        )
                    })
                    .collect(),
            ),
            Resolved::Function(..) => Value::String("function".to_owned()),
            Resolved::Param { .. } => Value::Null,
            Resolved::Computed(computed) => {
                let icon_call = computed
                    .reason
                    .starts_with("the result of calling `Extension.Contents`");
                if icon_call {
                    return Value::String(
                        describe_contents_call(expr, env, &self.connector.resolver)
                            .unwrap_or_else(|| "binary".to_owned()),
                    );
                }
                self.unresolved
                    .push(format!("{context}: {}", computed.reason));
                Value::Null
            }
        }
    }
}

/// `Extension.Contents("Kestrel16.png")` renders as `Extension.Contents("Kestrel16.png")`.
fn describe_contents_call<'a>(
    expr: &'a Expr,
    env: &Env<'a>,
    resolver: &crate::model::eval::resolve::Resolver<'a>,
) -> Option<String> {
    crate::model::eval::follow::seek(
        expr,
        env,
        crate::model::eval::resolve::step_through,
        |expr, env| match crate::model::eval::resolve::call_of(expr) {
            Some(("Extension.Contents", [target, ..])) => match resolver.text(target, env) {
                Ok(target) => Visit::Found(format!("Extension.Contents(\"{target}\")")),
                Err(_) => Visit::Stop,
            },
            Some(_) => Visit::Stop,
            None => Visit::Step,
        },
    )
}
