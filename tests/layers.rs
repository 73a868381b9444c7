//! The modules of `src/` import each other one way: no cycle between the top-level modules
//! (depth 1) nor between their direct submodules (depth 2, such as `model/flow` or
//! `rules/security`). An edge A → B means a file of A names `crate::B…` outside test code
//! (`#[cfg(test)]` items, `tests.rs` and `*_tests.rs` files, and the `testing` module).
//! Edges between a module and its own submodules do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// module → module it imports → files that do.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

#[test]
fn no_import_cycle_at_depth_one() {
    assert_acyclic(1);
}

#[test]
fn no_import_cycle_at_depth_two() {
    assert_acyclic(2);
}

/// The graph sees real imports: the rules import the model, and the model does not import
/// the rules.
#[test]
fn the_graph_sees_imports() {
    let graph = graph(1);
    assert!(
        graph
            .get("rules")
            .is_some_and(|to| to.contains_key("model"))
    );
    assert!(
        !graph
            .get("model")
            .is_some_and(|to| to.contains_key("rules"))
    );
}

fn assert_acyclic(depth: usize) {
    let graph = graph(depth);
    let cycles = cycles(&graph);
    let mut message = String::new();
    for cycle in &cycles {
        message.push_str(&format!("cycle: {}\n", cycle.join(" <-> ")));
        for from in cycle {
            for (to, files) in graph.get(from).into_iter().flatten() {
                if cycle.contains(to) {
                    let shown: Vec<&str> = files.iter().take(3).map(String::as_str).collect();
                    let more = if files.len() > 3 { ", …" } else { "" };
                    message.push_str(&format!("  {from} -> {to}  ({}{more})\n", shown.join(", ")));
                }
            }
        }
    }
    assert!(cycles.is_empty(), "imports at depth {depth}:\n{message}");
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src is readable")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn graph(depth: usize) -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let top: BTreeSet<String> = std::fs::read_dir(&src)
        .expect("src is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            Some(path.file_stem()?.to_str()?.to_owned())
        })
        .collect();
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src");
        let parts: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        let last = parts.last().map(String::as_str).unwrap_or_default();
        if parts.first().is_some_and(|first| first == "testing")
            || last == "tests"
            || last.ends_with("_tests")
        {
            continue;
        }
        let from = module_of(&parts, depth);
        let text = std::fs::read_to_string(&file).expect("source is UTF-8");
        let text = strip_comments(&strip_tests(&text));
        for path in crate_paths(&text) {
            let Some(head) = path.first() else { continue };
            if !top.contains(head) || head == "testing" {
                continue;
            }
            let to = match path.get(1) {
                Some(sub)
                    if depth >= 2
                        && (src.join(head).join(format!("{sub}.rs")).exists()
                            || src.join(head).join(sub).is_dir()) =>
                {
                    format!("{head}/{sub}")
                }
                _ => head.clone(),
            };
            let related = to == from
                || from.starts_with(&format!("{to}/"))
                || to.starts_with(&format!("{from}/"));
            if !related {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
    }
    graph
}

fn module_of(parts: &[String], depth: usize) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|part| *part != "mod")
        .collect();
    if parts
        .last()
        .is_some_and(|last| *last == "lib" || *last == "main")
    {
        return "crate".to_owned();
    }
    parts[..parts.len().min(depth)].join("/")
}

/// The text without `#[cfg(test)]` items (a brace-matched block, or up to the `;`).
fn strip_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let brace = after.find('{');
        let semi = after.find(';');
        match (brace, semi) {
            (Some(open), semi) if semi.is_none_or(|semi| open < semi) => {
                let mut level = 0usize;
                let mut end = after.len();
                for (i, c) in after.char_indices().skip_while(|(i, _)| *i < open) {
                    match c {
                        '{' => level += 1,
                        '}' => {
                            level -= 1;
                            if level == 0 {
                                end = i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            (_, Some(semi)) => rest = &after[semi + 1..],
            _ => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// The text without `//` and `/* */` comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let line = rest.find("//");
        let block = rest.find("/*");
        match (line, block) {
            (Some(l), b) if b.is_none_or(|b| l < b) => {
                out.push_str(&rest[..l]);
                rest = rest[l..].find('\n').map_or("", |end| &rest[l + end..]);
            }
            (_, Some(b)) => {
                out.push_str(&rest[..b]);
                rest = rest[b..].find("*/").map_or("", |end| &rest[b + end + 2..]);
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// Every `crate::a::b` path, and every `a::b` item of a `use crate::{…}` group, as `[a, b]`.
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find("};").unwrap_or(group.len());
            let mut level = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => level += 1,
                    '}' => level -= 1,
                    ',' if level == 0 => {
                        paths.push(segments(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            paths.push(segments(rest));
        }
    }
    paths
}

/// The first two lower-case path segments at the start of `text`.
fn segments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while out.len() < 2 {
        let len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 || !rest.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
            break;
        }
        out.push(rest[..len].to_owned());
        match rest[len..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Search<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Search<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flat_map(BTreeMap::keys) {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !search.index.contains_key(v.as_str()) {
            search.visit(v);
        }
    }
    search.found
}
