package io.dftune.operator.rbac;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Records the RBAC grant of every request through the client it intercepts into a file of its own
 * in {@link #DIR} (one per client, so the Quarkus applications of a test run never share one), and
 * reads back the union of all of them. The build empties the folder before the tests run.
 */
public final class ObservedGrants implements Interceptor {
    public static final Path DIR = Path.of(System.getProperty("rbac.observed", "target/rbac-observed"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file = DIR.resolve(UUID.randomUUID() + ".json");
    private final Set<Grant> seen = new TreeSet<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        observe(request.method(), request.uri());
    }

    /** Records the grant a request needs (for requests seen elsewhere, such as by a proxy). */
    public void observe(String method, URI uri) {
        RbacRequests.grant(method, uri).ifPresent(this::record);
    }

    private synchronized void record(Grant grant) {
        if (!seen.add(grant)) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            Path next = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(next.toFile(), seen);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every grant any recorded client needed; none when nothing was recorded. */
    public static Set<Grant> union() throws IOException {
        Set<Grant> all = new TreeSet<>();
        if (!Files.isDirectory(DIR)) {
            return all;
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                all.addAll(JSON.readValue(f.toFile(), new TypeReference<List<Grant>>() {}));
            }
        }
        return all;
    }
}
