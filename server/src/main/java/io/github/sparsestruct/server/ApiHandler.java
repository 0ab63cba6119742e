package io.github.sparsestruct.server;

import io.github.sparsestruct.server.inception.InceptionRecommender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's endpoints: routing, the bearer token, the body size limit, handing the work to {@link Admission} and
 * answering JSON. Logs one line per request at debug level with the endpoint, status and time, never the body or
 * the query.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    /** The path prefix that carries the token for clients that cannot send headers (INCEpTION). */
    static final String KEY_PREFIX = "/k/";

    private final ServerConfig config;
    private final Metrics metrics;
    private final Admission admission;
    private final AnnotateService annotate;
    private final Map<String, InceptionRecommender> recommenders;
    private final BooleanSupplier ready;
    private final byte[] token;

    /** An answer: status, JSON body (null for none) and a Retry-After in seconds (0: none). */
    private record Reply(int status, byte[] body, int retryAfter, String allow) {
        static Reply json(int status, byte[] body) {
            return new Reply(status, body, 0, null);
        }

        static Reply of(HttpError e) {
            return new Reply(e.status(), Json.error(e.status(), e.getMessage()), e.retryAfterSeconds(), e.allow());
        }
    }

    ApiHandler(ServerConfig config, Metrics metrics, Admission admission, AnnotateService annotate,
               Map<String, InceptionRecommender> recommenders, BooleanSupplier ready) {
        this.config = config;
        this.metrics = metrics;
        this.admission = admission;
        this.annotate = annotate;
        this.recommenders = recommenders;
        this.ready = ready;
        this.token = config.token() == null ? null : config.token().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        metrics.started();
        String[] endpoint = {"unknown"};
        Reply reply;
        try {
            reply = route(request, t0, endpoint);
        } catch (HttpError e) {
            reply = Reply.of(e);
        } catch (RuntimeException e) {
            LOG.error("request failed: {} at {}", e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            reply = Reply.of(new HttpError(500, "internal error (" + e.getClass().getSimpleName() + ")"));
        }
        send(response, reply, callback);
        long nanos = System.nanoTime() - t0;
        metrics.finished(endpoint[0], reply.status(), nanos);
        LOG.debug("{} {} -> {} in {} ms", request.getMethod(), endpoint[0], reply.status(), nanos / 1_000_000);
        return true;
    }

    private Reply route(Request request, long t0, String[] endpoint) {
        String path = Request.getPathInContext(request);
        boolean keyed = false;
        if (path.startsWith(KEY_PREFIX)) {
            int slash = path.indexOf('/', KEY_PREFIX.length());
            String key = slash < 0 ? path.substring(KEY_PREFIX.length()) : path.substring(KEY_PREFIX.length(), slash);
            keyed = token != null && MessageDigest.isEqual(token, key.getBytes(StandardCharsets.UTF_8));
            if (!keyed) {
                endpoint[0] = "unauthorized";
                throw new HttpError(401, "unknown key in the path");
            }
            path = slash < 0 ? "/" : path.substring(slash);
        }
        String method = request.getMethod();
        switch (path) {
            case "/health" -> {
                endpoint[0] = "health";
                requireMethod(method, "GET");
                return health();
            }
            case "/metrics" -> {
                endpoint[0] = "metrics";
                requireMethod(method, "GET");
                authorize(request, keyed);
                return Reply.json(200, Json.bytes(metrics.toJson(admission.queued(), admission.workers())));
            }
            case "/v1/annotate" -> {
                endpoint[0] = "annotate";
                requireMethod(method, "POST");
                authorize(request, keyed);
                requireReady();
                AnnotateRequest r = AnnotateRequest.parse(Json.parse(body(request)), config);
                return Reply.json(200, admission.run(() -> annotate.annotate(r), t0, config.timeBudgetMillis()));
            }
            default -> {
                return inception(request, path, method, t0, keyed, endpoint);
            }
        }
    }

    /** {@code /inception/TASK/predict} and {@code /inception/TASK/train}. */
    private Reply inception(Request request, String path, String method, long t0, boolean keyed, String[] endpoint) {
        String[] parts = path.split("/", -1);
        if (parts.length != 4 || !parts[1].equals("inception") || !recommenders.containsKey(parts[2])
                || !(parts[3].equals("predict") || parts[3].equals("train"))) {
            throw new HttpError(404, "no such endpoint; the endpoints are GET /health, GET /metrics, POST "
                    + "/v1/annotate, POST /inception/{" + String.join(",", recommenders.keySet())
                    + "}/{predict,train}");
        }
        endpoint[0] = "inception." + parts[2] + "." + parts[3];
        requireMethod(method, "POST");
        authorize(request, keyed);
        if (parts[3].equals("train")) {
            // pretrained models: nothing to learn; INCEpTION takes 204 as a finished training and asks for predictions
            return new Reply(204, null, 0, null);
        }
        requireReady();
        InceptionRecommender rec = recommenders.get(parts[2]);
        var body = Json.parse(body(request));
        return Reply.json(200, admission.run(() -> rec.predict(body), t0, config.timeBudgetMillis()));
    }

    private Reply health() {
        var o = Json.MAPPER.createObjectNode();
        boolean up = ready.getAsBoolean();
        o.put("status", up ? "ok" : "loading");
        o.put("variant", config.variant());
        o.put("language", config.language());
        var t = o.putArray("tasks");
        config.tasks().forEach(t::add);
        return new Reply(up ? 200 : 503, Json.bytes(o), up ? 0 : 5, null);
    }

    private void requireReady() {
        if (!ready.getAsBoolean()) {
            throw HttpError.unavailable("the models are still loading; GET /health answers 200 once they are", 5);
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw HttpError.methodNotAllowed(allowed);
        }
    }

    private void authorize(Request request, boolean keyed) {
        if (token == null || keyed) {
            return;
        }
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String prefix = "Bearer ";
        boolean ok = h != null && h.regionMatches(true, 0, prefix, 0, prefix.length())
                && MessageDigest.isEqual(token, h.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new HttpError(401, h == null ? "this server asks for a bearer token (Authorization: Bearer ...)"
                    : "the bearer token is not this server's");
        }
    }

    /** Bodies declared over the limit but at most this long (or 4 × the limit) are read and dropped before the 413. */
    private static final long DRAIN_BYTES = 1 << 20;

    /** The request body, at most {@link ServerConfig#maxBodyBytes()} bytes (more: 413 before or while reading). */
    private byte[] body(Request request) {
        long max = config.maxBodyBytes();
        long declared = request.getLength();
        if (declared > max) {
            // read and drop a body of moderate size first: a client still sending when the connection closes on
            // unread bytes may lose the 413 to a reset (seen with the JDK client); larger ones are refused unread
            if (declared <= Math.max(DRAIN_BYTES, 4 * max)) {
                drain(request);
            }
            throw HttpError.tooLarge("the body is " + declared + " bytes; this server accepts at most " + max
                    + " (--max-body)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buf = new byte[16384];
        try (InputStream in = Request.asInputStream(request)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (out.size() + (long) n > max) {
                    throw HttpError.tooLarge("the body is over " + max + " bytes, the most this server accepts "
                            + "(--max-body)");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw HttpError.badRequest("the body could not be read (" + e.getClass().getSimpleName() + ")");
        }
        return out.toByteArray();
    }

    /** Reads a request's body to its end, keeping none of it. */
    private static void drain(Request request) {
        byte[] buf = new byte[16384];
        try (InputStream in = Request.asInputStream(request)) {
            while (in.read(buf) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the 413 goes out all the same
        }
    }

    private static void send(Response response, Reply reply, Callback callback) {
        response.setStatus(reply.status());
        var h = response.getHeaders();
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        if (reply.retryAfter() > 0) {
            h.put(HttpHeader.RETRY_AFTER, Integer.toString(reply.retryAfter()));
        }
        if (reply.allow() != null) {
            h.put(HttpHeader.ALLOW, reply.allow());
        }
        if (reply.status() == 401) {
            h.put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        if (reply.body() == null) {
            response.write(true, null, callback);
            return;
        }
        h.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        h.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
}
