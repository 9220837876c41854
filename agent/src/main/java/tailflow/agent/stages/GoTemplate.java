package tailflow.agent.stages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's text/template, as Promtail's template and replace stages use it: text and {@code {{ }}}
 * actions with trim markers and comments; pipelines with {@code |}; fields of the data map
 * ({@code .Value}, {@code .a.b}); variables ({@code $}, {@code $x := ...}, {@code $x = ...});
 * literals; parenthesised pipelines; {@code if}/{@code else if}/{@code else}, {@code range} (with
 * {@code $i, $e :=}, {@code else}, {@code break}, {@code continue}), {@code with}/{@code else with};
 * and the functions of {@link TemplateFunctions}. {@code define}/{@code template}/{@code block} are
 * refused at parse time. Parsing is {@link TemplateParser}'s job; this class holds the tree and runs it.
 */
public final class GoTemplate {
    /** Go's "<no value>": a missing map key (an invalid reflect.Value). */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    sealed interface Node permits Text, Action, If, Range, With, Break, Continue {}

    record Text(String text) implements Node {}

    record Action(Pipe pipe) implements Node {}

    /** {@code with} is an If whose branch runs with the value as dot. */
    record If(Pipe pipe, List<Node> then, List<Node> otherwise) implements Node {}

    record With(Pipe pipe, List<Node> then, List<Node> otherwise) implements Node {}

    record Range(Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {}

    record Break() implements Node {}

    record Continue() implements Node {}

    /** {@code vars := cmd | cmd ...}; {@code assign} for {@code =}. */
    record Pipe(List<String> vars, boolean assign, List<Command> cmds) {}

    record Command(List<Arg> args) {}

    sealed interface Arg permits Dot, Field, Variable, Literal, Function, Nested {}

    record Dot() implements Arg {}

    /** {@code .a.b} on dot. */
    record Field(List<String> names) implements Arg {}

    /** {@code $x.a.b}. */
    record Variable(String name, List<String> names) implements Arg {}

    record Literal(Object value) implements Arg {}

    record Function(String name) implements Arg {}

    /** {@code (pipeline).a.b}. */
    record Nested(Pipe pipe, List<String> names) implements Arg {}

    /** Execution failed (Promtail then leaves the entry as it was). */
    static final class ExecError extends Exception {
        ExecError(String message) {
            super(message, null, false, false);
        }
    }

    private final String source;
    private final List<Node> root;

    GoTemplate(String source, List<Node> root) {
        this.source = source;
        this.root = root;
    }

    /** Parses a template; a syntax error or an unknown function throws IllegalArgumentException. */
    public static GoTemplate parse(String text) {
        return new GoTemplate(text, new TemplateParser(text).parse());
    }

    public String source() {
        return source;
    }

    /** Runs the template with {@code data} as dot and {@code $}. */
    String execute(Object data) throws ExecError {
        StringBuilder out = new StringBuilder();
        Scope scope = new Scope(null);
        scope.vars.put("$", data);
        run(root, data, scope, out);
        return out.toString();
    }

    private static final class Scope {
        final Scope parent;
        final Map<String, Object> vars = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        Object get(String name) throws ExecError {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    return s.vars.get(name);
                }
            }
            throw new ExecError("undefined variable: " + name);
        }

        void set(String name, Object v) throws ExecError {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    s.vars.put(name, v);
                    return;
                }
            }
            throw new ExecError("undefined variable: " + name);
        }
    }

    /** Signals break/continue out of a range body. */
    private enum Flow { NORMAL, BREAK, CONTINUE }

    private Flow run(List<Node> nodes, Object dot, Scope scope, StringBuilder out) throws ExecError {
        for (Node n : nodes) {
            Flow f = runNode(n, dot, scope, out);
            if (f != Flow.NORMAL) {
                return f;
            }
        }
        return Flow.NORMAL;
    }

    private Flow runNode(Node n, Object dot, Scope scope, StringBuilder out) throws ExecError {
        if (n instanceof Text t) {
            out.append(t.text());
        } else if (n instanceof Action a) {
            Object v = pipe(a.pipe(), dot, scope);
            if (a.pipe().vars().isEmpty()) {
                out.append(TemplateFunctions.print(v));
            }
        } else if (n instanceof If i) {
            Scope inner = new Scope(scope);
            return TemplateFunctions.truth(pipe(i.pipe(), dot, inner)) ? run(i.then(), dot, inner, out)
                    : run(i.otherwise(), dot, inner, out);
        } else if (n instanceof With w) {
            Scope inner = new Scope(scope);
            Object v = pipe(w.pipe(), dot, inner);
            return TemplateFunctions.truth(v) ? run(w.then(), v, inner, out) : run(w.otherwise(), dot, inner, out);
        } else if (n instanceof Range r) {
            return range(r, dot, scope, out);
        } else if (n instanceof Break) {
            return Flow.BREAK;
        } else if (n instanceof Continue) {
            return Flow.CONTINUE;
        }
        return Flow.NORMAL;
    }

    private Flow range(Range r, Object dot, Scope scope, StringBuilder out) throws ExecError {
        Scope inner = new Scope(scope);
        Pipe p = r.pipe();
        Object v = pipe(new Pipe(List.of(), false, p.cmds()), dot, inner);
        List<Object[]> items = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                items.add(new Object[] {(long) i, l.get(i)});
            }
        } else if (v instanceof Map<?, ?> m) {
            m.keySet().stream().map(String::valueOf).sorted().forEach(k -> items.add(new Object[] {k, m.get(k)}));
        } else if (v instanceof Long count) {
            for (long i = 0; i < count; i++) {
                items.add(new Object[] {i, i});
            }
        } else if (v != null && v != NO_VALUE) {
            throw new ExecError("range can't iterate over " + TemplateFunctions.print(v));
        }
        if (items.isEmpty()) {
            return run(r.otherwise(), dot, inner, out);
        }
        for (Object[] kv : items) {
            Scope body = new Scope(inner);
            if (p.vars().size() == 1) {
                body.vars.put(p.vars().get(0), kv[1]);
            } else if (p.vars().size() == 2) {
                body.vars.put(p.vars().get(0), kv[0]);
                body.vars.put(p.vars().get(1), kv[1]);
            }
            if (run(r.body(), kv[1], body, out) == Flow.BREAK) {
                break;
            }
        }
        return Flow.NORMAL;
    }

    private Object pipe(Pipe p, Object dot, Scope scope) throws ExecError {
        Object v = null;
        boolean piped = false;
        for (Command c : p.cmds()) {
            v = command(c, dot, scope, piped, v);
            piped = true;
        }
        for (String var : p.vars()) {
            if (p.assign()) {
                scope.set(var, v);
            } else {
                scope.vars.put(var, v);
            }
        }
        return v;
    }

    private Object command(Command c, Object dot, Scope scope, boolean piped, Object last) throws ExecError {
        Arg first = c.args().get(0);
        if (first instanceof Function f) {
            List<Object> args = new ArrayList<>();
            for (int i = 1; i < c.args().size(); i++) {
                args.add(arg(c.args().get(i), dot, scope));
            }
            if (piped) {
                args.add(last);
            }
            return TemplateFunctions.call(f.name(), args);
        }
        if (c.args().size() > 1 || piped) {
            throw new ExecError("can't give argument to non-function " + describe(first));
        }
        return arg(first, dot, scope);
    }

    private Object arg(Arg a, Object dot, Scope scope) throws ExecError {
        if (a instanceof Field f) {
            return fields(dot, f.names());
        } else if (a instanceof Variable v) {
            return fields(scope.get(v.name()), v.names());
        } else if (a instanceof Literal l) {
            return l.value();
        } else if (a instanceof Function f) {
            return TemplateFunctions.call(f.name(), List.of());
        } else if (a instanceof Nested n) {
            return fields(pipe(n.pipe(), dot, scope), n.names());
        }
        return dot;
    }

    private static Object fields(Object v, List<String> names) throws ExecError {
        for (String name : names) {
            if (v instanceof Map<?, ?> m) {
                v = m.containsKey(name) ? m.get(name) : NO_VALUE;
            } else if (v instanceof GoStruct s && s.field(name) != null) {
                v = s.field(name);
            } else if (v == null || v == NO_VALUE) {
                throw new ExecError("nil pointer evaluating ." + name);
            } else {
                throw new ExecError("can't evaluate field " + name + " in type " + TemplateFunctions.typeName(v));
            }
        }
        return v;
    }

    private static String describe(Arg a) {
        if (a instanceof Field f) {
            return "." + String.join(".", f.names());
        }
        return a instanceof Variable v ? v.name() : a.toString();
    }
}
