package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;
import dev.mo.security.Csr;
import dev.mo.security.Fingerprint;
import dev.mo.security.JoinToken;
import dev.mo.security.Keys;
import dev.mo.security.NodeIdentity;
import dev.mo.security.Pem;
import dev.mo.security.PinnedCaTrust;
import dev.mo.security.SecureFiles;
import dev.mo.security.TrustedCa;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/**
 * How an agent joins the cluster, as a k3s agent does with its token:
 * <ol>
 *   <li>it dials the server and accepts it only if the CA in the certificate chain it
 *       presents has the fingerprint the join token carries ({@link PinnedCaTrust}), before
 *       it sends anything;</li>
 *   <li>it sends the token's secret and two certificate requests for keys it made itself
 *       ({@code POST /api/join});</li>
 *   <li>it keeps what comes back in its {@code pki} directory: the CA, a client certificate
 *       for its node and one for its own HTTPS endpoint, keys 0600.</li>
 * </ol>
 * From then on it needs no token: it proves itself with its certificate, and a restarted
 * agent loads what it kept.
 */
public final class NodeJoin {
    private static final Logger log = LoggerFactory.getLogger(NodeJoin.class);

    private NodeJoin() {}

    /** Joining failed: the token is wrong, the server is not the one it names, or the server is unreachable. */
    public static final class Failed extends RuntimeException {
        Failed(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * This node's TLS from {@code pkiDir}, or, when it has none for {@code nodeName} (or they
     * no longer cover {@code servingSans}, or expired), from a new join with {@code token}.
     *
     * @param token asked for only when a join is needed; may return null (no token given)
     */
    public static NodeTls joinOrLoad(String serverUrl, Supplier<JoinToken> token, String nodeName,
                                     List<String> servingSans, Path pkiDir) {
        try {
            if (kept(pkiDir, nodeName)) return load(pkiDir);
            JoinToken t = token.get();
            if (t == null) {
                throw new Failed("node " + nodeName + " has not joined yet (no credentials in " + pkiDir
                        + "): give a join token (--join-token-file, or MO_JOIN_TOKEN; the server writes it to STATE_DIR/join-token)", null);
            }
            join(serverUrl, t, nodeName, servingSans, pkiDir);
            return load(pkiDir);
        } catch (IOException e) {
            throw new Failed("cannot use " + pkiDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean kept(Path dir, String nodeName) throws IOException {
        for (String f : List.of("ca.crt", "node.crt", "node.key", "serving.crt", "serving.key")) {
            if (!Files.exists(dir.resolve(f))) return false;
        }
        X509Certificate node = Pem.readCertificate(dir.resolve("node.crt"));
        try {
            node.checkValidity(Date.from(Instant.now()));
        } catch (GeneralSecurityException expired) {
            log.info("the credentials in {} have expired: joining again", dir);
            return false;
        }
        boolean same = NodeIdentity.nodeName(new X509Certificate[] {node}).map(nodeName::equals).orElse(false);
        if (!same) log.info("the credentials in {} are for another node name: joining again as {}", dir, nodeName);
        return same;
    }

    private static NodeTls load(Path dir) throws IOException {
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca.crt"));
        return new NodeTls(
                TrustedCa.clientContext(ca, Pem.readPrivateKey(dir.resolve("node.key")), Pem.readCertificate(dir.resolve("node.crt"))),
                TrustedCa.serverContext(ca, Pem.readPrivateKey(dir.resolve("serving.key")), Pem.readCertificate(dir.resolve("serving.crt"))));
    }

    private static void join(String serverUrl, JoinToken token, String nodeName, List<String> servingSans, Path dir)
            throws IOException {
        URI uri = URI.create(serverUrl + "/api/join");
        if (!"https".equals(uri.getScheme())) throw new Failed("the server's URL must be https://, not " + serverUrl, null);
        KeyPair clientKeys = Keys.newKeyPair();
        KeyPair servingKeys = Keys.newKeyPair();
        ObjectNode request = Json.object()
                .put("secret", token.secret())
                .put("node", nodeName)
                .put("clientCsr", Csr.forNode(clientKeys, nodeName))
                .put("servingCsr", Csr.forNode(servingKeys, nodeName));
        servingSans.forEach(request.putArray("servingSans")::add);

        PinnedCaTrust pinned = PinnedCaTrust.forToken(token, uri.getHost());
        HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection();
        c.setSSLSocketFactory(pinned.context().getSocketFactory());
        c.setConnectTimeout(5000);
        c.setReadTimeout(30_000);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        ObjectNode answer;
        try {
            try (OutputStream out = c.getOutputStream()) {
                out.write(Json.write(request).getBytes(StandardCharsets.UTF_8));
            }
            int code = c.getResponseCode();
            InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (code != 200) {
                String why = body.isEmpty() ? "" : Json.parse(body).path("message").asText(body);
                throw new Failed("the server at " + serverUrl + " refused the join (" + code + "): " + why, null);
            }
            answer = Json.parse(body);
        } catch (SSLException e) {
            throw new Failed("the server at " + serverUrl + " is not the one the join token names: " + rootMessage(e), e);
        } catch (IOException e) {
            throw new Failed("cannot reach the mo server at " + serverUrl + ": " + e.getMessage(), e);
        } finally {
            c.disconnect();
        }
        X509Certificate ca = Pem.parseCertificate(answer.path("caCertificate").asText());
        if (!Fingerprint.sha256(ca).equals(token.caFingerprint())) {
            throw new Failed("the server sent a CA that is not the one the join token names", null);
        }
        SecureFiles.createPrivateDirectory(dir);
        SecureFiles.writePrivate(dir.resolve("node.key"), Pem.privateKey(clientKeys.getPrivate()));
        SecureFiles.writePrivate(dir.resolve("serving.key"), Pem.privateKey(servingKeys.getPrivate()));
        SecureFiles.writePublic(dir.resolve("node.crt"), answer.path("clientCertificate").asText());
        SecureFiles.writePublic(dir.resolve("serving.crt"), answer.path("servingCertificate").asText());
        SecureFiles.writePublic(dir.resolve("ca.crt"), Pem.certificate(ca));
        log.info("node {} joined {}; its credentials are in {}", nodeName, serverUrl, dir);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }
}
