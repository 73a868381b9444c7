//! Path parameters of a data source function, as the 1xx and 2xx rules read them: the required
//! parameters whose type metadata does not set `DataSource.Path = false`. The engine keys saved
//! credentials by Kind and the values of these parameters. Nothing here reports.

use crate::model::eval::resolve::{Computed, Resolved, Resolver};
use crate::model::eval::shape::{FunctionShape, ParamInfo};

/// The metadata field that takes a required parameter out of the data source path.
pub const DATA_SOURCE_PATH: &str = "DataSource.Path";

/// The path parameters of a shape, in order, or why one of them cannot be decided (a computed
/// `DataSource.Path` value). A non-logical literal value does not take a parameter out of the
/// path: the engine would not read it as `false`.
pub fn path_parameters<'s, 'a>(
    shape: &'s FunctionShape<'a>,
    resolver: &Resolver<'a>,
) -> Result<Vec<&'s ParamInfo<'a>>, Computed> {
    let mut path = Vec::new();
    for param in shape.required() {
        let Some((field, env)) = param.metadata_field(DATA_SOURCE_PATH) else {
            path.push(param);
            continue;
        };
        match resolver.resolve(&field.value, &env) {
            Resolved::Logical(false) => {}
            Resolved::Computed(computed) => {
                return Err(Computed {
                    span: computed.span,
                    reason: format!(
                        "`{DATA_SOURCE_PATH}` of parameter `{}` is computed ({})",
                        param.name, computed.reason
                    ),
                });
            }
            Resolved::Param { .. } => {
                return Err(Computed {
                    span: field.value.span,
                    reason: format!(
                        "`{DATA_SOURCE_PATH}` of parameter `{}` is a function parameter",
                        param.name
                    ),
                });
            }
            _ => path.push(param),
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::path_parameters;
    use crate::model::Model;
    use crate::model::connector::Connector;
    use crate::testing::archive;

    fn path_names(source: &str) -> Result<Vec<String>, String> {
        let model = Model::build(archive("Wren.mez", &[("Wren.pq", source.as_bytes())]));
        let connector = Connector::build(&model);
        let data_source = connector
            .data_sources()
            .first()
            .expect("a data source function");
        let shape = data_source.shape.as_ref().map_err(|c| c.reason.clone())?;
        path_parameters(shape, &connector.resolver)
            .map(|params| params.iter().map(|p| p.name.clone()).collect())
            .map_err(|c| c.reason)
    }

    /// Required parameters are the path unless their metadata sets `DataSource.Path = false`;
    /// optional ones never are.
    #[test]
    fn required_parameters_form_the_path() {
        let plain = r#"section Wren; [DataSource.Kind = "Wren"] shared Wren.Contents = (url as text, db, optional top as number) => 1;"#;
        assert_eq!(path_names(plain), Ok(vec!["url".into(), "db".into()]));
        let excluded = r#"section Wren;
            [DataSource.Kind = "Wren"] shared Wren.Contents = Value.ReplaceType(Impl, T);
            Impl = (url, top) => 1;
            Off = false;
            T = type function (url as text, top as (type number meta [DataSource.Path = Off])) as table;"#;
        assert_eq!(path_names(excluded), Ok(vec!["url".into()]));
    }

    /// A computed `DataSource.Path` leaves the path undecided.
    #[test]
    fn computed_path_flag() {
        let computed = r#"section Wren;
            [DataSource.Kind = "Wren"] shared Wren.Contents = Value.ReplaceType(Impl, T);
            Impl = (url) => 1;
            T = type function (url as (type text meta [DataSource.Path = Logical.From("false")])) as table;"#;
        let reason = path_names(computed).expect_err("computed");
        assert!(
            reason.contains("`DataSource.Path` of parameter `url`"),
            "{reason}"
        );
    }
}
