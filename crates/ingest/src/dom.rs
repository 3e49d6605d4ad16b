//! The page's one parsed tree. html5ever (the parser of Servo, kept up to date with the
//! HTML standard, so broken markup is repaired the way browsers repair it) builds it
//! into a flat arena: nodes in one `Vec`, linked by index. Content extraction,
//! metadata and feed fragments all read this tree; nothing parses a page twice.
//!
//! Why not `scraper` or `dom_query`: both are fine trees, but extraction needs only
//! walking, a tag and a few attributes, and a compact arena with the tag already
//! classified into an enum is cheaper to build and to walk than a tree made for CSS
//! selectors. Every walk here is iterative: hostile pages nest thousands deep.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};

pub(crate) type NodeId = u32;
const NONE: NodeId = u32::MAX;

/// Tags the extractor treats specially; everything else is [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Script,
    Style,
    Noscript,
    Template,
    Svg,
    Math,
    Iframe,
    Object,
    Embed,
    Canvas,
    Video,
    Audio,
    Picture,
    Img,
    Map,
    Select,
    Button,
    Input,
    Textarea,
    Option,
    Label,
    Form,
    Nav,
    Menu,
    Dialog,
    Header,
    Footer,
    Aside,
    Main,
    Article,
    Section,
    Div,
    P,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Table,
    Tr,
    Td,
    Th,
    Caption,
    Figure,
    Figcaption,
    Br,
    Hr,
    A,
    Time,
    Address,
    Center,
    Font,
    Span,
    Other,
}

impl Tag {
    fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html,
            "head" => Head,
            "body" => Body,
            "title" => Title,
            "meta" => Meta,
            "link" => Link,
            "script" => Script,
            "style" => Style,
            "noscript" => Noscript,
            "template" => Template,
            "svg" => Svg,
            "math" => Math,
            "iframe" | "frame" | "frameset" => Iframe,
            "object" | "applet" => Object,
            "embed" => Embed,
            "canvas" => Canvas,
            "video" => Video,
            "audio" => Audio,
            "picture" => Picture,
            "img" => Img,
            "map" => Map,
            "select" | "datalist" => Select,
            "button" => Button,
            "input" => Input,
            "textarea" => Textarea,
            "option" | "optgroup" => Option,
            "label" => Label,
            "form" => Form,
            "nav" => Nav,
            "menu" => Menu,
            "dialog" => Dialog,
            "header" => Header,
            "footer" => Footer,
            "aside" => Aside,
            "main" => Main,
            "article" => Article,
            "section" => Section,
            "div" => Div,
            "p" => P,
            "h1" => H1,
            "h2" => H2,
            "h3" => H3,
            "h4" => H4,
            "h5" => H5,
            "h6" => H6,
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "dl" => Dl,
            "dt" => Dt,
            "dd" => Dd,
            "blockquote" => Blockquote,
            "pre" => Pre,
            "table" => Table,
            "tr" => Tr,
            "td" => Td,
            "th" => Th,
            "caption" => Caption,
            "figure" => Figure,
            "figcaption" => Figcaption,
            "br" => Br,
            "hr" => Hr,
            "a" => A,
            "time" => Time,
            "address" => Address,
            "center" => Center,
            "font" => Font,
            "span" => Span,
            _ => Other,
        }
    }

    /// Elements that start a new line of text: a paragraph boundary in the output.
    pub(crate) fn is_block(self) -> bool {
        use Tag::*;
        matches!(
            self,
            Html | Body
                | Form
                | Nav
                | Menu
                | Dialog
                | Header
                | Footer
                | Aside
                | Main
                | Article
                | Section
                | Div
                | P
                | H1
                | H2
                | H3
                | H4
                | H5
                | H6
                | Ul
                | Ol
                | Li
                | Dl
                | Dt
                | Dd
                | Blockquote
                | Pre
                | Table
                | Tr
                | Td
                | Th
                | Caption
                | Figure
                | Figcaption
                | Hr
                | Address
                | Center
        )
    }

    pub(crate) fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }
}

pub(crate) enum NodeData {
    Document,
    Element {
        name: QualName,
        tag: Tag,
        attrs: Vec<Attribute>,
    },
    Text(StrTendril),
    /// Comments, doctypes, processing instructions: kept as nodes only so the tree
    /// builder's bookkeeping holds; they carry no text.
    Other,
}

pub(crate) struct Node {
    parent: NodeId,
    first_child: NodeId,
    last_child: NodeId,
    prev: NodeId,
    next: NodeId,
    pub(crate) data: NodeData,
}

impl Node {
    fn new(data: NodeData) -> Node {
        Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            prev: NONE,
            next: NONE,
            data,
        }
    }
}

fn some(id: NodeId) -> Option<NodeId> {
    (id != NONE).then_some(id)
}

/// A parsed page.
pub(crate) struct Dom {
    nodes: Vec<Node>,
}

impl Dom {
    /// Parses a whole page (or a fragment, which the parser wraps in html/body).
    pub(crate) fn parse(html: &str) -> Dom {
        let sink = Sink {
            nodes: RefCell::new(vec![Node::new(NodeData::Document)]),
        };
        html5ever::parse_document(sink, Default::default()).one(html)
    }

    pub(crate) const ROOT: NodeId = 0;

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        some(self.node(id).parent)
    }

    pub(crate) fn first_child(&self, id: NodeId) -> Option<NodeId> {
        some(self.node(id).first_child)
    }

    pub(crate) fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        some(self.node(id).prev)
    }

    pub(crate) fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        some(self.node(id).next)
    }

    pub(crate) fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.first_child(id), move |&c| self.next_sibling(c))
    }

    /// The element's tag, or `None` for text and other nodes.
    pub(crate) fn tag(&self, id: NodeId) -> Option<Tag> {
        match &self.node(id).data {
            NodeData::Element { tag, .. } => Some(*tag),
            _ => None,
        }
    }

    pub(crate) fn is(&self, id: NodeId, t: Tag) -> bool {
        self.tag(id) == Some(t)
    }

    /// The tag name as written (lower case), for elements.
    pub(crate) fn tag_name(&self, id: NodeId) -> &str {
        match &self.node(id).data {
            NodeData::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    pub(crate) fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn attr(&self, id: NodeId, name: &str) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Element { attrs, .. } => attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| &*a.value),
            _ => None,
        }
    }

    /// Like [`Dom::attr`] with the name as an interned atom (`local_name!("class")`):
    /// an integer comparison per attribute instead of a string comparison, for the
    /// attributes read on every element.
    pub(crate) fn attr_atom(&self, id: NodeId, name: &html5ever::LocalName) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Element { attrs, .. } => attrs
                .iter()
                .find(|a| a.name.local == *name)
                .map(|a| &*a.value),
            _ => None,
        }
    }

    /// The node after `id` in document order within the subtree of `scope`, with
    /// `id`'s own children skipped when `skip_children`.
    pub(crate) fn next_in(&self, id: NodeId, scope: NodeId, skip_children: bool) -> Option<NodeId> {
        if !skip_children {
            if let Some(c) = self.first_child(id) {
                return Some(c);
            }
        }
        let mut at = id;
        loop {
            if at == scope {
                return None;
            }
            if let Some(n) = self.next_sibling(at) {
                return Some(n);
            }
            at = self.parent(at)?;
        }
    }

    /// Every node under `scope` (itself included), in document order.
    pub(crate) fn descendants(&self, scope: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(Some(scope), move |&id| self.next_in(id, scope, false))
    }

    /// Elements under `scope` with the given tag.
    pub(crate) fn elements(&self, scope: NodeId, t: Tag) -> impl Iterator<Item = NodeId> + '_ {
        self.descendants(scope).filter(move |&id| self.is(id, t))
    }

    /// The text under `id`, as is (no whitespace clean-up), scripts and styles left out.
    pub(crate) fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        let mut at = Some(id);
        while let Some(n) = at {
            let mut skip = false;
            match &self.node(n).data {
                NodeData::Text(t) => out.push_str(t),
                NodeData::Element { tag, .. } => {
                    skip = matches!(tag, Tag::Script | Tag::Style | Tag::Template) && n != id;
                }
                _ => {}
            }
            at = self.next_in(n, id, skip);
        }
        out
    }
}

/// html5ever's tree builder drives this; `Dom` is what it leaves.
struct Sink {
    nodes: RefCell<Vec<Node>>,
}

impl Sink {
    fn push(&self, data: NodeData) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(data));
        (nodes.len() - 1) as NodeId
    }
}

fn unlink(nodes: &mut [Node], id: NodeId) {
    let (parent, prev, next) = {
        let n = &nodes[id as usize];
        (n.parent, n.prev, n.next)
    };
    if parent == NONE {
        return;
    }
    if prev != NONE {
        nodes[prev as usize].next = next;
    } else {
        nodes[parent as usize].first_child = next;
    }
    if next != NONE {
        nodes[next as usize].prev = prev;
    } else {
        nodes[parent as usize].last_child = prev;
    }
    let n = &mut nodes[id as usize];
    n.parent = NONE;
    n.prev = NONE;
    n.next = NONE;
}

fn append_child(nodes: &mut [Node], parent: NodeId, child: NodeId) {
    unlink(nodes, child);
    let last = nodes[parent as usize].last_child;
    nodes[child as usize].parent = parent;
    nodes[child as usize].prev = last;
    if last != NONE {
        nodes[last as usize].next = child;
    } else {
        nodes[parent as usize].first_child = child;
    }
    nodes[parent as usize].last_child = child;
}

fn insert_before(nodes: &mut [Node], sibling: NodeId, child: NodeId) {
    unlink(nodes, child);
    let parent = nodes[sibling as usize].parent;
    let prev = nodes[sibling as usize].prev;
    nodes[child as usize].parent = parent;
    nodes[child as usize].prev = prev;
    nodes[child as usize].next = sibling;
    nodes[sibling as usize].prev = child;
    if prev != NONE {
        nodes[prev as usize].next = child;
    } else {
        nodes[parent as usize].first_child = child;
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| {
            match &nodes[*target as usize].data {
                NodeData::Element { name, .. } => name,
                // The tree builder asks only about elements it created.
                _ => unreachable!("elem_name on a non-element"),
            }
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        let tag = if name.ns == html5ever::ns!(html) {
            Tag::from_name(&name.local)
        } else if &*name.local == "svg" {
            Tag::Svg
        } else if &*name.local == "math" {
            Tag::Math
        } else {
            Tag::Other
        };
        self.push(NodeData::Element { name, tag, attrs })
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(id) => append_child(&mut self.nodes.borrow_mut(), *parent, id),
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                let last = nodes[*parent as usize].last_child;
                if last != NONE {
                    if let NodeData::Text(t) = &mut nodes[last as usize].data {
                        t.push_tendril(&text);
                        return;
                    }
                }
                drop(nodes);
                let id = self.push(NodeData::Text(text));
                append_child(&mut self.nodes.borrow_mut(), *parent, id);
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element as usize].parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents stay under the template element, which extraction skips.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let parent = self.nodes.borrow()[*sibling as usize].parent;
        if parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => insert_before(&mut self.nodes.borrow_mut(), *sibling, id),
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                let prev = nodes[*sibling as usize].prev;
                if prev != NONE {
                    if let NodeData::Text(t) = &mut nodes[prev as usize].data {
                        t.push_tendril(&text);
                        return;
                    }
                }
                drop(nodes);
                let id = self.push(NodeData::Text(text));
                insert_before(&mut self.nodes.borrow_mut(), *sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, new: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let NodeData::Element { attrs, .. } = &mut nodes[*target as usize].data {
            for a in new {
                if !attrs.iter().any(|b| b.name == a.name) {
                    attrs.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        unlink(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        while nodes[*node as usize].first_child != NONE {
            let c = nodes[*node as usize].first_child;
            append_child(&mut nodes, *new_parent, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_markup_is_repaired_as_browsers_do() {
        let dom = Dom::parse("<p>one<p>two <b>bold <i>both</b> italic</i><table><td>cell</table>");
        let ps: Vec<String> = dom
            .elements(Dom::ROOT, Tag::P)
            .map(|p| dom.text_content(p))
            .collect();
        assert_eq!(ps[0], "one");
        assert!(ps[1].starts_with("two bold both"), "{ps:?}");
        let td = dom.elements(Dom::ROOT, Tag::Td).next().unwrap();
        assert_eq!(dom.text_content(td), "cell");
        assert_eq!(dom.tag_name(td), "td");
    }

    #[test]
    fn attributes_and_text() {
        let dom = Dom::parse(
            "<div id=a class='x y'>keep <span>this</span><script>no()</script></div><div id=b>drop</div>",
        );
        let divs: Vec<NodeId> = dom.elements(Dom::ROOT, Tag::Div).collect();
        assert_eq!(dom.attr(divs[0], "class"), Some("x y"));
        assert_eq!(dom.text_content(divs[0]), "keep this");
        let body = dom.elements(Dom::ROOT, Tag::Body).next().unwrap();
        assert_eq!(dom.text_content(body), "keep thisdrop");
        assert_eq!(dom.children(body).count(), 2);
    }

    #[test]
    fn deep_trees_are_walked_without_recursion() {
        let html = format!("{}x{}", "<span>".repeat(20_000), "</span>".repeat(20_000));
        let dom = Dom::parse(&html);
        assert_eq!(dom.text_content(Dom::ROOT), "x");
        assert!(dom.len() > 20_000);
    }
}
