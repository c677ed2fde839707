package io.dftune.engine.tokenizer.jinja;

import java.util.List;

/** The {@code loop} variable of a for loop: index, first, last, length, previtem, nextitem, cycle(...). */
final class LoopContext {
    private final List<Object> items;
    int index0;

    LoopContext(List<Object> items) {
        this.items = items;
    }

    /** An attribute of a value that is not a dict: the loop's, or Undefined. */
    static Object attribute(Object obj, String name) {
        return obj instanceof LoopContext loop ? loop.get(name) : Undefined.VALUE;
    }

    private Object get(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? Py.normalize(items.get(index0 - 1)) : Undefined.VALUE;
            case "nextitem" -> index0 < n - 1 ? Py.normalize(items.get(index0 + 1)) : Undefined.VALUE;
            case "cycle" ->
                (Callable) (args, kwargs) -> {
                    if (args.isEmpty()) {
                        throw new JinjaException("loop.cycle() needs at least one argument");
                    }
                    return args.get(index0 % args.size());
                };
            default -> Undefined.VALUE;
        };
    }
}
