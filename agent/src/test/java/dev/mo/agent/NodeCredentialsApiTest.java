package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.HttpNodeApi;
import dev.mo.api.MoClient;
import dev.mo.controller.NodeLifecycleController;
import dev.mo.controlplane.ApiError;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.security.ClusterCa;
import dev.mo.security.Csr;
import dev.mo.security.JoinToken;
import dev.mo.security.Keys;
import dev.mo.security.NodeCredentials;
import dev.mo.security.Pem;
import dev.mo.security.TrustedCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's security, over real TLS on 127.0.0.1: plain HTTP is refused; a node joins only
 * with the right join token and only with the server its token names; a node's credential
 * does what a kubelet may and nothing more; forged and expired credentials are refused.
 */
class NodeCredentialsApiTest {
    @TempDir
    Path dir;
    ControlPlane cp;
    String url;

    @BeforeEach
    void start() {
        cp = ControlPlane.start(new ControlPlane.Config(dir.resolve("state"), "127.0.0.1", 0, Duration.ofMillis(200),
                Clock.systemUTC(), NodeLifecycleController.Timing.defaults(), List.of()));
        url = "https://127.0.0.1:" + cp.port();
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    NodeTls join(String node, JoinToken token) {
        return NodeJoin.joinOrLoad(url, () -> token, node, List.of("127.0.0.1"), dir.resolve("agent-" + node + "/pki"));
    }

    HttpNodeApi asNode(SSLContext tls) {
        return new HttpNodeApi(new MoClient(url, "", tls));
    }

    void createPod(String name, String node, String specExtra) {
        cp.objects().create(Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"nodeName":"%s","containers":[{"name":"c","image":"app:1"%s}]}}
                """.formatted(name, node, specExtra)), true);
    }

    @Test
    void plainHttpIsRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", cp.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(5);
            assertFalse(new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/"), "no HTTP answer in clear text");
        }
    }

    @Test
    void aWrongSecretOrAServerTheTokenDoesNotNameIsRefused() {
        JoinToken right = cp.joinToken();
        JoinToken wrongSecret = JoinToken.parse("K10" + right.caFingerprint() + "::nottheone");
        NodeJoin.Failed e = assertThrows(NodeJoin.Failed.class, () -> join("n1", wrongSecret));
        assertTrue(e.getMessage().contains("refused the join (401)"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("agent-n1/pki/node.crt")));

        JoinToken otherCa = JoinToken.create("0".repeat(64), new SecureRandom());
        e = assertThrows(NodeJoin.Failed.class, () -> join("n1", otherCa));
        assertTrue(e.getMessage().contains("is not the one the join token names"), e.getMessage());
        assertFalse(e.getMessage().contains(otherCa.secret()), "the secret is never shown");
    }

    @Test
    void aJoinedNodeKeepsItsCredentialsPrivateAndNeedsNoTokenAfter() throws Exception {
        join("n1", cp.joinToken());
        Path pki = dir.resolve("agent-n1/pki");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("node.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("serving.key"))));
        NodeTls again = join("n1", null); // loaded, no token needed
        asNode(again.client()).podsForNode("n1", -1, Duration.ZERO);
    }

    @Test
    void theServersStateDirectoryIsTheOwnersAlone() throws Exception {
        Path state = dir.resolve("state");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        List<String> open = new ArrayList<>();
        try (var all = Files.walk(state)) {
            for (Path p : all.toList()) {
                if (p.toString().endsWith(".crt")) continue; // certificates are public
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (!mode.endsWith("------")) open.add(state.relativize(p) + " " + mode);
            }
        }
        assertEquals(List.of(), open, "files and directories others may read");
    }

    @Test
    void aNodeDoesWhatAKubeletMayAndNothingMore() {
        HttpNodeApi n1 = asNode(join("n1", cp.joinToken()).client());
        n1.heartbeat(node("n1")); // its own Node object: allowed
        cp.nodes().heartbeat(node("n2"));
        createPod("on-n1", "n1", ",\"env\":[{\"name\":\"P\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"used\",\"key\":\"k\"}}}]");
        createPod("on-n2", "n2", "");
        for (String secret : List.of("used", "unused")) {
            cp.objects().create(Json.parse("""
                    {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"default"},"data":{"k":"dg=="}}
                    """.formatted(secret)), true);
        }

        assertEquals(1, n1.podsForNode("n1", -1, Duration.ZERO).pods().size());
        assertEquals(403, status(() -> n1.podsForNode("n2", -1, Duration.ZERO)));
        assertEquals("used", n1.getConfigObject("secrets", "default", "used").at("/metadata/name").asText());
        assertEquals(403, status(() -> n1.getConfigObject("secrets", "default", "unused")));
        ObjectNode status = Json.parse("{\"phase\":\"Running\"}");
        n1.reportPodStatus("default", "on-n1", "x", status, Map.of());
        assertEquals(403, status(() -> n1.reportPodStatus("default", "on-n2", "x", status, Map.of())));
        assertEquals(403, status(() -> n1.recordPodEvent("default", "on-n2", "x", "Normal", "Started", "forged")));
        assertEquals(403, status(() -> n1.heartbeat(node("n2"))));

        MoClient asUser = new MoClient(url, "", join("n1", null).client());
        ObjectNode deployment = Json.parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"evil","namespace":"default"},
                 "spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
                 "spec":{"containers":[{"name":"c","image":"x"}]}}}}""");
        assertEquals(403, status(() -> asUser.apply(List.of(deployment), false)));
        assertEquals(403, status(() -> asUser.call("DELETE", "/api/pods/on-n1?namespace=default", null, Duration.ofSeconds(5))));
        assertTrue(cp.objects().get(dev.mo.model.Kind.POD, "default", "on-n1").isPresent());
    }

    @Test
    void aForgedOrExpiredCredentialIsRefused() throws Exception {
        // Forged: a certificate for n1 from a CA of the attacker's own.
        ClusterCa forger = ClusterCa.loadOrCreate(dir.resolve("forger"), Clock.systemUTC());
        assertRefused(credential(forger, Duration.ofDays(30)));
        // Expired: signed by the real CA, but valid for one day two years ago.
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(730)), ZoneOffset.UTC);
        ClusterCa realCaBack = ClusterCa.loadOrCreate(dir.resolve("state/pki"), past);
        assertRefused(credential(realCaBack, Duration.ofDays(1)));
    }

    SSLContext credential(ClusterCa ca, Duration validity) throws Exception {
        KeyPair keys = Keys.newKeyPair();
        NodeCredentials c = ca.signNode("n1", Csr.forNode(keys, "n1"), Csr.forNode(Keys.newKeyPair(), "n1"),
                List.of("127.0.0.1"), validity);
        return TrustedCa.clientContext(Pem.readCertificate(dir.resolve("state/pki/ca.crt")), keys.getPrivate(),
                c.clientCertificate());
    }

    /**
     * The handshake fails, or the request is not let in. With TLS 1.3 the server checks the
     * client's certificate after the client has sent its request, so the refusal may reach the
     * client as a broken connection rather than as an alert.
     */
    void assertRefused(SSLContext tls) {
        asNode(join("n1", cp.joinToken()).client()).podsForNode("n1", -1, Duration.ZERO); // the server answers a real node
        HttpNodeApi api = asNode(tls);
        RuntimeException e = assertThrows(RuntimeException.class, () -> api.podsForNode("n1", -1, Duration.ZERO));
        assertTrue(e instanceof MoClient.TlsFailure || e instanceof MoClient.Unreachable
                || e instanceof ApiError a && a.status() == 401, e.toString());
    }

    static ObjectNode node(String name) {
        return Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "status":{"conditions":[{"type":"Ready","status":"True"}]}}""".formatted(name));
    }

    static int status(Runnable call) {
        return assertThrows(ApiError.class, call::run).status();
    }
}
