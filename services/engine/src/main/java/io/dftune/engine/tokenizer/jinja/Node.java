package io.dftune.engine.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A statement of the template's syntax tree, rendered into an output buffer. */
interface Node {

    void render(Scope scope, Environment env, StringBuilder out);

    /** {@code {% break %}} and {@code {% continue %}} unwinding to their loop. */
    final class LoopControl extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final LoopControl BREAK = new LoopControl();
        static final LoopControl CONTINUE = new LoopControl();

        private LoopControl() {
            super(null, null, false, false);
        }
    }

    static void renderAll(List<Node> body, Scope scope, Environment env, StringBuilder out) {
        for (Node n : body) {
            n.render(scope, env, out);
        }
    }

    /** What {@code body} renders, as a string (block set, filter block, macro call). */
    static String capture(List<Node> body, Scope scope, Environment env) {
        StringBuilder captured = new StringBuilder();
        renderAll(body, scope, env, captured);
        return captured.toString();
    }

    record Text(String text, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            out.append(text);
        }
    }

    record Output(Expr expr, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            out.append(Py.str(expr.eval(scope, env)));
        }
    }

    record If(List<Expr> conditions, List<List<Node>> branches, List<Node> otherwise, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            for (int i = 0; i < conditions.size(); i++) {
                if (Py.truthy(conditions.get(i).eval(scope, env))) {
                    renderAll(branches.get(i), scope, env, out);
                    return;
                }
            }
            renderAll(otherwise, scope, env, out);
        }
    }

    /** A for loop; its variables (and anything set in its body) live in a scope of their own, as in Jinja2. */
    record For(List<String> targets, Expr iterable, Expr filter, List<Node> body, List<Node> otherwise, int line)
            implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            List<Object> items;
            try {
                items = Py.iterate(iterable.eval(scope, env));
            } catch (JinjaException e) {
                throw JinjaException.at(e, line);
            }
            Scope loopScope = new Scope(scope);
            if (filter != null) {
                List<Object> kept = new ArrayList<>();
                for (Object item : items) {
                    bind(loopScope, item);
                    if (Py.truthy(filter.eval(loopScope, env))) {
                        kept.add(item);
                    }
                }
                items = kept;
            }
            if (items.isEmpty()) {
                renderAll(otherwise, scope, env, out);
                return;
            }
            LoopContext loop = new LoopContext(items);
            loopScope.set("loop", loop);
            for (int i = 0; i < items.size(); i++) {
                loop.index0 = i;
                bind(loopScope, items.get(i));
                try {
                    renderAll(body, loopScope, env, out);
                } catch (LoopControl control) {
                    if (control == LoopControl.BREAK) {
                        break;
                    }
                }
            }
        }

        private void bind(Scope loopScope, Object item) {
            item = Py.normalize(item);
            if (targets.size() == 1) {
                loopScope.set(targets.get(0), item);
                return;
            }
            List<Object> values = Py.iterate(item);
            if (values.size() != targets.size()) {
                throw new JinjaException(
                        "cannot unpack " + values.size() + " values into " + targets.size() + " names", line);
            }
            for (int i = 0; i < targets.size(); i++) {
                loopScope.set(targets.get(i), Py.normalize(values.get(i)));
            }
        }
    }

    record Break(LoopControl control, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            throw control;
        }
    }

    /** {@code {% set x = ... %}}, {@code {% set a, b = ... %}}, {@code {% set ns.attr = ... %}}. */
    record Set(List<String> targets, String attribute, Expr value, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            assign(scope, value.eval(scope, env));
        }

        void assign(Scope scope, Object v) {
            if (attribute != null) {
                Object ns = scope.get(targets.get(0));
                if (!(ns instanceof Namespace namespace)) {
                    throw new JinjaException("cannot assign attribute on non-namespace object " + targets.get(0), line);
                }
                namespace.put(attribute, v);
            } else if (targets.size() == 1) {
                scope.set(targets.get(0), v);
            } else {
                List<Object> values = Py.iterate(v);
                if (values.size() != targets.size()) {
                    throw new JinjaException(
                            "cannot unpack " + values.size() + " values into " + targets.size() + " names", line);
                }
                for (int i = 0; i < targets.size(); i++) {
                    scope.set(targets.get(i), values.get(i));
                }
            }
        }
    }

    /** {@code {% set x %}...{% endset %}}: the rendered body as a string. */
    record SetBlock(Set target, List<Node> body, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            target.assign(scope, capture(body, scope, env));
        }
    }

    /** {@code {% filter name(args) %}...{% endfilter %}}. */
    record FilterBlock(String name, List<Expr> args, Map<String, Expr> kwargs, List<Node> body, int line)
            implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            Object v = env.filter(name, line)
                    .apply(
                            capture(body, scope, env),
                            Expr.evalAll(args, scope, env),
                            Expr.evalAll(kwargs, scope, env),
                            env);
            out.append(Py.str(v));
        }
    }

    /** Hugging Face's {@code {% generation %}} marker: renders its body unchanged. */
    record Generation(List<Node> body, int line) implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            renderAll(body, scope, env, out);
        }
    }

    /** {@code {% macro name(a, b=default) %}}: a callable that renders its body with its arguments bound. */
    record Macro(String name, List<String> params, Map<String, Expr> defaults, List<Node> body, int line)
            implements Node {
        @Override
        public void render(Scope scope, Environment env, StringBuilder out) {
            scope.set(name, (Callable) (args, kwargs) -> call(scope, env, args, kwargs));
        }

        private String call(Scope definedIn, Environment env, List<Object> args, Map<String, Object> kwargs) {
            if (args.size() > params.size()) {
                throw new JinjaException(
                        "macro '" + name + "' takes " + params.size() + " arguments, got " + args.size(), line);
            }
            Scope local = new Scope(definedIn);
            for (int i = 0; i < params.size(); i++) {
                String p = params.get(i);
                Object v = i < args.size()
                        ? args.get(i)
                        : kwargs.containsKey(p)
                                ? kwargs.get(p)
                                : defaults.containsKey(p) ? defaults.get(p).eval(local, env) : Undefined.VALUE;
                local.set(p, v);
            }
            return capture(body, local, env);
        }
    }
}
