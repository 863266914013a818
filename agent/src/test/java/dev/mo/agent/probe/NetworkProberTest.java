package dev.mo.agent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mo.model.Json;
import dev.mo.runtime.ContainerSpec;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real prober against a local HTTP (and HTTPS) server, a closed port, and the fake runtime's exec. */
class NetworkProberTest {
    private final FakeRuntime runtime = new FakeRuntime();
    private final NetworkProber prober = new NetworkProber(runtime);
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private HttpServer server;
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            seen.put("host", exchange.getRequestHeaders().getFirst("Host"));
            seen.put("user-agent", exchange.getRequestHeaders().getFirst("User-Agent"));
            seen.put("x-probe", String.valueOf(exchange.getRequestHeaders().getFirst("X-Probe")));
            if (path.equals("/slow")) {
                try { Thread.sleep(3000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            }
            int status = switch (path) {
                case "/fail" -> 500;
                case "/redirect" -> 302;
                case "/missing" -> 404;
                default -> 200;
            };
            if (status == 302) exchange.getResponseHeaders().add("Location", "http://elsewhere.invalid/");
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private JsonNode spec() {
        return Json.parse("{\"name\":\"web\",\"ports\":[{\"name\":\"http\",\"containerPort\":" + port + "}]}");
    }

    private ProbeTarget target() {
        return new ProbeTarget("no-container", "127.0.0.1", spec());
    }

    private static Probe probe(Probe.Handler handler) {
        return new Probe(ProbeType.LIVENESS, handler, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 3, null);
    }

    private static Probe.HttpGet get(String path, String port) {
        return new Probe.HttpGet(path, port, null, "HTTP", List.of());
    }

    private String run(Probe.Handler handler) {
        ProbeResult r = prober.probe(probe(handler), target());
        return r.outcome() + (r.message().isEmpty() ? "" : " " + r.message());
    }

    @Test
    void httpGetPassesOn200To399WithoutFollowingRedirects() {
        assertEquals("SUCCESS", run(get("/healthz", String.valueOf(port))));
        assertEquals("SUCCESS", run(get("/redirect", "http")), "302 passes, by port name");
        assertEquals("FAILURE HTTP probe failed with statuscode: 500", run(get("/fail", "http")));
        assertEquals("FAILURE HTTP probe failed with statuscode: 404", run(get("/missing", "http")));
    }

    @Test
    void httpGetSendsTheKubeletsHeadersAndTheProbesOwn() {
        assertEquals("SUCCESS", run(new Probe.HttpGet("healthz", "http", null, "HTTP",
                List.of(new Probe.Header("X-Probe", "yes"), new Probe.Header("Host", "web.example")))));
        assertEquals("web.example", seen.get("host"), "a Host header in httpHeaders wins");
        assertEquals("yes", seen.get("x-probe"));
        assertEquals("kube-probe/1.30", seen.get("user-agent"));
        run(get("/", "http"));
        assertEquals("127.0.0.1:" + port, seen.get("host"));
    }

    @Test
    void failuresReadLikeTheKubelets() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertEquals("FAILURE Get \"http://127.0.0.1:" + closed + "/healthz\": dial tcp 127.0.0.1:" + closed
                + ": connect: connection refused", run(get("/healthz", String.valueOf(closed))));
        assertEquals("FAILURE dial tcp 127.0.0.1:" + closed + ": connect: connection refused",
                run(new Probe.TcpSocket(String.valueOf(closed), null)));
        assertEquals("FAILURE Get \"http://127.0.0.1:" + port + "/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                run(get("/slow", "http")));
        assertEquals("FAILURE port \"web\" not found in container ports", run(get("/", "web")));
        assertEquals("FAILURE port \"web\" not found in container ports", run(new Probe.TcpSocket("web", null)));
        assertEquals("FAILURE Get \"ftp://127.0.0.1:" + port + "/\": unsupported protocol scheme \"FTP\"",
                run(new Probe.HttpGet("/", "http", null, "FTP", List.of())));
        assertEquals("FAILURE gRPC probes are not supported by mo", run(new Probe.Grpc(9000, null)));
    }

    @Test
    void httpsProbesSpeakTlsAndTakeAnyCertificateAsTheKubeletDoes(@TempDir Path dir) throws Exception {
        // A self-signed certificate no one trusts, for a name that is not the address probed.
        Path keystore = dir.resolve("probe.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "probe", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=app.invalid",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            keys.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "secret".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/fail") ? 500 : 200, -1);
            exchange.close();
        });
        https.start();
        try {
            String httpsPort = String.valueOf(https.getAddress().getPort());
            assertEquals("SUCCESS", run(new Probe.HttpGet("/healthz", httpsPort, null, "HTTPS", List.of())));
            assertEquals("FAILURE HTTP probe failed with statuscode: 500",
                    run(new Probe.HttpGet("/fail", httpsPort, null, "HTTPS", List.of())));
        } finally {
            https.stop(0);
        }
        // A server that hangs up instead of shaking hands: the probe fails, and says it was TLS.
        try (ServerSocket hangsUp = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread closer = new Thread(() -> {
                try (var conn = hangsUp.accept()) {
                    conn.getInputStream().read();
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            closer.start();
            String result = run(new Probe.HttpGet("/", String.valueOf(hangsUp.getLocalPort()), null, "HTTPS", List.of()));
            assertTrue(result.startsWith("FAILURE Get \"https://127.0.0.1:" + hangsUp.getLocalPort() + "/\": tls: "), result);
            closer.join(5000);
        }
    }

    @Test
    void tcpSocketPassesWhenItConnects() {
        assertEquals("SUCCESS", run(new Probe.TcpSocket("http", null)));
        assertEquals("SUCCESS", run(new Probe.TcpSocket(String.valueOf(port), "127.0.0.1")));
    }

    @Test
    void execPassesOnExitZeroAndReportsOutputOrExitCode() {
        String id = runtime.createAndStart(new ContainerSpec("c1", "busybox:1", null, null, null, null, null,
                Map.of("mo.container", "web"), null, "127.0.0.1", null));
        ProbeTarget target = new ProbeTarget(id, "172.17.0.2", spec());
        Probe.Exec cat = new Probe.Exec(List.of("cat", "/tmp/healthy"));
        assertEquals(ProbeResult.success(), prober.probe(probe(cat), target));

        runtime.onExec("web", command -> ExecResult.exited(1, "cat: can't open '/tmp/healthy': No such file or directory\n"));
        assertEquals(ProbeResult.failure("cat: can't open '/tmp/healthy': No such file or directory"), prober.probe(probe(cat), target));
        runtime.onExec("web", command -> ExecResult.exited(1, ""));
        assertEquals(ProbeResult.failure("command \"cat /tmp/healthy\" exited with 1"), prober.probe(probe(cat), target));
        runtime.onExec("web", command -> ExecResult.timeout());
        assertEquals(ProbeResult.failure("command \"cat /tmp/healthy\" timed out"), prober.probe(probe(cat), target));

        runtime.stop(id, 0);
        assertEquals(ProbeResult.Outcome.UNKNOWN, prober.probe(probe(cat), target).outcome(),
                "a stopped container cannot be probed: the result is thrown away");
    }

    @Test
    void probesAreReadWithKubernetesDefaults() {
        JsonNode container = Json.parse("""
                {"name":"web","ports":[{"name":"http","containerPort":8080}],
                 "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","httpHeaders":[{"name":"X","value":"1"}]},
                                  "successThreshold":5,"terminationGracePeriodSeconds":7},
                 "readinessProbe":{"tcpSocket":{"port":8080},"periodSeconds":0,"initialDelaySeconds":3,"successThreshold":2},
                 "startupProbe":{"exec":{"command":["cat","/tmp/ready"]},"failureThreshold":30,"periodSeconds":1}}
                """);
        List<Probe> probes = Probe.of(container);
        assertEquals(List.of(ProbeType.STARTUP, ProbeType.LIVENESS, ProbeType.READINESS), probes.stream().map(Probe::type).toList());
        Probe startup = probes.get(0), liveness = probes.get(1), readiness = probes.get(2);
        assertEquals(new Probe(ProbeType.STARTUP, new Probe.Exec(List.of("cat", "/tmp/ready")), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 30, null), startup);
        assertEquals(new Probe.HttpGet("/healthz", "http", null, "HTTP", List.of(new Probe.Header("X", "1"))), liveness.handler());
        assertEquals(1, liveness.successThreshold(), "liveness always needs one success");
        assertEquals(3, liveness.failureThreshold());
        assertEquals(Duration.ofSeconds(10), liveness.period());
        assertEquals(7, liveness.terminationGracePeriodSeconds());
        assertEquals(Duration.ofSeconds(10), readiness.period(), "0 means the default");
        assertEquals(Duration.ofSeconds(3), readiness.initialDelay());
        assertEquals(2, readiness.successThreshold());
        assertEquals(8080, new ProbeTarget("x", "1.2.3.4", container).port("http"));
    }
}
