package dev.mo.security;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A TLS server on 127.0.0.1 that takes one connection, asks for (but does not require) a client
 * certificate, and answers one byte; and a client that dials it. Real sockets, real handshakes.
 */
final class OneConnection implements AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;
    private final SSLServerSocket listener;
    private final CompletableFuture<Optional<String>> node = new CompletableFuture<>();

    private OneConnection(SSLServerSocket listener) {
        this.listener = listener;
    }

    static OneConnection serve(SSLContext server) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        OneConnection connection = new OneConnection(listener);
        Thread thread = new Thread(connection::acceptOne, "tls-test-server");
        thread.setDaemon(true);
        thread.start();
        return connection;
    }

    private void acceptOne() {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setWantClientAuth(true);
            socket.startHandshake();
            Optional<String> name = NodeIdentity.nodeName(socket.getSession());
            socket.getOutputStream().write(1);
            socket.getOutputStream().flush();
            node.complete(name);
        } catch (IOException | RuntimeException e) {
            node.completeExceptionally(e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * Dials 127.0.0.1 but speaks to it as {@code host} (the name the client checks the
     * certificate against), with host-name checking on, and reads the server's byte.
     */
    void dial(SSLContext client, String host) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port());
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, host, port(), true)) {
            socket.setSoTimeout(TIMEOUT_MS);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            if (socket.getInputStream().read() != 1) throw new IOException("server closed the connection");
        }
    }

    void dial(SSLContext client) throws IOException {
        dial(client, "127.0.0.1");
    }

    /** The node name the server saw, once its side is done; throws what its handshake threw. */
    Optional<String> nodeSeen() throws Exception {
        try {
            return node.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** Dialling fails; the message of some exception in the chain contains {@code expected}. */
    void dialFails(SSLContext client, String host, String expected) {
        IOException e = assertThrows(IOException.class, () -> dial(client, host));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(expected)) return;
        }
        fail("no \"" + expected + "\" in " + e);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
