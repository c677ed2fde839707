package io.dftune.operator.dev;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.net.URI;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A loopback HTTP proxy between a packaged operator and the mock API server (Vert.x's reverse
 * proxy: plain requests, streaming watches and WebSocket upgrades). It tells every request to a
 * listener (for the RBAC check), and injects faults as asked: a share of writes answered 500 (half
 * of them before they reach the server, half after it applied them, as when a response is lost),
 * a share of status updates answered 409 Conflict, and, on {@link #cutWatches}, every open watch
 * connection closed.
 *
 * <p>A client resumes a cut watch from the last resource version it saw. A real API server then
 * replays what happened since, or, when its history no longer reaches back that far, answers with
 * an ERROR event 410 Gone and the client lists anew. The mock server can do neither (a watch
 * starts with the objects that exist, so deletions in between are lost), so the first watch of a
 * cut resource answers 410 Gone, as an API server with compacted history would.
 */
public final class ApiProxy implements AutoCloseable {
    /**
     * @param writeErrors share of writes (POST, PUT, PATCH, DELETE) answered 500
     * @param statusConflicts share of status updates (PUT .../status) answered 409
     * @param seed of the random choices
     */
    public record Faults(double writeErrors, double statusConflicts, long seed) {
        public static final Faults NONE = new Faults(0, 0, 0);
    }

    /** What was injected so far. */
    public record Injected(
            int requests, int errorsBefore, int errorsAfter, int conflicts, int watchesCut, int watchesExpired) {
        public int total() {
            return errorsBefore + errorsAfter + conflicts + watchesCut;
        }
    }

    private static final String APPLY_THEN_FAIL = "dftune.apply-then-fail";

    private final Vertx vertx = Vertx.vertx();
    private final Faults faults;
    private final Random random;
    private final BiConsumer<String, URI> listener;
    /** Open watch connections, each with the path it watches. */
    private final Map<HttpConnection, String> watches = new ConcurrentHashMap<>();
    /** Paths whose watch was cut and not yet answered 410 Gone. */
    private final Set<String> expired = ConcurrentHashMap.newKeySet();

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger errorsBefore = new AtomicInteger();
    private final AtomicInteger errorsAfter = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();
    private final AtomicInteger watchesCut = new AtomicInteger();
    private final AtomicInteger watchesExpired = new AtomicInteger();
    private HttpServer server;

    private ApiProxy(Faults faults, BiConsumer<String, URI> listener) {
        this.faults = faults;
        this.random = new Random(faults.seed());
        this.listener = listener;
    }

    /** Starts a proxy on a free loopback port in front of the API server at {@code upstream}. */
    public static ApiProxy start(String upstream, Faults faults, BiConsumer<String, URI> listener) {
        ApiProxy proxy = new ApiProxy(faults, listener);
        proxy.listen(URI.create(upstream));
        return proxy;
    }

    private void listen(URI upstream) {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(500));
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(upstream.getPort(), upstream.getHost());
        proxy.addInterceptor(new FaultInjector());
        server = await(vertx.createHttpServer()
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    listener.accept(request.method().name(), URI.create(request.uri()));
                    if (isWatch(request.uri())) {
                        if (expired.remove(request.path())) {
                            gone(request);
                            return;
                        }
                        HttpConnection connection = request.connection();
                        watches.put(connection, request.path());
                        connection.closeHandler(v -> watches.remove(connection));
                    }
                    proxy.handle(request);
                })
                .listen(0, "127.0.0.1"));
    }

    /** The proxy's URL, for the operator's {@code KUBERNETES_MASTER}. */
    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Closes every open watch connection, as a load balancer or an API server restart would; returns how many. */
    public int cutWatches() {
        int cut = 0;
        for (HttpConnection connection : watches.keySet()) {
            String path = watches.remove(connection);
            if (path != null) {
                expired.add(path);
                connection.close();
                cut++;
            }
        }
        watchesCut.addAndGet(cut);
        return cut;
    }

    /** Answers a watch with the event a real API server sends for a resource version it no longer has. */
    private void gone(HttpServerRequest request) {
        watchesExpired.incrementAndGet();
        String event = "{\"type\":\"ERROR\",\"object\":" + status(410, "Expired", "too old resource version") + "}";
        if ("websocket".equalsIgnoreCase(request.getHeader("upgrade"))) {
            request.toWebSocket()
                    .onSuccess(socket -> socket.writeTextMessage(event).onComplete(done -> socket.close()));
        } else {
            request.response()
                    .setChunked(true)
                    .putHeader("content-type", "application/json")
                    .end(event + "\n");
        }
    }

    public Injected injected() {
        return new Injected(
                requests.get(),
                errorsBefore.get(),
                errorsAfter.get(),
                conflicts.get(),
                watchesCut.get(),
                watchesExpired.get());
    }

    private static boolean isWatch(String uri) {
        return uri.contains("watch=true");
    }

    private synchronized boolean chance(double share) {
        return share > 0 && random.nextDouble() < share;
    }

    private class FaultInjector implements ProxyInterceptor {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            HttpMethod method = context.request().getMethod();
            String path = URI.create(context.request().getURI()).getPath();
            boolean write = method == HttpMethod.POST
                    || method == HttpMethod.PUT
                    || method == HttpMethod.PATCH
                    || method == HttpMethod.DELETE;
            if (method == HttpMethod.PUT && path.endsWith("/status") && chance(faults.statusConflicts())) {
                conflicts.incrementAndGet();
                return answer(context, 409, "Conflict", "the object has been modified (injected)");
            }
            if (write && chance(faults.writeErrors())) {
                if (chance(0.5)) {
                    errorsBefore.incrementAndGet();
                    return answer(context, 500, "InternalError", "injected before the write");
                }
                errorsAfter.incrementAndGet();
                context.set(APPLY_THEN_FAIL, Boolean.TRUE);
            }
            return context.sendRequest();
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext context) {
            if (Boolean.TRUE.equals(context.get(APPLY_THEN_FAIL, Boolean.class))) {
                context.response()
                        .setStatusCode(500)
                        .putHeader("content-type", "application/json")
                        .setBody(Body.body(status(500, "InternalError", "injected after the write")));
            }
            return context.sendResponse();
        }

        private Future<ProxyResponse> answer(ProxyContext context, int code, String reason, String message) {
            context.request().release();
            return Future.succeededFuture(context.request()
                    .response()
                    .setStatusCode(code)
                    .putHeader("content-type", "application/json")
                    .setBody(Body.body(status(code, reason, message))));
        }
    }

    /** A Kubernetes Status object, as the API server answers errors. */
    private static Buffer status(int code, String reason, String message) {
        return Buffer.buffer("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"" + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the API proxy did not start", e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
