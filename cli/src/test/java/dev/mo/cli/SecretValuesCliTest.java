package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.AgentConfig;
import dev.mo.agent.Labels;
import dev.mo.agent.NodeAgent;
import dev.mo.cli.LocalControlPlane.Run;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.LabelSelector;
import dev.mo.runtime.ContainerInfo;
import dev.mo.runtime.ContainerSpec;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A Secret's values reach the Secret itself ({@code get -o yaml|json}), the environment and the
 * secret volume files of the containers that use them, and nothing else: no CLI output or error,
 * no event, no pod status, no log line of the server or the agent. Every place a value could
 * leak through is captured under a name; a failure lists the names of the places that leaked.
 */
class SecretValuesCliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    NodeAgent agent;
    final FakeRuntime runtime = new FakeRuntime();

    /** Each secret value used below, all carrying the same marker so that any of them is found. */
    static final String MARKER = "s3cr3t-VALUE-" + UUID.randomUUID().toString().substring(0, 8);
    final List<String> values = new ArrayList<>();
    /** Place → what it showed. */
    final Map<String, String> captured = new LinkedHashMap<>();

    PrintStream originalErr, originalOut;
    final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        // The simple logger writes to System.err when it logs, so the server's and the agent's lines land here.
        originalErr = System.err;
        originalOut = System.out;
        PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        local = LocalControlPlane.start(dir);
        // The node agent alone, without the Service proxy: it would put cluster IPs on this host.
        agent = new NodeAgent(AgentConfig.builder("n1").address("127.0.0.1").token("t")
                .dataDir(dir.resolve("agent")).build(), local.cp.nodes(), runtime, null, null, "http://127.0.0.1:1").start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !local.cp.store().list(Kind.NODE, null).isEmpty());
    }

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        local.close();
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    String value(String what) {
        String v = MARKER + "-" + what;
        values.add(v);
        return v;
    }

    /** A value the JSON parser reads as one bare token when it is left unquoted. */
    String unquotable(String what) {
        String v = (MARKER + what).replace("-", "");
        values.add(v);
        return v;
    }

    static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    Run mo(String place, String... args) {
        Run r = local.mo(args);
        captured.put(place, r.out() + r.err());
        return r;
    }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static String secret(String name, String data, String stringData) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: default}
                data: {%s}
                stringData: {%s}
                """.formatted(name, data, stringData);
    }

    static final String POD_USING_THE_SECRET = """
            apiVersion: v1
            kind: Pod
            metadata: {name: uses-secret, namespace: default}
            spec:
              containers:
              - name: app
                image: app:1
                env:
                - name: PASSWORD
                  valueFrom: {secretKeyRef: {name: creds, key: password}}
                envFrom:
                - secretRef: {name: creds}
                  prefix: ALL_
                volumeMounts: [{name: creds, mountPath: /etc/creds}]
              volumes:
              - name: creds
                secret: {secretName: creds}
            """;

    static final String POD_MISSING_A_KEY = """
            apiVersion: v1
            kind: Pod
            metadata: {name: missing-key, namespace: default}
            spec:
              containers:
              - name: app
                image: app:1
                env:
                - name: NOPE
                  valueFrom: {secretKeyRef: {name: creds, key: nope}}
            """;

    @Test
    void secretValuesShowOnlyInTheSecretAndInTheContainersThatUseThem() throws Exception {
        String password = value("password"), token = value("token"), changed = value("changed");

        // apply: created, configured, unchanged
        Path creds = write("creds.yaml", secret("creds", "password: " + b64(password), "token: " + token));
        assertEquals(0, mo("apply (created)", "apply", "-f", creds.toString()).exit());
        Path credsChanged = write("creds2.yaml", secret("creds", "password: " + b64(changed), "token: " + token));
        assertEquals(0, mo("apply (configured)", "apply", "-f", credsChanged.toString()).exit());
        Run unchanged = mo("apply (unchanged)", "apply", "-f", credsChanged.toString());
        assertTrue(unchanged.out().contains("unchanged"), unchanged.out());

        // invalid Secrets: each error names the field, never the value
        String badKey = value("bad-key");
        Run r = mo("apply of a bad key name", "apply", "-f",
                write("bad1.yaml", secret("bad1", "\"bad key!\": " + b64(badKey), "")).toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("data.bad key!"), r.err());
        String notBase64 = value("not-base64!");
        r = mo("apply of a non-base64 value", "apply", "-f",
                write("bad2.yaml", secret("bad2", "password: \"" + notBase64 + "\"", "")).toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("data.password"), r.err());
        String huge = value("huge") + "x".repeat(1024 * 1024);
        r = mo("apply of a value over the size limit", "apply", "-f",
                write("bad3.yaml", secret("bad3", "", "big: " + huge)).toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("limit"), r.err());

        String pin = "7" + (100_000_000_000L + new java.util.Random().nextLong(800_000_000_000L)); // a number in YAML
        values.add(pin);
        r = mo("apply of a number where a string belongs", "apply", "-f",
                write("bad4.yaml", secret("bad4", "", "pin: " + pin)).toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("stringData.pin"), r.err());
        String unquoted = unquotable("unquoted");
        r = mo("apply of a JSON manifest that does not parse", "apply", "-f", write("bad5.json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"bad5\"},"
                        + "\"stringData\":{\"password\":" + unquoted + "}}").toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("JSON syntax error"), r.err());
        // The server checks what a client other than mo's CLI sends.
        String serverChecked = value("server-checked!");
        try {
            local.client().apply(List.of(Json.parse("""
                    {"apiVersion":"v1","kind":"Secret","metadata":{"name":"bad6","namespace":"default"},
                     "data":{"password":"%s"},"stringData":{"pin":%s}}""".formatted(serverChecked, pin))), false);
            fail("the server took an invalid Secret");
        } catch (RuntimeException refusedByTheServer) {
            captured.put("the server's answer to an invalid Secret", refusedByTheServer.getMessage());
            assertTrue(refusedByTheServer.getMessage().contains("data.password"), refusedByTheServer.getMessage());
        }

        // pods: one using the Secret three ways, one asking for a key it does not have
        assertEquals(0, mo("apply of the pods", "apply", "-f", write("pods.yaml",
                POD_USING_THE_SECRET + "---\n" + POD_MISSING_A_KEY).toString()).exit());
        await().atMost(Duration.ofSeconds(15)).until(() -> "Running".equals(Json.text(pod("uses-secret"), "status.phase")));
        await().atMost(Duration.ofSeconds(15)).until(() -> events().contains("couldn't find key nope"));

        ContainerSpec spec = runtime.spec(running().get(0).id());
        assertEquals(changed, spec.env().get("PASSWORD"), "the env secretKeyRef");
        assertEquals(changed, spec.env().get("ALL_password"), "the envFrom secretRef");
        assertEquals(token, spec.env().get("ALL_token"), "the envFrom secretRef, stringData");
        Path podVolumes = dir.resolve("agent");
        try (Stream<Path> files = Files.walk(podVolumes)) {
            List<String> contents = files.filter(p -> p.getFileName().toString().equals("password") && Files.isRegularFile(p))
                    .map(SecretValuesCliTest::read).toList();
            assertEquals(List.of(changed), contents, "the secret volume's file");
        }
        captured.put("the container's labels in the runtime", spec.labels().toString());
        captured.put("the container's command and args in the runtime", spec.command() + " " + spec.args());
        captured.put("the container's spec as text", spec.toString());

        // what the user reads
        mo("describe secret", "describe", "secret", "creds");
        assertTrue(captured.get("describe secret").contains("password:  " + changed.length() + " bytes"),
                captured.get("describe secret"));
        mo("get secret", "get", "secret", "creds");
        mo("get secrets -o wide", "get", "secrets", "-o", "wide");
        mo("describe pod using the secret", "describe", "pod", "uses-secret");
        assertTrue(captured.get("describe pod using the secret").contains("<set to the key 'password' in secret 'creds'>"),
                captured.get("describe pod using the secret"));
        mo("describe pod missing a key", "describe", "pod", "missing-key");
        mo("get pods -o yaml", "get", "pods", "-o", "yaml");
        mo("get events", "get", "events");
        mo("get events -o yaml", "get", "events", "-o", "yaml");
        captured.put("events in the store", events());

        // patches: merged, and refused
        String patched = value("patched"), patchedPlain = value("patched-plain");
        Run ok = mo("merge patch", "patch", "secret", "creds", "--type", "merge", "-p",
                "{\"data\":{\"password\":\"" + b64(patched) + "\"},\"stringData\":{\"token\":\"" + patchedPlain + "\"}}");
        assertEquals(0, ok.exit(), ok.err());
        String refused = value("refused!");
        Run bad = mo("failed patch (not base64)", "patch", "secret", "creds", "--type", "merge", "-p",
                "{\"data\":{\"password\":\"" + refused + "\"}}");
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("data.password"), bad.err());
        String unparsable = unquotable("unparsable");
        Run broken = mo("failed patch (not JSON)", "patch", "secret", "creds", "--type", "merge", "-p",
                "{\"data\":{\"password\":" + unparsable + "}}");
        assertNotEquals(0, broken.exit());
        mo("describe secret after the patch", "describe", "secret", "creds");

        // the Secret itself does show them, base64-encoded, as kubectl shows it
        Run yaml = local.mo("get", "secret", "creds", "-o", "yaml");
        assertTrue(yaml.out().contains(b64(patched)) && yaml.out().contains(b64(patchedPlain)), yaml.out());
        Run json = local.mo("get", "secret", "creds", "-o", "json");
        assertTrue(json.out().contains(b64(patched)), json.out());

        captured.put("pods in the store", local.cp.objects().list(Kind.POD, "default", LabelSelector.EVERYTHING).toString());
        String log = logs.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("started container app"), "the agent's log is captured: " + log);
        captured.put("the server's and the agent's log", log);

        List<String> leaks = new ArrayList<>();
        captured.forEach((place, text) -> {
            for (String v : values) {
                if (text.contains(MARKER) || text.contains(v) || text.contains(b64(v)) || containsBase64Of(text, v)) {
                    leaks.add(place + ": " + excerpt(text, v));
                    break;
                }
            }
        });
        assertEquals(List.of(), leaks, "a secret value leaked in these places");
    }

    /** The base64 of a value also shows, shifted, inside the base64 of a longer text holding it. */
    static boolean containsBase64Of(String text, String value) {
        for (int shift = 0; shift < 3; shift++) {
            String encoded = b64("x".repeat(shift) + value);
            String core = encoded.substring(4, encoded.length() - 4); // what does not depend on the neighbours
            if (text.contains(core)) return true;
        }
        return false;
    }

    static String excerpt(String text, String value) {
        int at = text.indexOf(value);
        if (at < 0) at = text.indexOf("s3cr3t");
        if (at < 0) return "(base64-encoded)";
        return text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 100)).replace("\n", "\\n");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ObjectNode pod(String name) { return local.cp.objects().get(Kind.POD, "default", name).orElseThrow(); }

    String events() { return local.cp.objects().list(Kind.EVENT, "default", LabelSelector.EVERYTHING).toString(); }

    List<ContainerInfo> running() {
        return runtime.list(Map.of(Labels.MANAGED, "true")).stream().filter(ContainerInfo::running).toList();
    }
}
