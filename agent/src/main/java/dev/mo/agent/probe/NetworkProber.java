package dev.mo.agent.probe;

import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.ExecResult;
import dev.mo.runtime.RuntimeOperationException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The real {@link Prober}: {@code httpGet} and {@code tcpSocket} connect to the container's address
 * ({@link ProbeTarget#address}), {@code exec} runs the command through the {@link ContainerRuntime}.
 * Failure messages read like the kubelet's, which are Go's error strings
 * ({@code dial tcp 172.17.0.5:8080: connect: connection refused}), and never contain a time, so the
 * control plane can count repeated failures as one event.
 *
 * <p>The HTTP GET is written by hand over a socket (HTTP/1.1, {@code Connection: close}) because
 * probes may set a {@code Host} header, which Java's HTTP clients refuse, and because only the status
 * line matters: 200-399 passes, redirects are not followed. {@code scheme: HTTPS} speaks TLS on the
 * same socket and, as the kubelet does, does not check the server's certificate: a probe asks
 * whether the application answers, not who it is.
 */
public final class NetworkProber implements Prober {
    /** The kubelet's User-Agent ({@code kube-probe/<version>}): applications that filter probe traffic by it keep working. */
    static final String USER_AGENT = "kube-probe/1.30";

    private final ContainerRuntime runtime;

    public NetworkProber(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ProbeResult probe(Probe probe, ProbeTarget target) {
        try {
            Probe.Handler h = probe.handler();
            if (h instanceof Probe.HttpGet http) return httpGet(http, target, probe.timeout());
            if (h instanceof Probe.TcpSocket tcp) return tcpSocket(tcp, target, probe.timeout());
            if (h instanceof Probe.Exec exec) return exec(exec, target, probe.timeout());
            if (h instanceof Probe.Grpc) return ProbeResult.failure("gRPC probes are not supported by mo");
            return ProbeResult.failure("the probe has no handler (httpGet, tcpSocket or exec)");
        } catch (IllegalArgumentException e) { // a port name the container does not declare
            return ProbeResult.failure(e.getMessage());
        }
    }

    // ---- httpGet -------------------------------------------------------------------------------

    private static ProbeResult httpGet(Probe.HttpGet h, ProbeTarget t, Duration timeout) {
        HttpAnswer answer = get(h, t, timeout);
        if (answer.error() != null) return ProbeResult.failure(answer.error());
        return answer.status() >= 200 && answer.status() < 400 ? ProbeResult.success()
                : ProbeResult.failure("HTTP probe failed with statuscode: " + answer.status());
    }

    /**
     * What one GET answered: its status code, or (status -1) why there was no answer, worded as Go
     * ({@code Get "http://172.17.0.5:8080/": dial tcp ...: connect: connection refused}).
     */
    public record HttpAnswer(int status, String error) {
        static HttpAnswer failed(String error) { return new HttpAnswer(-1, error); }
    }

    /**
     * THE HTTP request of the agent, for probes and {@code preStop} hooks alike: a GET as the kubelet
     * sends it to {@code h}'s host (default: the container's address) and port, within {@code timeout}.
     * Only the status line is read.
     */
    public static HttpAnswer get(Probe.HttpGet h, ProbeTarget t, Duration timeout) {
        String host = h.host() != null ? h.host() : t.address();
        int port;
        try {
            port = t.port(h.port());
        } catch (IllegalArgumentException e) { // a port name the container does not declare
            return HttpAnswer.failed(e.getMessage());
        }
        String path = h.path().startsWith("/") ? h.path() : "/" + h.path();
        String url = h.scheme().toLowerCase(Locale.ROOT) + "://" + hostPort(host, port) + path;
        boolean tls = "HTTPS".equalsIgnoreCase(h.scheme());
        if (!tls && !"HTTP".equalsIgnoreCase(h.scheme())) {
            return HttpAnswer.failed("Get \"" + url + "\": unsupported protocol scheme \"" + h.scheme() + "\"");
        }
        if (host == null || host.isEmpty()) return HttpAnswer.failed("the container has no IP address to probe");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), millisLeft(deadline));
            } catch (SocketTimeoutException e) {
                return HttpAnswer.failed("Get \"" + url + "\": " + CLIENT_TIMEOUT);
            } catch (IOException e) {
                return HttpAnswer.failed("Get \"" + url + "\": " + dialError(e, host, port));
            }
            socket.setSoTimeout(millisLeft(deadline));
            Socket conn = socket;
            if (tls) {
                try {
                    SSLSocket secure = (SSLSocket) ANY_CERTIFICATE.createSocket(socket, host, port, true);
                    secure.startHandshake();
                    conn = secure;
                } catch (SocketTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    return HttpAnswer.failed("Get \"" + url + "\": tls: " + lower(e.getMessage()));
                }
            }
            OutputStream out = conn.getOutputStream();
            out.write(request(h, host, port, path).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = readLine(new BufferedInputStream(conn.getInputStream()));
            if (statusLine == null) return HttpAnswer.failed("Get \"" + url + "\": EOF");
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
                return HttpAnswer.failed("Get \"" + url + "\": net/http: HTTP/1.x transport connection broken: malformed HTTP response \""
                        + (statusLine.length() > 40 ? statusLine.substring(0, 40) : statusLine) + "\"");
            }
            return new HttpAnswer(Integer.parseInt(parts[1]), null);
        } catch (SocketTimeoutException e) {
            return HttpAnswer.failed("Get \"" + url + "\": " + CLIENT_TIMEOUT);
        } catch (IOException e) {
            return HttpAnswer.failed("Get \"" + url + "\": read: " + lower(e.getMessage()));
        }
    }

    /** TLS that takes any certificate, as the kubelet's HTTPS probes do ({@code InsecureSkipVerify}). */
    private static final SSLSocketFactory ANY_CERTIFICATE = anyCertificate();

    private static SSLSocketFactory anyCertificate() {
        X509ExtendedTrustManager trustAll = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no TLS", e);
        }
    }

    private static final String CLIENT_TIMEOUT = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";

    /** The request the kubelet sends: its default headers, overridden by {@code httpHeaders} (Host included). */
    static String request(Probe.HttpGet h, String host, int port, String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "Host: " + hostPort(host, port));
        headers.put("user-agent", "User-Agent: " + USER_AGENT);
        headers.put("accept", "Accept: */*");
        for (Probe.Header header : h.headers()) {
            headers.put(header.name().toLowerCase(Locale.ROOT), header.name() + ": " + header.value());
        }
        headers.put("connection", "Connection: close");
        StringBuilder req = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        headers.values().forEach(line -> req.append(line).append("\r\n"));
        return req.append("\r\n").toString();
    }

    /** One line of the response, without its CR LF; null at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() < 1024) line.write(b);
        }
        if (b == -1 && line.size() == 0) return null;
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }

    // ---- tcpSocket -----------------------------------------------------------------------------

    private static ProbeResult tcpSocket(Probe.TcpSocket tcp, ProbeTarget t, Duration timeout) {
        String host = tcp.host() != null ? tcp.host() : t.address();
        int port = t.port(tcp.port());
        if (host == null || host.isEmpty()) return ProbeResult.failure("the container has no IP address to probe");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return ProbeResult.success();
        } catch (IOException e) {
            return ProbeResult.failure(dialError(e, host, port));
        }
    }

    // ---- exec ----------------------------------------------------------------------------------

    private ProbeResult exec(Probe.Exec exec, ProbeTarget t, Duration timeout) {
        String command = String.join(" ", exec.command());
        ExecResult r;
        try {
            r = runtime.exec(t.containerId(), exec.command(), timeout);
        } catch (RuntimeOperationException e) {
            return ProbeResult.unknown(e.getMessage()); // not running (any more): the result is thrown away
        }
        if (r.timedOut()) return ProbeResult.failure("command \"" + command + "\" timed out");
        if (r.exitCode() == 0) return ProbeResult.success();
        String output = r.output().strip();
        return ProbeResult.failure(output.isEmpty() ? "command \"" + command + "\" exited with " + r.exitCode() : output);
    }

    // ---- Go's wording ------------------------------------------------------------------------

    /** What Go's {@code net.Dial} says: {@code dial tcp 172.17.0.5:8080: connect: connection refused}. */
    static String dialError(IOException e, String host, int port) {
        String prefix = "dial tcp " + hostPort(host, port) + ": ";
        if (e instanceof SocketTimeoutException) return prefix + "i/o timeout";
        if (e instanceof NoRouteToHostException) return prefix + "connect: no route to host";
        if (e instanceof UnknownHostException) return "dial tcp: lookup " + host + ": no such host";
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
            return prefix + "connect: connection refused";
        }
        return prefix + "connect: " + lower(e.getMessage());
    }

    private static String hostPort(String host, int port) {
        return (host != null && host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String lower(String message) {
        if (message == null || message.isEmpty()) return "unknown error";
        String m = message.replaceAll(" \\(.*\\)$", ""); // Java appends "(Connection refused)"-style details
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static int millisLeft(long deadlineNanos) {
        return (int) Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }
}
