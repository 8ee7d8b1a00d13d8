//! A YAML document as a small tree whose every node knows its line, built from
//! yaml-rust2's event parser (its own tree forgets positions), so findings can
//! point at `components/statestore.yaml:12`.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A node and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The line.
    pub line: usize,
    /// What it is.
    pub value: Value,
}

/// A node's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A scalar, as text.
    Scalar(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value under `key`, for a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence (none for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Node>,
    docs: Vec<Node>,
}

impl Builder {
    fn push(&mut self, node: Node) {
        match self.stack.last_mut().map(|n| &mut n.value) {
            Some(Value::Seq(items)) => items.push(node),
            Some(Value::Map(pairs)) => match pairs.last_mut() {
                Some((_, v)) if v.line == 0 => *v = node,
                _ => pairs.push((
                    node,
                    Node {
                        line: 0,
                        value: Value::Scalar(String::new()),
                    },
                )),
            },
            _ => self.docs.push(node),
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let line = mark.line().max(1);
        match ev {
            Event::Scalar(s, ..) => self.push(Node {
                line,
                value: Value::Scalar(s),
            }),
            Event::SequenceStart(..) => self.stack.push(Node {
                line,
                value: Value::Seq(Vec::new()),
            }),
            Event::MappingStart(..) => self.stack.push(Node {
                line,
                value: Value::Map(Vec::new()),
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(node) = self.stack.pop() {
                    self.push(node);
                }
            }
            _ => {}
        }
    }
}

/// Every document in `text`; the error says where the YAML is broken.
pub fn parse(text: &str) -> Result<Vec<Node>, String> {
    let mut builder = Builder::default();
    Parser::new_from_str(text)
        .load(&mut builder, true)
        .map_err(|e| e.to_string())?;
    Ok(builder.docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_keep_their_lines() {
        let docs = parse("a: 1\nb:\n  - name: x\n    value: \"y\"\n---\nc: d\n").unwrap();
        assert_eq!(docs.len(), 2);
        let item = &docs[0].get("b").unwrap().items()[0];
        assert_eq!(item.line, 3);
        assert_eq!(item.get("value").unwrap().as_str(), Some("y"));
        assert_eq!(item.get("value").unwrap().line, 4);
        assert_eq!(docs[1].get("c").unwrap().as_str(), Some("d"));
        assert!(parse("a: [").is_err());
    }
}
