package org.charnwood.fhir.search;

import org.charnwood.fhir.search.SimpleElementPath.Branch;
import org.charnwood.fhir.search.SimpleElementPath.Child;
import org.charnwood.fhir.search.SimpleElementPath.Index;
import org.charnwood.fhir.search.SimpleElementPath.OfType;
import org.charnwood.fhir.search.SimpleElementPath.ResolvesTo;
import org.charnwood.fhir.search.SimpleElementPath.Start;
import org.charnwood.fhir.search.SimpleElementPath.Step;
import org.charnwood.fhir.search.SimpleElementPath.WhereEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compiles search-parameter expressions: the subset {@link SimpleElementPath} understands is compiled
 * to direct element walks, anything else goes to HAPI's FHIRPath engine ({@link FhirPathElementPath}).
 * Also narrows a multi-type expression ({@code Patient.name | Practitioner.name}) to the branches of
 * one resource type, so no time is spent on branches that can never match.
 */
final class ElementPathCompiler {

    private final Set<String> resourceTypes;

    ElementPathCompiler(Set<String> resourceTypes) {
        this.resourceTypes = resourceTypes;
    }

    /** Compiles an expression evaluated on resources of the given type (or relative to a composite's focus). */
    ElementPath compile(String expression) {
        try {
            return new SimpleElementPath(new Parser(expression).parseUnion());
        } catch (Unsupported e) {
            return new FhirPathElementPath(expression);
        }
    }

    /**
     * The branches of a union that can apply to the resource type: those rooted at the type itself,
     * at {@code Resource}/{@code DomainResource}, or not rooted at a type at all. Null when none is left.
     */
    String narrow(String expression, String resourceType, boolean domainResource) {
        List<String> kept = new ArrayList<>();
        for (String branch : splitUnion(expression)) {
            String root = rootName(branch);
            if (root.equals(resourceType) || root.equals("Resource")
                    || (root.equals("DomainResource") && domainResource)
                    || !resourceTypes.contains(root) && !root.equals("Resource") && !root.equals("DomainResource")) {
                kept.add(branch);
            }
        }
        return kept.isEmpty() ? null : String.join(" | ", kept);
    }

    /** Splits at the top-level {@code |} operators. */
    static List<String> splitUnion(String expression) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char ch = expression.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && (ch == '(' || ch == '[')) {
                depth++;
            } else if (!quoted && (ch == ')' || ch == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && ch == '|') {
                out.add(expression.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(expression.substring(start).trim());
        return out;
    }

    private static String rootName(String branch) {
        int i = 0;
        while (i < branch.length() && (branch.charAt(i) == '(' || Character.isWhitespace(branch.charAt(i)))) {
            i++;
        }
        int j = i;
        while (j < branch.length() && (Character.isLetterOrDigit(branch.charAt(j)) || branch.charAt(j) == '%'
                || branch.charAt(j) == '_')) {
            j++;
        }
        return branch.substring(i, j);
    }

    /** The expression uses something outside the fast subset. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Recursive descent over the fast subset; throws {@link Unsupported} on anything else. */
    private final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        List<Branch> parseUnion() {
            List<Branch> branches = new ArrayList<>();
            branches.add(parseBranch());
            skipSpace();
            while (pos < s.length()) {
                expect('|');
                branches.add(parseBranch());
                skipSpace();
            }
            return branches;
        }

        private Branch parseBranch() {
            skipSpace();
            Start start;
            String rootType = null;
            List<Step> steps = new ArrayList<>();
            if (peek() == '(') {
                pos++;
                Branch inner = parseBranch();
                skipSpace();
                String keyword = identifier();
                if (!keyword.equals("as")) {
                    throw new Unsupported();
                }
                skipSpace();
                steps.addAll(inner.steps());
                steps.add(new OfType(identifier()));
                skipSpace();
                expect(')');
                start = inner.start();
                rootType = inner.rootType();
            } else if (s.startsWith("%resource", pos)) {
                pos += "%resource".length();
                start = Start.RESOURCE;
            } else {
                String first = identifier();
                if (Character.isUpperCase(first.charAt(0))) {
                    if (!resourceTypes.contains(first) && !first.equals("Resource") && !first.equals("DomainResource")) {
                        throw new Unsupported();
                    }
                    start = Start.RESOURCE;
                    rootType = first;
                } else {
                    start = Start.FOCUS;
                    addChild(steps, first);
                }
            }
            while (true) {
                int mark = pos;
                skipSpace();
                if (peek() != '.') {
                    pos = mark;
                    break;
                }
                pos++;
                parseCall(steps);
            }
            return new Branch(start, rootType, steps);
        }

        private void parseCall(List<Step> steps) {
            String name = identifier();
            if (peek() != '(') {
                addChild(steps, name);
                return;
            }
            pos++;
            switch (name) {
                case "as", "ofType" -> {
                    steps.add(new OfType(identifier()));
                    expect(')');
                }
                case "where" -> {
                    skipSpace();
                    String left = identifier();
                    skipSpace();
                    if (left.equals("resolve")) {
                        expect('(');
                        expect(')');
                        skipSpace();
                        if (!identifier().equals("is")) {
                            throw new Unsupported();
                        }
                        skipSpace();
                        steps.add(new ResolvesTo(identifier()));
                    } else {
                        expect('=');
                        skipSpace();
                        steps.add(new WhereEquals(left, literal()));
                    }
                    skipSpace();
                    expect(')');
                }
                default -> throw new Unsupported();
            }
        }

        private void addChild(List<Step> steps, String name) {
            steps.add(new Child(name));
            if (peek() == '[') {
                pos++;
                int begin = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (begin == pos) {
                    throw new Unsupported();
                }
                steps.add(new Index(Integer.parseInt(s.substring(begin, pos))));
                expect(']');
            }
        }

        private String identifier() {
            int begin = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (begin == pos) {
                throw new Unsupported();
            }
            return s.substring(begin, pos);
        }

        private String literal() {
            expect('\'');
            int begin = pos;
            while (pos < s.length() && s.charAt(pos) != '\'') {
                if (s.charAt(pos) == '\\') {
                    throw new Unsupported();
                }
                pos++;
            }
            String value = s.substring(begin, pos);
            expect('\'');
            return value;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private void expect(char ch) {
            skipSpace();
            if (peek() != ch) {
                throw new Unsupported();
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
