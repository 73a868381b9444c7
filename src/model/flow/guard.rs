//! HTTPS guards: `if` expressions whose condition tests the scheme of a name
//! (`Uri.Parts(x)[Scheme] <> "https"`, `Text.StartsWith(x, "https://")`, possibly through
//! `let` variables, `not`, `and`, `or`, `Text.Lower` and helpers such as `IsValidUrl(x)`) and
//! one of whose branches raises an error: the other branch is a region where that name is known
//! to be HTTPS. An `if` that raises in neither branch (`if IsHttps(url) then url else
//! "https://default"`) makes the branch taken when the test passes such a region. A helper such as
//! `ValidateUrlScheme = (url) => if Uri.Parts(url)[Scheme] <> "https" then error … else url`
//! is such an `if`, so a call of it guards what it returns.

use rustc_hash::FxHashMap;

use crate::model::connector::Connector;
use crate::model::connector::Kinds;
use crate::model::eval::follow::{Visit, seek};
use crate::model::eval::resolve::{Definition, Env, Resolved, call_of, step_through};
use crate::source::{FileId, Span};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Postfix, UnaryOp};

/// Names and definitions followed while reading one guard condition.
const MAX_GUARD_STEPS: usize = 64;

/// Passes that carry checks into the values of names used only in checked regions: one per
/// link of a chain of such names.
const MAX_LAZY_PASSES: usize = 8;

/// Region tests spent on carrying checks into values: past it, the remaining values are left
/// unchecked (a finding may remain, never a hang).
const MAX_LAZY_WORK: usize = 16 * 1024 * 1024;

/// The identity of a definition: a function parameter or a named value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DefKey {
    /// A parameter: the function expression's address and the parameter index.
    Param(usize, usize),
    /// A section member, `let` variable or record field: its file and name position.
    Value(FileId, u32),
}

impl DefKey {
    pub fn of(definition: &Definition<'_>) -> Option<DefKey> {
        match definition {
            // An argument bound to a parameter is checked where the parameter is.
            Definition::Value {
                param: Some((function, index)),
                ..
            } => Some(DefKey::Param(super::address(function), *index)),
            Definition::Value {
                file, name_span, ..
            } => Some(DefKey::Value(*file, name_span.start)),
            Definition::Param {
                function, index, ..
            } => Some(DefKey::Param(super::address(function), *index)),
            Definition::External => None,
        }
    }
}

/// Where a named value's value is, and the places that use the name.
type Uses = (FileId, Span, Vec<(FileId, Span)>);

/// A branch that runs only when the scheme test of `keys` passed.
struct Region {
    file: FileId,
    span: Span,
    keys: Vec<DefKey>,
}

/// Every HTTPS-checked region of the connector.
#[derive(Default)]
pub(super) struct Guards {
    regions: Vec<Region>,
}

impl Guards {
    pub(super) fn collect(connector: &Connector<'_>) -> Guards {
        let mut regions = Vec::new();
        connector.for_each_expr_of(Kinds::IF, |expr, env, file| {
            let ExprKind::If(if_expr) = &expr.kind else {
                return;
            };
            let mut steps = 0;
            let tested = subjects(&if_expr.condition, env, &mut steps);
            if tested.is_empty() {
                return;
            }
            let (then_raises, else_raises) =
                (raises(&if_expr.then_branch), raises(&if_expr.else_branch));
            let mut region = |branch: &Expr, keys: Vec<DefKey>| {
                if !keys.is_empty() {
                    regions.push(Region {
                        file,
                        span: branch.span,
                        keys,
                    });
                }
            };
            let all = || tested.iter().map(|(key, _)| key.clone()).collect();
            let with = |wanted: Polarity| {
                tested
                    .iter()
                    .filter(|(_, p)| *p == wanted)
                    .map(|(key, _)| key.clone())
                    .collect()
            };
            match (then_raises, else_raises) {
                // A test that raises: the other branch runs only after it passed.
                (true, false) => region(&if_expr.else_branch, all()),
                (false, true) => region(&if_expr.then_branch, all()),
                // A test that picks a branch: the branch taken when the scheme is HTTPS.
                (false, false) => {
                    region(&if_expr.then_branch, with(Polarity::Positive));
                    region(&if_expr.else_branch, with(Polarity::Negative));
                }
                (true, true) => {}
            }
        });
        let mut guards = Guards { regions };
        guards.add_lazy_regions(connector);
        guards
    }

    /// M evaluates a named value only where it is used: a `let` variable, record field or
    /// member whose every use lies in a region checking some names is itself evaluated only
    /// after that check (`feed = OData.Feed(url, …)`, then `if isHttps then feed else error …`).
    /// Its value becomes a region for those names; repeated, so that chains of names carry
    /// the check.
    fn add_lazy_regions(&mut self, connector: &Connector<'_>) {
        if self.regions.is_empty() {
            return;
        }
        // The value of each named value that is referred to, with the places referring to it.
        let mut uses: FxHashMap<DefKey, Uses> = FxHashMap::default();
        connector.for_each_expr_of(Kinds::IDENT, |expr, env, file| {
            let ExprKind::Ident(ident) = &expr.kind else {
                return;
            };
            let definition = env.lookup_at(&ident.name, expr.span);
            let Definition::Value {
                expr: value,
                file: value_file,
                ..
            } = &definition
            else {
                return;
            };
            let Some(key) = DefKey::of(&definition) else {
                return;
            };
            uses.entry(key)
                .or_insert_with(|| (*value_file, value.span, Vec::new()))
                .2
                .push((file, expr.span));
        });
        let mut uses: Vec<Uses> = uses.into_values().collect();
        uses.sort_by_key(|(file, span, _)| (*file, span.start, span.end));
        let mut work = 0usize;
        for _ in 0..MAX_LAZY_PASSES {
            let mut added = false;
            for (file, span, places) in &uses {
                let mut common: Option<Vec<DefKey>> = None;
                for (place_file, place) in places {
                    work += self.regions.len();
                    if work > MAX_LAZY_WORK {
                        return;
                    }
                    let keys = self.keys_at(*place_file, *place);
                    common = Some(match common {
                        None => keys,
                        Some(so_far) => so_far.into_iter().filter(|k| keys.contains(k)).collect(),
                    });
                    if common.as_ref().is_some_and(Vec::is_empty) {
                        break;
                    }
                }
                let Some(keys) = common.filter(|keys| !keys.is_empty()) else {
                    continue;
                };
                let known = self.keys_at(*file, *span);
                if keys.iter().all(|key| known.contains(key)) {
                    continue;
                }
                self.regions.push(Region {
                    file: *file,
                    span: *span,
                    keys,
                });
                added = true;
            }
            if !added {
                break;
            }
        }
    }

    /// The definitions checked by every region around `span`.
    pub(super) fn keys_at(&self, file: FileId, span: Span) -> Vec<DefKey> {
        let mut keys: Vec<DefKey> = self
            .regions
            .iter()
            .filter(|r| r.file == file && contains(r.span, span))
            .flat_map(|r| r.keys.iter().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Whether a use of `key` at `span` is checked, by a region around it or by `ambient`
    /// (the regions around the request call and the call sites on the way).
    pub(super) fn is_guarded(
        &self,
        key: &DefKey,
        file: FileId,
        span: Span,
        ambient: &[DefKey],
    ) -> bool {
        ambient.contains(key)
            || self
                .regions
                .iter()
                .any(|r| r.file == file && contains(r.span, span) && r.keys.contains(key))
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Whether evaluating `expr` always raises an error: `error …`, `...`, or a `let`/`if` that
/// does.
pub(super) fn raises(expr: &Expr) -> bool {
    let mut current = expr;
    for _ in 0..MAX_GUARD_STEPS {
        match &current.kind {
            ExprKind::Error(_) | ExprKind::NotImplemented => return true,
            ExprKind::Parens(inner) => current = inner,
            ExprKind::Meta { value, .. } => current = value,
            ExprKind::Let(let_expr) => current = &let_expr.body,
            ExprKind::If(if_expr) => {
                return raises(&if_expr.then_branch) && raises(&if_expr.else_branch);
            }
            _ => return false,
        }
    }
    false
}

/// What a true condition says about the scheme of a tested name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Polarity {
    /// The condition is true only when the scheme is HTTPS.
    Positive,
    /// The condition is false only when the scheme is HTTPS.
    Negative,
    /// The condition tests the scheme, but its outcome says nothing sure.
    Unknown,
}

impl Polarity {
    fn not(self) -> Polarity {
        match self {
            Polarity::Positive => Polarity::Negative,
            Polarity::Negative => Polarity::Positive,
            Polarity::Unknown => Polarity::Unknown,
        }
    }
}

/// The tested names of `condition`, with what its outcome says about them.
type Subjects = Vec<(DefKey, Polarity)>;

/// The definitions whose scheme `condition` tests: `Uri.Parts(x)[Scheme] = "https"`,
/// `Text.StartsWith(x, "https://")`, through `not`, `and`, `or`, names and calls of connector
/// functions whose body is such a test of a parameter (`IsValidUrl(url)`).
fn subjects<'a>(condition: &'a Expr, env: &Env<'a>, steps: &mut usize) -> Subjects {
    *steps += 1;
    if *steps > MAX_GUARD_STEPS {
        return Vec::new();
    }
    let mut out = Vec::new();
    match &condition.kind {
        ExprKind::Parens(inner) => return subjects(inner, env, steps),
        ExprKind::Unary { ops, operand } => {
            let flip = ops.iter().filter(|(op, _)| *op == UnaryOp::Not).count() % 2 == 1;
            return subjects(operand, env, steps)
                .into_iter()
                .map(|(key, polarity)| (key, if flip { polarity.not() } else { polarity }))
                .collect();
        }
        ExprKind::Binary { first, rest } => {
            if let [rhs] = rest.as_slice()
                && matches!(rhs.op, BinaryOp::Equal | BinaryOp::NotEqual)
            {
                let polarity = if rhs.op == BinaryOp::Equal {
                    Polarity::Positive
                } else {
                    Polarity::Negative
                };
                for (tested, literal) in [(&**first, &rhs.right), (&rhs.right, &**first)] {
                    if is_text(literal, env, |t| t.eq_ignore_ascii_case("https")) {
                        let mut keys = Vec::new();
                        scheme_subject(tested, env, steps, &mut keys);
                        out.extend(keys.into_iter().map(|key| (key, polarity)));
                    }
                }
            } else if rest.iter().all(|r| r.op == BinaryOp::And) {
                // `a and b` is true only when both are: positive tests stay positive.
                for part in std::iter::once(&**first).chain(rest.iter().map(|r| &r.right)) {
                    out.extend(subjects(part, env, steps).into_iter().map(|(key, p)| {
                        (
                            key,
                            if p == Polarity::Positive {
                                p
                            } else {
                                Polarity::Unknown
                            },
                        )
                    }));
                }
            } else if rest.iter().all(|r| r.op == BinaryOp::Or) {
                // `a or b` is false only when both are: negative tests stay negative.
                for part in std::iter::once(&**first).chain(rest.iter().map(|r| &r.right)) {
                    out.extend(subjects(part, env, steps).into_iter().map(|(key, p)| {
                        (
                            key,
                            if p == Polarity::Negative {
                                p
                            } else {
                                Polarity::Unknown
                            },
                        )
                    }));
                }
            }
        }
        ExprKind::Ident(ident) => {
            if let Definition::Value { expr, env, .. } = env.lookup_at(&ident.name, condition.span)
            {
                return subjects(expr, &env, steps);
            }
        }
        _ => {
            if let Some(("Text.StartsWith", [tested, prefix, ..])) = call_of(condition)
                && env.lookup("Text.StartsWith").is_external()
                && is_text(prefix, env, |t| {
                    t.get(..8)
                        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
                })
            {
                let mut keys = Vec::new();
                subject_keys(tested, env, steps, &mut keys);
                out.extend(keys.into_iter().map(|key| (key, Polarity::Positive)));
            } else if let Some((callee, args)) = call_of(condition) {
                out = helper_subjects(callee, args, env, steps);
            }
        }
    }
    out
}

/// `IsValidUrl(x)` where `IsValidUrl = (url) => Uri.Parts(url)[Scheme] = "https" and …`: the
/// test of the parameter, moved to the argument.
fn helper_subjects<'a>(
    callee: &str,
    args: &'a [Expr],
    env: &Env<'a>,
    steps: &mut usize,
) -> Subjects {
    let Definition::Value {
        expr: definition,
        env: definition_env,
        file,
        ..
    } = env.lookup(callee)
    else {
        return Vec::new();
    };
    let resolver = crate::model::eval::resolve::Resolver { resx: None };
    let Resolved::Function(function, closure) = resolver.resolve(definition, &definition_env)
    else {
        return Vec::new();
    };
    let body_env = closure.with_params(file, function);
    let mut out = Vec::new();
    for (key, polarity) in subjects(&function.body, &body_env, steps) {
        let DefKey::Param(address, index) = key else {
            continue;
        };
        if address != super::address(function) {
            continue;
        }
        let Some(arg) = args.get(index) else {
            continue;
        };
        let mut keys = Vec::new();
        subject_keys(arg, env, steps, &mut keys);
        out.extend(keys.into_iter().map(|key| (key, polarity)));
    }
    out
}

/// `Uri.Parts(x)[Scheme]`, possibly lower-cased or through a name: adds the keys of `x`.
fn scheme_subject<'a>(expr: &'a Expr, env: &Env<'a>, steps: &mut usize, out: &mut Vec<DefKey>) {
    *steps += 1;
    if *steps > MAX_GUARD_STEPS {
        return;
    }
    let expr = strip_text_case(expr, env);
    match &expr.kind {
        ExprKind::Ident(ident) => {
            if let Definition::Value { expr, env, .. } = env.lookup_at(&ident.name, expr.span) {
                scheme_subject(expr, &env, steps, out);
            }
        }
        ExprKind::Postfix { target, ops } => {
            let ExprKind::Ident(callee) = &target.kind else {
                return;
            };
            if let [Postfix::Invoke { args, .. }, Postfix::Field(field)] = ops.as_slice()
                && callee.name == "Uri.Parts"
                && env.lookup(&callee.name).is_external()
                && field.name.name == "Scheme"
                && let Some(tested) = args.first()
            {
                subject_keys(tested, env, steps, out);
            }
        }
        _ => {}
    }
}

/// The keys of the name `expr` is, and of the names it is an alias of.
fn subject_keys<'a>(expr: &'a Expr, env: &Env<'a>, steps: &mut usize, out: &mut Vec<DefKey>) {
    seek(
        strip_text_case(expr, env),
        env,
        step_through,
        |expr, env| {
            *steps += 1;
            if *steps > MAX_GUARD_STEPS {
                return Visit::<()>::Stop;
            }
            let ExprKind::Ident(ident) = &expr.kind else {
                return Visit::Stop;
            };
            let definition = env.lookup_at(&ident.name, expr.span);
            if let Some(key) = DefKey::of(&definition) {
                out.push(key);
            }
            match definition {
                Definition::Value { expr, env, .. } => {
                    Visit::Into(strip_text_case(expr, &env), env)
                }
                _ => Visit::Stop,
            }
        },
    );
}

/// Looks through parentheses and `Text.Lower`/`Text.Upper`/`Text.Trim` calls.
fn strip_text_case<'a>(expr: &'a Expr, env: &Env<'a>) -> &'a Expr {
    let mut current = expr;
    for _ in 0..MAX_GUARD_STEPS {
        match &current.kind {
            ExprKind::Parens(inner) => current = inner,
            _ => match call_of(current) {
                Some((name @ ("Text.Lower" | "Text.Upper" | "Text.Trim"), [inner, ..]))
                    if env.lookup(name).is_external() =>
                {
                    current = inner
                }
                _ => return current,
            },
        }
    }
    current
}

fn is_text<'a>(expr: &'a Expr, env: &Env<'a>, test: impl Fn(&str) -> bool) -> bool {
    let resolver = crate::model::eval::resolve::Resolver { resx: None };
    resolver.text(expr, env).is_ok_and(|text| test(&text))
}
