package io.dftune.operator.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The RBAC verb an API request needs, as the API server authorizes it: {@code /api/v1/...} is the
 * core group, {@code /apis/<group>/<version>/...}; a path with a name is get/update/patch/delete
 * of that object (or its subresource), one without is list/watch/create/deletecollection. Anything
 * else (/version, discovery) is no resource request: empty.
 */
public final class RbacRequests {
    private RbacRequests() {}

    public static Optional<Grant> grant(String method, URI uri) {
        List<String> path = Arrays.stream(uri.getRawPath().split("/"))
                .filter(s -> !s.isEmpty())
                .toList();
        int start;
        String group;
        if (path.size() >= 3 && path.get(0).equals("api")) {
            start = 2;
            group = "";
        } else if (path.size() >= 4 && path.get(0).equals("apis")) {
            start = 3;
            group = path.get(1);
        } else {
            return Optional.empty();
        }
        List<String> rest = path.subList(start, path.size());
        // namespaces/<ns>/<resource>...: a namespaced request; namespaces[/<name>] is the Namespace itself.
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
        boolean named = rest.size() >= 2;
        return Optional.of(new Grant(group, resource, verb(method, named, isWatch(uri))));
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for " + method);
        };
    }

    private static boolean isWatch(URI uri) {
        String query = uri.getRawQuery();
        return query != null && Arrays.asList(query.split("&")).contains("watch=true");
    }
}
