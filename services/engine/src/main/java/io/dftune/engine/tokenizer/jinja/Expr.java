package io.dftune.engine.tokenizer.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An expression of the template's syntax tree, evaluated with Python's semantics (see {@link Py}). */
interface Expr {

    Object eval(Scope scope, Environment env);

    /** The template line the expression is on, for error messages. */
    int line();

    record Literal(Object value, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            return value;
        }
    }

    record Name(String name, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object v = scope.get(name);
            return v == Undefined.VALUE ? env.global(name) : Py.normalize(v);
        }
    }

    record GetAttr(Expr target, String name, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object obj = target.eval(scope, env);
            if (obj == Undefined.VALUE) {
                throw new JinjaException("'" + describe(target) + "' is undefined (reading ." + name + ")", line);
            }
            Object method = Methods.bind(obj, name);
            if (method != null) {
                return method;
            }
            return obj instanceof Map<?, ?> ? Py.getItem(obj, name) : LoopContext.attribute(obj, name);
        }
    }

    record GetItem(Expr target, Expr key, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object obj = target.eval(scope, env);
            Object k = key.eval(scope, env);
            if (obj == Undefined.VALUE) {
                throw new JinjaException(
                        "'" + describe(target) + "' is undefined (reading [" + Py.repr(k) + "])", line);
            }
            Object v = Py.getItem(obj, k);
            if (v == Undefined.VALUE && k instanceof String s && !(obj instanceof Map<?, ?>)) {
                Object method = Methods.bind(obj, s);
                return method != null ? method : LoopContext.attribute(obj, s);
            }
            return v;
        }
    }

    record Slice(Expr target, Expr start, Expr stop, Expr step, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            return Py.slice(
                    target.eval(scope, env),
                    bound(start, scope, env),
                    bound(stop, scope, env),
                    bound(step, scope, env));
        }

        private Long bound(Expr e, Scope scope, Environment env) {
            if (e == null) {
                return null;
            }
            Object v = Py.normalize(e.eval(scope, env));
            if (v == null) {
                return null;
            }
            if (!(v instanceof Long l)) {
                throw new JinjaException("slice indices must be integers or None, got " + Py.typeName(v), line);
            }
            return l;
        }
    }

    record Call(Expr target, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object f = target.eval(scope, env);
            if (!(f instanceof Callable callable)) {
                throw new JinjaException("'" + describe(target) + "' is not callable (" + Py.typeName(f) + ")", line);
            }
            List<Object> a = evalAll(args, scope, env);
            Map<String, Object> k = evalAll(kwargs, scope, env);
            try {
                return Py.normalize(callable.call(a, k));
            } catch (RuntimeException e) {
                throw JinjaException.at(e, line);
            }
        }
    }

    record Filter(Expr value, String name, List<Expr> args, Map<String, Expr> kwargs, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object v = value.eval(scope, env);
            Filters.Filter f = env.filter(name, line);
            List<Object> a = evalAll(args, scope, env);
            Map<String, Object> k = evalAll(kwargs, scope, env);
            try {
                return Py.normalize(f.apply(v, a, k, env));
            } catch (RuntimeException e) {
                throw JinjaException.at(e, line);
            }
        }
    }

    record Test(Expr value, String name, List<Expr> args, boolean negated, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object v = value.eval(scope, env);
            return env.test(name, line).test(v, evalAll(args, scope, env)) != negated;
        }
    }

    record Not(Expr value, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            return !Py.truthy(value.eval(scope, env));
        }
    }

    record Negate(Expr value, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            return Py.negate(value.eval(scope, env));
        }
    }

    record Binary(String op, Expr left, Expr right, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object a = left.eval(scope, env);
            Object b = right.eval(scope, env);
            try {
                return switch (op) {
                    case "+" -> Py.add(a, b);
                    case "~" -> Py.str(a) + Py.str(b);
                    default -> Py.arithmetic(op, a, b);
                };
            } catch (JinjaException e) {
                throw JinjaException.at(e, line);
            }
        }
    }

    /** {@code a < b < c}: each comparison with the next operand, all must hold. */
    record Compare(Expr first, List<String> ops, List<Expr> operands, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object a = first.eval(scope, env);
            for (int i = 0; i < ops.size(); i++) {
                Object b = operands.get(i).eval(scope, env);
                if (!compare(ops.get(i), a, b)) {
                    return false;
                }
                a = b;
            }
            return true;
        }

        private boolean compare(String op, Object a, Object b) {
            try {
                return switch (op) {
                    case "==" -> Py.equal(a, b);
                    case "!=" -> !Py.equal(a, b);
                    case "<" -> Py.compare(a, b) < 0;
                    case "<=" -> Py.compare(a, b) <= 0;
                    case ">" -> Py.compare(a, b) > 0;
                    case ">=" -> Py.compare(a, b) >= 0;
                    case "in" -> Py.contains(b, a);
                    case "not in" -> !Py.contains(b, a);
                    default -> throw new IllegalStateException(op);
                };
            } catch (JinjaException e) {
                throw JinjaException.at(e, line);
            }
        }
    }

    /** {@code and} / {@code or}: Python returns the deciding operand, not a boolean. */
    record Logical(boolean and, Expr left, Expr right, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Object a = left.eval(scope, env);
            return Py.truthy(a) == and ? right.eval(scope, env) : a;
        }
    }

    record Conditional(Expr condition, Expr then, Expr otherwise, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            if (Py.truthy(condition.eval(scope, env))) {
                return then.eval(scope, env);
            }
            return otherwise == null ? Undefined.VALUE : otherwise.eval(scope, env);
        }
    }

    record ListLiteral(List<Expr> items, boolean tuple, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            List<Object> values = evalAll(items, scope, env);
            return tuple ? new PyTuple(values) : values;
        }
    }

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {
        @Override
        public Object eval(Scope scope, Environment env) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                out.put(keys.get(i).eval(scope, env), values.get(i).eval(scope, env));
            }
            return out;
        }
    }

    static List<Object> evalAll(List<Expr> exprs, Scope scope, Environment env) {
        List<Object> out = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            out.add(e.eval(scope, env));
        }
        return out;
    }

    static Map<String, Object> evalAll(Map<String, Expr> exprs, Scope scope, Environment env) {
        if (exprs.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        exprs.forEach((k, e) -> out.put(k, e.eval(scope, env)));
        return out;
    }

    private static String describe(Expr e) {
        return e instanceof Name n ? n.name() : "value";
    }
}
