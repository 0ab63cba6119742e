package io.github.sparsestruct.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load test of {@code bin/sparsestruct serve} from a client on loopback ({@code benchmarks/scripts/
 * serve-load.sh} runs it): requests of 1 to 4 consecutive sentences of a CoNLL-U file's {@code # text} lines to
 * {@code POST /v1/annotate}. First each distinct request once, one at a time (the reference replies, by SHA-256; or
 * read from {@code --reference}), then {@code --requests} requests from {@code --concurrency} clients at once, cycling
 * over the distinct ones: every reply must be 200 and byte-identical to its reference. Prints p50 / p99 / max latency
 * and throughput, then one line of JSON; exits 1 on any error or difference ({@code --tolerate-errors true}: counts
 * them, for a run whose server is killed on purpose).
 * <pre>
 * bin/sparsestruct-bench ServeLoad --url http://127.0.0.1:8080 --data en_ewt-ud-dev.conllu --requests 2000
 *     --concurrency 16 [--distinct 200] [--reference FILE] [--write-reference FILE] [--tolerate-errors true]
 * </pre>
 * The request loops are bounded by the request count; the client talks to the given URL only (use a loopback one).
 */
public final class ServeLoad {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ServeLoad() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args, List.of("--url", "--data", "--requests", "--concurrency", "--distinct",
                "--reference", "--write-reference", "--tolerate-errors"));
        URI url = URI.create(o.require("--url")).resolve("/v1/annotate");
        if (!isLoopback(url)) {
            throw new IllegalArgumentException("--url must be a loopback address (127.0.0.1, localhost, [::1])");
        }
        int requests = o.getInt("--requests", 2000);
        int concurrency = o.getInt("--concurrency", 16);
        boolean tolerate = Boolean.parseBoolean(o.get("--tolerate-errors", "false"));
        List<byte[]> bodies = bodies(Path.of(o.require("--data")), o.getInt("--distinct", 200));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        String[] reference;
        if (o.get("--reference", null) != null) {
            reference = Files.readAllLines(Path.of(o.get("--reference", null))).toArray(new String[0]);
            if (reference.length != bodies.size()) {
                throw new IllegalArgumentException("the reference has " + reference.length + " replies, not "
                        + bodies.size());
            }
        } else {
            reference = new String[bodies.size()];
            long t0 = System.nanoTime();
            for (int i = 0; i < bodies.size(); i++) {
                HttpResponse<byte[]> r = send(http, url, bodies.get(i));
                if (r == null || r.statusCode() != 200) {
                    throw new IllegalStateException("sequential request " + i + " failed: "
                            + (r == null ? "no answer" : r.statusCode()));
                }
                reference[i] = sha(r.body());
            }
            System.out.printf(Locale.ROOT, "sequential: %d distinct requests in %.1f s%n", bodies.size(),
                    (System.nanoTime() - t0) / 1e9);
            if (o.get("--write-reference", null) != null) {
                Files.write(Path.of(o.get("--write-reference", null)), Arrays.asList(reference));
            }
        }

        long[] latency = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger different = new AtomicInteger();
        Map<String, Integer> statuses = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            clients.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    int k = i % bodies.size();
                    long s = System.nanoTime();
                    HttpResponse<byte[]> r = send(http, url, bodies.get(k));
                    latency[i] = System.nanoTime() - s;
                    String status = r == null ? "no answer" : Integer.toString(r.statusCode());
                    synchronized (statuses) {
                        statuses.merge(status, 1, Integer::sum);
                    }
                    if (r == null || r.statusCode() != 200) {
                        errors.incrementAndGet();
                    } else if (!sha(r.body()).equals(reference[k])) {
                        different.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        double p50 = sorted[(int) Math.ceil(0.50 * requests) - 1] / 1e6;
        double p99 = sorted[(int) Math.ceil(0.99 * requests) - 1] / 1e6;
        double max = sorted[requests - 1] / 1e6;
        System.out.printf(Locale.ROOT, "concurrent: %d requests, %d clients, %.1f s, %.1f requests/s; latency p50 %.0f"
                        + " ms, p99 %.0f ms, max %.0f ms; statuses %s; errors %d; replies differing from the "
                        + "sequential one %d%n", requests, concurrency, seconds, requests / seconds, p50, p99, max,
                statuses, errors.get(), different.get());
        var json = MAPPER.createObjectNode();
        json.put("requests", requests).put("concurrency", concurrency).put("distinct", bodies.size())
                .put("seconds", seconds).put("p50Ms", p50).put("p99Ms", p99).put("maxMs", max)
                .put("errors", errors.get()).put("different", different.get());
        System.out.println(MAPPER.writeValueAsString(json));
        if (!tolerate && (errors.get() > 0 || different.get() > 0)) {
            System.exit(1);
        }
    }

    /** Request bodies: consecutive {@code # text} lines of the CoNLL-U file, 1, 2, 3, 4, 1, ... per request. */
    static List<byte[]> bodies(Path conllu, int distinct) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(conllu, StandardCharsets.UTF_8)) {
            if (line.startsWith("# text = ")) {
                texts.add(line.substring("# text = ".length()));
            }
        }
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < distinct && at < texts.size(); i++) {
            int n = 1 + i % 4;
            String text = String.join(" ", texts.subList(at, Math.min(texts.size(), at + n)));
            at += n;
            out.add(MAPPER.writeValueAsBytes(Map.of("id", "load-" + i, "text", text)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(conllu + " has no '# text = ' lines");
        }
        return out;
    }

    private static HttpResponse<byte[]> send(HttpClient http, URI url, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isLoopback(URI u) {
        String h = u.getHost();
        return h != null && (h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1"));
    }
}
