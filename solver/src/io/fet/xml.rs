//! Reading FET's XML: element children and texts, with line numbers for errors.

use std::path::Path;

use roxmltree::{Document, Node};

use crate::io::Error;

/// A parsed `.fet` document and the file it came from, for error messages.
pub struct Xml<'a, 'i> {
    /// The document.
    pub doc: &'a Document<'i>,
    /// The file.
    pub file: &'a Path,
}

impl<'a, 'i> Xml<'a, 'i> {
    /// An error at `node`'s line.
    pub fn error(&self, node: Node, message: impl Into<String>) -> Error {
        Error::Line {
            file: self.file.to_path_buf(),
            line: self.doc.text_pos_at(node.range().start).row as usize,
            message: message.into(),
        }
    }
}

/// Element children of `node` named `name`.
pub fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Element children of `node`.
pub fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|c| c.is_element())
}

/// Text of the first child named `name`, if any, as written (FET keeps spaces in
/// names: a room named `"Aula 1\t"` is not `"Aula 1"`).
pub fn text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).map(|c| c.text().unwrap_or(""))
}

/// The first element child of `node` named `name`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Texts of all children named `name`, as written.
pub fn texts<'a>(node: Node<'a, '_>, name: &'a str) -> Vec<&'a str> {
    children(node, name)
        .map(|c| c.text().unwrap_or(""))
        .collect()
}

impl Xml<'_, '_> {
    /// Text of the required child `name`.
    pub fn required<'n>(&self, node: Node<'n, '_>, name: &str) -> Result<&'n str, Error> {
        text(node, name).ok_or_else(|| {
            self.error(
                node,
                format!("<{}> has no <{name}>", node.tag_name().name()),
            )
        })
    }

    /// The required child `name`, as a number.
    pub fn number<T: std::str::FromStr>(&self, node: Node, name: &str) -> Result<T, Error> {
        let t = self.required(node, name)?;
        t.parse()
            .map_err(|_| self.error(node, format!("<{name}> should be a number, found \"{t}\"")))
    }

    /// The optional child `name`, as `true`/`false` (`default` when absent).
    pub fn flag(&self, node: Node, name: &str, default: bool) -> Result<bool, Error> {
        match text(node, name).map(str::trim) {
            None => Ok(default),
            Some("true") | Some("1") => Ok(true),
            Some("false") | Some("0") => Ok(false),
            Some(t) => Err(self.error(
                node,
                format!("<{name}> should be true or false, found \"{t}\""),
            )),
        }
    }

    /// The required list element `name` of the root (`<Days_List>`...).
    pub fn list<'n, 'x>(&self, root: Node<'n, 'x>, name: &str) -> Result<Node<'n, 'x>, Error> {
        child(root, name).ok_or_else(|| self.error(root, format!("the file has no <{name}>")))
    }
}
