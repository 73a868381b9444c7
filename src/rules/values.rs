//! Type checks of literal values shared by the record rules (Publish, documentation metadata):
//! is this field text, a list, a logical? Values are resolved through the model's resolver;
//! a computed value is neither right nor wrong but unknown, with the resolver's reason.

use crate::model::eval::follow::is_load_string;
use crate::model::eval::resolve::{Env, Resolved, Resolver};
use crate::syntax::ast::Expr;

/// The outcome of a type check.
#[derive(Debug, PartialEq)]
pub(crate) enum Checked {
    /// The value has the expected type.
    Ok,
    /// The value is a literal of another type, described (`a number`, `a record`).
    Wrong(&'static str),
    /// The value is computed; the reason says why.
    Unknown(String),
}

/// The type a value should have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expected {
    /// Text; `Extension.LoadString(…)` counts, whether or not its key exists.
    Text,
    List,
    Record,
    Logical,
}

impl Expected {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Expected::Text => "text",
            Expected::List => "a list",
            Expected::Record => "a record",
            Expected::Logical => "a logical",
        }
    }
}

/// Checks that `expr` is a literal of the expected type.
pub(crate) fn check_type<'a>(
    resolver: &Resolver<'a>,
    expr: &'a Expr,
    env: &Env<'a>,
    expected: Expected,
) -> Checked {
    let resolved = resolver.resolve(expr, env);
    let matches = matches!(
        (&resolved, expected),
        (Resolved::Text(_), Expected::Text)
            | (Resolved::List(..), Expected::List)
            | (Resolved::Record(..), Expected::Record)
            | (Resolved::Logical(_), Expected::Logical)
    );
    if matches {
        return Checked::Ok;
    }
    match resolved {
        Resolved::Computed(_) | Resolved::Param { .. }
            if expected == Expected::Text && is_load_string(expr, env) =>
        {
            Checked::Ok
        }
        Resolved::Computed(computed) => Checked::Unknown(computed.reason),
        Resolved::Param { .. } => Checked::Unknown("a function parameter".into()),
        other => Checked::Wrong(other.describe()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::model::connector::{Connector, find_member};
    use crate::testing::archive;

    /// Literals are right or wrong, `Extension.LoadString` is text, calls are unknown.
    #[test]
    fn checks_types() {
        let source = br#"section S; T = "a"; N = 1; L = Extension.LoadString("missing"); C = F(1); B = true; R = [a = 1];"#;
        let model = Model::build(archive("S.mez", &[("S.pq", source)]));
        let connector = Connector::build(&model);
        let section = connector.section.as_ref().expect("section");
        let check = |name: &str, expected| {
            let member = find_member(section.document, name).expect("member");
            check_type(&connector.resolver, &member.value, &section.env, expected)
        };
        assert_eq!(check("T", Expected::Text), Checked::Ok);
        assert_eq!(check("N", Expected::Text), Checked::Wrong("a number"));
        assert_eq!(check("L", Expected::Text), Checked::Ok);
        assert_eq!(
            check("L", Expected::List),
            Checked::Unknown(
                "resource string `missing`: the package has no `resources.resx`".into()
            )
        );
        assert!(matches!(check("C", Expected::Text), Checked::Unknown(_)));
        assert_eq!(check("B", Expected::Logical), Checked::Ok);
        assert_eq!(check("R", Expected::Record), Checked::Ok);
        assert_eq!(check("R", Expected::List), Checked::Wrong("a record"));
    }
}
