package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * txt-1 and txt-2 for a narrative's XHTML: only the plain HTML the FHIR narrative rules allow (no
 * scripts, forms, frames, objects or event handlers), some real content, and hyperlinks that a
 * browser can follow. Narrative is shown to clinicians, so active content in it is refused.
 */
final class NarrativeRules {

    private static final Set<String> ELEMENTS = Set.of(
            "a", "abbr", "acronym", "address", "b", "bdo", "big", "blockquote", "br", "caption", "cite", "code",
            "col", "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
            "i", "img", "kbd", "li", "map", "area", "ol", "p", "pre", "q", "samp", "small", "span", "strong",
            "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var", "s", "u",
            "strike", "del", "ins", "center", "font", "label");

    private static final Set<String> ATTRIBUTES = Set.of(
            "title", "style", "class", "id", "lang", "xml:lang", "dir", "accesskey", "tabindex", "span", "width",
            "height", "align", "valign", "char", "charoff", "abbr", "axis", "headers", "scope", "rowspan",
            "colspan", "border", "cellpadding", "cellspacing", "frame", "rules", "summary", "href", "name", "src",
            "alt", "shape", "coords", "usemap", "start", "type", "value", "cite", "datetime", "nowrap", "bgcolor",
            "color", "size", "face", "compact", "clear", "noshade", "hspace", "vspace", "reversed", "xmlns",
            "xml:space", "target", "rel", "hreflang", "charset");

    private static final String XHTML = "http://www.w3.org/1999/xhtml";

    /** Schemes a reader's browser can follow from a narrative; urn: and similar identify rather than locate. */
    private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "ftp", "ftps", "mailto", "tel", "sms");

    private NarrativeRules() {
    }

    /**
     * Checks one narrative and returns the fragments ({@code #id}) its links and images point at,
     * which count as references to contained resources.
     */
    static Set<String> check(XhtmlNode div, Set<String> containedIds, Findings findings, String path) {
        String namespace = div.getNsDecl() != null ? div.getNsDecl() : div.getAttribute("xmlns");
        if (namespace != null && !XHTML.equals(namespace)) {
            // (XML with no namespace on the div is caught as the body is read: it is then in FHIR's namespace.)
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT, "Constraint failed: txt-1: the narrative"
                    + " div must be in the XHTML namespace " + XHTML + ", not " + namespace, path);
        }
        Set<String> anchors = new HashSet<>(containedIds);
        List<String[]> fragmentLinks = new ArrayList<>();
        boolean[] content = new boolean[1];
        walk(div, "div", anchors, fragmentLinks, content, findings, path, true);
        if (!content[0]) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT,
                    "Constraint failed: txt-2: The narrative SHALL have some non-whitespace content", path);
        }
        Set<String> targets = new HashSet<>();
        for (String[] link : fragmentLinks) {
            targets.add(link[0]);
            if (link[2] != null && !anchors.contains(link[0])) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT, "Hyperlink '#" + link[0] + "' at '"
                        + link[1] + "' for '" + link[2] + "' does not resolve to an anchor in the narrative", path);
            }
        }
        return targets;
    }

    private static void walk(XhtmlNode node, String at, Set<String> anchors, List<String[]> fragmentLinks,
                             boolean[] content, Findings findings, String path, boolean root) {
        if (node.getNodeType() == NodeType.Text) {
            if (node.getContent() != null && !node.getContent().isBlank()) {
                content[0] = true;
            }
            return;
        }
        if (node.getNodeType() != NodeType.Element && node.getNodeType() != NodeType.Document) {
            return;
        }
        if (node.getNodeType() == NodeType.Element) {
            String name = node.getName() == null ? "" : node.getName().toLowerCase(Locale.ROOT);
            if (!root && !ELEMENTS.contains(name)) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT, "Constraint failed: txt-1: the element '"
                        + name + "' at '" + at + "' is not allowed in narrative (only basic HTML is)", path);
                return;
            }
            if ("img".equals(name)) {
                content[0] = true;
            }
            checkAttributes(node, name, at, anchors, fragmentLinks, findings, path);
        }
        for (XhtmlNode child : node.getChildNodes()) {
            String childAt = child.getNodeType() == NodeType.Element ? at + "/" + child.getName() : at;
            walk(child, childAt, anchors, fragmentLinks, content, findings, path, false);
        }
    }

    private static void checkAttributes(XhtmlNode node, String name, String at, Set<String> anchors,
                                        List<String[]> fragmentLinks, Findings findings, String path) {
        for (var attribute : node.getAttributes().entrySet()) {
            String key = attribute.getKey().toLowerCase(Locale.ROOT);
            String value = attribute.getValue() == null ? "" : attribute.getValue().trim();
            if (!ATTRIBUTES.contains(key) && !key.startsWith("xmlns:")) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT, "Constraint failed: txt-1: the attribute '"
                        + attribute.getKey() + "' on '" + at + "' is not allowed in narrative", path);
                continue;
            }
            if ("id".equals(key) || "name".equals(key)) {
                anchors.add(value);
            }
            String followed = asBrowsersRead(value);
            if ("style".equals(key) && activeStyle(value)) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT, "Constraint failed: txt-1: the style on '"
                        + at + "' runs script (javascript: or vbscript: URLs, expression(), behavior, -moz-binding),"
                        + " which is not allowed in narrative", path);
            } else if (followed.toLowerCase(Locale.ROOT).startsWith("javascript:")) {
                findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT,
                        "Constraint failed: txt-1: script links are not allowed in narrative ('" + at + "')", path);
            } else if ("href".equals(key) && "a".equals(name)) {
                checkLink(followed, at, node, fragmentLinks, findings, path);
            } else if ("src".equals(key) && "img".equals(name) && value.length() > 1 && value.startsWith("#")) {
                // An image may show a contained Binary; it is not an anchor, so it is not checked as one.
                fragmentLinks.add(new String[] {value.substring(1), at, null});
            }
        }
    }

    /** What in a style sheet makes some browser run script: script URLs and old Internet Explorer's and Gecko's hooks. */
    private static final List<String> ACTIVE_STYLE = List.of("javascript:", "vbscript:", "expression(", "behavior:",
            "-moz-binding");

    /**
     * Whether a {@code style} attribute would run script. It is read as CSS reads it, with comments dropped and
     * escapes undone (a backslash and {@code 6a} is a {@code j}), and then without any white space or controls,
     * which no harmless style needs inside these words.
     */
    static boolean activeStyle(String style) {
        String css = cssUnescaped(style.replaceAll("(?s)/\\*.*?(\\*/|$)", ""));
        StringBuilder kept = new StringBuilder(css.length());
        css.codePoints().filter(c -> c > ' ' && c != 0x7f && !Character.isWhitespace(c) && !Character.isISOControl(c))
                .forEach(kept::appendCodePoint);
        String flat = kept.toString().toLowerCase(Locale.ROOT);
        return ACTIVE_STYLE.stream().anyMatch(flat::contains);
    }

    /** CSS escapes undone: a backslash and one to six hex digits (and one white space after them), or any other character. */
    private static String cssUnescaped(String css) {
        StringBuilder out = new StringBuilder(css.length());
        for (int i = 0; i < css.length(); i++) {
            char ch = css.charAt(i);
            if (ch != '\\' || i + 1 == css.length()) {
                out.append(ch);
                continue;
            }
            int end = i + 1;
            while (end < css.length() && end - i <= 6 && Character.digit(css.charAt(end), 16) >= 0) {
                end++;
            }
            if (end == i + 1) {
                out.append(css.charAt(end));
                i = end;
                continue;
            }
            int code = Integer.parseInt(css.substring(i + 1, end), 16);
            out.appendCodePoint(code == 0 || code > Character.MAX_CODE_POINT
                    || (code >= 0xd800 && code <= 0xdfff) ? 0xfffd : code);
            if (end < css.length() && Character.isWhitespace(css.charAt(end))) {
                end++;
            }
            i = end - 1;
        }
        return out.toString();
    }

    /**
     * A URL as a browser follows it: the WHATWG URL parser drops tabs and line breaks wherever they are and controls
     * and spaces at either end, so {@code java&#9;script:} is a script link although it does not read as one.
     */
    private static String asBrowsersRead(String url) {
        StringBuilder kept = new StringBuilder(url.length());
        for (int i = 0; i < url.length(); i++) {
            char ch = url.charAt(i);
            if (ch != '\t' && ch != '\n' && ch != '\r') {
                kept.append(ch);
            }
        }
        int start = 0;
        int end = kept.length();
        while (start < end && kept.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && kept.charAt(end - 1) <= ' ') {
            end--;
        }
        return kept.substring(start, end);
    }

    private static void checkLink(String href, String at, XhtmlNode anchor, List<String[]> fragmentLinks,
                                  Findings findings, String path) {
        if (href.startsWith("#")) {
            if (href.length() > 1) {
                fragmentLinks.add(new String[] {href.substring(1), at, anchor.allText().trim()});
            }
            return;
        }
        if (!PrimitiveFormats.isAbsoluteUri(href)) {
            return;
        }
        String scheme = href.substring(0, href.indexOf(':')).toLowerCase(Locale.ROOT);
        if (!LINK_SCHEMES.contains(scheme)) {
            findings.error(ErrorCode.INVALID_RESOURCE, IssueType.INVARIANT, "Hyperlink scheme '" + scheme + "' in '" + href
                    + "' at '" + at + "' for '" + anchor.allText().trim() + "' is not a valid hyperlinkable scheme", path);
        }
    }
}
