package tailflow.agent.stages;

import java.util.ArrayList;
import java.util.List;
import tailflow.agent.stages.GoTemplate.Arg;
import tailflow.agent.stages.GoTemplate.Command;
import tailflow.agent.stages.GoTemplate.Node;
import tailflow.agent.stages.GoTemplate.Pipe;

/**
 * Parses Go text/template text into {@link GoTemplate}'s tree (see there for what is supported).
 *
 * <p>Over 400 lines on purpose: a recursive-descent parser for one grammar (actions, pipelines,
 * control structures, operands) whose productions call each other; the lexer is kept inside for the
 * delimiter and trim-marker rules, which depend on the parser's position.
 */
final class TemplateParser {
    private final String s;
    private int p;
    /** End of the current action's content (before the closing delimiter and its trim marker). */
    private int actionEnd;
    /** The current action's closing delimiter, and whether it trims the text after it. */
    private int closePos;
    private boolean trimAfter;

    TemplateParser(String s) {
        this.s = s;
    }

    List<Node> parse() {
        List<Node> nodes = new ArrayList<>();
        String end = list(nodes, false);
        if (end != null) {
            throw error("unexpected {{" + end + "}}");
        }
        return nodes;
    }

    /**
     * Reads nodes up to {{end}} or {{else...}}; returns that keyword ("end", "else", "else if",
     * "else with") or null at the end of the text. For "else if"/"else with" the position is after the keyword.
     */
    private String list(List<Node> out, boolean inBlock) {
        while (p < s.length()) {
            int open = s.indexOf("{{", p);
            if (open < 0) {
                out.add(new GoTemplate.Text(s.substring(p)));
                p = s.length();
                break;
            }
            String text = s.substring(p, open);
            boolean trimLeft = s.startsWith("{{- ", open) || s.startsWith("{{-\t", open) || s.startsWith("{{-\n", open);
            if (trimLeft) {
                text = text.stripTrailing();
            }
            if (!text.isEmpty()) {
                out.add(new GoTemplate.Text(text));
            }
            p = open + (trimLeft ? 3 : 2);
            closePos = findClose();
            trimAfter = closePos >= 2 && s.charAt(closePos - 1) == '-' && Character.isWhitespace(s.charAt(closePos - 2));
            actionEnd = trimAfter ? closePos - 1 : closePos;
            String keyword = action(out, inBlock);
            if (keyword != null) {
                return keyword;
            }
        }
        if (inBlock) {
            throw error("unexpected EOF: missing {{end}}");
        }
        return null;
    }

    /** Moves past the current action's closing delimiter (and the whitespace a trim marker removes). */
    private void finishAction() {
        p = closePos + 2;
        if (trimAfter) {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }
    }

    /** The position of the closing "}}", skipping strings and comments. */
    private int findClose() {
        int i = p;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("/*", i)) {
                int e = s.indexOf("*/", i + 2);
                if (e < 0) {
                    throw error("unclosed comment");
                }
                i = e + 2;
            } else if (c == '"' || c == '`' || c == '\'') {
                i++;
                while (i < s.length() && s.charAt(i) != c) {
                    i += s.charAt(i) == '\\' && c != '`' ? 2 : 1;
                }
                i++;
            } else if (s.startsWith("}}", i)) {
                return i;
            } else {
                i++;
            }
        }
        throw error("unclosed action");
    }

    /** One action; returns a block keyword that ends the enclosing list, else null. */
    private String action(List<Node> out, boolean inBlock) {
        skipSpace();
        if (s.startsWith("/*", p)) {
            p = s.indexOf("*/", p) + 2;
            skipSpace();
            if (p != actionEnd) {
                throw error("comment ends before closing delimiter");
            }
            finishAction();
            return null;
        }
        String word = peekWord();
        switch (word) {
            case "end" -> {
                p += 3;
                expectEnd();
                finishAction();
                return "end";
            }
            case "else" -> {
                p += 4;
                skipSpace();
                String next = peekWord();
                if (next.equals("if") || next.equals("with")) {
                    p += next.length();
                    return "else " + next;
                }
                expectEnd();
                finishAction();
                return "else";
            }
            case "if", "with" -> {
                p += word.length();
                out.add(conditional(word));
                return null;
            }
            case "range" -> {
                p += 5;
                Pipe pipe = pipeline(true);
                finishAction();
                List<Node> body = new ArrayList<>();
                List<Node> otherwise = new ArrayList<>();
                String k = list(body, true);
                if (k.equals("else")) {
                    k = list(otherwise, true);
                }
                if (!k.equals("end")) {
                    throw error("expected {{end}} for range, found {{" + k + "}}");
                }
                out.add(new GoTemplate.Range(pipe, body, otherwise));
                return null;
            }
            case "break", "continue" -> {
                p += word.length();
                expectEnd();
                finishAction();
                out.add(word.equals("break") ? new GoTemplate.Break() : new GoTemplate.Continue());
                return null;
            }
            case "define", "template", "block" -> throw error("{{" + word + "}} is not supported in a pipeline stage template");
            default -> {
                out.add(new GoTemplate.Action(pipeline(false)));
                finishAction();
                return null;
            }
        }
    }

    /** After "if"/"with" (or "else if"/"else with"): pipeline, branch, optional else chain, end. */
    private Node conditional(String kind) {
        Pipe pipe = pipeline(false);
        finishAction();
        List<Node> then = new ArrayList<>();
        List<Node> otherwise = new ArrayList<>();
        String k = list(then, true);
        if (k.equals("else")) {
            k = list(otherwise, true);
        } else if (k.startsWith("else ")) {
            otherwise.add(conditional(k.substring(5)));
            k = "end"; // the nested conditional consumed the one {{end}}
        }
        if (!k.equals("end")) {
            throw error("expected {{end}}, found {{" + k + "}}");
        }
        return kind.equals("if") ? new GoTemplate.If(pipe, then, otherwise) : new GoTemplate.With(pipe, then, otherwise);
    }

    private void expectEnd() {
        skipSpace();
        if (p != actionEnd) {
            throw error("unexpected '" + s.substring(p, actionEnd).trim() + "'");
        }
    }

    /** A pipeline up to the end of the action (or a closing parenthesis when nested). */
    private Pipe pipeline(boolean rangeVars) {
        skipSpace();
        List<String> vars = new ArrayList<>();
        boolean assign = false;
        int save = p;
        if (peek() == '$') {
            String v = variableName();
            skipSpace();
            if (rangeVars && peek() == ',') {
                p++;
                skipSpace();
                String v2 = variableName();
                skipSpace();
                if (s.startsWith(":=", p)) {
                    p += 2;
                    vars.add(v);
                    vars.add(v2);
                } else {
                    throw error("expected := after range variables");
                }
            } else if (s.startsWith(":=", p)) {
                p += 2;
                vars.add(v);
            } else if (peek() == '=' && !s.startsWith("==", p)) {
                p += 1;
                vars.add(v);
                assign = true;
            } else {
                p = save;
            }
        }
        List<Command> cmds = new ArrayList<>();
        while (true) {
            cmds.add(command());
            skipSpace();
            if (peek() == '|') {
                p++;
                continue;
            }
            break;
        }
        skipSpace();
        if (peek() != ')' && p != actionEnd) {
            throw error("unexpected '" + s.substring(p, Math.max(p, actionEnd)).trim() + "' in action");
        }
        return new Pipe(List.copyOf(vars), assign, List.copyOf(cmds));
    }

    private Command command() {
        List<Arg> args = new ArrayList<>();
        while (true) {
            skipSpace();
            if (p >= actionEnd || peek() == '|' || peek() == ')') {
                break;
            }
            args.add(operand());
        }
        if (args.isEmpty()) {
            throw error("missing value for command");
        }
        return new Command(List.copyOf(args));
    }

    private Arg operand() {
        char c = peek();
        if (c == '.') {
            if (p + 1 < actionEnd && isIdentStart(s.charAt(p + 1))) {
                return new GoTemplate.Field(fieldChain());
            }
            p++;
            return new GoTemplate.Dot();
        }
        if (c == '$') {
            String name = variableName();
            return new GoTemplate.Variable(name, fieldChain());
        }
        if (c == '(') {
            p++;
            Pipe inner = pipeline(false);
            if (peek() != ')') {
                throw error("unclosed left paren");
            }
            p++;
            return new GoTemplate.Nested(inner, fieldChain());
        }
        if (c == '"' || c == '`') {
            return new GoTemplate.Literal(stringLiteral());
        }
        if (c == '\'') {
            return new GoTemplate.Literal(charLiteral());
        }
        if (Character.isDigit(c) || ((c == '-' || c == '+') && p + 1 < actionEnd && Character.isDigit(s.charAt(p + 1)))) {
            return new GoTemplate.Literal(number());
        }
        if (isIdentStart(c)) {
            String w = peekWord();
            p += w.length();
            switch (w) {
                case "true" -> {
                    return new GoTemplate.Literal(Boolean.TRUE);
                }
                case "false" -> {
                    return new GoTemplate.Literal(Boolean.FALSE);
                }
                case "nil" -> {
                    return new GoTemplate.Literal(null);
                }
                default -> {
                    if (!TemplateFunctions.exists(w)) {
                        throw error("function \"" + w + "\" not defined");
                    }
                    return new GoTemplate.Function(w);
                }
            }
        }
        throw error("unexpected '" + c + "' in command");
    }

    private List<String> fieldChain() {
        List<String> names = new ArrayList<>();
        while (p < actionEnd && peek() == '.' && p + 1 < actionEnd && isIdentStart(s.charAt(p + 1))) {
            p++;
            String w = peekWord();
            names.add(w);
            p += w.length();
        }
        return List.copyOf(names);
    }

    private String variableName() {
        int start = p;
        p++;
        while (p < actionEnd && isIdentPart(s.charAt(p))) {
            p++;
        }
        return s.substring(start, p);
    }

    private Object number() {
        int start = p;
        if (peek() == '-' || peek() == '+') {
            p++;
        }
        while (p < actionEnd && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '.' || s.charAt(p) == '_'
                || ((s.charAt(p) == '-' || s.charAt(p) == '+') && (s.charAt(p - 1) == 'e' || s.charAt(p - 1) == 'E')))) {
            p++;
        }
        String t = s.substring(start, p).replace("_", "");
        try {
            if (t.matches("[-+]?0[xX][0-9a-fA-F]+")) {
                return Long.parseLong(t.replaceFirst("0[xX]", ""), 16);
            }
            if (t.matches("[-+]?0[oO]?[0-7]+")) {
                return Long.parseLong(t.replaceFirst("0[oO]?", ""), 8);
            }
            if (t.matches("[-+]?0[bB][01]+")) {
                return Long.parseLong(t.replaceFirst("0[bB]", ""), 2);
            }
            if (t.matches("[-+]?\\d+")) {
                return Long.parseLong(t);
            }
            return Values.parseGoFloat(t);
        } catch (NumberFormatException e) {
            throw error("bad number syntax: " + t);
        }
    }

    private String stringLiteral() {
        char q = peek();
        int start = p;
        p++;
        if (q == '`') {
            int e = s.indexOf('`', p);
            p = e + 1;
            return s.substring(start + 1, e);
        }
        StringBuilder v = new StringBuilder();
        while (p < actionEnd && s.charAt(p) != '"') {
            char c = s.charAt(p++);
            if (c == '\\') {
                p = escape(v);
            } else if (c == '\n') {
                throw error("unterminated quoted string");
            } else {
                v.append(c);
            }
        }
        if (p >= actionEnd) {
            throw error("unterminated quoted string");
        }
        p++;
        return v.toString();
    }

    private Object charLiteral() {
        p++;
        StringBuilder v = new StringBuilder();
        if (peek() == '\\') {
            p++;
            p = escape(v);
        } else {
            v.appendCodePoint(s.codePointAt(p));
            p += Character.charCount(s.codePointAt(p));
        }
        if (peek() != '\'') {
            throw error("malformed character constant");
        }
        p++;
        return (long) v.codePointAt(0);
    }

    /** A Go escape after the backslash at p-1; returns the new position. */
    private int escape(StringBuilder v) {
        try {
            return GoEscape.decode(s, p, v);
        } catch (IllegalArgumentException bad) {
            throw error(bad.getMessage());
        }
    }

    private String peekWord() {
        int i = p;
        while (i < actionEnd && isIdentPart(s.charAt(i))) {
            i++;
        }
        return s.substring(p, i);
    }

    private char peek() {
        return p < actionEnd ? s.charAt(p) : '\0';
    }

    private void skipSpace() {
        while (p < actionEnd && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private IllegalArgumentException error(String message) {
        int line = 1;
        for (int i = 0; i < Math.min(p, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return new IllegalArgumentException("template: " + line + ": " + message);
    }
}
