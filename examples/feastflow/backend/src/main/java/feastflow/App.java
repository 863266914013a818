package feastflow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FeastFlow's backend: a restaurant menu and its orders as a JSON API on port 5000.
 *
 * <pre>
 * GET  /api/health   200 when the database answers, else 503 (for readiness probes)
 * GET  /api/info     version, pod name and the configured message
 * GET  /api/menu     the menu
 * GET  /api/orders   the 50 newest orders (a JSON array), newest first
 * POST /api/orders   {"itemId":1,"quantity":2} stores an order
 * </pre>
 *
 * Configuration comes from the environment (PORT, DB_HOST, DB_PORT, DB_NAME, DB_USER,
 * DB_PASSWORD, APP_MESSAGE, APP_VERSION, POD_NAME or HOSTNAME), as a container gets it.
 */
public final class App implements HttpHandler {
    /** Seconds that running requests get to finish after SIGTERM. */
    private static final int GRACE_SECONDS = 5;
    private static final int MAX_BODY_BYTES = 10_000;

    private final String version;
    private final String pod;
    private final String message;
    private final Db db;
    private final AtomicInteger inFlight = new AtomicInteger();

    private App(String version, String pod, String message, Db db) {
        this.version = version;
        this.pod = pod;
        this.message = message;
        this.db = db;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        // The database may come back at a new address (its pod recreated): do not cache
        // name lookups for long.
        Security.setProperty("networkaddress.cache.ttl", "5");
        Security.setProperty("networkaddress.cache.negative.ttl", "1");

        int port = Integer.parseInt(env("PORT", "5000"));
        Db db = new Db(env("DB_HOST", "localhost"), Integer.parseInt(env("DB_PORT", "5432")),
                env("DB_NAME", "feastflow"), env("DB_USER", "feastflow"), env("DB_PASSWORD", ""));
        App app = new App(env("APP_VERSION", "dev"), env("POD_NAME", env("HOSTNAME", "unknown")),
                env("APP_MESSAGE", ""), db);

        // The HTTP server comes up at once; /api/health says 503 until the database answers.
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 100);
        ExecutorService workers = Executors.newFixedThreadPool(8); // the default is one thread
        server.setExecutor(workers);
        server.createContext("/", app);
        server.start();
        System.out.printf("feastflow-backend %s listening on port %d (pod %s), database %s%n",
                app.version, port, app.pod, db.target());

        Runtime.getRuntime().addShutdownHook(new Thread(() -> app.shutdown(server, workers)));

        // Create the tables and the menu, retrying until the database is reachable.
        for (int attempt = 1; ; attempt++) {
            try {
                db.ensureSchema();
                System.out.println("database ready, schema in place");
                break;
            } catch (SQLException e) {
                String cause = e.getCause() == null ? "" : " (" + e.getCause() + ")";
                System.out.printf("database not ready (attempt %d: %s%s), retrying in 2 s%n",
                        attempt, firstLine(e.getMessage()), cause);
                Thread.sleep(2000);
            }
        }
    }

    /** Runs on SIGTERM: stop accepting, let running requests finish, exit 0. */
    private void shutdown(HttpServer server, ExecutorService workers) {
        int running = inFlight.get();
        System.out.printf("SIGTERM: closing the port, %d request(s) running%n", running);
        // HttpServer.stop(delay) closes the listening socket, then waits for running
        // exchanges, but on JDK 17 it waits the whole delay even when nothing runs: so only
        // give it a delay when there is something to wait for.
        server.stop(running == 0 ? 0 : GRACE_SECONDS);
        workers.shutdown();
        try {
            workers.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("stopped");
        System.out.flush();
        // A JVM ended by a signal exits with 143; this service stopped as asked, so: 0.
        Runtime.getRuntime().halt(0);
    }

    private record Response(int status, Object body) {
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        inFlight.incrementAndGet();
        try {
            serve(ex);
        } finally {
            ex.close();
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        Response response;
        try {
            response = route(method, path, ex);
        } catch (SQLException e) {
            response = new Response(503, Json.obj("error", "database unavailable",
                    "detail", firstLine(e.getMessage())));
        } catch (RuntimeException e) {
            e.printStackTrace();
            response = new Response(500, Json.obj("error", "internal error"));
        }
        byte[] bytes = (Json.write(response.body()) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        if (!path.equals("/api/health")) { // probes would flood the log
            System.out.printf("%s %s -> %d (%d ms)%n", method, path, response.status(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private Response route(String method, String path, HttpExchange ex) throws SQLException, IOException {
        switch (path) {
            case "/api/health":
                if (!method.equals("GET")) {
                    return notAllowed(ex, "GET");
                }
                boolean up = db.isUp();
                return new Response(up ? 200 : 503, Json.obj("status", up ? "ok" : "unavailable",
                        "database", up ? "up" : "down", "version", version, "pod", pod));
            case "/api/info":
                if (!method.equals("GET")) {
                    return notAllowed(ex, "GET");
                }
                return new Response(200, Json.obj("version", version, "pod", pod, "message", message));
            case "/api/menu":
                if (!method.equals("GET")) {
                    return notAllowed(ex, "GET");
                }
                return new Response(200, Json.obj("version", version, "pod", pod,
                        "items", withSchema(db::menu)));
            case "/api/orders":
                if (method.equals("GET")) {
                    return new Response(200, withSchema(db::orders));
                }
                if (method.equals("POST")) {
                    return placeOrder(ex);
                }
                return notAllowed(ex, "GET, POST");
            default:
                return new Response(404, Json.obj("error", "not found: " + path));
        }
    }

    private Response placeOrder(HttpExchange ex) throws SQLException, IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            return badRequest("request body too large");
        }
        Map<String, Object> order;
        try {
            order = Json.parseFlatObject(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return badRequest("invalid JSON: " + e.getMessage());
        }
        Integer itemId = intIn(order.get("itemId"), 1, Integer.MAX_VALUE);
        Integer quantity = intIn(order.get("quantity"), 1, 100);
        if (itemId == null) {
            return badRequest("itemId must be a positive integer");
        }
        if (quantity == null) {
            return badRequest("quantity must be an integer from 1 to 100");
        }
        try {
            return new Response(201, withSchema(() -> db.addOrder(itemId, quantity)));
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) { // foreign key: no such menu item
                return badRequest("no menu item with id " + itemId);
            }
            throw e;
        }
    }

    private interface SqlCall<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a query; if the tables are missing (the database came back empty), creates them
     * again and retries once.
     */
    private <T> T withSchema(SqlCall<T> call) throws SQLException {
        try {
            return call.run();
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // 42P01: undefined table
                throw e;
            }
            System.out.println("tables missing, creating them again");
            db.ensureSchema();
            return call.run();
        }
    }

    private static Integer intIn(Object value, long min, long max) {
        if (value instanceof Long n && n >= min && n <= max) {
            return n.intValue();
        }
        return null;
    }

    private static Response badRequest(String error) {
        return new Response(400, Json.obj("error", error));
    }

    private static Response notAllowed(HttpExchange ex, String allowed) {
        ex.getResponseHeaders().set("Allow", allowed);
        return new Response(405, Json.obj("error", "method not allowed", "allowed", allowed));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
