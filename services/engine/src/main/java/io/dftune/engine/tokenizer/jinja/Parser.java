package io.dftune.engine.tokenizer.jinja;

import io.dftune.engine.tokenizer.jinja.Lexer.Token;
import io.dftune.engine.tokenizer.jinja.Lexer.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses template tokens into a syntax tree, with Jinja2's statement forms and operator precedence. */
final class Parser {
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", ">", "<=", ">=");

    private final List<Token> tokens;
    private int at;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Node> parse(String source) {
        Parser p = new Parser(Lexer.tokenize(source));
        List<Node> body = p.body(Set.of());
        if (p.peek().type() != Type.EOF) {
            throw p.error("unexpected '{% " + p.tokens.get(p.at + 1).value() + " %}'");
        }
        return body;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        return tokens.get(at++);
    }

    private JinjaException error(String message) {
        return new JinjaException(message, peek().line());
    }

    private Token expect(Type type, String what) {
        if (peek().type() != type) {
            throw error("expected " + what + ", got " + peek().describe());
        }
        return next();
    }

    private void expectOp(String op) {
        if (!peek().isOp(op)) {
            throw error("expected '" + op + "', got " + peek().describe());
        }
        next();
    }

    private void expectName(String name) {
        if (!peek().isName(name)) {
            throw error("expected '" + name + "', got " + peek().describe());
        }
        next();
    }

    private boolean acceptOp(String op) {
        if (peek().isOp(op)) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptName(String name) {
        if (peek().isName(name)) {
            next();
            return true;
        }
        return false;
    }

    /** Nodes up to a block tag named in {@code ends} (left unconsumed: the caller reads it) or the end. */
    private List<Node> body(Set<String> ends) {
        List<Node> nodes = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case EOF -> {
                    if (!ends.isEmpty()) {
                        throw error("unexpected end of template: expected one of " + ends);
                    }
                    return nodes;
                }
                case TEXT -> {
                    next();
                    nodes.add(new Node.Text(t.value(), t.line()));
                }
                case VAR_BEGIN -> {
                    next();
                    Expr e = tuple(true);
                    expect(Type.VAR_END, "'}}'");
                    nodes.add(new Node.Output(e, t.line()));
                }
                case BLOCK_BEGIN -> {
                    Token name = tokens.get(at + 1);
                    if (name.type() == Type.NAME && ends.contains(name.value())) {
                        return nodes;
                    }
                    next();
                    nodes.add(statement());
                }
                default -> throw error("unexpected " + t.describe());
            }
        }
    }

    private void endTag() {
        expect(Type.BLOCK_END, "'%}'");
    }

    private String blockTagName() {
        expect(Type.BLOCK_BEGIN, "'{%'");
        return expect(Type.NAME, "a tag name").value();
    }

    private Node statement() {
        Token name = expect(Type.NAME, "a tag name");
        int line = name.line();
        switch (name.value()) {
            case "if":
                return ifStatement(line);
            case "for":
                return forStatement(line);
            case "set":
                return setStatement(line);
            case "macro":
                return macro(line);
            case "filter":
                return filterBlock(line);
            case "break":
            case "continue":
                endTag();
                return new Node.Break(
                        name.value().equals("break") ? Node.LoopControl.BREAK : Node.LoopControl.CONTINUE, line);
            case "generation":
                endTag();
                List<Node> body = body(Set.of("endgeneration"));
                blockTagName();
                endTag();
                return new Node.Generation(body, line);
            default:
                throw new JinjaException("unknown tag '" + name.value() + "'", line);
        }
    }

    private Node ifStatement(int line) {
        List<Expr> conditions = new ArrayList<>();
        List<List<Node>> branches = new ArrayList<>();
        List<Node> otherwise = List.of();
        conditions.add(tuple(true));
        endTag();
        Set<String> ends = Set.of("elif", "else", "endif");
        while (true) {
            branches.add(body(ends));
            String tag = blockTagName();
            if (tag.equals("elif")) {
                conditions.add(tuple(true));
                endTag();
            } else if (tag.equals("else")) {
                endTag();
                otherwise = body(Set.of("endif"));
                blockTagName();
                endTag();
                break;
            } else {
                endTag();
                break;
            }
        }
        return new Node.If(conditions, branches, otherwise, line);
    }

    private Node forStatement(int line) {
        List<String> targets = names();
        expectName("in");
        Expr iterable = tuple(false);
        Expr filter = null;
        if (acceptName("if")) {
            filter = expression(true);
        }
        if (peek().isName("recursive")) {
            throw error("recursive for loops are not supported");
        }
        endTag();
        List<Node> body = body(Set.of("else", "endfor"));
        List<Node> otherwise = List.of();
        if (blockTagName().equals("else")) {
            endTag();
            otherwise = body(Set.of("endfor"));
            blockTagName();
        }
        endTag();
        return new Node.For(targets, iterable, filter, body, otherwise, line);
    }

    /** {@code a} or {@code a, b} or {@code (a, b)}. */
    private List<String> names() {
        boolean paren = acceptOp("(");
        List<String> names = new ArrayList<>();
        do {
            names.add(expect(Type.NAME, "a variable name").value());
        } while (acceptOp(","));
        if (paren) {
            expectOp(")");
        }
        return names;
    }

    private Node setStatement(int line) {
        List<String> targets;
        String attribute = null;
        Token first = expect(Type.NAME, "a variable name");
        if (acceptOp(".")) {
            targets = List.of(first.value());
            attribute = expect(Type.NAME, "an attribute name").value();
        } else {
            targets = new ArrayList<>(List.of(first.value()));
            while (acceptOp(",")) {
                targets.add(expect(Type.NAME, "a variable name").value());
            }
        }
        if (acceptOp("=")) {
            Expr value = tuple(true);
            endTag();
            return new Node.Set(targets, attribute, value, line);
        }
        endTag();
        List<Node> body = body(Set.of("endset"));
        blockTagName();
        endTag();
        return new Node.SetBlock(new Node.Set(targets, attribute, null, line), body, line);
    }

    private Node macro(int line) {
        String name = expect(Type.NAME, "a macro name").value();
        expectOp("(");
        List<String> params = new ArrayList<>();
        Map<String, Expr> defaults = new LinkedHashMap<>();
        while (!acceptOp(")")) {
            if (!params.isEmpty()) {
                expectOp(",");
            }
            String p = expect(Type.NAME, "a parameter name").value();
            params.add(p);
            if (acceptOp("=")) {
                defaults.put(p, expression(true));
            }
        }
        endTag();
        List<Node> body = body(Set.of("endmacro"));
        blockTagName();
        endTag();
        return new Node.Macro(name, params, defaults, body, line);
    }

    private Node filterBlock(int line) {
        String name = expect(Type.NAME, "a filter name").value();
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> kwargs = new LinkedHashMap<>();
        if (acceptOp("(")) {
            callArguments(args, kwargs);
        }
        endTag();
        List<Node> body = body(Set.of("endfilter"));
        blockTagName();
        endTag();
        return new Node.FilterBlock(name, args, kwargs, body, line);
    }

    /** Expressions separated by commas: one is itself, several (or a trailing comma) a tuple. */
    private Expr tuple(boolean withConditional) {
        int line = peek().line();
        List<Expr> items = new ArrayList<>();
        boolean comma = false;
        while (true) {
            if (!items.isEmpty() && !(comma = acceptOp(","))) {
                break;
            }
            if (endsTuple()) {
                break;
            }
            items.add(expression(withConditional));
        }
        if (items.isEmpty()) {
            throw error("expected an expression, got " + peek().describe());
        }
        return items.size() == 1 && !comma ? items.get(0) : new Expr.ListLiteral(items, true, line);
    }

    private boolean endsTuple() {
        Token t = peek();
        return t.type() == Type.VAR_END
                || t.type() == Type.BLOCK_END
                || t.isOp(")")
                || t.isName("in")
                || t.isName("if")
                || t.type() == Type.EOF;
    }

    private Expr expression(boolean withConditional) {
        Expr e = or();
        if (!withConditional) {
            return e;
        }
        while (peek().isName("if")) {
            int line = next().line();
            Expr condition = or();
            Expr otherwise = acceptName("else") ? expression(true) : null;
            e = new Expr.Conditional(condition, e, otherwise, line);
        }
        return e;
    }

    private Expr or() {
        Expr left = and();
        while (peek().isName("or")) {
            int line = next().line();
            left = new Expr.Logical(false, left, and(), line);
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isName("and")) {
            int line = next().line();
            left = new Expr.Logical(true, left, not(), line);
        }
        return left;
    }

    private Expr not() {
        if (peek().isName("not")) {
            int line = next().line();
            return new Expr.Not(not(), line);
        }
        return compare();
    }

    private Expr compare() {
        int line = peek().line();
        Expr first = math1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type() == Type.OP && COMPARISONS.contains(t.value())) {
                next();
                ops.add(t.value());
            } else if (t.isName("in")) {
                next();
                ops.add("in");
            } else if (t.isName("not") && tokens.get(at + 1).isName("in")) {
                at += 2;
                ops.add("not in");
            } else {
                break;
            }
            operands.add(math1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, operands, line);
    }

    private Expr math1() {
        Expr left = concat();
        while (peek().isOp("+") || peek().isOp("-")) {
            Token op = next();
            left = new Expr.Binary(op.value(), left, concat(), op.line());
        }
        return left;
    }

    private Expr concat() {
        Expr left = math2();
        while (peek().isOp("~")) {
            Token op = next();
            left = new Expr.Binary("~", left, math2(), op.line());
        }
        return left;
    }

    private Expr math2() {
        Expr left = pow();
        while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
            Token op = next();
            left = new Expr.Binary(op.value(), left, pow(), op.line());
        }
        return left;
    }

    private Expr pow() {
        Expr left = unary(true);
        while (peek().isOp("**")) {
            Token op = next();
            left = new Expr.Binary("**", left, unary(true), op.line());
        }
        return left;
    }

    private Expr unary(boolean withFilter) {
        Token t = peek();
        Expr node;
        if (t.isOp("-")) {
            next();
            node = new Expr.Negate(unary(false), t.line());
        } else if (t.isOp("+")) {
            next();
            node = unary(false);
        } else {
            node = primary();
        }
        node = postfix(node);
        return withFilter ? filters(node) : node;
    }

    private Expr primary() {
        Token t = next();
        switch (t.type()) {
            case NAME:
                return switch (t.value()) {
                    case "true", "True" -> new Expr.Literal(true, t.line());
                    case "false", "False" -> new Expr.Literal(false, t.line());
                    case "none", "None" -> new Expr.Literal(null, t.line());
                    default -> new Expr.Name(t.value(), t.line());
                };
            case STRING:
                StringBuilder s = new StringBuilder(t.value());
                while (peek().type() == Type.STRING) {
                    s.append(next().value());
                }
                return new Expr.Literal(s.toString(), t.line());
            case INT:
                return new Expr.Literal(Long.parseLong(t.value()), t.line());
            case FLOAT:
                return new Expr.Literal(Double.parseDouble(t.value()), t.line());
            case OP:
                if (t.value().equals("(")) {
                    if (acceptOp(")")) {
                        return new Expr.ListLiteral(List.of(), true, t.line());
                    }
                    Expr e = tuple(true);
                    expectOp(")");
                    return e;
                }
                if (t.value().equals("[")) {
                    List<Expr> items = new ArrayList<>();
                    while (!acceptOp("]")) {
                        if (!items.isEmpty()) {
                            expectOp(",");
                            if (acceptOp("]")) {
                                break;
                            }
                        }
                        items.add(expression(true));
                    }
                    return new Expr.ListLiteral(items, false, t.line());
                }
                if (t.value().equals("{")) {
                    List<Expr> keys = new ArrayList<>();
                    List<Expr> values = new ArrayList<>();
                    while (!acceptOp("}")) {
                        if (!keys.isEmpty()) {
                            expectOp(",");
                            if (acceptOp("}")) {
                                break;
                            }
                        }
                        keys.add(expression(true));
                        expectOp(":");
                        values.add(expression(true));
                    }
                    return new Expr.DictLiteral(keys, values, t.line());
                }
                break;
            default:
                break;
        }
        at--;
        throw error("unexpected " + t.describe());
    }

    private Expr postfix(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOp(".")) {
                next();
                Token attr = next();
                if (attr.type() == Type.INT) {
                    node = new Expr.GetItem(node, new Expr.Literal(Long.parseLong(attr.value()), t.line()), t.line());
                } else if (attr.type() == Type.NAME) {
                    node = new Expr.GetAttr(node, attr.value(), t.line());
                } else {
                    at--;
                    throw error("expected an attribute name after '.'");
                }
            } else if (t.isOp("[")) {
                next();
                node = subscript(node, t.line());
            } else if (t.isOp("(")) {
                next();
                node = call(node, t.line());
            } else {
                return node;
            }
        }
    }

    private Expr subscript(Expr target, int line) {
        Expr start = null;
        if (!peek().isOp(":")) {
            start = expression(true);
            if (!peek().isOp(":")) {
                expectOp("]");
                return new Expr.GetItem(target, start, line);
            }
        }
        expectOp(":");
        Expr stop = peek().isOp(":") || peek().isOp("]") ? null : expression(true);
        Expr step = null;
        if (acceptOp(":")) {
            step = peek().isOp("]") ? null : expression(true);
        }
        expectOp("]");
        return new Expr.Slice(target, start, stop, step, line);
    }

    private Expr call(Expr target, int line) {
        List<Expr> args = new ArrayList<>();
        Map<String, Expr> kwargs = new LinkedHashMap<>();
        callArguments(args, kwargs);
        return new Expr.Call(target, args, kwargs, line);
    }

    /** Arguments after '(' up to and including ')': positional ones, then {@code name=value}. */
    private void callArguments(List<Expr> args, Map<String, Expr> kwargs) {
        while (!acceptOp(")")) {
            if (!args.isEmpty() || !kwargs.isEmpty()) {
                expectOp(",");
                if (acceptOp(")")) {
                    return;
                }
            }
            if (peek().type() == Type.NAME && tokens.get(at + 1).isOp("=")) {
                String key = next().value();
                next();
                kwargs.put(key, expression(true));
            } else {
                args.add(expression(true));
            }
        }
    }

    private Expr filters(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOp("|")) {
                next();
                String name = expect(Type.NAME, "a filter name").value();
                List<Expr> args = new ArrayList<>();
                Map<String, Expr> kwargs = new LinkedHashMap<>();
                if (acceptOp("(")) {
                    callArguments(args, kwargs);
                }
                node = new Expr.Filter(node, name, args, kwargs, t.line());
            } else if (t.isName("is")) {
                next();
                boolean negated = acceptName("not");
                String name = next().value();
                List<Expr> args = new ArrayList<>();
                Token a = peek();
                if (acceptOp("(")) {
                    Map<String, Expr> ignored = new LinkedHashMap<>();
                    callArguments(args, ignored);
                } else if ((a.type() == Type.NAME
                                && !Set.of("else", "or", "and", "is").contains(a.value()))
                        || a.type() == Type.STRING
                        || a.type() == Type.INT
                        || a.type() == Type.FLOAT
                        || a.isOp("[")
                        || a.isOp("{")) {
                    args.add(postfix(primary()));
                }
                node = new Expr.Test(node, name, args, negated, t.line());
            } else if (t.isOp("(")) {
                next();
                node = call(node, t.line());
            } else {
                return node;
            }
        }
    }
}
